import en from 'zod/v4/locales/en.js';
/**
 * zod/mini loads no locale (its messages are "Invalid input" unless the app configures one): the
 * parsers pass zod's English messages with each parse, so an EventParseError says what was wrong
 * whatever the subscriber configured, and the kit changes no global setting.
 */
export const ENGLISH = { error: en().localeError };
