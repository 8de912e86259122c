import * as z from 'zod';
export declare const INTEGRATION_PROVISIONED = "Integration Provisioned";
export declare const INTEGRATION_ENABLED = "Integration Enabled";
export declare const INTEGRATION_DISABLED = "Integration Disabled";
export declare const INTEGRATION_CANCELED = "Integration Canceled";
export declare const INTEGRATION_REINSTATED = "Integration Reinstated";
export declare const INTEGRATION_DELETED = "Integration Deleted";
export declare const integrationProvisionedSchema: z.ZodObject<{
    integration: z.ZodObject<{
        secretRef: z.ZodString;
        secretStore: z.ZodOptional<z.ZodEnum<{
            "secrets-manager": "secrets-manager";
            "parameter-store": "parameter-store";
            "local-vault": "local-vault";
        }>>;
        id: z.ZodString;
        mewsId: z.ZodString;
        name: z.ZodString;
    }, z.core.$strip>;
    enterprise: z.ZodObject<{
        id: z.ZodString;
        name: z.ZodString;
    }, z.core.$strip>;
    service: z.ZodNullable<z.ZodObject<{
        id: z.ZodString;
        name: z.ZodString;
    }, z.core.$strip>>;
    requestor: z.ZodNullable<z.ZodObject<{
        name: z.ZodNullable<z.ZodString>;
        maskedEmail: z.ZodNullable<z.ZodString>;
    }, z.core.$strip>>;
    enabled: z.ZodBoolean;
    createdUtc: z.ZodString;
    enterpriseConfiguration: z.ZodNullable<z.ZodObject<{
        id: z.ZodString;
        name: z.ZodString;
        chainId: z.ZodNullable<z.ZodString>;
        timeZoneIdentifier: z.ZodNullable<z.ZodString>;
        defaultLanguageCode: z.ZodNullable<z.ZodString>;
        legalEnvironmentCode: z.ZodNullable<z.ZodString>;
        pricing: z.ZodNullable<z.ZodString>;
        countryCode: z.ZodNullable<z.ZodString>;
        currencies: z.ZodArray<z.ZodObject<{
            currency: z.ZodString;
            isDefault: z.ZodBoolean;
            isEnabled: z.ZodBoolean;
        }, z.core.$strip>>;
    }, z.core.$strip>>;
    schemaVersion: z.ZodLiteral<1>;
    eventId: z.ZodString;
    occurredAt: z.ZodISODateTime;
    environment: z.ZodEnum<{
        demo: "demo";
        production: "production";
        simulator: "simulator";
    }>;
}, z.core.$strip>;
export declare const integrationEnabledSchema: z.ZodObject<{
    integration: z.ZodObject<{
        secretRef: z.ZodString;
        secretStore: z.ZodOptional<z.ZodEnum<{
            "secrets-manager": "secrets-manager";
            "parameter-store": "parameter-store";
            "local-vault": "local-vault";
        }>>;
        id: z.ZodString;
        mewsId: z.ZodString;
        name: z.ZodString;
    }, z.core.$strip>;
    enterprise: z.ZodObject<{
        id: z.ZodString;
        name: z.ZodString;
    }, z.core.$strip>;
    enabled: z.ZodBoolean;
    canceled: z.ZodBoolean;
    schemaVersion: z.ZodLiteral<1>;
    eventId: z.ZodString;
    occurredAt: z.ZodISODateTime;
    environment: z.ZodEnum<{
        demo: "demo";
        production: "production";
        simulator: "simulator";
    }>;
}, z.core.$strip>;
export declare const integrationDisabledSchema: z.ZodObject<{
    integration: z.ZodObject<{
        secretRef: z.ZodString;
        secretStore: z.ZodOptional<z.ZodEnum<{
            "secrets-manager": "secrets-manager";
            "parameter-store": "parameter-store";
            "local-vault": "local-vault";
        }>>;
        id: z.ZodString;
        mewsId: z.ZodString;
        name: z.ZodString;
    }, z.core.$strip>;
    enterprise: z.ZodObject<{
        id: z.ZodString;
        name: z.ZodString;
    }, z.core.$strip>;
    enabled: z.ZodBoolean;
    canceled: z.ZodBoolean;
    schemaVersion: z.ZodLiteral<1>;
    eventId: z.ZodString;
    occurredAt: z.ZodISODateTime;
    environment: z.ZodEnum<{
        demo: "demo";
        production: "production";
        simulator: "simulator";
    }>;
}, z.core.$strip>;
export declare const integrationCanceledSchema: z.ZodObject<{
    integration: z.ZodObject<{
        secretRef: z.ZodString;
        secretStore: z.ZodOptional<z.ZodEnum<{
            "secrets-manager": "secrets-manager";
            "parameter-store": "parameter-store";
            "local-vault": "local-vault";
        }>>;
        id: z.ZodString;
        mewsId: z.ZodString;
        name: z.ZodString;
    }, z.core.$strip>;
    enterprise: z.ZodObject<{
        id: z.ZodString;
        name: z.ZodString;
    }, z.core.$strip>;
    enabled: z.ZodBoolean;
    canceled: z.ZodBoolean;
    schemaVersion: z.ZodLiteral<1>;
    eventId: z.ZodString;
    occurredAt: z.ZodISODateTime;
    environment: z.ZodEnum<{
        demo: "demo";
        production: "production";
        simulator: "simulator";
    }>;
}, z.core.$strip>;
export declare const integrationReinstatedSchema: z.ZodObject<{
    integration: z.ZodObject<{
        secretRef: z.ZodString;
        secretStore: z.ZodOptional<z.ZodEnum<{
            "secrets-manager": "secrets-manager";
            "parameter-store": "parameter-store";
            "local-vault": "local-vault";
        }>>;
        id: z.ZodString;
        mewsId: z.ZodString;
        name: z.ZodString;
    }, z.core.$strip>;
    enterprise: z.ZodObject<{
        id: z.ZodString;
        name: z.ZodString;
    }, z.core.$strip>;
    enabled: z.ZodBoolean;
    canceled: z.ZodBoolean;
    schemaVersion: z.ZodLiteral<1>;
    eventId: z.ZodString;
    occurredAt: z.ZodISODateTime;
    environment: z.ZodEnum<{
        demo: "demo";
        production: "production";
        simulator: "simulator";
    }>;
}, z.core.$strip>;
export declare const integrationDeletedSchema: z.ZodObject<{
    deletedUtc: z.ZodString;
    secretRecoveryDays: z.ZodNumber;
    integration: z.ZodObject<{
        secretRef: z.ZodString;
        secretStore: z.ZodOptional<z.ZodEnum<{
            "secrets-manager": "secrets-manager";
            "parameter-store": "parameter-store";
            "local-vault": "local-vault";
        }>>;
        id: z.ZodString;
        mewsId: z.ZodString;
        name: z.ZodString;
    }, z.core.$strip>;
    enterprise: z.ZodObject<{
        id: z.ZodString;
        name: z.ZodString;
    }, z.core.$strip>;
    enabled: z.ZodBoolean;
    canceled: z.ZodBoolean;
    schemaVersion: z.ZodLiteral<1>;
    eventId: z.ZodString;
    occurredAt: z.ZodISODateTime;
    environment: z.ZodEnum<{
        demo: "demo";
        production: "production";
        simulator: "simulator";
    }>;
}, z.core.$strip>;
