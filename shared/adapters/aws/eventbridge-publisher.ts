import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import type { OutboxEvent } from '../../domain/model.js';
import type { EventPublisher, PublishResult } from '../../ports/event-publisher.js';
import { describeAwsError, type RetryOptions, resolveRetry, utf8Bytes } from './aws-support.js';

/** PutEvents takes at most 10 entries per request. */
export const MAX_PUT_EVENTS_ENTRIES = 10;
/** EventBridge: "The total entry size must be less than 256KB", per entry and per request. */
export const PUT_EVENTS_SIZE_LIMIT = 256 * 1024;

/**
 * Per-entry error codes EventBridge documents as not retryable; any other code (documented
 * retryable ones: InternalFailure, ThrottlingException; and codes we do not know) is retried.
 */
const PERMANENT_ENTRY_ERRORS = new Set([
  'AccessDeniedException',
  'InvalidAccountIdException',
  'InvalidArgument',
  'MalformedDetail',
  'RedactionFailure',
  'NotAuthorizedForSourceException',
  'NotAuthorizedForDetailTypeException',
]);

export interface EventBridgePublisherOptions extends RetryOptions {
  client: EventBridgeClient;
  eventBusName: string;
  /** The deployment's event source, e.g. `com.example.mews-provisioner`. */
  source: string;
}

export function toPutEventsEntry(
  event: OutboxEvent,
  source: string,
  eventBusName: string,
): PutEventsRequestEntry {
  return {
    EventBusName: eventBusName,
    Source: source,
    DetailType: event.detailType,
    Detail: JSON.stringify(event.detail),
    Time: new Date(event.time),
    Resources: [],
  };
}

/**
 * The entry size as EventBridge computes it: 14 bytes for Time, plus the UTF-8 bytes of Source,
 * DetailType, Detail and each Resources entry (EventBusName does not count).
 */
export function putEventsEntrySize(entry: PutEventsRequestEntry): number {
  let size = entry.Time === undefined ? 0 : 14;
  size += utf8Bytes(entry.Source ?? '') + utf8Bytes(entry.DetailType ?? '');
  if (entry.Detail !== undefined) size += utf8Bytes(entry.Detail);
  for (const resource of entry.Resources ?? []) size += utf8Bytes(resource);
  return size;
}

interface Pending {
  index: number;
  eventId: string;
  entry: PutEventsRequestEntry;
  size: number;
}

/**
 * EventBridge behind the EventPublisher port. Packs events into requests of at most 10 entries
 * and under 256 KB, retries only the entries a response reports failed (bounded, with
 * backoff), and returns what still failed; it throws only for programming errors.
 */
export class EventBridgePublisher implements EventPublisher {
  private readonly client: EventBridgeClient;
  private readonly eventBusName: string;
  private readonly source: string;
  private readonly retry;

  constructor(options: EventBridgePublisherOptions) {
    this.client = options.client;
    this.eventBusName = options.eventBusName;
    this.source = options.source;
    this.retry = resolveRetry(options);
  }

  async publish(events: OutboxEvent[]): Promise<PublishResult> {
    const failures = new Map<number, PublishResult['failed'][number]>();
    const fail = (p: { index: number; eventId: string }, reason: string) =>
      failures.set(p.index, { eventId: p.eventId, reason });

    const sendable: Pending[] = [];
    events.forEach((event, index) => {
      const entry = toPutEventsEntry(event, this.source, this.eventBusName);
      if (Number.isNaN(entry.Time?.getTime())) {
        fail(
          { index, eventId: event.eventId },
          `time ${JSON.stringify(event.time)} is not a valid timestamp; not sent`,
        );
        return;
      }
      const size = putEventsEntrySize(entry);
      if (size >= PUT_EVENTS_SIZE_LIMIT) {
        fail(
          { index, eventId: event.eventId },
          `the entry is ${size} bytes; EventBridge takes entries under ${PUT_EVENTS_SIZE_LIMIT} bytes (256 KB): not sent`,
        );
        return;
      }
      sendable.push({ index, eventId: event.eventId, entry, size });
    });

    for (const batch of packBatches(sendable)) await this.sendBatch(batch, fail);

    return { failed: [...failures.entries()].sort(([a], [b]) => a - b).map(([, f]) => f) };
  }

  private async sendBatch(batch: Pending[], fail: (p: Pending, reason: string) => void): Promise<void> {
    let remaining = batch;
    for (let attempt = 1; ; attempt++) {
      let results: { EventId?: string; ErrorCode?: string; ErrorMessage?: string }[];
      try {
        const out = await this.client.send(new PutEventsCommand({ Entries: remaining.map((p) => p.entry) }));
        results = out.Entries ?? [];
      } catch (error) {
        const info = describeAwsError(error);
        const reason = `PutEvents request failed: ${info.code}: ${info.message}`;
        for (const p of remaining) fail(p, attempt > 1 ? `${reason} (attempt ${attempt})` : reason);
        return;
      }

      const retryable: { pending: Pending; reason: string }[] = [];
      remaining.forEach((pending, i) => {
        const result = results[i];
        if (result?.EventId && !result.ErrorCode) return;
        const code = result?.ErrorCode ?? 'NoResult';
        const reason = `${code}: ${result?.ErrorMessage ?? (result ? 'no message' : 'the response has no entry for it')}`;
        if (PERMANENT_ENTRY_ERRORS.has(code)) fail(pending, reason);
        else retryable.push({ pending, reason });
      });
      if (retryable.length === 0) return;
      if (attempt >= this.retry.maxAttempts) {
        for (const r of retryable) fail(r.pending, `${r.reason} (after ${attempt} attempts)`);
        return;
      }
      await this.retry.sleep(this.retry.delayBefore(attempt));
      remaining = retryable.map((r) => r.pending);
    }
  }
}

/** Greedy, in order: a new request starts at 10 entries or when the next one would reach 256 KB. */
function packBatches(pending: Pending[]): Pending[][] {
  const batches: Pending[][] = [];
  let current: Pending[] = [];
  let bytes = 0;
  for (const p of pending) {
    if (
      current.length === MAX_PUT_EVENTS_ENTRIES ||
      (current.length > 0 && bytes + p.size >= PUT_EVENTS_SIZE_LIMIT)
    ) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(p);
    bytes += p.size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
