import * as z from 'zod/mini';
export declare const INTEGRATION_PROVISIONED = "Integration Provisioned";
export declare const INTEGRATION_ENABLED = "Integration Enabled";
export declare const INTEGRATION_DISABLED = "Integration Disabled";
export declare const INTEGRATION_CANCELED = "Integration Canceled";
export declare const INTEGRATION_REINSTATED = "Integration Reinstated";
export declare const INTEGRATION_DELETED = "Integration Deleted";
export declare const INTEGRATION_TOKEN_MOVED = "Integration Token Moved";
export declare const integrationProvisionedSchema: z.ZodMiniObject<{
    integration: z.ZodMiniObject<{
        secretRef: z.ZodMiniString<string>;
        secretStore: z.ZodMiniOptional<z.ZodMiniEnum<{
            "secrets-manager": "secrets-manager";
            "parameter-store": "parameter-store";
            "local-vault": "local-vault";
        }>>;
        id: z.ZodMiniString<string>;
        mewsId: z.ZodMiniString<string>;
        name: z.ZodMiniString<string>;
    }, z.core.$strip>;
    enterprise: z.ZodMiniObject<{
        id: z.ZodMiniString<string>;
        name: z.ZodMiniString<string>;
    }, z.core.$strip>;
    service: z.ZodMiniNullable<z.ZodMiniObject<{
        id: z.ZodMiniString<string>;
        name: z.ZodMiniString<string>;
    }, z.core.$strip>>;
    requestor: z.ZodMiniNullable<z.ZodMiniObject<{
        name: z.ZodMiniNullable<z.ZodMiniString<string>>;
        maskedEmail: z.ZodMiniNullable<z.ZodMiniString<string>>;
    }, z.core.$strip>>;
    enabled: z.ZodMiniBoolean<boolean>;
    createdUtc: z.ZodMiniString<string>;
    enterpriseConfiguration: z.ZodMiniNullable<z.ZodMiniObject<{
        id: z.ZodMiniString<string>;
        name: z.ZodMiniString<string>;
        chainId: z.ZodMiniNullable<z.ZodMiniString<string>>;
        timeZoneIdentifier: z.ZodMiniNullable<z.ZodMiniString<string>>;
        defaultLanguageCode: z.ZodMiniNullable<z.ZodMiniString<string>>;
        legalEnvironmentCode: z.ZodMiniNullable<z.ZodMiniString<string>>;
        pricing: z.ZodMiniNullable<z.ZodMiniString<string>>;
        countryCode: z.ZodMiniNullable<z.ZodMiniString<string>>;
        currencies: z.ZodMiniArray<z.ZodMiniObject<{
            currency: z.ZodMiniString<string>;
            isDefault: z.ZodMiniBoolean<boolean>;
            isEnabled: z.ZodMiniBoolean<boolean>;
        }, z.core.$strip>>;
    }, z.core.$strip>>;
    schemaVersion: z.ZodMiniLiteral<1>;
    eventId: z.ZodMiniString<string>;
    occurredAt: z.iso.ZodMiniISODateTime;
    environment: z.ZodMiniEnum<{
        demo: "demo";
        production: "production";
        simulator: "simulator";
    }>;
}, z.core.$strip>;
export declare const integrationEnabledSchema: z.ZodMiniObject<{
    integration: z.ZodMiniObject<{
        secretRef: z.ZodMiniString<string>;
        secretStore: z.ZodMiniOptional<z.ZodMiniEnum<{
            "secrets-manager": "secrets-manager";
            "parameter-store": "parameter-store";
            "local-vault": "local-vault";
        }>>;
        id: z.ZodMiniString<string>;
        mewsId: z.ZodMiniString<string>;
        name: z.ZodMiniString<string>;
    }, z.core.$strip>;
    enterprise: z.ZodMiniObject<{
        id: z.ZodMiniString<string>;
        name: z.ZodMiniString<string>;
    }, z.core.$strip>;
    enabled: z.ZodMiniBoolean<boolean>;
    canceled: z.ZodMiniBoolean<boolean>;
    schemaVersion: z.ZodMiniLiteral<1>;
    eventId: z.ZodMiniString<string>;
    occurredAt: z.iso.ZodMiniISODateTime;
    environment: z.ZodMiniEnum<{
        demo: "demo";
        production: "production";
        simulator: "simulator";
    }>;
}, z.core.$strip>;
export declare const integrationDisabledSchema: z.ZodMiniObject<{
    integration: z.ZodMiniObject<{
        secretRef: z.ZodMiniString<string>;
        secretStore: z.ZodMiniOptional<z.ZodMiniEnum<{
            "secrets-manager": "secrets-manager";
            "parameter-store": "parameter-store";
            "local-vault": "local-vault";
        }>>;
        id: z.ZodMiniString<string>;
        mewsId: z.ZodMiniString<string>;
        name: z.ZodMiniString<string>;
    }, z.core.$strip>;
    enterprise: z.ZodMiniObject<{
        id: z.ZodMiniString<string>;
        name: z.ZodMiniString<string>;
    }, z.core.$strip>;
    enabled: z.ZodMiniBoolean<boolean>;
    canceled: z.ZodMiniBoolean<boolean>;
    schemaVersion: z.ZodMiniLiteral<1>;
    eventId: z.ZodMiniString<string>;
    occurredAt: z.iso.ZodMiniISODateTime;
    environment: z.ZodMiniEnum<{
        demo: "demo";
        production: "production";
        simulator: "simulator";
    }>;
}, z.core.$strip>;
export declare const integrationCanceledSchema: z.ZodMiniObject<{
    integration: z.ZodMiniObject<{
        secretRef: z.ZodMiniString<string>;
        secretStore: z.ZodMiniOptional<z.ZodMiniEnum<{
            "secrets-manager": "secrets-manager";
            "parameter-store": "parameter-store";
            "local-vault": "local-vault";
        }>>;
        id: z.ZodMiniString<string>;
        mewsId: z.ZodMiniString<string>;
        name: z.ZodMiniString<string>;
    }, z.core.$strip>;
    enterprise: z.ZodMiniObject<{
        id: z.ZodMiniString<string>;
        name: z.ZodMiniString<string>;
    }, z.core.$strip>;
    enabled: z.ZodMiniBoolean<boolean>;
    canceled: z.ZodMiniBoolean<boolean>;
    schemaVersion: z.ZodMiniLiteral<1>;
    eventId: z.ZodMiniString<string>;
    occurredAt: z.iso.ZodMiniISODateTime;
    environment: z.ZodMiniEnum<{
        demo: "demo";
        production: "production";
        simulator: "simulator";
    }>;
}, z.core.$strip>;
export declare const integrationReinstatedSchema: z.ZodMiniObject<{
    integration: z.ZodMiniObject<{
        secretRef: z.ZodMiniString<string>;
        secretStore: z.ZodMiniOptional<z.ZodMiniEnum<{
            "secrets-manager": "secrets-manager";
            "parameter-store": "parameter-store";
            "local-vault": "local-vault";
        }>>;
        id: z.ZodMiniString<string>;
        mewsId: z.ZodMiniString<string>;
        name: z.ZodMiniString<string>;
    }, z.core.$strip>;
    enterprise: z.ZodMiniObject<{
        id: z.ZodMiniString<string>;
        name: z.ZodMiniString<string>;
    }, z.core.$strip>;
    enabled: z.ZodMiniBoolean<boolean>;
    canceled: z.ZodMiniBoolean<boolean>;
    schemaVersion: z.ZodMiniLiteral<1>;
    eventId: z.ZodMiniString<string>;
    occurredAt: z.iso.ZodMiniISODateTime;
    environment: z.ZodMiniEnum<{
        demo: "demo";
        production: "production";
        simulator: "simulator";
    }>;
}, z.core.$strip>;
export declare const integrationDeletedSchema: z.ZodMiniObject<{
    deletedUtc: z.ZodMiniString<string>;
    secretRecoveryDays: z.ZodMiniNumber<number>;
    integration: z.ZodMiniObject<{
        secretRef: z.ZodMiniString<string>;
        secretStore: z.ZodMiniOptional<z.ZodMiniEnum<{
            "secrets-manager": "secrets-manager";
            "parameter-store": "parameter-store";
            "local-vault": "local-vault";
        }>>;
        id: z.ZodMiniString<string>;
        mewsId: z.ZodMiniString<string>;
        name: z.ZodMiniString<string>;
    }, z.core.$strip>;
    enterprise: z.ZodMiniObject<{
        id: z.ZodMiniString<string>;
        name: z.ZodMiniString<string>;
    }, z.core.$strip>;
    enabled: z.ZodMiniBoolean<boolean>;
    canceled: z.ZodMiniBoolean<boolean>;
    schemaVersion: z.ZodMiniLiteral<1>;
    eventId: z.ZodMiniString<string>;
    occurredAt: z.iso.ZodMiniISODateTime;
    environment: z.ZodMiniEnum<{
        demo: "demo";
        production: "production";
        simulator: "simulator";
    }>;
}, z.core.$strip>;
export declare const integrationTokenMovedSchema: z.ZodMiniObject<{
    deleted: z.ZodMiniBoolean<boolean>;
    previous: z.ZodMiniObject<{
        secretRef: z.ZodMiniString<string>;
        secretStore: z.ZodMiniEnum<{
            "secrets-manager": "secrets-manager";
            "parameter-store": "parameter-store";
            "local-vault": "local-vault";
        }>;
        deletedAfter: z.iso.ZodMiniISODateTime;
    }, z.core.$strip>;
    integration: z.ZodMiniObject<{
        secretRef: z.ZodMiniString<string>;
        secretStore: z.ZodMiniOptional<z.ZodMiniEnum<{
            "secrets-manager": "secrets-manager";
            "parameter-store": "parameter-store";
            "local-vault": "local-vault";
        }>>;
        id: z.ZodMiniString<string>;
        mewsId: z.ZodMiniString<string>;
        name: z.ZodMiniString<string>;
    }, z.core.$strip>;
    enterprise: z.ZodMiniObject<{
        id: z.ZodMiniString<string>;
        name: z.ZodMiniString<string>;
    }, z.core.$strip>;
    enabled: z.ZodMiniBoolean<boolean>;
    canceled: z.ZodMiniBoolean<boolean>;
    schemaVersion: z.ZodMiniLiteral<1>;
    eventId: z.ZodMiniString<string>;
    occurredAt: z.iso.ZodMiniISODateTime;
    environment: z.ZodMiniEnum<{
        demo: "demo";
        production: "production";
        simulator: "simulator";
    }>;
}, z.core.$strip>;
