import { pollAccountDeps } from '../../shared/composition/aws-services.js';
import { sqsRecordHandler } from '../../shared/composition/sqs-record-handler.js';
import { METRIC } from '../../shared/config/metric-names.js';
import { pollAccount } from '../../shared/use-cases/poll-account.js';
import { pollAccountMessageSchema } from './poll-account-message.schema.js';

/**
 * account-polls -> poll one account per message. A message that fails (a transient Mews or AWS
 * error, a poison body, or too little time left to start it) is reported alone in
 * `batchItemFailures`: SQS retries it and, after maxReceiveCount, dead-letters it. A poll that
 * cannot store all its new tokens by the record's deadline queues a continuation and succeeds.
 */
export const handler = sqsRecordHandler({
  message: 'poll-account message',
  schema: pollAccountMessageSchema,
  deps: () => pollAccountDeps(),
  run: (message, deps) => pollAccount(message, deps),
  metricsOf: (outcome) => {
    if (outcome.status === 'polled' || outcome.status === 'continued') {
      return { [METRIC.pollSucceeded]: 1, [METRIC.connectionsDiscovered]: outcome.discovered };
    }
    if (outcome.status === 'access-failed' && outcome.newlyFailing)
      return { [METRIC.accountAccessFailed]: 1 };
    return {};
  },
  failedMetric: METRIC.pollFailed,
  failure: 'account poll failed',
});
