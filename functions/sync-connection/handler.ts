import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { syncConnectionDeps } from '../../shared/composition/aws-services.js';
import {
  InvalidInputError,
  parseSqsMessage,
  receiveCount,
  withInvocation,
} from '../../shared/composition/lambda-invocation.js';
import { METRIC } from '../../shared/config/metric-names.js';
import { syncConnection } from '../../shared/use-cases/sync-connection.js';
import { syncConnectionMessageSchema } from './sync-connection-message.schema.js';

const processor = new BatchProcessor(EventType.SQS);

/**
 * connection-syncs -> provision one connection per message (getConfiguration, snapshot, outbox).
 * A permanent Mews refusal is an outcome (a `Connection Provisioning Failed` event, metric
 * ProvisioningFailed); anything that throws fails only its record, which SQS retries and then
 * dead-letters (metric SyncFailed).
 *
 * Records run one after another: the queue's maximum concurrency caps the Mews calls in flight,
 * and one large configuration at a time stays within the function's memory.
 */
export const handler = async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> =>
  withInvocation(context, async ({ logger, metrics }) => {
    const deps = await syncConnectionDeps();

    const syncOne = async (record: SQSRecord): Promise<void> => {
      const where = { messageId: record.messageId, receiveCount: receiveCount(record) };
      try {
        const message = parseSqsMessage(record, syncConnectionMessageSchema, 'sync-connection message');
        const outcome = await syncConnection(
          { connectionId: message.connectionId, accountId: message.accountId, reason: message.reason },
          deps,
        );
        if (outcome.status === 'provisioned')
          metrics.addMetric(METRIC.connectionProvisioned, MetricUnit.Count, 1);
        if (outcome.status === 'failed') metrics.addMetric(METRIC.provisioningFailed, MetricUnit.Count, 1);
      } catch (error) {
        metrics.addMetric(METRIC.syncFailed, MetricUnit.Count, 1);
        if (error instanceof InvalidInputError) {
          logger.error('poison message: it will be retried, then dead-lettered', {
            ...where,
            issues: error.issues,
          });
        } else {
          logger.error('connection sync failed: the message will be retried', { ...where, error });
        }
        throw error;
      }
    };

    return processPartialResponse(event, syncOne, processor, { context, processInParallel: false });
  });
