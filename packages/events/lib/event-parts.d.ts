import * as z from 'zod/mini';
/** Building blocks every event detail shares. Bumped on a breaking change only. */
export declare const SCHEMA_VERSION = 1;
export declare const environmentSchema: z.ZodMiniEnum<{
    demo: "demo";
    production: "production";
    simulator: "simulator";
}>;
export type MewsEnvironment = z.infer<typeof environmentSchema>;
export declare const eventBase: {
    schemaVersion: z.ZodMiniLiteral<1>;
    /** Deterministic: the same fact always carries the same id; drop duplicates by it. */
    eventId: z.ZodMiniString<string>;
    occurredAt: z.iso.ZodMiniISODateTime;
    environment: z.ZodMiniEnum<{
        demo: "demo";
        production: "production";
        simulator: "simulator";
    }>;
};
/**
 * Where a moved token was (`Connection Token Moved`, `Integration Token Moved`). The migration
 * schedules that copy's deletion once every token has moved; from then on it cannot be read
 * (Secrets Manager refuses a secret scheduled for deletion; Parameter Store's copy is moved out of
 * the readable paths), and it is deleted for good when its recovery window ends.
 */
export declare const previousTokenSchema: z.ZodMiniObject<{
    secretRef: z.ZodMiniString<string>;
    secretStore: z.ZodMiniEnum<{
        "secrets-manager": "secrets-manager";
        "parameter-store": "parameter-store";
        "local-vault": "local-vault";
    }>;
    deletedAfter: z.iso.ZodMiniISODateTime;
}, z.core.$strip>;
export declare const connectionRefSchema: z.ZodMiniObject<{
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
export declare const accountRefSchema: z.ZodMiniObject<{
    id: z.ZodMiniString<string>;
    label: z.ZodMiniNullable<z.ZodMiniString<string>>;
    maskedEmail: z.ZodMiniString<string>;
}, z.core.$strip>;
export declare const configurationSummarySchema: z.ZodMiniObject<{
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
/** The stored full configuration: `provisioner connections show <connectionId> --configuration <digest>`. */
export declare const snapshotRefSchema: z.ZodMiniObject<{
    connectionId: z.ZodMiniString<string>;
    digest: z.ZodMiniString<string>;
}, z.core.$strip>;
export declare const configurationRefSchema: z.ZodMiniObject<{
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
/** What every integration event says about the integration. Never its access token. */
export declare const integrationRefSchema: z.ZodMiniObject<{
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
export declare const namedRefSchema: z.ZodMiniObject<{
    id: z.ZodMiniString<string>;
    name: z.ZodMiniString<string>;
}, z.core.$strip>;
export declare const enterpriseConfigurationSchema: z.ZodMiniObject<{
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
}, z.core.$strip>;
