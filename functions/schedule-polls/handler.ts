import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { schedulePollsDeps } from '../../shared/composition/aws-services.js';
import { parseInput, withInvocation } from '../../shared/composition/lambda-invocation.js';
import { schedulePollsInputSchema } from '../../shared/config/function-inputs.js';
import { METRIC } from '../../shared/config/metric-names.js';
import { schedulePolls } from '../../shared/use-cases/schedule-polls.js';

/**
 * EventBridge Scheduler -> one poll message per registered account on the account-polls queue,
 * and this cycle's share of configuration refreshes on the connection-syncs queue.
 * A failure (DynamoDB, SQS) throws: the scheduler retries the invocation, then dead-letters it.
 */
export const handler = async (
  event: unknown,
  context?: Context,
): Promise<{ accounts: number; refreshes: number }> =>
  withInvocation(context, async ({ metrics }) => {
    parseInput(schedulePollsInputSchema, event, 'schedule-polls input');
    const { accounts, refreshes } = await schedulePolls(schedulePollsDeps());
    metrics.addMetric(METRIC.pollCycleScheduled, MetricUnit.Count, 1);
    metrics.addMetric(METRIC.accountsScheduled, MetricUnit.Count, accounts);
    return { accounts, refreshes };
  });
