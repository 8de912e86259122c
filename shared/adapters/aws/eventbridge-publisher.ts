import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import {
  EVENTBRIDGE_ENTRY_LIMIT_BYTES,
  EVENTBRIDGE_MAX_ENTRIES_PER_REQUEST,
  entryTooLargeReason,
  putEventsEntrySize,
} from '../../domain/events/entry-size.js';
import type { OutboxEvent } from '../../domain/model.js';
import { packBatches } from '../../lib/batches.js';
import type { EventPublisher, PublishResult } from '../../ports/event-publisher.js';
import { describeAwsError, type RetryOptions, resolveRetry } from './aws-support.js';

/**
 * Per-entry error codes EventBridge documents as not retryable. Not retried within a call; any
 * other code (the documented retryable ones, InternalFailure and ThrottlingException, and codes
 * we do not know) is retried with backoff.
 */
const NOT_RETRYABLE_ENTRY_ERRORS = new Set([
  'AccessDeniedException',
  'InvalidAccountIdException',
  'InvalidArgument',
  'MalformedDetail',
  'RedactionFailure',
  'NotAuthorizedForSourceException',
  'NotAuthorizedForDetailTypeException',
]);

/**
 * Of those, the ones about the entry itself: the same entry fails the same way forever, so it is
 * reported permanent (the relay dead-letters it). The others (access, account, source and
 * detail-type permissions, CloudTrail redaction) depend on the deployment: once fixed, the same
 * entry goes through, so the event stays pending for a later attempt.
 */
const PERMANENT_ENTRY_ERRORS = new Set(['InvalidArgument', 'MalformedDetail']);

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

interface Pending {
  index: number;
  eventId: string;
  entry: PutEventsRequestEntry;
  size: number;
}

/**
 * EventBridge behind the EventPublisher port. Never sends an entry EventBridge would refuse for
 * its size (or an unreadable time): those come back failed and permanent. Packs the rest into
 * requests of at most 10 entries and under 256 KB, retries only the entries a response reports
 * failed (bounded, with backoff), and returns what still failed, permanent when the same entry
 * can never succeed; it throws only for programming errors.
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
    const fail = (p: { index: number; eventId: string }, reason: string, permanent: boolean) =>
      failures.set(p.index, { eventId: p.eventId, reason, permanent });

    const sendable: Pending[] = [];
    events.forEach((event, index) => {
      const entry = toPutEventsEntry(event, this.source, this.eventBusName);
      if (Number.isNaN(entry.Time?.getTime())) {
        fail(
          { index, eventId: event.eventId },
          `time ${JSON.stringify(event.time)} is not a valid timestamp; not sent`,
          true,
        );
        return;
      }
      const size = putEventsEntrySize(entry);
      const tooLarge = entryTooLargeReason(size);
      if (tooLarge !== undefined) {
        fail({ index, eventId: event.eventId }, `${tooLarge}: not sent`, true);
        return;
      }
      sendable.push({ index, eventId: event.eventId, entry, size });
    });

    // A request, like an entry, must stay under 256 KB.
    const batches = packBatches(sendable, {
      maxCount: EVENTBRIDGE_MAX_ENTRIES_PER_REQUEST,
      maxBytes: EVENTBRIDGE_ENTRY_LIMIT_BYTES - 1,
      sizeOf: (p) => p.size,
    });
    for (const batch of batches) await this.sendBatch(batch, fail);

    return { failed: [...failures.entries()].sort(([a], [b]) => a - b).map(([, f]) => f) };
  }

  private async sendBatch(
    batch: Pending[],
    fail: (p: Pending, reason: string, permanent: boolean) => void,
  ): Promise<void> {
    let remaining = batch;
    for (let attempt = 1; ; attempt++) {
      let results: { EventId?: string; ErrorCode?: string; ErrorMessage?: string }[];
      try {
        const out = await this.client.send(new PutEventsCommand({ Entries: remaining.map((p) => p.entry) }));
        results = out.Entries ?? [];
      } catch (error) {
        const info = describeAwsError(error);
        const reason = `PutEvents request failed: ${info.code}: ${info.message}`;
        for (const p of remaining) fail(p, attempt > 1 ? `${reason} (attempt ${attempt})` : reason, false);
        return;
      }

      const retryable: { pending: Pending; reason: string }[] = [];
      remaining.forEach((pending, i) => {
        const result = results[i];
        if (result?.EventId && !result.ErrorCode) return;
        const code = result?.ErrorCode ?? 'NoResult';
        const reason = `${code}: ${result?.ErrorMessage ?? (result ? 'no message' : 'the response has no entry for it')}`;
        if (NOT_RETRYABLE_ENTRY_ERRORS.has(code)) fail(pending, reason, PERMANENT_ENTRY_ERRORS.has(code));
        else retryable.push({ pending, reason });
      });
      if (retryable.length === 0) return;
      if (attempt >= this.retry.maxAttempts) {
        for (const r of retryable) fail(r.pending, `${r.reason} (after ${attempt} attempts)`, false);
        return;
      }
      await this.retry.sleep(this.retry.delayBefore(attempt));
      remaining = retryable.map((r) => r.pending);
    }
  }
}
