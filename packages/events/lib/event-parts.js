import * as z from 'zod/mini';
import { secretStoreSchema } from './secret-store.js';
/** Building blocks every event detail shares. Bumped on a breaking change only. */
export const SCHEMA_VERSION = 1;
export const environmentSchema = z.enum(['demo', 'production', 'simulator']);
export const eventBase = {
    schemaVersion: z.literal(SCHEMA_VERSION),
    /** Deterministic: the same fact always carries the same id; drop duplicates by it. */
    eventId: z.string().check(z.regex(/^evt_[0-9a-f]{32}$/)),
    occurredAt: z.iso.datetime(),
    environment: environmentSchema,
};
/** Where a token is: its reference (never the token) and, since it was added, the store that holds it. */
const secretLocation = {
    /** A Secrets Manager SecretId, a Parameter Store parameter name, or `local-vault:<id>` locally. */
    secretRef: z.string(),
    /** The store `secretRef` is in. Absent in events published before it existed: see `secretStoreOf`. */
    secretStore: z.optional(secretStoreSchema),
};
/**
 * Where a moved token was (`Connection Token Moved`, `Integration Token Moved`). The migration
 * schedules that copy's deletion once every token has moved; from then on it cannot be read
 * (Secrets Manager refuses a secret scheduled for deletion; Parameter Store's copy is moved out of
 * the readable paths), and it is deleted for good when its recovery window ends.
 */
export const previousTokenSchema = z.object({
    secretRef: z.string(),
    secretStore: secretStoreSchema,
    /** The end of the old copy's recovery window at the earliest (a window starts when it is scheduled). */
    deletedAfter: z.iso.datetime(),
});
export const connectionRefSchema = z.object({
    id: z.string().check(z.regex(/^con_[0-9a-f]{24}$/)),
    name: z.nullable(z.string()),
    propertyId: z.string(),
    propertyName: z.string(),
    accountId: z.string().check(z.regex(/^acc_[0-9a-f]{16}$/)),
    ...secretLocation,
});
export const accountRefSchema = z.object({
    id: z.string().check(z.regex(/^acc_[0-9a-f]{16}$/)),
    label: z.nullable(z.string()),
    /** e.g. r*******@s*****.example: enough to recognise, not to contact. */
    maskedEmail: z.string(),
});
export const configurationSummarySchema = z.object({
    spaceCategories: z.number().check(z.int()),
    synchronizedSpaceCategories: z.number().check(z.int()),
    ratePlans: z.number().check(z.int()),
    synchronizedRatePlans: z.number().check(z.int()),
    inventoryMappings: z.number().check(z.int()),
    products: z.number().check(z.int()),
    ageCategories: z.number().check(z.int()),
    companies: z.number().check(z.int()),
    travelAgencies: z.number().check(z.int()),
});
/** The stored full configuration: `provisioner connections show <connectionId> --configuration <digest>`. */
export const snapshotRefSchema = z.object({ connectionId: z.string(), digest: z.string() });
export const configurationRefSchema = z.object({
    digest: z.string(),
    summary: configurationSummarySchema,
    snapshot: snapshotRefSchema,
});
/** What every integration event says about the integration. Never its access token. */
export const integrationRefSchema = z.object({
    /** `int_` + 24 hex digits, derived from Mews' integration id. */
    id: z.string().check(z.regex(/^int_[0-9a-f]{24}$/)),
    /** Mews' own integration id. */
    mewsId: z.string(),
    name: z.string(),
    ...secretLocation,
});
export const namedRefSchema = z.object({ id: z.string(), name: z.string() });
export const enterpriseConfigurationSchema = z.object({
    id: z.string(),
    name: z.string(),
    chainId: z.nullable(z.string()),
    timeZoneIdentifier: z.nullable(z.string()),
    defaultLanguageCode: z.nullable(z.string()),
    legalEnvironmentCode: z.nullable(z.string()),
    pricing: z.nullable(z.string()),
    countryCode: z.nullable(z.string()),
    currencies: z.array(z.object({ currency: z.string(), isDefault: z.boolean(), isEnabled: z.boolean() })),
});
