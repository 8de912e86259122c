/**
 * zod/mini loads no locale (its messages are "Invalid input" unless the app configures one): the
 * parsers pass zod's English messages with each parse, so an EventParseError says what was wrong
 * whatever the subscriber configured, and the kit changes no global setting.
 */
export declare const ENGLISH: {
    readonly error: import("zod/v4/core").$ZodErrorMap<import("zod/v4/core").$ZodIssue>;
};
