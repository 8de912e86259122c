import { capText } from '../domain/events/event-parts.js';
import type { OutboxEvent } from '../domain/model.js';
import type { StoreSlice } from './use-case-deps.js';

type Deps = StoreSlice<
  'publisher' | 'clock' | 'logger',
  'markEventsPublished' | 'markEventsDeadLettered' | 'listPendingEvents'
>;

export interface RelayOutcome {
  published: number;
  /** Not published this time; they stay pending for the next attempt. */
  failed: { eventId: string; reason: string }[];
  /** The bus can never take them: marked dead-lettered in the outbox (alarmed), not retried. */
  deadLettered: { eventId: string; detailType: string; reason: string }[];
}

/**
 * Publishes outbox events, then marks the ones the bus took as published and the ones it can
 * never take (permanent failures: an entry over 256 KB, a malformed detail) as dead-lettered, so
 * they leave the pending list instead of failing on every run. A crash between publishing and
 * marking publishes them again on the next run with the same eventId: at least once, never lost,
 * duplicates recognisable.
 */
export async function relayEvents(events: OutboxEvent[], deps: Deps): Promise<RelayOutcome> {
  if (events.length === 0) return { published: 0, failed: [], deadLettered: [] };
  const result = await deps.publisher.publish(events);
  const failedIds = new Set(result.failed.map((f) => f.eventId));
  const published = events.filter((e) => !failedIds.has(e.eventId)).map((e) => e.eventId);
  const now = deps.clock.now().toISOString();
  if (published.length > 0) await deps.store.markEventsPublished(published, now);

  const detailTypeOf = new Map(events.map((e) => [e.eventId, e.detailType]));
  const failed: RelayOutcome['failed'] = [];
  const deadLettered: RelayOutcome['deadLettered'] = [];
  for (const f of result.failed) {
    if (f.permanent) {
      deadLettered.push({
        eventId: f.eventId,
        detailType: detailTypeOf.get(f.eventId) ?? 'unknown',
        reason: capText(f.reason),
      });
    } else {
      failed.push({ eventId: f.eventId, reason: f.reason });
    }
  }
  if (deadLettered.length > 0) {
    await deps.store.markEventsDeadLettered(
      deadLettered.map(({ eventId, reason }) => ({ eventId, reason })),
      now,
    );
  }
  // Ids, detail-types and reasons only: never the detail.
  for (const d of deadLettered) {
    deps.logger.error('event dead-lettered: the bus can never take it; it left the pending outbox', { ...d });
  }
  for (const f of failed) deps.logger.error('event not published; it stays in the outbox', { ...f });
  return { published: published.length, failed, deadLettered };
}

/** Sweeps every pending outbox event (the local relay, and the scheduled safety net on AWS). */
export async function relayPendingEvents(deps: Deps, batchSize = 100): Promise<RelayOutcome> {
  const total: RelayOutcome = { published: 0, failed: [], deadLettered: [] };
  const attempted = new Set<string>();
  for (;;) {
    const batch = (await deps.store.listPendingEvents(batchSize)).filter((e) => !attempted.has(e.eventId));
    if (batch.length === 0) return total;
    for (const e of batch) attempted.add(e.eventId);
    const outcome = await relayEvents(batch, deps);
    total.published += outcome.published;
    total.failed.push(...outcome.failed);
    total.deadLettered.push(...outcome.deadLettered);
  }
}
