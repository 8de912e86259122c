import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { outboxEventFromStreamRecord } from '../../shared/adapters/aws/outbox-stream-records.js';
import { type RelayOutboxDeps, relayOutboxDeps } from '../../shared/composition/aws-services.js';
import { parseInput, withInvocation } from '../../shared/composition/lambda-invocation.js';
import { sweepOutboxInputSchema } from '../../shared/config/function-inputs.js';
import { METRIC } from '../../shared/config/metric-names.js';
import type { OutboxEvent } from '../../shared/domain/model.js';
import type { Logger } from '../../shared/ports/logger.js';
import { type RelayOutcome, relayEvents, relayPendingEvents } from '../../shared/use-cases/relay-outbox.js';

const processor = new BatchProcessor(EventType.DynamoDBStreams);

export interface SweepResult {
  published: number;
  failed: number;
  deadLettered: number;
}

/**
 * Publishes outbox events to the event bus, invoked either
 * - by the state table's stream: the batch's new outbox events go out together (PutEvents packs
 *   ten per request), and each record whose event was not published, or whose item cannot be
 *   read, is reported by its sequence number in `batchItemFailures`; or
 * - by the scheduled sweep (`{ "kind": "sweep-outbox" }` or `{ "sweep": true }`): every pending
 *   event, the safety net for what the stream path left behind. Events the bus refused stay
 *   pending for the next sweep.
 * Events the bus can never take (over 256 KB, malformed) are dead-lettered in the outbox instead:
 * off the pending list, one error line each, counted in the alarmed EventsDeadLettered metric, and
 * not reported as failed records (retrying them would fail the same way).
 */
export const handler = async (
  event: unknown,
  context?: Context,
): Promise<DynamoDBBatchResponse | SweepResult> =>
  withInvocation(context, async ({ logger, metrics }) => {
    const deps = relayOutboxDeps();
    if (isStreamEvent(event)) return relayStreamBatch(event, deps, metrics, logger, context);

    parseInput(sweepOutboxInputSchema, event, 'relay-outbox input (a stream batch or a sweep)');
    const outcome = await relayPendingEvents(deps);
    count(metrics, outcome.published, outcome.failed.length, outcome.deadLettered.length);
    const result = {
      published: outcome.published,
      failed: outcome.failed.length,
      deadLettered: outcome.deadLettered.length,
    };
    logger.info('outbox swept', { ...result });
    return result;
  });

function isStreamEvent(event: unknown): event is DynamoDBStreamEvent {
  return (
    typeof event === 'object' && event !== null && Array.isArray((event as { Records?: unknown }).Records)
  );
}

async function relayStreamBatch(
  event: DynamoDBStreamEvent,
  deps: RelayOutboxDeps,
  metrics: Metrics,
  logger: Logger,
  context: Context | undefined,
): Promise<DynamoDBBatchResponse> {
  // Read every record first, so the batch's events are published together.
  const eventIdOf = new Map<DynamoDBRecord, string>();
  const unreadable = new Map<DynamoDBRecord, Error>();
  const events = new Map<string, OutboxEvent>();
  for (const record of event.Records) {
    try {
      const read = outboxEventFromStreamRecord(record);
      if (read.kind === 'skip') continue;
      eventIdOf.set(record, read.event.eventId);
      events.set(read.event.eventId, read.event);
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      unreadable.set(record, e);
      logger.error('outbox stream record unreadable: reported failed', {
        sequenceNumber: record.dynamodb?.SequenceNumber,
        eventID: record.eventID,
        error: e,
      });
    }
  }

  const outcome: RelayOutcome = await relayEvents([...events.values()], deps);
  count(metrics, outcome.published, outcome.failed.length + unreadable.size, outcome.deadLettered.length);
  const refused = new Map(outcome.failed.map((f) => [f.eventId, f.reason]));

  const settle = async (record: DynamoDBRecord): Promise<void> => {
    const error = unreadable.get(record);
    if (error) throw error;
    const eventId = eventIdOf.get(record);
    const reason = eventId === undefined ? undefined : refused.get(eventId);
    if (reason !== undefined) throw new Error(`event ${eventId} not published: ${reason}`);
  };
  // Every record failing is a partial response too: each failure was logged once above, and the
  // Errors alarm means the function itself broke.
  const response = await processPartialResponse(event, settle, processor, {
    context,
    processInParallel: false,
    throwOnFullBatchFailure: false,
  });
  logger.info('outbox stream batch relayed', {
    records: event.Records.length,
    events: events.size,
    published: outcome.published,
    deadLettered: outcome.deadLettered.length,
    failedRecords: response.batchItemFailures.length,
  });
  return response;
}

function count(metrics: Metrics, published: number, failed: number, deadLettered: number): void {
  metrics.addMetric(METRIC.eventsPublished, MetricUnit.Count, published);
  metrics.addMetric(METRIC.eventsFailed, MetricUnit.Count, failed);
  metrics.addMetric(METRIC.eventsDeadLettered, MetricUnit.Count, deadLettered);
}
