import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { pollAccountDeps } from '../../shared/composition/aws-services.js';
import {
  InvalidInputError,
  parseSqsMessage,
  receiveCount,
  withInvocation,
} from '../../shared/composition/lambda-invocation.js';
import { METRIC } from '../../shared/config/metric-names.js';
import { pollAccount } from '../../shared/use-cases/poll-account.js';
import { pollAccountMessageSchema } from './poll-account-message.schema.js';

const processor = new BatchProcessor(EventType.SQS);

/**
 * account-polls -> poll one account per message. A message that fails (a transient Mews or AWS
 * error, or a poison body) is reported alone in `batchItemFailures`: SQS retries it and, after
 * maxReceiveCount, dead-letters it; the other accounts of the batch are done.
 *
 * Records run one after another, so the queue's maximum concurrency caps the Mews calls in flight.
 */
export const handler = async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> =>
  withInvocation(context, async ({ logger, metrics }) => {
    const deps = await pollAccountDeps();

    const pollOne = async (record: SQSRecord): Promise<void> => {
      const where = { messageId: record.messageId, receiveCount: receiveCount(record) };
      try {
        const message = parseSqsMessage(record, pollAccountMessageSchema, 'poll-account message');
        const outcome = await pollAccount({ accountId: message.accountId }, deps);
        if (outcome.status === 'polled') {
          metrics.addMetric(METRIC.pollSucceeded, MetricUnit.Count, 1);
          metrics.addMetric(METRIC.connectionsDiscovered, MetricUnit.Count, outcome.discovered);
        } else if (outcome.status === 'access-failed' && outcome.newlyFailing) {
          metrics.addMetric(METRIC.accountAccessFailed, MetricUnit.Count, 1);
        }
      } catch (error) {
        metrics.addMetric(METRIC.pollFailed, MetricUnit.Count, 1);
        if (error instanceof InvalidInputError) {
          logger.error('poison message: it will be retried, then dead-lettered', {
            ...where,
            issues: error.issues,
          });
        } else {
          logger.error('account poll failed: the message will be retried', { ...where, error });
        }
        throw error;
      }
    };

    return processPartialResponse(event, pollOne, processor, { context, processInParallel: false });
  });
