import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { SCHEDULE_POLLS_INPUT, SWEEP_OUTBOX_INPUT } from '../../shared/config/function-inputs.js';
import { DeadLetterQueue } from './messaging.js';

/** The outbox sweep: republishes events the stream relay did not (a safety net, not the main path). */
const OUTBOX_SWEEP_RATE_MINUTES = 5;

/**
 * Scheduler invokes Lambda asynchronously: once Lambda has accepted the event, a function error is
 * retried by Lambda (not by the scheduler), about one and two minutes later. A run that waited
 * longer than this (throttled) is not worth starting: it goes to the failure queue instead.
 */
const ASYNC_RETRY_ATTEMPTS = 2;
const ASYNC_MAX_EVENT_AGE = Duration.hours(1);

export interface SchedulesProps {
  readonly resourcePrefix: string;
  readonly pollRateMinutes: number;
  readonly schedulePolls: lambda.IFunction;
  readonly relayOutbox: lambda.IFunction;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * EventBridge Scheduler: schedule-polls at the stage's rate and the outbox sweep every 5 minutes,
 * in a schedule group of their own, invoked through one role that may invoke only those two
 * functions. Two failure paths, each a queue with an alarm: `deadLetters` for invocations the
 * scheduler could not deliver after its retries, `failedRuns` (the functions' on-failure
 * destination) for runs that failed after Lambda's retries or were too old to start.
 * schedule-polls gets its scheduled time in the input, so a retried run does the same work as the first.
 */
export class Schedules extends Construct {
  readonly group: scheduler.ScheduleGroup;
  readonly role: iam.Role;
  readonly deadLetters: DeadLetterQueue;
  readonly failedRuns: DeadLetterQueue;
  readonly polls: scheduler.Schedule;
  readonly outboxSweep: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    const stack = Stack.of(this);

    // Holds nothing but this stack's schedules: deleted with the stack whatever the stage's removal
    // policy, so a destroyed stage can be deployed again under the same name.
    this.group = new scheduler.ScheduleGroup(this, 'Group', {
      scheduleGroupName: props.resourcePrefix,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      description: `${props.resourcePrefix}: EventBridge Scheduler invoking the scheduled functions`,
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    });
    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', {
      removalPolicy: props.removalPolicy,
      purpose: 'dead-letter queue of the EventBridge Scheduler targets',
    });
    this.failedRuns = new DeadLetterQueue(this, 'FailedRuns', {
      removalPolicy: props.removalPolicy,
      purpose: 'on-failure destination of the scheduled functions',
    });
    for (const fn of [props.schedulePolls, props.relayOutbox]) {
      fn.configureAsyncInvoke({
        retryAttempts: ASYNC_RETRY_ATTEMPTS,
        maxEventAge: ASYNC_MAX_EVENT_AGE,
        onFailure: new destinations.SqsDestination(this.failedRuns.queue),
      });
    }

    const target = (fn: lambda.IFunction, input: object, rateMinutes: number) =>
      new InvokeFunction(fn, {
        role: this.role,
        deadLetterQueue: this.deadLetters.queue,
        input: scheduler.ScheduleTargetInput.fromObject(input),
        retryAttempts: 2,
        // A run older than the next one is useless: the next run does the same work.
        maxEventAge: Duration.minutes(Math.max(1, Math.min(rateMinutes, 24 * 60))),
      });

    this.polls = new scheduler.Schedule(this, 'Polls', {
      scheduleGroup: this.group,
      description: `Poll every registered account every ${props.pollRateMinutes} minutes`,
      schedule: scheduler.ScheduleExpression.rate(Duration.minutes(props.pollRateMinutes)),
      target: target(
        props.schedulePolls,
        { ...SCHEDULE_POLLS_INPUT, scheduledTime: scheduler.ContextAttribute.scheduledTime },
        props.pollRateMinutes,
      ),
      timeWindow: scheduler.TimeWindow.off(),
    });
    this.outboxSweep = new scheduler.Schedule(this, 'OutboxSweep', {
      scheduleGroup: this.group,
      description: `Publish outbox events the stream relay left pending, every ${OUTBOX_SWEEP_RATE_MINUTES} minutes`,
      schedule: scheduler.ScheduleExpression.rate(Duration.minutes(OUTBOX_SWEEP_RATE_MINUTES)),
      target: target(props.relayOutbox, SWEEP_OUTBOX_INPUT, OUTBOX_SWEEP_RATE_MINUTES),
      timeWindow: scheduler.TimeWindow.off(),
    });
    // The schedules name their group rather than referencing it: without this, CloudFormation may
    // create a schedule before its group exists.
    this.polls.node.addDependency(this.group);
    this.outboxSweep.node.addDependency(this.group);
  }
}

/**
 * Like the L2 `LambdaInvoke` target, but the role may invoke only the function itself: the L2
 * also grants `<function ARN>:*` (every version and alias), which the schedules never use.
 */
export class InvokeFunction extends targets.ScheduleTargetBase implements scheduler.IScheduleTarget {
  constructor(
    private readonly fn: lambda.IFunction,
    props: targets.ScheduleTargetBaseProps,
  ) {
    super(props, fn.functionArn);
  }

  protected override addTargetActionToRole(role: iam.IRole): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.fn.functionArn] }),
    );
  }
}
