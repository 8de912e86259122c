import * as z from 'zod';

/** Building blocks every event detail shares. Bump SCHEMA_VERSION on a breaking change. */
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

export const connectionRefSchema = z.object({
  id: z.string().regex(/^con_[0-9a-f]{24}$/),
  name: z.string().nullable(),
  propertyId: z.string(),
  propertyName: z.string(),
  accountId: z.string().regex(/^acc_[0-9a-f]{16}$/),
  /** Secrets Manager ARN (or local vault reference) of the connection token. Never the token. */
  secretRef: z.string(),
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

export const snapshotRefSchema = z.object({ connectionId: z.string(), digest: z.string() });

/** The connection as events describe it. */
export function connectionRef(
  connection: {
    id: string;
    name: string | null;
    propertyId: string;
    propertyName: string;
    secretRef: string | null;
  },
  accountId: string,
): z.infer<typeof connectionRefSchema> {
  return {
    id: connection.id,
    name: connection.name,
    propertyId: connection.propertyId,
    propertyName: connection.propertyName,
    accountId,
    secretRef: connection.secretRef ?? '',
  };
}

export const configurationRefSchema = z.object({
  digest: z.string(),
  summary: configurationSummarySchema,
  snapshot: snapshotRefSchema,
});
