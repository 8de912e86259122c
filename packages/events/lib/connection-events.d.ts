import * as z from 'zod';
export declare const CONNECTION_PROVISIONED = "Connection Provisioned";
export declare const CONNECTION_PROVISIONING_FAILED = "Connection Provisioning Failed";
export declare const CONNECTION_CONFIGURATION_CHANGED = "Connection Configuration Changed";
export declare const CONNECTION_DEACTIVATED = "Connection Deactivated";
export declare const CONNECTION_REACTIVATED = "Connection Reactivated";
export declare const CONNECTION_REMOVED = "Connection Removed";
export declare const connectionProvisionedSchema: z.ZodObject<{
    connection: z.ZodObject<{
        secretRef: z.ZodString;
        secretStore: z.ZodOptional<z.ZodEnum<{
            "secrets-manager": "secrets-manager";
            "parameter-store": "parameter-store";
            "local-vault": "local-vault";
        }>>;
        id: z.ZodString;
        name: z.ZodNullable<z.ZodString>;
        propertyId: z.ZodString;
        propertyName: z.ZodString;
        accountId: z.ZodString;
    }, z.core.$strip>;
    configuration: z.ZodObject<{
        digest: z.ZodString;
        summary: z.ZodObject<{
            spaceCategories: z.ZodNumber;
            synchronizedSpaceCategories: z.ZodNumber;
            ratePlans: z.ZodNumber;
            synchronizedRatePlans: z.ZodNumber;
            inventoryMappings: z.ZodNumber;
            products: z.ZodNumber;
            ageCategories: z.ZodNumber;
            companies: z.ZodNumber;
            travelAgencies: z.ZodNumber;
        }, z.core.$strip>;
        snapshot: z.ZodObject<{
            connectionId: z.ZodString;
            digest: z.ZodString;
        }, z.core.$strip>;
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
export declare const connectionProvisioningFailedSchema: z.ZodObject<{
    connection: z.ZodObject<{
        secretRef: z.ZodString;
        secretStore: z.ZodOptional<z.ZodEnum<{
            "secrets-manager": "secrets-manager";
            "parameter-store": "parameter-store";
            "local-vault": "local-vault";
        }>>;
        id: z.ZodString;
        name: z.ZodNullable<z.ZodString>;
        propertyId: z.ZodString;
        propertyName: z.ZodString;
        accountId: z.ZodString;
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
export declare const connectionConfigurationChangedSchema: z.ZodObject<{
    connection: z.ZodObject<{
        secretRef: z.ZodString;
        secretStore: z.ZodOptional<z.ZodEnum<{
            "secrets-manager": "secrets-manager";
            "parameter-store": "parameter-store";
            "local-vault": "local-vault";
        }>>;
        id: z.ZodString;
        name: z.ZodNullable<z.ZodString>;
        propertyId: z.ZodString;
        propertyName: z.ZodString;
        accountId: z.ZodString;
    }, z.core.$strip>;
    previousDigest: z.ZodString;
    configuration: z.ZodObject<{
        digest: z.ZodString;
        summary: z.ZodObject<{
            spaceCategories: z.ZodNumber;
            synchronizedSpaceCategories: z.ZodNumber;
            ratePlans: z.ZodNumber;
            synchronizedRatePlans: z.ZodNumber;
            inventoryMappings: z.ZodNumber;
            products: z.ZodNumber;
            ageCategories: z.ZodNumber;
            companies: z.ZodNumber;
            travelAgencies: z.ZodNumber;
        }, z.core.$strip>;
        snapshot: z.ZodObject<{
            connectionId: z.ZodString;
            digest: z.ZodString;
        }, z.core.$strip>;
    }, z.core.$strip>;
    diff: z.ZodObject<{
        spaceCategories: z.ZodObject<{
            added: z.ZodArray<z.ZodString>;
            removed: z.ZodArray<z.ZodString>;
            changed: z.ZodArray<z.ZodObject<{
                code: z.ZodString;
                fields: z.ZodRecord<z.ZodString, z.ZodObject<{
                    from: z.ZodUnknown;
                    to: z.ZodUnknown;
                }, z.core.$strip>>;
            }, z.core.$strip>>;
            truncated: z.ZodBoolean;
            counts: z.ZodObject<{
                added: z.ZodNumber;
                removed: z.ZodNumber;
                changed: z.ZodNumber;
            }, z.core.$strip>;
        }, z.core.$strip>;
        ratePlans: z.ZodObject<{
            added: z.ZodArray<z.ZodString>;
            removed: z.ZodArray<z.ZodString>;
            changed: z.ZodArray<z.ZodObject<{
                code: z.ZodString;
                fields: z.ZodRecord<z.ZodString, z.ZodObject<{
                    from: z.ZodUnknown;
                    to: z.ZodUnknown;
                }, z.core.$strip>>;
            }, z.core.$strip>>;
            truncated: z.ZodBoolean;
            counts: z.ZodObject<{
                added: z.ZodNumber;
                removed: z.ZodNumber;
                changed: z.ZodNumber;
            }, z.core.$strip>;
        }, z.core.$strip>;
        inventoryMappings: z.ZodObject<{
            added: z.ZodArray<z.ZodString>;
            removed: z.ZodArray<z.ZodString>;
            changed: z.ZodArray<z.ZodObject<{
                code: z.ZodString;
                fields: z.ZodRecord<z.ZodString, z.ZodObject<{
                    from: z.ZodUnknown;
                    to: z.ZodUnknown;
                }, z.core.$strip>>;
            }, z.core.$strip>>;
            truncated: z.ZodBoolean;
            counts: z.ZodObject<{
                added: z.ZodNumber;
                removed: z.ZodNumber;
                changed: z.ZodNumber;
            }, z.core.$strip>;
        }, z.core.$strip>;
        products: z.ZodObject<{
            added: z.ZodArray<z.ZodString>;
            removed: z.ZodArray<z.ZodString>;
            changed: z.ZodArray<z.ZodObject<{
                code: z.ZodString;
                fields: z.ZodRecord<z.ZodString, z.ZodObject<{
                    from: z.ZodUnknown;
                    to: z.ZodUnknown;
                }, z.core.$strip>>;
            }, z.core.$strip>>;
            truncated: z.ZodBoolean;
            counts: z.ZodObject<{
                added: z.ZodNumber;
                removed: z.ZodNumber;
                changed: z.ZodNumber;
            }, z.core.$strip>;
        }, z.core.$strip>;
        productMappings: z.ZodObject<{
            added: z.ZodArray<z.ZodString>;
            removed: z.ZodArray<z.ZodString>;
            changed: z.ZodArray<z.ZodObject<{
                code: z.ZodString;
                fields: z.ZodRecord<z.ZodString, z.ZodObject<{
                    from: z.ZodUnknown;
                    to: z.ZodUnknown;
                }, z.core.$strip>>;
            }, z.core.$strip>>;
            truncated: z.ZodBoolean;
            counts: z.ZodObject<{
                added: z.ZodNumber;
                removed: z.ZodNumber;
                changed: z.ZodNumber;
            }, z.core.$strip>;
        }, z.core.$strip>;
        ageCategories: z.ZodObject<{
            added: z.ZodArray<z.ZodString>;
            removed: z.ZodArray<z.ZodString>;
            changed: z.ZodArray<z.ZodObject<{
                code: z.ZodString;
                fields: z.ZodRecord<z.ZodString, z.ZodObject<{
                    from: z.ZodUnknown;
                    to: z.ZodUnknown;
                }, z.core.$strip>>;
            }, z.core.$strip>>;
            truncated: z.ZodBoolean;
            counts: z.ZodObject<{
                added: z.ZodNumber;
                removed: z.ZodNumber;
                changed: z.ZodNumber;
            }, z.core.$strip>;
        }, z.core.$strip>;
    }, z.core.$strip>;
    truncated: z.ZodOptional<z.ZodBoolean>;
    schemaVersion: z.ZodLiteral<1>;
    eventId: z.ZodString;
    occurredAt: z.ZodISODateTime;
    environment: z.ZodEnum<{
        demo: "demo";
        production: "production";
        simulator: "simulator";
    }>;
}, z.core.$strip>;
export declare const connectionDeactivatedSchema: z.ZodObject<{
    connection: z.ZodObject<{
        secretRef: z.ZodString;
        secretStore: z.ZodOptional<z.ZodEnum<{
            "secrets-manager": "secrets-manager";
            "parameter-store": "parameter-store";
            "local-vault": "local-vault";
        }>>;
        id: z.ZodString;
        name: z.ZodNullable<z.ZodString>;
        propertyId: z.ZodString;
        propertyName: z.ZodString;
        accountId: z.ZodString;
    }, z.core.$strip>;
    code: z.ZodNullable<z.ZodNumber>;
    schemaVersion: z.ZodLiteral<1>;
    eventId: z.ZodString;
    occurredAt: z.ZodISODateTime;
    environment: z.ZodEnum<{
        demo: "demo";
        production: "production";
        simulator: "simulator";
    }>;
}, z.core.$strip>;
export declare const connectionReactivatedSchema: z.ZodObject<{
    connection: z.ZodObject<{
        secretRef: z.ZodString;
        secretStore: z.ZodOptional<z.ZodEnum<{
            "secrets-manager": "secrets-manager";
            "parameter-store": "parameter-store";
            "local-vault": "local-vault";
        }>>;
        id: z.ZodString;
        name: z.ZodNullable<z.ZodString>;
        propertyId: z.ZodString;
        propertyName: z.ZodString;
        accountId: z.ZodString;
    }, z.core.$strip>;
    reason: z.ZodEnum<{
        activated: "activated";
        returned: "returned";
    }>;
    previousStatus: z.ZodEnum<{
        removed: "removed";
        deactivated: "deactivated";
    }>;
    schemaVersion: z.ZodLiteral<1>;
    eventId: z.ZodString;
    occurredAt: z.ZodISODateTime;
    environment: z.ZodEnum<{
        demo: "demo";
        production: "production";
        simulator: "simulator";
    }>;
}, z.core.$strip>;
export declare const connectionRemovedSchema: z.ZodObject<{
    connection: z.ZodObject<{
        secretRef: z.ZodString;
        secretStore: z.ZodOptional<z.ZodEnum<{
            "secrets-manager": "secrets-manager";
            "parameter-store": "parameter-store";
            "local-vault": "local-vault";
        }>>;
        id: z.ZodString;
        name: z.ZodNullable<z.ZodString>;
        propertyId: z.ZodString;
        propertyName: z.ZodString;
        accountId: z.ZodString;
    }, z.core.$strip>;
    secretRecoveryDays: z.ZodNumber;
    schemaVersion: z.ZodLiteral<1>;
    eventId: z.ZodString;
    occurredAt: z.ZodISODateTime;
    environment: z.ZodEnum<{
        demo: "demo";
        production: "production";
        simulator: "simulator";
    }>;
}, z.core.$strip>;
