import * as z from 'zod/mini';
export declare const CONNECTION_PROVISIONED = "Connection Provisioned";
export declare const CONNECTION_PROVISIONING_FAILED = "Connection Provisioning Failed";
export declare const CONNECTION_CONFIGURATION_CHANGED = "Connection Configuration Changed";
export declare const CONNECTION_DEACTIVATED = "Connection Deactivated";
export declare const CONNECTION_REACTIVATED = "Connection Reactivated";
export declare const CONNECTION_REMOVED = "Connection Removed";
export declare const CONNECTION_TOKEN_MOVED = "Connection Token Moved";
export declare const connectionProvisionedSchema: z.ZodMiniObject<{
    connection: z.ZodMiniObject<{
        secretRef: z.ZodMiniString<string>;
        secretStore: z.ZodMiniOptional<z.ZodMiniEnum<{
            "secrets-manager": "secrets-manager";
            "parameter-store": "parameter-store";
            "local-vault": "local-vault";
        }>>;
        id: z.ZodMiniString<string>;
        name: z.ZodMiniNullable<z.ZodMiniString<string>>;
        propertyId: z.ZodMiniString<string>;
        propertyName: z.ZodMiniString<string>;
        accountId: z.ZodMiniString<string>;
    }, z.core.$strip>;
    configuration: z.ZodMiniObject<{
        digest: z.ZodMiniString<string>;
        summary: z.ZodMiniObject<{
            spaceCategories: z.ZodMiniNumber<number>;
            synchronizedSpaceCategories: z.ZodMiniNumber<number>;
            ratePlans: z.ZodMiniNumber<number>;
            synchronizedRatePlans: z.ZodMiniNumber<number>;
            inventoryMappings: z.ZodMiniNumber<number>;
            products: z.ZodMiniNumber<number>;
            ageCategories: z.ZodMiniNumber<number>;
            companies: z.ZodMiniNumber<number>;
            travelAgencies: z.ZodMiniNumber<number>;
        }, z.core.$strip>;
        snapshot: z.ZodMiniObject<{
            connectionId: z.ZodMiniString<string>;
            digest: z.ZodMiniString<string>;
        }, z.core.$strip>;
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
export declare const connectionProvisioningFailedSchema: z.ZodMiniObject<{
    connection: z.ZodMiniObject<{
        secretRef: z.ZodMiniString<string>;
        secretStore: z.ZodMiniOptional<z.ZodMiniEnum<{
            "secrets-manager": "secrets-manager";
            "parameter-store": "parameter-store";
            "local-vault": "local-vault";
        }>>;
        id: z.ZodMiniString<string>;
        name: z.ZodMiniNullable<z.ZodMiniString<string>>;
        propertyId: z.ZodMiniString<string>;
        propertyName: z.ZodMiniString<string>;
        accountId: z.ZodMiniString<string>;
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
export declare const connectionConfigurationChangedSchema: z.ZodMiniObject<{
    connection: z.ZodMiniObject<{
        secretRef: z.ZodMiniString<string>;
        secretStore: z.ZodMiniOptional<z.ZodMiniEnum<{
            "secrets-manager": "secrets-manager";
            "parameter-store": "parameter-store";
            "local-vault": "local-vault";
        }>>;
        id: z.ZodMiniString<string>;
        name: z.ZodMiniNullable<z.ZodMiniString<string>>;
        propertyId: z.ZodMiniString<string>;
        propertyName: z.ZodMiniString<string>;
        accountId: z.ZodMiniString<string>;
    }, z.core.$strip>;
    previousDigest: z.ZodMiniString<string>;
    configuration: z.ZodMiniObject<{
        digest: z.ZodMiniString<string>;
        summary: z.ZodMiniObject<{
            spaceCategories: z.ZodMiniNumber<number>;
            synchronizedSpaceCategories: z.ZodMiniNumber<number>;
            ratePlans: z.ZodMiniNumber<number>;
            synchronizedRatePlans: z.ZodMiniNumber<number>;
            inventoryMappings: z.ZodMiniNumber<number>;
            products: z.ZodMiniNumber<number>;
            ageCategories: z.ZodMiniNumber<number>;
            companies: z.ZodMiniNumber<number>;
            travelAgencies: z.ZodMiniNumber<number>;
        }, z.core.$strip>;
        snapshot: z.ZodMiniObject<{
            connectionId: z.ZodMiniString<string>;
            digest: z.ZodMiniString<string>;
        }, z.core.$strip>;
    }, z.core.$strip>;
    diff: z.ZodMiniObject<{
        spaceCategories: z.ZodMiniObject<{
            added: z.ZodMiniArray<z.ZodMiniString<string>>;
            removed: z.ZodMiniArray<z.ZodMiniString<string>>;
            changed: z.ZodMiniArray<z.ZodMiniObject<{
                code: z.ZodMiniString<string>;
                fields: z.ZodMiniRecord<z.ZodMiniString<string>, z.ZodMiniObject<{
                    from: z.ZodMiniUnknown;
                    to: z.ZodMiniUnknown;
                }, z.core.$strip>>;
            }, z.core.$strip>>;
            truncated: z.ZodMiniBoolean<boolean>;
            counts: z.ZodMiniObject<{
                added: z.ZodMiniNumber<number>;
                removed: z.ZodMiniNumber<number>;
                changed: z.ZodMiniNumber<number>;
            }, z.core.$strip>;
        }, z.core.$strip>;
        ratePlans: z.ZodMiniObject<{
            added: z.ZodMiniArray<z.ZodMiniString<string>>;
            removed: z.ZodMiniArray<z.ZodMiniString<string>>;
            changed: z.ZodMiniArray<z.ZodMiniObject<{
                code: z.ZodMiniString<string>;
                fields: z.ZodMiniRecord<z.ZodMiniString<string>, z.ZodMiniObject<{
                    from: z.ZodMiniUnknown;
                    to: z.ZodMiniUnknown;
                }, z.core.$strip>>;
            }, z.core.$strip>>;
            truncated: z.ZodMiniBoolean<boolean>;
            counts: z.ZodMiniObject<{
                added: z.ZodMiniNumber<number>;
                removed: z.ZodMiniNumber<number>;
                changed: z.ZodMiniNumber<number>;
            }, z.core.$strip>;
        }, z.core.$strip>;
        inventoryMappings: z.ZodMiniObject<{
            added: z.ZodMiniArray<z.ZodMiniString<string>>;
            removed: z.ZodMiniArray<z.ZodMiniString<string>>;
            changed: z.ZodMiniArray<z.ZodMiniObject<{
                code: z.ZodMiniString<string>;
                fields: z.ZodMiniRecord<z.ZodMiniString<string>, z.ZodMiniObject<{
                    from: z.ZodMiniUnknown;
                    to: z.ZodMiniUnknown;
                }, z.core.$strip>>;
            }, z.core.$strip>>;
            truncated: z.ZodMiniBoolean<boolean>;
            counts: z.ZodMiniObject<{
                added: z.ZodMiniNumber<number>;
                removed: z.ZodMiniNumber<number>;
                changed: z.ZodMiniNumber<number>;
            }, z.core.$strip>;
        }, z.core.$strip>;
        products: z.ZodMiniObject<{
            added: z.ZodMiniArray<z.ZodMiniString<string>>;
            removed: z.ZodMiniArray<z.ZodMiniString<string>>;
            changed: z.ZodMiniArray<z.ZodMiniObject<{
                code: z.ZodMiniString<string>;
                fields: z.ZodMiniRecord<z.ZodMiniString<string>, z.ZodMiniObject<{
                    from: z.ZodMiniUnknown;
                    to: z.ZodMiniUnknown;
                }, z.core.$strip>>;
            }, z.core.$strip>>;
            truncated: z.ZodMiniBoolean<boolean>;
            counts: z.ZodMiniObject<{
                added: z.ZodMiniNumber<number>;
                removed: z.ZodMiniNumber<number>;
                changed: z.ZodMiniNumber<number>;
            }, z.core.$strip>;
        }, z.core.$strip>;
        productMappings: z.ZodMiniObject<{
            added: z.ZodMiniArray<z.ZodMiniString<string>>;
            removed: z.ZodMiniArray<z.ZodMiniString<string>>;
            changed: z.ZodMiniArray<z.ZodMiniObject<{
                code: z.ZodMiniString<string>;
                fields: z.ZodMiniRecord<z.ZodMiniString<string>, z.ZodMiniObject<{
                    from: z.ZodMiniUnknown;
                    to: z.ZodMiniUnknown;
                }, z.core.$strip>>;
            }, z.core.$strip>>;
            truncated: z.ZodMiniBoolean<boolean>;
            counts: z.ZodMiniObject<{
                added: z.ZodMiniNumber<number>;
                removed: z.ZodMiniNumber<number>;
                changed: z.ZodMiniNumber<number>;
            }, z.core.$strip>;
        }, z.core.$strip>;
        ageCategories: z.ZodMiniObject<{
            added: z.ZodMiniArray<z.ZodMiniString<string>>;
            removed: z.ZodMiniArray<z.ZodMiniString<string>>;
            changed: z.ZodMiniArray<z.ZodMiniObject<{
                code: z.ZodMiniString<string>;
                fields: z.ZodMiniRecord<z.ZodMiniString<string>, z.ZodMiniObject<{
                    from: z.ZodMiniUnknown;
                    to: z.ZodMiniUnknown;
                }, z.core.$strip>>;
            }, z.core.$strip>>;
            truncated: z.ZodMiniBoolean<boolean>;
            counts: z.ZodMiniObject<{
                added: z.ZodMiniNumber<number>;
                removed: z.ZodMiniNumber<number>;
                changed: z.ZodMiniNumber<number>;
            }, z.core.$strip>;
        }, z.core.$strip>;
    }, z.core.$strip>;
    truncated: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
    schemaVersion: z.ZodMiniLiteral<1>;
    eventId: z.ZodMiniString<string>;
    occurredAt: z.iso.ZodMiniISODateTime;
    environment: z.ZodMiniEnum<{
        demo: "demo";
        production: "production";
        simulator: "simulator";
    }>;
}, z.core.$strip>;
export declare const connectionDeactivatedSchema: z.ZodMiniObject<{
    connection: z.ZodMiniObject<{
        secretRef: z.ZodMiniString<string>;
        secretStore: z.ZodMiniOptional<z.ZodMiniEnum<{
            "secrets-manager": "secrets-manager";
            "parameter-store": "parameter-store";
            "local-vault": "local-vault";
        }>>;
        id: z.ZodMiniString<string>;
        name: z.ZodMiniNullable<z.ZodMiniString<string>>;
        propertyId: z.ZodMiniString<string>;
        propertyName: z.ZodMiniString<string>;
        accountId: z.ZodMiniString<string>;
    }, z.core.$strip>;
    code: z.ZodMiniNullable<z.ZodMiniNumber<number>>;
    schemaVersion: z.ZodMiniLiteral<1>;
    eventId: z.ZodMiniString<string>;
    occurredAt: z.iso.ZodMiniISODateTime;
    environment: z.ZodMiniEnum<{
        demo: "demo";
        production: "production";
        simulator: "simulator";
    }>;
}, z.core.$strip>;
export declare const connectionReactivatedSchema: z.ZodMiniObject<{
    connection: z.ZodMiniObject<{
        secretRef: z.ZodMiniString<string>;
        secretStore: z.ZodMiniOptional<z.ZodMiniEnum<{
            "secrets-manager": "secrets-manager";
            "parameter-store": "parameter-store";
            "local-vault": "local-vault";
        }>>;
        id: z.ZodMiniString<string>;
        name: z.ZodMiniNullable<z.ZodMiniString<string>>;
        propertyId: z.ZodMiniString<string>;
        propertyName: z.ZodMiniString<string>;
        accountId: z.ZodMiniString<string>;
    }, z.core.$strip>;
    reason: z.ZodMiniEnum<{
        activated: "activated";
        returned: "returned";
    }>;
    previousStatus: z.ZodMiniEnum<{
        removed: "removed";
        deactivated: "deactivated";
    }>;
    schemaVersion: z.ZodMiniLiteral<1>;
    eventId: z.ZodMiniString<string>;
    occurredAt: z.iso.ZodMiniISODateTime;
    environment: z.ZodMiniEnum<{
        demo: "demo";
        production: "production";
        simulator: "simulator";
    }>;
}, z.core.$strip>;
export declare const connectionRemovedSchema: z.ZodMiniObject<{
    connection: z.ZodMiniObject<{
        secretRef: z.ZodMiniString<string>;
        secretStore: z.ZodMiniOptional<z.ZodMiniEnum<{
            "secrets-manager": "secrets-manager";
            "parameter-store": "parameter-store";
            "local-vault": "local-vault";
        }>>;
        id: z.ZodMiniString<string>;
        name: z.ZodMiniNullable<z.ZodMiniString<string>>;
        propertyId: z.ZodMiniString<string>;
        propertyName: z.ZodMiniString<string>;
        accountId: z.ZodMiniString<string>;
    }, z.core.$strip>;
    secretRecoveryDays: z.ZodMiniNumber<number>;
    schemaVersion: z.ZodMiniLiteral<1>;
    eventId: z.ZodMiniString<string>;
    occurredAt: z.iso.ZodMiniISODateTime;
    environment: z.ZodMiniEnum<{
        demo: "demo";
        production: "production";
        simulator: "simulator";
    }>;
}, z.core.$strip>;
export declare const connectionTokenMovedSchema: z.ZodMiniObject<{
    connection: z.ZodMiniObject<{
        secretRef: z.ZodMiniString<string>;
        secretStore: z.ZodMiniOptional<z.ZodMiniEnum<{
            "secrets-manager": "secrets-manager";
            "parameter-store": "parameter-store";
            "local-vault": "local-vault";
        }>>;
        id: z.ZodMiniString<string>;
        name: z.ZodMiniNullable<z.ZodMiniString<string>>;
        propertyId: z.ZodMiniString<string>;
        propertyName: z.ZodMiniString<string>;
        accountId: z.ZodMiniString<string>;
    }, z.core.$strip>;
    status: z.ZodMiniEnum<{
        removed: "removed";
        deactivated: "deactivated";
        discovered: "discovered";
        provisioned: "provisioned";
    }>;
    previous: z.ZodMiniObject<{
        secretRef: z.ZodMiniString<string>;
        secretStore: z.ZodMiniEnum<{
            "secrets-manager": "secrets-manager";
            "parameter-store": "parameter-store";
            "local-vault": "local-vault";
        }>;
        deletedAfter: z.iso.ZodMiniISODateTime;
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
