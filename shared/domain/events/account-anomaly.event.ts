import * as z from 'zod';
import { eventIdFor } from '../identity.js';
import type { Account, OutboxEvent } from '../model.js';
import {
  accountRef,
  accountRefSchema,
  eventBase,
  type MewsEnvironment,
  SCHEMA_VERSION,
} from './event-parts.js';

export const ACCOUNT_ANOMALY = 'Account Anomaly';

export const accountAnomalySchema = z.object({
  ...eventBase,
  account: accountRefSchema,
  /** Connections the account listed before that its latest (successful) answer lacks. */
  missing: z.number().int(),
  known: z.number().int(),
  /** Removals wait until the listing recovers or an operator runs `accounts release`. */
  action: z.literal('removals-held'),
});

export function accountAnomaly(input: {
  account: Account;
  missing: number;
  known: number;
  environment: MewsEnvironment;
  at: string;
}): OutboxEvent {
  const { account } = input;
  const detail: z.infer<typeof accountAnomalySchema> = {
    schemaVersion: SCHEMA_VERSION,
    eventId: eventIdFor(ACCOUNT_ANOMALY, account.id, account.registration, input.at),
    occurredAt: input.at,
    environment: input.environment,
    account: accountRef(account),
    missing: input.missing,
    known: input.known,
    action: 'removals-held',
  };
  return {
    eventId: detail.eventId,
    detailType: ACCOUNT_ANOMALY,
    subject: account.id,
    time: input.at,
    detail: accountAnomalySchema.parse(detail),
  };
}
