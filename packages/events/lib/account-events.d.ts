import * as z from 'zod/mini';
export declare const ACCOUNT_ACCESS_FAILED = "Account Access Failed";
export declare const ACCOUNT_ACCESS_RESTORED = "Account Access Restored";
export declare const ACCOUNT_ANOMALY = "Account Anomaly";
export declare const accountAccessFailedSchema: z.ZodMiniObject<{
    account: z.ZodMiniObject<{
        id: z.ZodMiniString<string>;
        label: z.ZodMiniNullable<z.ZodMiniString<string>>;
        maskedEmail: z.ZodMiniString<string>;
    }, z.core.$strip>;
    error: z.ZodMiniObject<{
        code: z.ZodMiniNullable<z.ZodMiniNumber<number>>;
        message: z.ZodMiniString<string>;
    }, z.core.$strip>;
    schemaVersion: z.ZodMiniLiteral<1>;
    eventId: z.ZodMiniString<string>;
    occurredAt: z.iso.ZodMiniISODateTime;
    environment: z.ZodMiniEnum<{
        demo: "demo";
        production: "production";
        simulator: "simulator";
    }>;
}, z.core.$strip>;
export declare const accountAccessRestoredSchema: z.ZodMiniObject<{
    account: z.ZodMiniObject<{
        id: z.ZodMiniString<string>;
        label: z.ZodMiniNullable<z.ZodMiniString<string>>;
        maskedEmail: z.ZodMiniString<string>;
    }, z.core.$strip>;
    failingSince: z.iso.ZodMiniISODateTime;
    schemaVersion: z.ZodMiniLiteral<1>;
    eventId: z.ZodMiniString<string>;
    occurredAt: z.iso.ZodMiniISODateTime;
    environment: z.ZodMiniEnum<{
        demo: "demo";
        production: "production";
        simulator: "simulator";
    }>;
}, z.core.$strip>;
export declare const accountAnomalySchema: z.ZodMiniObject<{
    account: z.ZodMiniObject<{
        id: z.ZodMiniString<string>;
        label: z.ZodMiniNullable<z.ZodMiniString<string>>;
        maskedEmail: z.ZodMiniString<string>;
    }, z.core.$strip>;
    missing: z.ZodMiniNumber<number>;
    known: z.ZodMiniNumber<number>;
    action: z.ZodMiniLiteral<"removals-held">;
    schemaVersion: z.ZodMiniLiteral<1>;
    eventId: z.ZodMiniString<string>;
    occurredAt: z.iso.ZodMiniISODateTime;
    environment: z.ZodMiniEnum<{
        demo: "demo";
        production: "production";
        simulator: "simulator";
    }>;
}, z.core.$strip>;
