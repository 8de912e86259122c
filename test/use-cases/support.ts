/**
 * The use cases over createMemoryServices(), driven the way the local pipeline's runCycle drives
 * them (schedule a poll per account, run the polls, run the syncs they queued, relay the outbox),
 * but by hand, one message at a time, with no Java and no HTTP.
 */
import { createMemoryServices, type MemoryServices } from '../../shared/adapters/memory/memory-services.js';
import type { OnPortCall } from '../../shared/adapters/memory/port-call.js';
import type { AccountId, OutboxEvent } from '../../shared/domain/model.js';
import { silentLogger } from '../../shared/ports/logger.js';
import type { PollAccountMessage, SyncConnectionMessage } from '../../shared/ports/work-queue.js';
import { type PollOutcome, pollAccount } from '../../shared/use-cases/poll-account.js';
import { type RelayOutcome, relayPendingEvents } from '../../shared/use-cases/relay-outbox.js';
import { schedulePolls } from '../../shared/use-cases/schedule-polls.js';
import { scheduleRefreshes } from '../../shared/use-cases/schedule-refreshes.js';
import { type SyncOutcome, syncConnection } from '../../shared/use-cases/sync-connection.js';
import { DEFAULT_POLICY, type UseCaseDeps } from '../../shared/use-cases/use-case-deps.js';

/** The in-memory ports, wired, and the use cases' dependencies over them. */
export class MemoryPipeline {
  /** Runs before every port call of every adapter but the clock (see PortCall); replace it at will. */
  hook: OnPortCall | undefined;
  readonly services: MemoryServices = createMemoryServices({
    onCall: (call) => this.hook?.(call),
    // Every reading a millisecond later: the outbox (ordered by time) replays in write order.
    clock: { start: '2026-05-04T08:00:00.000Z', stepMs: 1 },
  });
  #registrations = 0;
  /** What every use case takes: the in-memory ports, a silent logger, the simulator environment. */
  readonly deps: UseCaseDeps = {
    ...this.services,
    logger: silentLogger,
    environment: 'simulator',
    policy: DEFAULT_POLICY,
    newId: () => `registration-${++this.#registrations}`,
  };
}

export interface CycleReport {
  polls: Map<AccountId, PollOutcome>;
  syncs: SyncOutcome[];
  relay: RelayOutcome;
  /** Messages whose one delivery failed (runCycle's `maxAttempts: 1`). */
  deadLetters: { message: PollAccountMessage | SyncConnectionMessage; reason: string }[];
}

/** Delivers every waiting sync (and the ones they queue), once each. */
export async function deliverSyncs(p: MemoryPipeline): Promise<SyncOutcome[]> {
  const outcomes: SyncOutcome[] = [];
  while (p.services.syncs.size() > 0) {
    await p.services.syncs.deliverOne(
      async (m) => {
        outcomes.push(await syncConnection(m, p.deps));
      },
      { maxAttempts: 1 },
    );
  }
  return outcomes;
}

/** One cycle: poll every registered account, deliver every sync, relay the outbox. */
export async function cycle(p: MemoryPipeline): Promise<CycleReport> {
  const { polls: pollQueue, syncs: syncQueue } = p.services;
  const before = { polls: pollQueue.deadLetters().length, syncs: syncQueue.deadLetters().length };
  await schedulePolls(p.deps);
  const polls = new Map<AccountId, PollOutcome>();
  while (pollQueue.size() > 0) {
    await pollQueue.deliverOne(
      async (m) => {
        polls.set(m.accountId, await pollAccount(m, p.deps));
      },
      { maxAttempts: 1 },
    );
  }
  const syncs = await deliverSyncs(p);
  const relay = await relayPendingEvents(p.deps);
  const deadLetters = [
    ...pollQueue.deadLetters().slice(before.polls),
    ...syncQueue.deadLetters().slice(before.syncs),
  ].map((d) => ({ message: d.message, reason: d.reason }));
  return { polls, syncs, relay, deadLetters };
}

/** Queues a configuration check of every provisioned and deactivated connection, then runs a cycle. */
export async function refreshAll(p: MemoryPipeline): Promise<CycleReport> {
  await scheduleRefreshes({ now: p.services.clock.now(), intervalMs: 60_000, windowMs: 60_000 }, p.deps);
  return cycle(p);
}

/** The events the bus took about a connection, in order. */
export function publishedAbout(p: MemoryPipeline, connectionId: string): OutboxEvent[] {
  return p.services.publisher
    .published()
    .filter((e) => (e.detail.connection as { id?: string } | undefined)?.id === connectionId);
}
