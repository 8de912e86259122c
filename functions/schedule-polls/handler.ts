import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { schedulePollsDeps } from '../../shared/composition/aws-services.js';
import { parseInput, withInvocation } from '../../shared/composition/lambda-invocation.js';
import { schedulePollsInputSchema } from '../../shared/config/function-inputs.js';
import { METRIC } from '../../shared/config/metric-names.js';
import { schedulePolls } from '../../shared/use-cases/schedule-polls.js';

/**
 * EventBridge Scheduler -> one poll message per registered account on the account-polls queue,
 * and this cycle's share of configuration refreshes on the connection-syncs queue, the window
 * taken from the input's `scheduledTime` (the same on Lambda's retries of this run). Without one
 * (a manual invoke) the window starts at the clock's now, and the log line says so.
 * A failure (DynamoDB, SQS) throws: Lambda retries the run, then sends it to the failed-runs queue.
 */
export const handler = async (
  event: unknown,
  context?: Context,
): Promise<{ accounts: number; refreshes: number }> =>
  withInvocation(context, async ({ logger, metrics }) => {
    const input = parseInput(schedulePollsInputSchema, event, 'schedule-polls input');
    if (input.scheduledTime === undefined) {
      logger.info('no scheduledTime in the input (a manual run?): the refresh window starts now');
    }
    const scheduledTime = input.scheduledTime === undefined ? undefined : new Date(input.scheduledTime);
    const { accounts, refreshes } = await schedulePolls(schedulePollsDeps(), { scheduledTime });
    metrics.addMetric(METRIC.pollCycleScheduled, MetricUnit.Count, 1);
    metrics.addMetric(METRIC.accountsScheduled, MetricUnit.Count, accounts);
    return { accounts, refreshes };
  });
