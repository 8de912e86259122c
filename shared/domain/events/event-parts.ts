import * as z from 'zod';
import { maskEmail } from '../mask-email.js';

/** Building blocks every event detail shares. Bump SCHEMA_VERSION on a breaking change. */
export const SCHEMA_VERSION = 1;

const environmentSchema = z.enum(['demo', 'production', 'simulator']);
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

/** The account as events describe it: the email masked, the label capped. */
export function accountRef(account: {
  id: string;
  label: string | null;
  email: string;
}): z.infer<typeof accountRefSchema> {
  return { id: account.id, label: capText(account.label), maskedEmail: capText(maskEmail(account.email)) };
}

/**
 * Longest free text an event carries (names, labels, messages and ids as Mews or an operator gave
 * them): 1,000 characters, so that no event outgrows its EventBridge entry whatever Mews sends.
 * Longer text is cut and ends in `…`.
 */
export const MAX_TEXT_LENGTH = 1_000;

/** Longest code (a currency, a language) an event carries as Mews sent it. */
export const MAX_CODE_LENGTH = 32;

export function capText(text: string, max?: number): string;
export function capText(text: string | null, max?: number): string | null;
export function capText(text: string | null, max = MAX_TEXT_LENGTH): string | null {
  if (text === null || text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  // Do not leave half of a surrogate pair behind.
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** The connection as events describe it (free text capped, see MAX_TEXT_LENGTH). */
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
    name: capText(connection.name),
    propertyId: capText(connection.propertyId),
    propertyName: capText(connection.propertyName),
    accountId,
    secretRef: connection.secretRef ?? '',
  };
}

export const configurationRefSchema = z.object({
  digest: z.string(),
  summary: configurationSummarySchema,
  snapshot: snapshotRefSchema,
});
