import { decideAccess, planPoll } from '../domain/lifecycle/account-lifecycle.js';
import { type ListedEntry, listedEntries } from '../domain/listing-diff.js';
import { maskEmail } from '../domain/mask-email.js';
import type { Account, AccountId } from '../domain/model.js';
import { packBatches } from '../lib/batches.js';
import { mapLimit } from '../lib/map-limit.js';
import { MewsRefusal } from '../ports/mews-failure.js';
import type { PollAccountMessage, WorkQueue } from '../ports/work-queue.js';
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
      /** Confirmed missing but left for the next poll: too little time to settle them in this one. */
      deferred: number;
    }
  /**
   * Cut short by the deadline after lasting progress: the rest is a continuation poll, queued.
   * Nothing was counted missing or removed (only a complete pass does that).
   */
  | { status: 'continued'; listed: number; discovered: number; restored: number; left: number };

/**
 * The time a poll may take, and where it continues when that is not enough (in Lambda: the SQS
 * record's deadline, sqs-record-handler.ts, and the poll queue). Without one (the CLI, the local
 * runner) every pass is complete.
 */
export interface PollBudget {
  /** Milliseconds left for this poll. */
  timeLeftMs(): number;
  polls: WorkQueue<PollAccountMessage>;
}

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
> & { budget?: PollBudget };

/** Token writes in flight at once while storing a big account's new tokens. */
const VAULT_CONCURRENCY = 8;
/** New connections recorded, stored and queued together (and tokens stored again together). */
const DISCOVERY_CHUNK = 50;

/**
 * How long a chunk is expected to take, to start it only if it can end before the deadline:
 * its tokens at the slowest rate measured so far in this pass, with a margin, plus its other
 * calls. Before the first, one token write at Parameter Store's default 3 a second (the slowest
 * store: Secrets Manager takes tens of CreateSecret a second).
 */
const CHUNK_TIME = {
  firstMsPerToken: 350,
  margin: 1.5,
  overheadMs: 1_000,
  /** A removal before the first is measured: its token call pattern at Parameter Store's pace. */
  firstRemovalMs: 1_000,
} as const;

/** A pass cut short before it made any lasting progress: it fails, so the queue retries it. */
export class PollOutOfTime extends Error {
  override readonly name = 'PollOutOfTime';
}

/**
 * Polls one account: getProperties, ask the domain what the answer means (planPoll), then write
 * it: new connections recorded, their tokens stored and their syncs queued; tokens that may be
 * missing stored again; miss counts; holds; confirmed disappearances settled. Steady state
 * (nothing new) costs one query and one Mews call and writes nothing.
 *
 * With a budget, a chunk of token writes starts only if it can end in time. A pass cut short
 * after lasting progress queues a continuation (a poll of the same account, which lists afresh
 * and goes on where this one stopped) and succeeds: nothing is redelivered. Only a complete pass
 * counts misses, retries pending syncs and settles disappearances. A pass cut short before any
 * progress fails as usual, so a continuation never follows a pass that did nothing.
 *
 * Transient Mews failures throw, so the queue retries the message; permanent ones mark the
 * account failing once. A failed or malformed answer never changes what the account lists.
 */
export async function pollAccount(
  input: { accountId: AccountId; reason?: PollAccountMessage['reason'] },
  deps: Deps,
): Promise<PollOutcome> {
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
  // New ones first: each stored chunk leaves fewer for the continuation.
  const pass = new ChunkTimer(deps);
  const chunks = packBatches(plan.added, { maxCount: DISCOVERY_CHUNK });
  for (const [i, chunk] of chunks.entries()) {
    if (!pass.fits(chunk.length)) {
      return continueLater(
        account,
        pass,
        { listed: entries.length, left: sum(chunks.slice(i)) + plan.restore.length },
        deps,
      );
    }
    await pass.time(chunk.length, async () => {
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
    });
    pass.discovered += chunk.length;
    pass.lasting += chunk.length;
  }
  // Tokens that may be missing (see PollPlan.restore), stored again (a put restores one scheduled
  // for deletion); then a returned one's miss count goes back to 0, and an awaiting one's sync is
  // queued again. A reset count is lasting progress; a token stored again for an awaiting-token
  // membership is not (the membership stays so until its sync runs).
  const restores = packBatches(plan.restore, { maxCount: DISCOVERY_CHUNK });
  for (const [i, chunk] of restores.entries()) {
    if (!pass.fits(chunk.length)) {
      return continueLater(account, pass, { listed: entries.length, left: sum(restores.slice(i)) }, deps);
    }
    const returned = chunk.filter((r) => r.returned);
    await pass.time(chunk.length, async () => {
      await storeTokens(
        chunk.map((r) => r.entry),
        deps,
      );
      if (returned.length > 0) {
        await store.updateMissingPolls(
          account.id,
          returned.map((r) => ({ connectionId: r.entry.connectionId, missingPolls: 0 })),
        );
      }
      const awaiting = chunk.filter((r) => r.awaitingToken).map((r) => r.entry);
      await queueSyncs(account.id, awaiting, 'retry', deps);
    });
    pass.restored += chunk.length;
    pass.lasting += returned.length;
  }

  // A complete pass: the rest is decided on the whole listing.
  await queueSyncs(account.id, plan.pending, 'retry', deps);
  if (plan.missCounts.length > 0) await store.updateMissingPolls(account.id, plan.missCounts);
  if (plan.hold.kind === 'place' || plan.hold.kind === 'keep') {
    return { status: 'held', missing: plan.missing, known: memberships.length };
  }
  // Settled one by one while time allows: each removal is a few token calls (Parameter Store
  // writes about 3 a second), so a released hold over thousands would outlive the invocation.
  // What is left stays confirmed missing and the next scheduled poll settles it; no continuation,
  // since a pass seconds later would count the other misses again too soon.
  let removed = 0;
  let settled = 0;
  for (const connectionId of plan.confirmedMissing) {
    if (!pass.fitsRemoval()) break;
    const outcome = await pass.timeRemoval(() => settleMissing(connectionId, account.id, deps));
    settled++;
    if (outcome === 'removed') removed++;
  }
  const deferred = plan.confirmedMissing.length - settled;
  if (deferred > 0) {
    logger.warn('too little time left to settle every missing connection; the next poll goes on', {
      accountId: account.id,
      email: maskEmail(account.email),
      settled,
      deferred,
    });
  }

  const outcome = {
    status: 'polled',
    listed: entries.length,
    discovered: plan.added.length,
    resent: plan.pending.length,
    missing: plan.missing,
    returned: plan.restore.filter((r) => r.returned).length,
    removed,
    deferred,
  } as const;
  logger.info('account polled', {
    accountId: account.id,
    email: maskEmail(account.email),
    ...(input.reason ? { reason: input.reason } : {}),
    ...outcome,
  });
  return outcome;
}

const sum = (batches: unknown[][]) => batches.reduce((n, b) => n + b.length, 0);

/** One pass's chunks: how long they took, and what they achieved. */
class ChunkTimer {
  discovered = 0;
  restored = 0;
  /** Memberships written so that the next pass has less to do (recorded, or a count reset). */
  lasting = 0;
  #slowestMsPerToken: number | undefined;
  #slowestRemovalMs: number | undefined;

  constructor(private readonly deps: Deps) {}

  /** Whether a chunk of n tokens can end before the deadline (always, without a budget). */
  fits(n: number): boolean {
    const budget = this.deps.budget;
    if (!budget) return true;
    const msPerToken = (this.#slowestMsPerToken ?? CHUNK_TIME.firstMsPerToken) * CHUNK_TIME.margin;
    return budget.timeLeftMs() >= CHUNK_TIME.overheadMs + n * msPerToken;
  }

  /** Whether one more disappearance can be settled before the deadline (always, without a budget). */
  fitsRemoval(): boolean {
    const budget = this.deps.budget;
    if (!budget) return true;
    const ms = (this.#slowestRemovalMs ?? CHUNK_TIME.firstRemovalMs) * CHUNK_TIME.margin;
    return budget.timeLeftMs() >= CHUNK_TIME.overheadMs + ms;
  }

  async timeRemoval<T>(settle: () => Promise<T>): Promise<T> {
    if (!this.deps.budget) return settle();
    const started = this.deps.clock.now().getTime();
    const outcome = await settle();
    const ms = this.deps.clock.now().getTime() - started;
    this.#slowestRemovalMs = Math.max(this.#slowestRemovalMs ?? 0, ms);
    return outcome;
  }

  async time(n: number, chunk: () => Promise<void>): Promise<void> {
    const started = this.deps.clock.now().getTime();
    await chunk();
    const msPerToken = (this.deps.clock.now().getTime() - started) / n;
    this.#slowestMsPerToken = Math.max(this.#slowestMsPerToken ?? 0, msPerToken);
  }
}

/**
 * Too little time for the next chunk. After lasting progress: queue the continuation and
 * succeed (nothing redelivered, no receive spent). Before any: fail, so SQS retries the message
 * (and dead-letters it after maxReceiveCount), and continuations never chain without progress.
 */
async function continueLater(
  account: Account,
  pass: ChunkTimer,
  counts: { listed: number; left: number },
  deps: Deps,
): Promise<PollOutcome> {
  const budget = deps.budget as PollBudget;
  const log = { accountId: account.id, email: maskEmail(account.email), timeLeftMs: budget.timeLeftMs() };
  if (pass.lasting === 0) {
    throw new PollOutOfTime(
      `too little time left to store ${counts.left} tokens of ${account.id} before the deadline, and none stored yet`,
    );
  }
  await budget.polls.send([{ kind: 'poll-account', accountId: account.id, reason: 'continuation' }]);
  const outcome = {
    status: 'continued',
    listed: counts.listed,
    discovered: pass.discovered,
    restored: pass.restored,
    left: counts.left,
  } as const;
  deps.logger.info('account poll cut short by its deadline; a continuation poll is queued', {
    ...log,
    ...outcome,
  });
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
