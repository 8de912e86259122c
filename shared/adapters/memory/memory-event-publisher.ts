import { entryTooLargeReason, outboxEventEntrySize } from '../../domain/events/entry-size.js';
import type { OutboxEvent } from '../../domain/model.js';
import type { EventPublisher, PublishResult } from '../../ports/event-publisher.js';
import { beforeCall, type MemoryAdapterOptions, type OnPortCall } from './port-call.js';

/** An entry the bus took. Duplicates are kept: delivery is at least once. */
export interface PublishedEntry {
  event: OutboxEvent;
  source: string;
  /** 1-based position among every entry taken so far. */
  sequence: number;
}

/** Which entries an injected failure hits, and how. */
export interface EntryFailureRule {
  match?: (event: OutboxEvent) => boolean;
  /** How many entries it fails; until cleared when left out. */
  times?: number;
  reason?: string;
  /** Whether a retry can never succeed (default false: throttling-like, stays pending). */
  permanent?: boolean;
}

export interface MemoryEventPublisherOptions extends MemoryAdapterOptions {
  /** The deployment's source (counts towards the entry size). Default `memory.provisioner`. */
  source?: string;
}

/**
 * The event bus in memory: records every entry it takes, refuses what EventBridge refuses (an
 * entry of 256 KB or more, an unreadable time: failed and permanent), and fails entries a test
 * asks it to (`failEntries`). A whole-call failure (the bus unreachable) is the hook throwing.
 */
export class MemoryEventPublisher implements EventPublisher {
  readonly source: string;
  readonly #entries: PublishedEntry[] = [];
  readonly #rules: (EntryFailureRule & { remaining: number })[] = [];
  readonly #onCall: OnPortCall | undefined;

  constructor(options: MemoryEventPublisherOptions = {}) {
    this.source = options.source ?? 'memory.provisioner';
    this.#onCall = options.onCall;
  }

  async publish(events: OutboxEvent[]): Promise<PublishResult> {
    await beforeCall(this.#onCall, 'EventPublisher', 'publish', [events]);
    const failed: PublishResult['failed'] = [];
    for (const event of events) {
      if (Number.isNaN(new Date(event.time).getTime())) {
        failed.push({
          eventId: event.eventId,
          reason: `time ${JSON.stringify(event.time)} is not a valid timestamp`,
          permanent: true,
        });
        continue;
      }
      const tooLarge = entryTooLargeReason(outboxEventEntrySize(event, this.source));
      if (tooLarge !== undefined) {
        failed.push({ eventId: event.eventId, reason: `${tooLarge}: not sent`, permanent: true });
        continue;
      }
      const rule = this.#rules.find((r) => r.remaining > 0 && (r.match?.(event) ?? true));
      if (rule) {
        rule.remaining--;
        failed.push({
          eventId: event.eventId,
          reason: rule.reason ?? 'InternalFailure: injected',
          permanent: rule.permanent ?? false,
        });
        continue;
      }
      this.#entries.push({
        event: structuredClone(event),
        source: this.source,
        sequence: this.#entries.length + 1,
      });
    }
    this.#prune();
    return { failed };
  }

  // ---- inspection and fault injection (no port call, no hook) ----

  /** Every entry taken, in order (copies). */
  entries(): PublishedEntry[] {
    return this.#entries.map((e) => structuredClone(e));
  }

  /** The events taken, in order, duplicates included. */
  published(): OutboxEvent[] {
    return this.#entries.map((e) => structuredClone(e.event));
  }

  /** Fails matching entries (all when no `match`) `times` times, or until cleared. Rules apply in order. */
  failEntries(rule: EntryFailureRule = {}): void {
    this.#rules.push({ ...rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
  }

  clearFailures(): void {
    this.#rules.length = 0;
  }

  #prune(): void {
    for (let i = this.#rules.length - 1; i >= 0; i--)
      if (this.#rules[i]?.remaining === 0) this.#rules.splice(i, 1);
  }
}
