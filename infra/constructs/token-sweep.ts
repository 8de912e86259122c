import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { sweepTokensEnvSchema } from '../../shared/config/function-env.js';
import { SWEEP_TOKENS_INPUT } from '../../shared/config/function-inputs.js';
import { serviceName } from '../config/service-name.js';
import { BaseFunction } from './base-function.js';
import type { ParameterStoreTokens } from './parameter-store-tokens.js';
import { InvokeFunction, type Schedules } from './schedule.js';

/** Daily: a token is deleted at most a day after its recovery window (7 to 30 days) ends. */
const SWEEP_RATE = Duration.days(1);
/** Pages of 50 parameters; the use case stops starting pages 10 s before the end. */
const SWEEP_TIMEOUT = Duration.minutes(5);

export interface TokenSweepProps {
  readonly resourcePrefix: string;
  readonly tokens: ParameterStoreTokens;
  /** The stack's schedule group, scheduler role and failure queues, shared with the other schedules. */
  readonly schedules: Schedules;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Parameter Store has no recovery window: the vault moves a removed token under the deleted path
 * with its due time, and this function, run daily by EventBridge Scheduler in the stack's schedule
 * group, deletes those past it. Failure paths as for the other scheduled functions: the
 * scheduler's dead-letter queue (not delivered) and the failed-runs queue (Lambda's async retries
 * exhausted, or too old to start).
 */
export class TokenSweep extends Construct {
  readonly sweep: BaseFunction<typeof sweepTokensEnvSchema>;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: TokenSweepProps) {
    super(scope, id);
    const { tokens, schedules } = props;
    this.sweep = new BaseFunction(this, 'SweepTokens', {
      functionDir: 'sweep-tokens',
      description: `${props.resourcePrefix}: deletes token parameters whose recovery window has ended`,
      environmentSchema: sweepTokensEnvSchema,
      environment: {
        POWERTOOLS_SERVICE_NAME: serviceName(props.resourcePrefix),
        CONNECTION_PARAMETER_PATH: tokens.connectionPath,
        INTEGRATION_PARAMETER_PATH: tokens.integrationPath,
        CONNECTION_SECRETS_KMS_KEY_ARN: tokens.key.keyArn,
      },
      timeout: SWEEP_TIMEOUT,
      memorySize: 256,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    tokens.grantSweep(this.sweep.role);
    this.sweep.function.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
      onFailure: new destinations.SqsDestination(schedules.failedRuns.queue),
    });

    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      scheduleGroup: schedules.group,
      description: 'Delete token parameters whose recovery window has ended, daily',
      schedule: scheduler.ScheduleExpression.rate(SWEEP_RATE),
      target: new InvokeFunction(this.sweep.function, {
        role: schedules.role,
        deadLetterQueue: schedules.deadLetters.queue,
        input: scheduler.ScheduleTargetInput.fromObject(SWEEP_TOKENS_INPUT),
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
      }),
      timeWindow: scheduler.TimeWindow.off(),
    });
    this.schedule.node.addDependency(schedules.group);
  }
}
