import * as z from 'zod/mini';
/** Every event the provisioner publishes: detail-type -> detail schema. The public contract. */
export declare const eventRegistry: {
    readonly "Connection Provisioned": z.ZodMiniObject<{
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
    readonly "Connection Provisioning Failed": z.ZodMiniObject<{
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
    readonly "Connection Configuration Changed": z.ZodMiniObject<{
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
    readonly "Connection Deactivated": z.ZodMiniObject<{
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
    readonly "Connection Reactivated": z.ZodMiniObject<{
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
    readonly "Connection Removed": z.ZodMiniObject<{
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
    readonly "Connection Token Moved": z.ZodMiniObject<{
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
    readonly "Account Access Failed": z.ZodMiniObject<{
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
    readonly "Account Access Restored": z.ZodMiniObject<{
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
    readonly "Account Anomaly": z.ZodMiniObject<{
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
    readonly "Integration Provisioned": z.ZodMiniObject<{
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
    readonly "Integration Enabled": z.ZodMiniObject<{
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
    readonly "Integration Disabled": z.ZodMiniObject<{
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
    readonly "Integration Canceled": z.ZodMiniObject<{
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
    readonly "Integration Reinstated": z.ZodMiniObject<{
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
    readonly "Integration Deleted": z.ZodMiniObject<{
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
    readonly "Integration Token Moved": z.ZodMiniObject<{
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
};
export type DetailType = keyof typeof eventRegistry;
/** The `detail` of an event of that detail-type (of any, without one). */
export type EventDetail<T extends DetailType = DetailType> = z.output<(typeof eventRegistry)[T]>;
export declare const DETAIL_TYPES: DetailType[];
export declare function isDetailType(value: unknown): value is DetailType;
/** An event the kit cannot read. `issues` name the fields (`detail.connection.id: …`), never their values. */
export declare class EventParseError extends Error {
    readonly issues: string[];
    readonly name = "EventParseError";
    constructor(issues: string[], what: string);
}
/** Zod issues as `path: message`; zod's messages say what was expected, not the value received. */
export declare function describeIssues(error: z.core.$ZodError, prefix?: readonly string[]): string[];
/** Validates a detail against its detail-type's schema; throws an EventParseError naming the bad fields. */
export declare function parseEventDetail<T extends DetailType>(detailType: T, detail: unknown): EventDetail<T>;
export declare function parseEventDetail(detailType: string, detail: unknown): EventDetail;
