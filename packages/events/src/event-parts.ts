import * as z from 'zod';
import { secretStoreSchema } from './secret-store.js';

/** Building blocks every event detail shares. Bumped on a breaking change only. */
export const SCHEMA_VERSION = 1;

export const environmentSchema = z.enum(['demo', 'production', 'simulator']);
export type MewsEnvironment = z.infer<typeof environmentSchema>;

export const eventBase = {
  schemaVersion: z.literal(SCHEMA_VERSION),
  /** Deterministic: the same fact always carries the same id; drop duplicates by it. */
  eventId: z.string().regex(/^evt_[0-9a-f]{32}$/),
  occurredAt: z.iso.datetime(),
  environment: environmentSchema,
};

/** Where a token is: its reference (never the token) and, since it was added, the store that holds it. */
const secretLocation = {
  /** A Secrets Manager SecretId, a Parameter Store parameter name, or `local-vault:<id>` locally. */
  secretRef: z.string(),
  /** The store `secretRef` is in. Absent in events published before it existed: see `secretStoreOf`. */
  secretStore: secretStoreSchema.optional(),
};

export const connectionRefSchema = z.object({
  id: z.string().regex(/^con_[0-9a-f]{24}$/),
  name: z.string().nullable(),
  propertyId: z.string(),
  propertyName: z.string(),
  accountId: z.string().regex(/^acc_[0-9a-f]{16}$/),
  ...secretLocation,
});

export const accountRefSchema = z.object({
  id: z.string().regex(/^acc_[0-9a-f]{16}$/),
  label: z.string().nullable(),
  /** e.g. r*******@s*****.example: enough to recognise, not to contact. */
  maskedEmail: z.string(),
});

export const configurationSummarySchema = z.object({
  spaceCategories: z.number().int(),
  synchronizedSpaceCategories: z.number().int(),
  ratePlans: z.number().int(),
  synchronizedRatePlans: z.number().int(),
  inventoryMappings: z.number().int(),
  products: z.number().int(),
  ageCategories: z.number().int(),
  companies: z.number().int(),
  travelAgencies: z.number().int(),
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
  id: z.string().regex(/^int_[0-9a-f]{24}$/),
  /** Mews' own integration id. */
  mewsId: z.string(),
  name: z.string(),
  ...secretLocation,
});

export const namedRefSchema = z.object({ id: z.string(), name: z.string() });

export const enterpriseConfigurationSchema = z.object({
  id: z.string(),
  name: z.string(),
  chainId: z.string().nullable(),
  timeZoneIdentifier: z.string().nullable(),
  defaultLanguageCode: z.string().nullable(),
  legalEnvironmentCode: z.string().nullable(),
  pricing: z.string().nullable(),
  countryCode: z.string().nullable(),
  currencies: z.array(z.object({ currency: z.string(), isDefault: z.boolean(), isEnabled: z.boolean() })),
});
