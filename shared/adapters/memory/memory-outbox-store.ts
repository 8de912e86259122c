import type { OutboxEvent } from '../../domain/model.js';
import type { OutboxStore } from '../../ports/outbox-store.js';
import { type MemoryStateTable, readEvent, uniqueEventIds } from './memory-state-table.js';
import { beforeCall, type MemoryAdapterOptions, type OnPortCall } from './port-call.js';

const PORT = 'OutboxStore';

/** OutboxStore over the in-memory state table: pending and replay lists in `<time>#<eventId>` order. */
export class MemoryOutboxStore implements OutboxStore {
  readonly #table: MemoryStateTable;
  readonly #onCall: OnPortCall | undefined;

  constructor(options: MemoryAdapterOptions & { table: MemoryStateTable }) {
    this.#table = options.table;
    this.#onCall = options.onCall;
  }

  async appendEvents(events: OutboxEvent[]): Promise<number> {
    await beforeCall(this.#onCall, PORT, 'appendEvents', [events]);
    uniqueEventIds(events);
    let written = 0;
    for (const event of events) if (this.#table.putEvent(event)) written++;
    return written;
  }

  async listPendingEvents(limit: number): Promise<OutboxEvent[]> {
    await beforeCall(this.#onCall, PORT, 'listPendingEvents', [limit]);
    if (!(limit > 0)) return [];
    return this.#table
      .eventsWhere((e) => e.publishedAt === null && e.deadLetteredAt === null)
      .slice(0, limit)
      .map(readEvent);
  }

  async markEventsPublished(eventIds: string[], at: string): Promise<void> {
    await beforeCall(this.#onCall, PORT, 'markEventsPublished', [eventIds, at]);
    if (Number.isNaN(Date.parse(at))) throw new Error(`markEventsPublished: "${at}" is not an ISO timestamp`);
    for (const eventId of new Set(eventIds)) {
      const stored = this.#table.events.get(eventId);
      if (stored && stored.publishedAt === null) stored.publishedAt = at;
    }
  }

  /** Off the pending list with the time and reason; published, dead-lettered or unknown ones stay as they are. */
  async markEventsDeadLettered(entries: { eventId: string; reason: string }[], at: string): Promise<void> {
    await beforeCall(this.#onCall, PORT, 'markEventsDeadLettered', [entries, at]);
    if (Number.isNaN(Date.parse(at)))
      throw new Error(`markEventsDeadLettered: "${at}" is not an ISO timestamp`);
    for (const [eventId, reason] of new Map(entries.map((e) => [e.eventId, e.reason]))) {
      const stored = this.#table.events.get(eventId);
      if (!stored || stored.publishedAt !== null || stored.deadLetteredAt !== null) continue;
      stored.deadLetteredAt = at;
      stored.deadLetterReason = reason;
    }
  }

  async listEventsFor(subject: string): Promise<OutboxEvent[]> {
    await beforeCall(this.#onCall, PORT, 'listEventsFor', [subject]);
    return this.#table.eventsWhere((e) => e.subject === subject).map(readEvent);
  }
}
