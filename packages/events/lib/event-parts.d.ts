import * as z from 'zod';
/** Building blocks every event detail shares. Bumped on a breaking change only. */
export declare const SCHEMA_VERSION = 1;
export declare const environmentSchema: z.ZodEnum<{
    demo: "demo";
    production: "production";
    simulator: "simulator";
}>;
export type MewsEnvironment = z.infer<typeof environmentSchema>;
export declare const eventBase: {
    schemaVersion: z.ZodLiteral<1>;
    /** Deterministic: the same fact always carries the same id; drop duplicates by it. */
    eventId: z.ZodString;
    occurredAt: z.ZodISODateTime;
    environment: z.ZodEnum<{
        demo: "demo";
        production: "production";
        simulator: "simulator";
    }>;
};
export declare const connectionRefSchema: z.ZodObject<{
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
export declare const accountRefSchema: z.ZodObject<{
    id: z.ZodString;
    label: z.ZodNullable<z.ZodString>;
    maskedEmail: z.ZodString;
}, z.core.$strip>;
export declare const configurationSummarySchema: z.ZodObject<{
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
/** The stored full configuration: `provisioner connections show <connectionId> --configuration <digest>`. */
export declare const snapshotRefSchema: z.ZodObject<{
    connectionId: z.ZodString;
    digest: z.ZodString;
}, z.core.$strip>;
export declare const configurationRefSchema: z.ZodObject<{
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
/** What every integration event says about the integration. Never its access token. */
export declare const integrationRefSchema: z.ZodObject<{
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
export declare const namedRefSchema: z.ZodObject<{
    id: z.ZodString;
    name: z.ZodString;
}, z.core.$strip>;
export declare const enterpriseConfigurationSchema: z.ZodObject<{
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
}, z.core.$strip>;
