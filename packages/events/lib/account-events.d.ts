import * as z from 'zod';
export declare const ACCOUNT_ACCESS_FAILED = "Account Access Failed";
export declare const ACCOUNT_ACCESS_RESTORED = "Account Access Restored";
export declare const ACCOUNT_ANOMALY = "Account Anomaly";
export declare const accountAccessFailedSchema: z.ZodObject<{
    account: z.ZodObject<{
        id: z.ZodString;
        label: z.ZodNullable<z.ZodString>;
        maskedEmail: z.ZodString;
    }, z.core.$strip>;
    error: z.ZodObject<{
        code: z.ZodNullable<z.ZodNumber>;
        message: z.ZodString;
    }, z.core.$strip>;
    schemaVersion: z.ZodLiteral<1>;
    eventId: z.ZodString;
    occurredAt: z.ZodISODateTime;
    environment: z.ZodEnum<{
        demo: "demo";
        production: "production";
        simulator: "simulator";
    }>;
}, z.core.$strip>;
export declare const accountAccessRestoredSchema: z.ZodObject<{
    account: z.ZodObject<{
        id: z.ZodString;
        label: z.ZodNullable<z.ZodString>;
        maskedEmail: z.ZodString;
    }, z.core.$strip>;
    failingSince: z.ZodISODateTime;
    schemaVersion: z.ZodLiteral<1>;
    eventId: z.ZodString;
    occurredAt: z.ZodISODateTime;
    environment: z.ZodEnum<{
        demo: "demo";
        production: "production";
        simulator: "simulator";
    }>;
}, z.core.$strip>;
export declare const accountAnomalySchema: z.ZodObject<{
    account: z.ZodObject<{
        id: z.ZodString;
        label: z.ZodNullable<z.ZodString>;
        maskedEmail: z.ZodString;
    }, z.core.$strip>;
    missing: z.ZodNumber;
    known: z.ZodNumber;
    action: z.ZodLiteral<"removals-held">;
    schemaVersion: z.ZodLiteral<1>;
    eventId: z.ZodString;
    occurredAt: z.ZodISODateTime;
    environment: z.ZodEnum<{
        demo: "demo";
        production: "production";
        simulator: "simulator";
    }>;
}, z.core.$strip>;
