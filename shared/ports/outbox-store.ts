import type { OutboxEvent } from '../domain/model.js';

/** The transactional outbox: events written with their state change, relayed to the bus. */
export interface OutboxStore {
  /**
   * Puts events into the outbox with no state change (facts like a failed provisioning).
   * An event whose id is already stored is skipped. Returns how many were new.
   */
  appendEvents(events: OutboxEvent[]): Promise<number>;
  /** Outbox events not yet published, oldest first. */
  listPendingEvents(limit: number): Promise<OutboxEvent[]>;
  markEventsPublished(eventIds: string[], at: string): Promise<void>;
  /**
   * Takes events the bus can never take (publishing them again fails the same way) off the
   * pending list, keeping `deadLetteredAt` and the reason with them; they stay readable by
   * listEventsFor (a fixed version can replay them). Repeats, unknown ids and events already
   * published change nothing.
   */
  markEventsDeadLettered(entries: { eventId: string; reason: string }[], at: string): Promise<void>;
  /** Every outbox event about a subject (connection or account id), oldest first: for replay. */
  listEventsFor(subject: string): Promise<OutboxEvent[]>;
}
