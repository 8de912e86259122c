import { Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC, METRICS_NAMESPACE } from '../../shared/config/metric-names.js';
import { serviceName } from '../config/service-name.js';
import { pollSilenceAlarmWindow } from '../config/stages.js';

const PERIOD = Duration.minutes(5);

export interface AlarmsProps {
  readonly resourcePrefix: string;
  readonly alarmEmail?: string | undefined;
  /** Alarm when no poll succeeded for this many minutes. */
  readonly pollSilenceMinutes: number;
  readonly pollRateMinutes: number;
  readonly functions: readonly { name: string; fn: lambda.IFunction }[];
  readonly workQueues: readonly { name: string; queue: sqs.IQueue }[];
  readonly deadLetterQueues: readonly { name: string; queue: sqs.IQueue }[];
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Tells someone when the unattended service is unwell: an encrypted SNS topic (optionally with an
 * email subscription), alarms on every dead-letter queue, every function's errors, failed
 * provisioning, dead-lettered events, refused account access, and "no successful poll for N
 * minutes"; and a dashboard
 * of the same.
 */
export class Alarms extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const prefix = props.resourcePrefix;
    const dimensionsMap = { service: serviceName(prefix) };

    this.key = new kms.Key(this, 'Key', {
      description: `${prefix}: alarm topic encryption`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
      pendingWindow: Duration.days(30),
    });
    // CloudWatch publishes alarm notifications to the encrypted topic, so it needs the key: the
    // statement of the SNS guide's "compatibility between event sources from AWS services and
    // encrypted topics", as written there (no condition: the KMS request CloudWatch's publish causes
    // is not documented to carry aws:SourceAccount, and a condition it lacks would drop every
    // alarm). The topic policy below keeps publishing to this account's alarms.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: `${prefix} alarms`,
      masterKey: this.key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    const notify = new actions.SnsAction(this.topic);

    const add = (alarmId: string, alarmProps: cloudwatch.AlarmProps) => {
      const alarm = new cloudwatch.Alarm(this, alarmId, alarmProps);
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
      this.alarms.push(alarm);
      return alarm;
    };

    for (const { name, queue } of props.deadLetterQueues) {
      add(`DeadLetters-${name}`, {
        alarmName: `${prefix}-${name}-dead-letters`,
        alarmDescription: `Messages in the ${name} dead-letter queue: inspect them, fix the cause, redrive.`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
    for (const { name, fn } of props.functions) {
      add(`Errors-${name}`, {
        alarmName: `${prefix}-${name}-errors`,
        alarmDescription: `The ${name} function failed (an invocation error, not a reported batch item failure).`,
        metric: fn.metricErrors({ period: PERIOD, statistic: 'Sum' }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }

    const provisioningFailed = new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: METRIC.provisioningFailed,
      dimensionsMap,
      statistic: 'Sum',
      period: PERIOD,
    });
    add('WebhookFailed', {
      alarmName: `${prefix}-webhook-failed`,
      alarmDescription:
        'The webhook answered Mews 503 (its dependencies were unavailable); Mews re-sends, but look at the webhook logs.',
      metric: new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: METRIC.webhookFailed,
        dimensionsMap,
        statistic: 'Sum',
        period: PERIOD,
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    add('ProvisioningFailed', {
      alarmName: `${prefix}-provisioning-failed`,
      alarmDescription:
        'A connection could not be provisioned (see its Connection Provisioning Failed event).',
      metric: provisioningFailed,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    add('EventsDeadLettered', {
      alarmName: `${prefix}-events-dead-lettered`,
      alarmDescription:
        'The relay dead-lettered an outbox event EventBridge can never take (e.g. an entry over 256 KB): it was not announced. The relay-outbox logs name it ("event dead-lettered"); fix the cause, then replay it.',
      metric: new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: METRIC.eventsDeadLettered,
        dimensionsMap,
        statistic: 'Sum',
        period: PERIOD,
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    const accountAccessFailed = new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: METRIC.accountAccessFailed,
      dimensionsMap,
      statistic: 'Sum',
      period: PERIOD,
    });
    add('AccountAccessFailed', {
      alarmName: `${prefix}-account-access-failed`,
      alarmDescription:
        'Mews refused an account (see its Account Access Failed event): its credentials need attention.',
      metric: accountAccessFailed,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // "No successful poll for N minutes": one period per poll interval, missing data counts as silence
    // (stage validation keeps the window within CloudWatch's limit).
    const silence = pollSilenceAlarmWindow(props.pollRateMinutes, props.pollSilenceMinutes);
    const silencePeriod = Duration.minutes(silence.periodMinutes);
    const silencePeriods = silence.evaluationPeriods;
    const pollSucceeded = new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: METRIC.pollSucceeded,
      dimensionsMap,
      statistic: 'Sum',
      period: silencePeriod,
    });
    add('NoSuccessfulPoll', {
      alarmName: `${prefix}-no-successful-poll`,
      alarmDescription: `No account poll succeeded for ${props.pollSilenceMinutes} minutes (Mews unreachable, client token missing or revoked, or no account registered).`,
      metric: pollSucceeded,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: silencePeriods,
      datapointsToAlarm: silencePeriods,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: prefix,
      defaultInterval: Duration.hours(24),
    });
    const fnMetric = (
      title: string,
      metric: (fn: lambda.IFunction) => cloudwatch.Metric,
    ): cloudwatch.GraphWidget =>
      new cloudwatch.GraphWidget({
        title,
        width: 8,
        left: props.functions.map(({ name, fn }) => metric(fn).with({ label: name })),
      });
    const labelled = (label: string, metric: cloudwatch.Metric) => metric.with({ label });
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 4 }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Polls and provisioning',
        width: 12,
        left: [labelled('PollSucceeded', pollSucceeded.with({ period: PERIOD }))],
        right: [
          labelled('ProvisioningFailed', provisioningFailed),
          labelled('AccountAccessFailed', accountAccessFailed),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Dead-letter queues (visible messages)',
        width: 12,
        left: props.deadLetterQueues.map(({ name, queue }) =>
          labelled(
            name,
            queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
          ),
        ),
      }),
    );
    this.dashboard.addWidgets(
      fnMetric('Invocations', (fn) => fn.metricInvocations({ period: PERIOD, statistic: 'Sum' })),
      fnMetric('Errors', (fn) => fn.metricErrors({ period: PERIOD, statistic: 'Sum' })),
      fnMetric('Throttles', (fn) => fn.metricThrottles({ period: PERIOD, statistic: 'Sum' })),
    );
    this.dashboard.addWidgets(
      fnMetric('Duration p95', (fn) => fn.metricDuration({ period: PERIOD, statistic: 'p95' })),
      new cloudwatch.GraphWidget({
        title: 'Work queues: visible messages',
        width: 8,
        left: props.workQueues.map(({ name, queue }) =>
          labelled(
            name,
            queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
          ),
        ),
      }),
      new cloudwatch.GraphWidget({
        title: 'Work queues: age of oldest message (s)',
        width: 8,
        left: props.workQueues.map(({ name, queue }) =>
          labelled(name, queue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: 'Maximum' })),
        ),
      }),
    );
  }
}
