/**
 * EventBridge Scheduler invokes Lambda asynchronously: once Lambda accepts the event, the
 * scheduler's retries and dead-letter queue are out of the picture and a function error is
 * Lambda's to retry. Both scheduled functions therefore carry their own async configuration, with
 * an on-failure destination that is alarmed like every dead-letter queue.
 */
import { describe, expect, it } from 'vitest';
import { resolveStageConfig, STAGE_NAMES } from '../../infra/config/stages.js';
import { schedulePollsInputSchema, sweepOutboxInputSchema } from '../../shared/config/function-inputs.js';
import { actionsOf, type Json, logicalId, resourcesOf, statementsOfFunction, synthStage } from './synth.js';

const SCHEDULED = ['FunctionsSchedulePollsFunction', 'FunctionsRelayOutboxFunction'];

describe.each(STAGE_NAMES)('scheduled runs (stage %s)', (stage) => {
  const { template } = synthStage(stage);
  const failedRuns = () => logicalId(template, 'AWS::SQS::Queue', 'SchedulesFailedRuns');
  const failedRunsArn = () => ({ 'Fn::GetAtt': [failedRuns(), 'Arn'] });

  it.each(SCHEDULED)(
    '%s: Lambda retries a failed run twice, within an hour, then sends it to the failed-runs queue',
    (fn) => {
      const configs = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig')).filter(
        (c: Json) => c.Properties.FunctionName.Ref === logicalId(template, 'AWS::Lambda::Function', fn),
      );
      expect(configs).toHaveLength(1);
      expect(configs[0]?.Properties).toMatchObject({
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 3600,
        DestinationConfig: { OnFailure: { Destination: failedRunsArn() } },
      });
    },
  );

  it.each(SCHEDULED)(
    '%s may send to the failed-runs queue (Lambda delivers the record as the function)',
    (fn) => {
      const sends = statementsOfFunction(template, fn).filter((s) =>
        actionsOf(s).includes('sqs:SendMessage'),
      );
      expect(sends.flatMap(resourcesOf)).toContainEqual(failedRunsArn());
    },
  );

  it('alarms on a failed run like on every dead-letter queue', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${resolveStageConfig(stage).resourcePrefix}-scheduled-runs-dead-letters`,
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [failedRuns(), 'QueueName'] } }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('outputs the failed-runs queue, where `provisioner dlq list` reads the failed runs', () => {
    expect(template.findOutputs('FailedRunsQueueUrl').FailedRunsQueueUrl?.Value).toEqual({
      Ref: failedRuns(),
    });
  });

  it("passes schedule-polls the schedule's scheduled time, and the sweep nothing it would not accept", () => {
    const inputs = Object.values(template.findResources('AWS::Scheduler::Schedule')).map((s: Json) =>
      JSON.parse(s.Properties.Target.Input),
    );
    expect(inputs).toEqual(
      expect.arrayContaining([
        { kind: 'schedule-polls', scheduledTime: '<aws.scheduler.scheduled-time>' },
        { kind: 'sweep-outbox' },
      ]),
    );
    // What the handlers receive once Scheduler has filled the time in is what they accept.
    const delivered = (input: Json) =>
      JSON.parse(JSON.stringify(input).replace('<aws.scheduler.scheduled-time>', '2026-05-04T12:05:00Z'));
    const [polls, sweep] = [
      inputs.find((i) => i.kind === 'schedule-polls'),
      inputs.find((i) => i.kind === 'sweep-outbox'),
    ];
    expect(schedulePollsInputSchema.parse(delivered(polls))).toEqual({
      kind: 'schedule-polls',
      scheduledTime: '2026-05-04T12:05:00Z',
    });
    expect(sweepOutboxInputSchema.safeParse(delivered(sweep)).success).toBe(true);
  });
});
