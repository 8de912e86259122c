import { syncConnectionDeps } from '../../shared/composition/aws-services.js';
import { sqsRecordHandler } from '../../shared/composition/sqs-record-handler.js';
import { METRIC } from '../../shared/config/metric-names.js';
import { syncConnection } from '../../shared/use-cases/sync-connection.js';
import { syncConnectionMessageSchema } from './sync-connection-message.schema.js';

/**
 * connection-syncs -> provision one connection per message (getConfiguration, snapshot, outbox).
 * A permanent Mews refusal is an outcome (a `Connection Provisioning Failed` event, metric
 * ProvisioningFailed); anything that throws fails only its record, which SQS retries and then
 * dead-letters (metric SyncFailed). One large configuration at a time stays within the memory.
 */
export const handler = sqsRecordHandler({
  message: 'sync-connection message',
  schema: syncConnectionMessageSchema,
  deps: () => syncConnectionDeps(),
  run: ({ connectionId, accountId, reason }, deps) =>
    syncConnection({ connectionId, accountId, reason }, deps),
  metricsOf: (outcome) => {
    if (outcome.status === 'provisioned') return { [METRIC.connectionProvisioned]: 1 };
    if (outcome.status === 'failed') return { [METRIC.provisioningFailed]: 1 };
    return {};
  },
  failedMetric: METRIC.syncFailed,
  failure: 'connection sync failed',
});
