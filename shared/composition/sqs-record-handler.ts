import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { z } from 'zod';
import { METRIC, type MetricName } from '../config/metric-names.js';
import { InvalidInputError, parseSqsMessage, receiveCount, withInvocation } from './lambda-invocation.js';
import { remainingMs, withDeadline } from './work-deadline.js';

/**
 * How a queue-fed function spends its invocation. Each record's Mews calls end by a deadline:
 * its fair share of what is left (at least minRecordMs), so a slow record fails only itself and
 * the records after it still get their turn; reserveMs stays free at the end for the record's own
 * AWS writes and the answer to Lambda. A record that would get less than minRecordMs is not
 * started: it goes back to the queue. So no batch outlives its function, however slow Mews is.
 */
export const RECORD_BUDGET = {
  reserveMs: 5_000,
  minRecordMs: 3_000,
} as const;

export interface SqsRecordHandlerSpec<S extends MessageSchema, D, O> {
  /** Names the message in errors: `poll-account message`. */
  message: string;
  schema: S;
  /** The use case's dependencies, built once per container (a failure is an invocation error). */
  deps: () => Promise<D>;
  /** One record's work; what it throws fails that record alone. */
  run: (message: z.infer<S>, deps: D) => Promise<O>;
  /** The metrics an outcome adds (name -> count). */
  metricsOf: (outcome: O) => Partial<Record<MetricName, number>>;
  /** Counted once per record that failed, poison ones included. */
  failedMetric: MetricName;
  /** The failure line: `account poll failed` (the line adds "the message will be retried"). */
  failure: string;
}

/** Whatever schema parseSqsMessage takes. */
type MessageSchema = Parameters<typeof parseSqsMessage>[1];

/** A record handed back because too little of the invocation was left to start it. */
class RecordNotStarted extends Error {
  override readonly name = 'RecordNotStarted';
}

/**
 * The Lambda handler of an SQS queue: records one after another (the queue's maximum concurrency
 * caps the Mews calls in flight), each parsed with the schema and run with its deadline. A record
 * that fails, or is not started, is reported alone in `batchItemFailures` (SQS retries it, then
 * dead-letters it) with exactly one log line; a batch where every record fails is a partial
 * response too, never an invocation error: the Errors alarm means the function itself broke.
 */
export function sqsRecordHandler<S extends MessageSchema, D, O>(spec: SqsRecordHandlerSpec<S, D, O>) {
  const processor = new BatchProcessor(EventType.SQS);
  return (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> =>
    withInvocation(context, async ({ logger, metrics }) => {
      const deps = await spec.deps();
      const count = (name: MetricName, value = 1) => metrics.addMetric(name, MetricUnit.Count, value);
      let started = 0;

      const one = async (record: SQSRecord): Promise<void> => {
        const where = { messageId: record.messageId, receiveCount: receiveCount(record) };
        // The clock is read before the remaining time: now + available errs early, never late.
        const now = Date.now();
        const available = remainingMs(context) - RECORD_BUDGET.reserveMs;
        const share = available / (event.Records.length - started++);
        if (available < RECORD_BUDGET.minRecordMs) {
          count(METRIC.recordsNotStarted);
          logger.warn('record not started: too little time left; the message will be retried', {
            ...where,
            remainingMs: remainingMs(context),
          });
          throw new RecordNotStarted(`${record.messageId} not started`);
        }
        const budgetMs = Math.floor(Math.max(RECORD_BUDGET.minRecordMs, share));
        try {
          const message = parseSqsMessage(record, spec.schema, spec.message);
          const outcome = await withDeadline(now + budgetMs, () => spec.run(message, deps));
          for (const [name, value] of Object.entries(spec.metricsOf(outcome))) {
            count(name as MetricName, value);
          }
        } catch (error) {
          count(spec.failedMetric);
          if (error instanceof InvalidInputError) {
            logger.error('poison message: it will be retried, then dead-lettered', {
              ...where,
              issues: error.issues,
            });
          } else {
            logger.error(`${spec.failure}: the message will be retried`, {
              ...where,
              budgetMs,
              error,
            });
          }
          throw error;
        }
      };

      return processPartialResponse(event, one, processor, {
        context,
        processInParallel: false,
        throwOnFullBatchFailure: false,
      });
    });
}
