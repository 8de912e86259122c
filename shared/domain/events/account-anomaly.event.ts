import type * as z from 'zod';
import { ACCOUNT_ANOMALY, accountAnomalySchema } from '../../../packages/events/src/account-events.js';
import { eventIdFor } from '../identity.js';
import type { Account, OutboxEvent } from '../model.js';
import { accountRef, type MewsEnvironment, SCHEMA_VERSION } from './event-parts.js';

export { ACCOUNT_ANOMALY };

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
