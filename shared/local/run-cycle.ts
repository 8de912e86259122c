import type { InProcessQueue } from '../adapters/local/in-process-queue.js';
import type { AccountId } from '../domain/model.js';
import { type MewsFailure, MewsUnreachable } from '../ports/mews-failure.js';
import type { PollAccountMessage, SyncConnectionMessage } from '../ports/work-queue.js';
import { type PollOutcome, pollAccount } from '../use-cases/poll-account.js';
import { relayPendingEvents } from '../use-cases/relay-outbox.js';
import { schedulePolls } from '../use-cases/schedule-polls.js';
import { type SyncOutcome, syncConnection } from '../use-cases/sync-connection.js';
import type { UseCaseDeps } from '../use-cases/use-case-deps.js';

export interface LocalPipeline extends UseCaseDeps {
  polls: InProcessQueue<PollAccountMessage>;
  syncs: InProcessQueue<SyncConnectionMessage>;
}

export interface CycleOptions {
  /** Mews calls in flight at once, per step (the Lambda concurrency cap on AWS). */
  concurrency?: number;
  /** Deliveries of one message before it is dead-lettered (the SQS maxReceiveCount on AWS). */
  maxAttempts?: number;
  /** false: only work off what is queued already (a resync, a redrive, a notification). Default true. */
  schedule?: boolean;
  /** Also check the configurations whose refresh slot falls in the last `windowMs` of `intervalMs`. */
  refresh?: { intervalMs: number; windowMs: number };
}

export interface CycleReport {
  accounts: number;
  polls: Map<AccountId, PollOutcome>;
  syncs: SyncOutcome[];
  published: number;
  /**
   * Set when Mews could not be reached: the first call that found it unreachable, after its own
   * retries. The work after it in this cycle was not attempted (see `skipped`); none of it is
   * dead-lettered, and the account or connection it was for is not blamed.
   */
  unreachable: MewsUnreachableReport | null;
  /** Messages not attempted because Mews was unreachable (the one that found out included). */
  skipped: (PollAccountMessage | SyncConnectionMessage)[];
  /** Messages that failed every attempt, with the last error: the local dead-letter queue. */
  deadLetters: {
    message: PollAccountMessage | SyncConnectionMessage;
    error: string;
    attempts: number;
    at: string;
  }[];
}

export interface MewsUnreachableReport {
  /** The platform address, when the failure names it. */
  address: string | null;
  operation: string;
  /** What went wrong, log-safe: `connection refused (ECONNREFUSED)`, `no answer in time`. */
  cause: string;
  /** The failure's own message. */
  error: string;
  /** Attempts the call made before it gave up, when known. */
  attempts: number | null;
}

/** The circuit breaker of one cycle: open after the first unreachable failure. */
function circuitBreaker() {
  let tripped: MewsUnreachableReport | null = null;
  const skipped: (PollAccountMessage | SyncConnectionMessage)[] = [];
  return {
    get tripped() {
      return tripped;
    },
    skipped,
    /** Runs `work` unless the breaker is open; an unreachable Mews opens it instead of failing the message. */
    async guard(message: PollAccountMessage | SyncConnectionMessage, work: () => Promise<void>) {
      if (tripped) {
        skipped.push(message);
        return;
      }
      try {
        await work();
      } catch (error) {
        if (!(error instanceof MewsUnreachable)) throw error;
        tripped ??= describeUnreachable(error);
        skipped.push(message);
      }
    },
  };
}

function describeUnreachable(error: MewsFailure): MewsUnreachableReport {
  const describe = (error as { describeCause?: () => string }).describeCause;
  const attempts = (error as { attempts?: unknown }).attempts;
  return {
    address: error.address,
    operation: error.operation,
    cause: typeof describe === 'function' ? describe.call(error) : error.message,
    error: error.message,
    attempts: typeof attempts === 'number' ? attempts : null,
  };
}

/**
 * One cycle, the way the AWS pipeline runs it: schedule a poll per account, run the polls,
 * run the syncs they queued, relay the outbox. One failing account never stops the others; an
 * unreachable Mews stops the rest of the cycle's Mews work (a circuit breaker: one dead host is
 * not retried once per account).
 */
export async function runCycle(p: LocalPipeline, options: CycleOptions = {}): Promise<CycleReport> {
  const drain = { concurrency: options.concurrency ?? 4, maxAttempts: options.maxAttempts ?? 3 };
  const deadBefore = { polls: p.polls.deadLetters().length, syncs: p.syncs.deadLetters().length };

  const { accounts } =
    options.schedule === false ? { accounts: 0 } : await schedulePolls({ ...p, refresh: options.refresh });
  const breaker = circuitBreaker();
  const polls = new Map<AccountId, PollOutcome>();
  await p.polls.drain(
    (m) =>
      breaker.guard(m, async () => {
        polls.set(m.accountId, await pollAccount({ accountId: m.accountId }, p));
      }),
    drain,
  );

  const syncs: SyncOutcome[] = [];
  await p.syncs.drain(
    (m) =>
      breaker.guard(m, async () => {
        syncs.push(
          await syncConnection({ connectionId: m.connectionId, accountId: m.accountId, reason: m.reason }, p),
        );
      }),
    drain,
  );

  const { published } = await relayPendingEvents(p);
  return {
    accounts,
    polls,
    syncs,
    published,
    unreachable: breaker.tripped,
    skipped: breaker.skipped,
    deadLetters: [
      ...p.polls.deadLetters().slice(deadBefore.polls),
      ...p.syncs.deadLetters().slice(deadBefore.syncs),
    ].map((d) => ({ message: d.message, error: d.error, attempts: d.attempts, at: d.deadLetteredAt })),
  };
}
