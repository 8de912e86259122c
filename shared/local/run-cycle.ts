import type { InProcessQueue } from '../adapters/local/in-process-queue.js';
import type { AccountId } from '../domain/model.js';
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
  /** Messages that failed every attempt, with the last error: the local dead-letter queue. */
  deadLetters: {
    message: PollAccountMessage | SyncConnectionMessage;
    error: string;
    attempts: number;
    at: string;
  }[];
}

/**
 * One cycle, the way the AWS pipeline runs it: schedule a poll per account, run the polls,
 * run the syncs they queued, relay the outbox. One failing account never stops the others.
 */
export async function runCycle(p: LocalPipeline, options: CycleOptions = {}): Promise<CycleReport> {
  const drain = { concurrency: options.concurrency ?? 4, maxAttempts: options.maxAttempts ?? 3 };
  const deadBefore = { polls: p.polls.deadLetters().length, syncs: p.syncs.deadLetters().length };

  const { accounts } =
    options.schedule === false ? { accounts: 0 } : await schedulePolls({ ...p, refresh: options.refresh });
  const polls = new Map<AccountId, PollOutcome>();
  await p.polls.drain(async (m) => {
    polls.set(m.accountId, await pollAccount({ accountId: m.accountId }, p));
  }, drain);

  const syncs: SyncOutcome[] = [];
  await p.syncs.drain(async (m) => {
    syncs.push(
      await syncConnection({ connectionId: m.connectionId, accountId: m.accountId, reason: m.reason }, p),
    );
  }, drain);

  const { published } = await relayPendingEvents(p);
  return {
    accounts,
    polls,
    syncs,
    published,
    deadLetters: [
      ...p.polls.deadLetters().slice(deadBefore.polls),
      ...p.syncs.deadLetters().slice(deadBefore.syncs),
    ].map((d) => ({ message: d.message, error: d.error, attempts: d.attempts, at: d.deadLetteredAt })),
  };
}
