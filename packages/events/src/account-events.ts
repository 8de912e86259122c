import * as z from 'zod/mini';
import { accountRefSchema, eventBase } from './event-parts.js';

export const ACCOUNT_ACCESS_FAILED = 'Account Access Failed';
export const ACCOUNT_ACCESS_RESTORED = 'Account Access Restored';
export const ACCOUNT_ANOMALY = 'Account Anomaly';

export const accountAccessFailedSchema = z.object({
  ...eventBase,
  account: accountRefSchema,
  error: z.object({
    /** The Mews error code (8: the email is not a verified employee, or the client token is wrong). */
    code: z.nullable(z.number().check(z.int())),
    message: z.string(),
  }),
});

export const accountAccessRestoredSchema = z.object({
  ...eventBase,
  account: accountRefSchema,
  failingSince: z.iso.datetime(),
});

export const accountAnomalySchema = z.object({
  ...eventBase,
  account: accountRefSchema,
  /** Connections the account listed before that its latest (successful) answer lacks. */
  missing: z.number().check(z.int()),
  known: z.number().check(z.int()),
  /** Removals wait until the listing recovers or an operator runs `accounts release`. */
  action: z.literal('removals-held'),
});
