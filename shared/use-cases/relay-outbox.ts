import type { OutboxEvent } from '../domain/model.js';
import type { UseCaseDeps } from './use-case-deps.js';

type Deps = Pick<UseCaseDeps, 'store' | 'publisher' | 'clock' | 'logger'>;

export interface RelayOutcome {
  published: number;
  failed: { eventId: string; reason: string }[];
}

/**
 * Publishes outbox events, then marks the ones the bus took as published. A crash between
 * the two publishes them again on the next run with the same eventId: at least once,
 * never lost, duplicates recognisable.
 */
export async function relayEvents(events: OutboxEvent[], deps: Deps): Promise<RelayOutcome> {
  if (events.length === 0) return { published: 0, failed: [] };
  const { failed } = await deps.publisher.publish(events);
  const failedIds = new Set(failed.map((f) => f.eventId));
  const published = events.filter((e) => !failedIds.has(e.eventId)).map((e) => e.eventId);
  if (published.length > 0) await deps.store.markEventsPublished(published, deps.clock.now().toISOString());
  for (const f of failed) deps.logger.error('event not published; it stays in the outbox', { ...f });
  return { published: published.length, failed };
}

/** Sweeps every pending outbox event (the local relay, and the scheduled safety net on AWS). */
export async function relayPendingEvents(deps: Deps, batchSize = 100): Promise<RelayOutcome> {
  const total: RelayOutcome = { published: 0, failed: [] };
  const attempted = new Set<string>();
  for (;;) {
    const batch = (await deps.store.listPendingEvents(batchSize)).filter((e) => !attempted.has(e.eventId));
    if (batch.length === 0) return total;
    for (const e of batch) attempted.add(e.eventId);
    const outcome = await relayEvents(batch, deps);
    total.published += outcome.published;
    total.failed.push(...outcome.failed);
  }
}
