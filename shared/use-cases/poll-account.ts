import { decideAccess, planPoll } from '../domain/lifecycle/account-lifecycle.js';
import { type ListedEntry, listedEntries } from '../domain/listing-diff.js';
import { maskEmail } from '../domain/mask-email.js';
import type { Account, AccountId } from '../domain/model.js';
import { packBatches } from '../lib/batches.js';
import { mapLimit } from '../lib/map-limit.js';
import { MewsRefusal } from '../ports/mews-failure.js';
import { settleMissing } from './settle-missing.js';
import { DEFAULT_POLICY, type StoreSlice } from './use-case-deps.js';

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

type Deps = StoreSlice<
  'mews' | 'vault' | 'syncs' | 'clock' | 'logger' | 'environment' | 'policy',
  | 'getAccountView'
  | 'recordDiscoveries'
  | 'updateMissingPolls'
  | 'clearAccountHold'
  | 'placeAccountHold'
  | 'changeAccountAccess'
  | 'listMembershipsOf'
  | 'getConnection'
  | 'leaveConnection'
  | 'removeConnection'
>;

/** Secrets Manager calls in flight at once while storing a big account's new tokens. */
const VAULT_CONCURRENCY = 8;
/** New connections recorded, stored and queued together. */
const DISCOVERY_CHUNK = 50;

/**
 * Polls one account: getProperties, ask the domain what the answer means (planPoll), then write
 * it: new connections recorded, their tokens stored and their syncs queued; miss counts; holds;
 * confirmed disappearances settled. Steady state (nothing new) costs one query and one Mews call
 * and writes nothing.
 *
 * Transient Mews failures throw, so the queue retries the message; permanent ones mark the
 * account failing once. A failed or malformed answer never changes what the account lists.
 */
export async function pollAccount(input: { accountId: AccountId }, deps: Deps): Promise<PollOutcome> {
  const { store, mews, logger } = deps;
  const policy = deps.policy ?? DEFAULT_POLICY;
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
    if (error instanceof MewsRefusal) return refused(account, error, deps);
    throw error;
  }
  const at = deps.clock.now().toISOString();
  const ctx = { environment: deps.environment, at };
  await applyAccess(account, decideAccess(account, { kind: 'listed' }, ctx), deps);

  const plan = planPoll(account, memberships, entries, {
    ...ctx,
    massDisappearanceShare: policy.massDisappearanceShare,
  });
  await applyHold(account, plan.hold, deps);

  // New connections in chunks, each recorded, then its tokens stored, then its syncs queued: a
  // big first poll makes lasting progress even if it is cut short, and a crash anywhere leaves
  // pending memberships that the next poll finishes (or removes, if Mews dropped them meanwhile).
  for (const chunk of packBatches(plan.added, { maxCount: DISCOVERY_CHUNK })) {
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
    await storeTokens(chunk, deps);
    await queueSyncs(account.id, chunk, 'discovered', deps);
  }
  // A pending sync may have failed for want of its token; a returned one's removal may have been
  // cut short after its token was scheduled for deletion: store both again (put restores).
  await storeTokens([...plan.pending, ...plan.returned], deps);
  await queueSyncs(account.id, plan.pending, 'retry', deps);

  if (plan.missCounts.length > 0) await store.updateMissingPolls(account.id, plan.missCounts);
  if (plan.hold.kind === 'place' || plan.hold.kind === 'keep') {
    return { status: 'held', missing: plan.missing, known: memberships.length };
  }
  let removed = 0;
  for (const connectionId of plan.confirmedMissing) {
    if ((await settleMissing(connectionId, account.id, deps)) === 'removed') removed++;
  }

  const outcome = {
    status: 'polled',
    listed: entries.length,
    discovered: plan.added.length,
    resent: plan.pending.length,
    missing: plan.missing,
    returned: plan.returned.length,
    removed,
  } as const;
  logger.info('account polled', { accountId: account.id, email: maskEmail(account.email), ...outcome });
  return outcome;
}

async function storeTokens(entries: ListedEntry[], deps: Deps): Promise<void> {
  await mapLimit(entries, VAULT_CONCURRENCY, (e) => deps.vault.put(e.connectionId, e.token));
}

async function queueSyncs(
  accountId: AccountId,
  entries: ListedEntry[],
  reason: 'discovered' | 'retry',
  deps: Deps,
): Promise<void> {
  if (entries.length === 0) return;
  await deps.syncs.send(
    entries.map((e) => ({ kind: 'sync-connection', connectionId: e.connectionId, accountId, reason })),
  );
}

async function applyHold(account: Account, hold: ReturnType<typeof planPoll>['hold'], deps: Deps) {
  const log = { accountId: account.id, email: maskEmail(account.email) };
  if (hold.kind === 'lift') {
    await deps.store.clearAccountHold(account.id);
    deps.logger.info(
      hold.why === 'released'
        ? 'account hold released by an operator: missing connections are counted'
        : 'account listing recovered; hold lifted',
      log,
    );
  } else if (hold.kind === 'place') {
    await deps.store.placeAccountHold(account.id, hold.hold, hold.events);
    deps.logger.warn('account lost most of its connections at once; removals held back', {
      ...log,
      missing: hold.hold.missing,
      known: hold.hold.known,
    });
  }
}

async function applyAccess(
  account: Account,
  decision: ReturnType<typeof decideAccess>,
  deps: Deps,
): Promise<boolean> {
  if (decision.kind === 'none') return false;
  const changed = await deps.store.changeAccountAccess(
    account.id,
    decision.access,
    decision.expectedVersion,
    decision.events,
  );
  if (changed && decision.access.status === 'ok') {
    deps.logger.info('account access restored', { accountId: account.id, email: maskEmail(account.email) });
  }
  return changed;
}

async function refused(account: Account, error: MewsRefusal, deps: Deps): Promise<PollOutcome> {
  const code = error.code;
  const still = account.access.status === 'failing';
  // Warn once, at the transition; the event says it too. Later cycles only debug.
  deps.logger[still ? 'debug' : 'warn']('account access failed', {
    accountId: account.id,
    email: maskEmail(account.email),
    code,
    reason: error.message,
  });
  const ctx = { environment: deps.environment, at: deps.clock.now().toISOString() };
  const decision = decideAccess(account, { kind: 'refused', code, message: error.message }, ctx);
  const newlyFailing = await applyAccess(account, decision, deps);
  return { status: 'access-failed', code, newlyFailing };
}
