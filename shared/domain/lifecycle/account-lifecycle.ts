/**
 * The account lifecycle and what one successful getProperties answer means for the connections an
 * account lists (docs/lifecycle.md). Pure: the use case loads the account view, calls Mews, asks
 * these functions and writes what they decide.
 */
import { accountAccessFailed, accountAccessRestored } from '../events/account-access.event.js';
import { accountAnomaly } from '../events/account-anomaly.event.js';
import type { ListedEntry } from '../listing-diff.js';
import { diffListing } from '../listing-diff.js';
import type { Account, AccountAccess, AccountHold, ConnectionId, Membership, OutboxEvent } from '../model.js';
import { type DecisionContext, REMOVAL_CONFIRMATIONS } from './connection-lifecycle.js';

/** Below this many known connections a disappearance is never "mass". */
const HOLD_MIN_KNOWN = 3;

export type AccessDecision =
  | { kind: 'none' }
  | { kind: 'change'; access: AccountAccess; expectedVersion: number; events: OutboxEvent[] };

/** ok -> failing when Mews refuses the account (announced once); failing -> ok when it answers again. */
export function decideAccess(
  account: Account,
  answer: { kind: 'listed' } | { kind: 'refused'; code: number | null; message: string },
  ctx: DecisionContext,
): AccessDecision {
  const version = account.accessVersion + 1;
  const base = { account, version, environment: ctx.environment, at: ctx.at };
  if (answer.kind === 'refused') {
    if (account.access.status === 'failing') return { kind: 'none' };
    return {
      kind: 'change',
      access: { status: 'failing', code: answer.code, reason: answer.message, since: ctx.at },
      expectedVersion: account.accessVersion,
      events: [accountAccessFailed({ ...base, code: answer.code, message: answer.message })],
    };
  }
  if (account.access.status !== 'failing') return { kind: 'none' };
  return {
    kind: 'change',
    access: { status: 'ok' },
    expectedVersion: account.accessVersion,
    events: [accountAccessRestored({ ...base, failingSince: account.access.since })],
  };
}

type HoldDecision =
  | { kind: 'none' }
  /** A sudden mass disappearance: removals wait, `Account Anomaly` says why. */
  | { kind: 'place'; hold: AccountHold; events: OutboxEvent[] }
  /** Still held: removals still wait. */
  | { kind: 'keep' }
  /** The listing recovered, or an operator released the hold: misses count again from this poll. */
  | { kind: 'lift'; why: 'released' | 'recovered' };

/** A listed connection whose token this poll stores again. */
interface TokenRestore {
  entry: ListedEntry;
  /** Listed again after a miss: its miss count goes back to 0 once the token is stored. */
  returned: boolean;
  /** A sync found no token (awaiting-token): its sync is queued again once the token is stored. */
  awaitingToken: boolean;
}

export interface PollPlan {
  /** Listed for the first time by this account: record, store the token, queue a sync. */
  added: ListedEntry[];
  /**
   * Listed and pending: recorded, token stored, sync not completed (or failed): queue a sync
   * again. Their token is not stored again: see `restore`.
   */
  pending: ListedEntry[];
  /**
   * Tokens stored again. Only where one may be missing: a sync found none (awaiting-token), or the
   * connection is listed again after a miss (a removal cut short may have scheduled its deletion).
   * A pending membership's token was stored right after its discovery was recorded; a crash in
   * between leaves it pending without one, and then its sync finds none and marks it
   * awaiting-token, so the next poll stores it. Never putting a token known stored matters: a
   * refused put spends the store's write quota (PutParameter, CreateSecret) like a stored one.
   */
  restore: TokenRestore[];
  /** Miss counts to write on a complete pass: +1 for each connection missing (returned ones reset via `restore`). */
  missCounts: { connectionId: ConnectionId; missingPolls: number }[];
  /** Connections this account now confirms missing: each is settled (left or removed). */
  confirmedMissing: ConnectionId[];
  hold: HoldDecision;
  /** How many known connections this answer lacks. */
  missing: number;
}

/**
 * What a successful answer means. A held poll still records new connections and resets the miss
 * count of every connection it lists (a listing is evidence even when much is missing), but it
 * counts no miss and confirms no removal.
 */
export function planPoll(
  account: Account,
  memberships: Membership[],
  listed: ListedEntry[],
  ctx: DecisionContext & { massDisappearanceShare: number },
): PollPlan {
  const diff = diffListing(listed, memberships);
  const byId = new Map(listed.map((e) => [e.connectionId, e]));
  const entryOf = (m: Membership) => byId.get(m.connectionId) as ListedEntry;
  const hold = decideHold(account, memberships.length, diff.missing, ctx);
  const held = hold.kind === 'place' || hold.kind === 'keep';

  const missCounts: PollPlan['missCounts'] = [];
  const confirmedMissing: ConnectionId[] = [];
  if (!held) {
    for (const m of diff.missing) {
      const missingPolls = Math.min(m.missingPolls + 1, REMOVAL_CONFIRMATIONS);
      // Already at the count (a settlement cut short): settle again without a write.
      if (missingPolls !== m.missingPolls) missCounts.push({ connectionId: m.connectionId, missingPolls });
      if (missingPolls >= REMOVAL_CONFIRMATIONS) confirmedMissing.push(m.connectionId);
    }
  }
  const restore = memberships
    .filter((m) => byId.has(m.connectionId) && (m.status === 'awaiting-token' || m.missingPolls > 0))
    .map((m) => ({
      entry: entryOf(m),
      returned: m.missingPolls > 0,
      awaitingToken: m.status === 'awaiting-token',
    }));
  return {
    added: diff.added,
    pending: diff.pending.filter((m) => m.status === 'pending').map(entryOf),
    restore,
    missCounts,
    confirmedMissing,
    hold,
    missing: diff.missing.length,
  };
}

/**
 * getProperties answers for one employee: a sudden loss of most connections more likely means the
 * employee lost access than that the hotels all disconnected.
 */
function decideHold(
  account: Account,
  known: number,
  missing: Membership[],
  ctx: DecisionContext & { massDisappearanceShare: number },
): HoldDecision {
  const newlyMissing = missing.filter((m) => m.missingPolls === 0).length;
  const massive = known >= HOLD_MIN_KNOWN && newlyMissing / known > ctx.massDisappearanceShare;
  const hold = account.hold;
  if (hold?.released) return { kind: 'lift', why: 'released' };
  if (hold && !massive) return { kind: 'lift', why: 'recovered' };
  if (!massive) return { kind: 'none' };
  if (hold) return { kind: 'keep' };
  return {
    kind: 'place',
    hold: { since: ctx.at, missing: newlyMissing, known, released: false },
    events: [
      accountAnomaly({ account, missing: newlyMissing, known, environment: ctx.environment, at: ctx.at }),
    ],
  };
}
