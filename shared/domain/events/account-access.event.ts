import type * as z from 'zod';
import {
  ACCOUNT_ACCESS_FAILED,
  ACCOUNT_ACCESS_RESTORED,
  accountAccessFailedSchema,
  accountAccessRestoredSchema,
} from '../../../packages/events/src/account-events.js';
import { eventIdFor } from '../identity.js';
import type { Account, OutboxEvent } from '../model.js';
import { accountRef, capText, type MewsEnvironment, SCHEMA_VERSION } from './event-parts.js';

export { ACCOUNT_ACCESS_FAILED, ACCOUNT_ACCESS_RESTORED };

type AccountAccessFailed = z.infer<typeof accountAccessFailedSchema>;
type AccountAccessRestored = z.infer<typeof accountAccessRestoredSchema>;

/**
 * Once per transition into failing. `version` is the account's accessVersion after the
 * transition, so a replay of the same transition carries the same id; the registration id
 * keeps an account registered again (whose version restarts) from reusing an old id.
 */
export function accountAccessFailed(input: {
  account: Account;
  version: number;
  code: number | null;
  message: string;
  environment: MewsEnvironment;
  at: string;
}): OutboxEvent {
  const detail: AccountAccessFailed = {
    schemaVersion: SCHEMA_VERSION,
    eventId: eventIdFor(ACCOUNT_ACCESS_FAILED, input.account.id, input.account.registration, input.version),
    occurredAt: input.at,
    environment: input.environment,
    account: accountRef(input.account),
    error: { code: input.code, message: capText(input.message) },
  };
  return {
    eventId: detail.eventId,
    detailType: ACCOUNT_ACCESS_FAILED,
    subject: input.account.id,
    time: input.at,
    detail: accountAccessFailedSchema.parse(detail),
  };
}

export function accountAccessRestored(input: {
  account: Account;
  version: number;
  failingSince: string;
  environment: MewsEnvironment;
  at: string;
}): OutboxEvent {
  const detail: AccountAccessRestored = {
    schemaVersion: SCHEMA_VERSION,
    eventId: eventIdFor(ACCOUNT_ACCESS_RESTORED, input.account.id, input.account.registration, input.version),
    occurredAt: input.at,
    environment: input.environment,
    account: accountRef(input.account),
    failingSince: input.failingSince,
  };
  return {
    eventId: detail.eventId,
    detailType: ACCOUNT_ACCESS_RESTORED,
    subject: input.account.id,
    time: input.at,
    detail: accountAccessRestoredSchema.parse(detail),
  };
}
