import { accountAccessFailed, accountAccessRestored } from '../domain/events/account-access.event.js';
import { accountAnomaly } from '../domain/events/account-anomaly.event.js';
import { diffListing, type ListedEntry, type ListingDiff, listedEntries } from '../domain/listing-diff.js';
import { maskEmail } from '../domain/mask-email.js';
import type { Account, AccountId, Membership } from '../domain/model.js';
import { mapLimit } from '../lib/map-limit.js';
import { isTransient, MewsError } from '../mews/errors.js';
import { REMOVAL_CONFIRMATIONS, settleMissing } from './remove-connection.js';
import { DEFAULT_POLICY, type UseCaseDeps } from './use-case-deps.js';

export type PollOutcome =
  | { status: 'unknown-account' }
  | { status: 'access-failed'; code: number | null; newlyFailing: boolean }
  | { status: 'held'; missing: number; known: number }
  | {
      status: 'polled';
      listed: number;
      discovered: number;
      resent: number;
      missing: number;
      returned: number;
      removed: number;
    };

type Deps = Pick<
  UseCaseDeps,
  'store' | 'mews' | 'vault' | 'syncs' | 'clock' | 'logger' | 'environment' | 'policy'
>;

/** Secrets Manager calls in flight at once while storing a big account's new tokens. */
const VAULT_CONCURRENCY = 8;
/** New connections recorded, stored and queued together. */
const DISCOVERY_CHUNK = 50;
/** Below this many known connections a disappearance is never "mass". */
const HOLD_MIN_KNOWN = 3;

/**
 * Polls one account: getProperties, compare with what the account listed before, store the
 * tokens of new connections, record them, queue their sync, and count connections the answer
 * lacks (removed once every account that listed one lacks it on two consecutive polls).
 * Steady state (nothing new) costs one query and one Mews call and writes nothing.
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

  // A held disappearance stops removals only: new connections are still provisioned.
  const held = await checkMassDisappearance(account, memberships, diff, at, deps);

  // New connections in chunks, each recorded, then its tokens stored, then its syncs queued: a
  // big first poll makes lasting progress even if it is cut short, and a crash anywhere leaves
  // pending memberships that the next poll finishes (or removes, if Mews dropped them meanwhile).
  let discovered = 0;
  for (let i = 0; i < diff.added.length; i += DISCOVERY_CHUNK) {
    const chunk = diff.added.slice(i, i + DISCOVERY_CHUNK);
    await store.recordDiscoveries(
      account.id,
      chunk.map((entry) => ({
        connectionId: entry.connectionId,
        propertyId: entry.propertyId,
        propertyName: entry.propertyName,
        connectionName: entry.connectionName,
        secretRef: deps.vault.refFor(entry.connectionId),
      })),
      at,
    );
    await storeTokensAndSync(account.id, chunk, 'discovered', deps);
    discovered += chunk.length;
  }
  // A pending sync may have failed for want of its secret (a crash, a deleted secret): store it again.
  const tokens = new Map(entries.map((e) => [e.connectionId, e]));
  const pending = diff.pending.map((m) => tokens.get(m.connectionId)).filter((e): e is ListedEntry => !!e);
  await storeTokensAndSync(account.id, pending, 'retry', deps);

  if (held) return held;
  const removed = await countMissing(account.id, diff, deps);

  const outcome = {
    status: 'polled',
    listed: entries.length,
    discovered,
    resent: diff.pending.length,
    missing: diff.missing.length,
    returned: diff.returned.length,
    removed,
  } as const;
  logger.info('account polled', { accountId: account.id, email: maskEmail(account.email), ...outcome });
  return outcome;
}

async function storeTokensAndSync(
  accountId: AccountId,
  entries: ListedEntry[],
  reason: 'discovered' | 'retry',
  deps: Deps,
): Promise<void> {
  if (entries.length === 0) return;
  await mapLimit(entries, VAULT_CONCURRENCY, (e) => deps.vault.put(e.connectionId, e.token));
  await deps.syncs.send(
    entries.map((e) => ({ kind: 'sync-connection', connectionId: e.connectionId, accountId, reason })),
  );
}

/**
 * Updates how many consecutive polls lacked each missing connection, and settles the ones this
 * account now confirms missing (removed, or this account's membership dropped while another
 * account still lists it). A membership left at the confirmation count by a crash is settled
 * by the next poll. Returns how many connections were removed.
 */
async function countMissing(accountId: AccountId, diff: ListingDiff, deps: Deps): Promise<number> {
  const next = diff.missing.map((m) => ({
    connectionId: m.connectionId,
    missingPolls: Math.min(m.missingPolls + 1, REMOVAL_CONFIRMATIONS),
    changed: m.missingPolls < REMOVAL_CONFIRMATIONS,
  }));
  const writes = [
    ...next
      .filter((c) => c.changed)
      .map(({ connectionId, missingPolls }) => ({ connectionId, missingPolls })),
    ...diff.returned.map((m) => ({ connectionId: m.connectionId, missingPolls: 0 })),
  ];
  if (writes.length > 0) await deps.store.updateMissingPolls(accountId, writes);
  let removed = 0;
  for (const { connectionId, missingPolls } of next) {
    if (missingPolls < REMOVAL_CONFIRMATIONS) continue;
    if ((await settleMissing(connectionId, accountId, deps)) === 'removed') removed++;
  }
  return removed;
}

/**
 * getProperties answers for one employee: a sudden loss of most connections more likely means
 * the employee lost access than that the hotels all disconnected. Such a loss is held back and
 * reported until the listing recovers or an operator releases the hold.
 */
async function checkMassDisappearance(
  account: Account,
  memberships: Membership[],
  diff: ListingDiff,
  at: string,
  deps: Deps,
): Promise<PollOutcome | undefined> {
  const share = (deps.policy ?? DEFAULT_POLICY).massDisappearanceShare;
  const known = memberships.length;
  const newlyMissing = diff.missing.filter((m) => m.missingPolls === 0).length;
  const massive = known >= HOLD_MIN_KNOWN && newlyMissing / known > share;
  const hold = account.hold;

  if (hold?.released) {
    await deps.store.clearAccountHold(account.id);
    deps.logger.info('account hold released by an operator: missing connections are counted', {
      accountId: account.id,
    });
    return undefined;
  }
  if (hold && !massive) {
    await deps.store.clearAccountHold(account.id);
    deps.logger.info('account listing recovered; hold lifted', { accountId: account.id });
    return undefined;
  }
  if (!massive) return undefined;
  if (!hold) {
    const event = accountAnomaly({
      account,
      missing: newlyMissing,
      known,
      environment: deps.environment,
      at,
    });
    await deps.store.placeAccountHold(
      account.id,
      { since: at, missing: newlyMissing, known, released: false },
      [event],
    );
    deps.logger.warn('account lost most of its connections at once; removals held back', {
      accountId: account.id,
      email: maskEmail(account.email),
      missing: newlyMissing,
      known,
    });
  }
  return { status: 'held', missing: newlyMissing, known };
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
