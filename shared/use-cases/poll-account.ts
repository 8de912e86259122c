import { accountAccessFailed, accountAccessRestored } from '../domain/events/account-access.event.js';
import { diffListing, type ListedEntry, listedEntries } from '../domain/listing-diff.js';
import { maskEmail } from '../domain/mask-email.js';
import type { Account, AccountId, Discovery } from '../domain/model.js';
import { mapLimit } from '../lib/map-limit.js';
import { isTransient, MewsError } from '../mews/errors.js';
import type { UseCaseDeps } from './use-case-deps.js';

export type PollOutcome =
  | { status: 'unknown-account' }
  | { status: 'access-failed'; code: number | null; newlyFailing: boolean }
  | {
      status: 'polled';
      listed: number;
      discovered: number;
      resent: number;
      missing: number;
      returned: number;
    };

type Deps = Pick<UseCaseDeps, 'store' | 'mews' | 'vault' | 'syncs' | 'clock' | 'logger' | 'environment'>;

/** Secrets Manager calls in flight at once while storing a big account's new tokens. */
const VAULT_CONCURRENCY = 8;

/**
 * Polls one account: getProperties, compare with what the account listed before, store the
 * tokens of new connections, record them, and queue their sync. Steady state (nothing new)
 * costs one read and one Mews call and writes nothing.
 *
 * Transient Mews failures throw, so the queue retries the message; permanent ones mark the
 * account failing once. A failed or malformed answer never changes what the account lists.
 */
export async function pollAccount(input: { accountId: AccountId }, deps: Deps): Promise<PollOutcome> {
  const { store, mews, logger } = deps;
  const view = await store.getAccountView(input.accountId);
  if (!view) {
    logger.warn('account no longer registered; poll dropped', { accountId: input.accountId });
    return { status: 'unknown-account' };
  }
  const { account, memberships } = view;

  let entries: ListedEntry[];
  try {
    entries = listedEntries(await mews.getProperties(account.email));
  } catch (error) {
    if (error instanceof MewsError && !isTransient(error)) return markFailing(account, error, deps);
    throw error;
  }
  if (account.access.status === 'failing') await markRestored(account, deps);

  const diff = diffListing(entries, memberships);
  const at = deps.clock.now().toISOString();

  const discoveries = await mapLimit(diff.added, VAULT_CONCURRENCY, async (entry): Promise<Discovery> => {
    const { ref } = await deps.vault.put(entry.connectionId, entry.token);
    return {
      connectionId: entry.connectionId,
      propertyId: entry.propertyId,
      propertyName: entry.propertyName,
      connectionName: entry.connectionName,
      secretRef: ref,
    };
  });
  if (discoveries.length > 0) await store.recordDiscoveries(account.id, discoveries, at);

  const missingCounts = [
    ...diff.missing.map((m) => ({ connectionId: m.connectionId, missingPolls: m.missingPolls + 1 })),
    ...diff.returned.map((m) => ({ connectionId: m.connectionId, missingPolls: 0 })),
  ];
  if (missingCounts.length > 0) await store.updateMissingPolls(account.id, missingCounts);

  // Queued after the state is written: a crash in between leaves pending memberships,
  // which the next poll queues again (diff.pending).
  const toSync = [...discoveries.map((d) => d.connectionId), ...diff.pending.map((m) => m.connectionId)];
  if (toSync.length > 0) {
    await deps.syncs.send(
      toSync.map((connectionId, i) => ({
        kind: 'sync-connection',
        connectionId,
        accountId: account.id,
        reason: i < discoveries.length ? 'discovered' : 'retry',
      })),
    );
  }

  const outcome = {
    status: 'polled',
    listed: entries.length,
    discovered: discoveries.length,
    resent: diff.pending.length,
    missing: diff.missing.length,
    returned: diff.returned.length,
  } as const;
  logger.info('account polled', { accountId: account.id, email: maskEmail(account.email), ...outcome });
  return outcome;
}

async function markFailing(account: Account, error: MewsError, deps: Deps): Promise<PollOutcome> {
  const code = error.code;
  const still = account.access.status === 'failing';
  // Warn once, at the transition; the event says it too. Later cycles only debug.
  deps.logger[still ? 'debug' : 'warn']('account access failed', {
    accountId: account.id,
    email: maskEmail(account.email),
    code,
    reason: error.message,
  });
  if (still) return { status: 'access-failed', code, newlyFailing: false };

  const at = deps.clock.now().toISOString();
  const version = account.accessVersion + 1;
  const event = accountAccessFailed({
    account,
    version,
    code,
    message: error.message,
    environment: deps.environment,
    at,
  });
  const changed = await deps.store.changeAccountAccess(
    account.id,
    { status: 'failing', code, reason: error.message, since: at },
    account.accessVersion,
    [event],
  );
  return { status: 'access-failed', code, newlyFailing: changed };
}

async function markRestored(account: Account, deps: Deps): Promise<void> {
  if (account.access.status !== 'failing') return;
  const at = deps.clock.now().toISOString();
  const version = account.accessVersion + 1;
  const event = accountAccessRestored({
    account,
    version,
    failingSince: account.access.since,
    environment: deps.environment,
    at,
  });
  await deps.store.changeAccountAccess(account.id, { status: 'ok' }, account.accessVersion, [event]);
  deps.logger.info('account access restored', { accountId: account.id, email: maskEmail(account.email) });
}
