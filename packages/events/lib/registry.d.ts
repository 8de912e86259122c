import type * as z from 'zod';
/** Every event the provisioner publishes: detail-type -> detail schema. The public contract. */
export declare const eventRegistry: {
    readonly "Connection Provisioned": z.ZodObject<{
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
    readonly "Connection Provisioning Failed": z.ZodObject<{
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
    readonly "Connection Configuration Changed": z.ZodObject<{
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
    readonly "Connection Deactivated": z.ZodObject<{
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
    readonly "Connection Reactivated": z.ZodObject<{
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
    readonly "Connection Removed": z.ZodObject<{
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
    readonly "Account Access Failed": z.ZodObject<{
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
    readonly "Account Access Restored": z.ZodObject<{
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
    readonly "Account Anomaly": z.ZodObject<{
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
    readonly "Integration Provisioned": z.ZodObject<{
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
    readonly "Integration Enabled": z.ZodObject<{
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
    readonly "Integration Disabled": z.ZodObject<{
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
    readonly "Integration Canceled": z.ZodObject<{
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
    readonly "Integration Reinstated": z.ZodObject<{
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
    readonly "Integration Deleted": z.ZodObject<{
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
export declare function describeIssues(error: z.ZodError, prefix?: readonly string[]): string[];
/** Validates a detail against its detail-type's schema; throws an EventParseError naming the bad fields. */
export declare function parseEventDetail<T extends DetailType>(detailType: T, detail: unknown): EventDetail<T>;
export declare function parseEventDetail(detailType: string, detail: unknown): EventDetail;
