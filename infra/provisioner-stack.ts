import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { OUTPUT_KEYS } from '../shared/config/stack-outputs.js';
import type { StageConfig } from './config/stages.js';
import { Alarms } from './constructs/alarms.js';
import { Events } from './constructs/events.js';
import { FUNCTION_TIMEOUTS, Functions } from './constructs/functions.js';
import { Messaging } from './constructs/messaging.js';
import { ParameterStoreTokens } from './constructs/parameter-store-tokens.js';
import { Schedules } from './constructs/schedule.js';
import { Secrets } from './constructs/secrets.js';
import { State } from './constructs/state.js';
import { TokenSweep } from './constructs/token-sweep.js';

export interface ProvisionerStackProps extends StackProps {
  readonly config: StageConfig;
}

/**
 * Output keys: the CLI and the docs find the deployed stack's resources by these names, so they
 * are part of the stack's interface (renaming one is a breaking change).
 */
export { OUTPUT_KEYS };

/**
 * The whole provisioner for one stage. Stateful resources (table, queues, bus, keys, secrets)
 * first, then the stateless ones (functions, schedules, alarms) that receive them as typed props.
 * Environment-agnostic: nothing is looked up at synth time, so `cdk synth` works offline.
 */
export class ProvisionerStack extends Stack {
  readonly state: State;
  readonly messaging: Messaging;
  readonly events: Events;
  readonly secrets: Secrets;
  /** Set with `tokenStore: parameter-store`: tokens are SecureString parameters, not secrets. */
  readonly parameterStoreTokens: ParameterStoreTokens | undefined;
  /** With parameter-store: the daily sweep of tokens past their recovery window. */
  readonly tokenSweep: TokenSweep | undefined;
  readonly functions: Functions;
  readonly schedules: Schedules;
  readonly alarms: Alarms;

  constructor(scope: Construct, id: string, props: ProvisionerStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy = config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const prefix = config.resourcePrefix;

    // Stateful
    this.state = new State(this, 'State', {
      resourcePrefix: prefix,
      removalPolicy,
      deletionProtection: config.removalPolicy === 'retain',
    });
    this.messaging = new Messaging(this, 'Messaging', {
      pollAccountTimeout: FUNCTION_TIMEOUTS.pollAccount,
      syncConnectionTimeout: FUNCTION_TIMEOUTS.syncConnection,
      removalPolicy,
    });
    this.events = new Events(this, 'Events', {
      resourcePrefix: prefix,
      eventSource: config.eventSource,
      archiveRetention: Duration.days(config.eventArchiveRetentionDays),
      removalPolicy,
    });
    this.secrets = new Secrets(this, 'Secrets', {
      resourcePrefix: prefix,
      removalPolicy,
      existingClientTokenSecretArn: config.clientTokenSecretArn,
      existingClientTokenSecretKmsKeyArn: config.clientTokenSecretKmsKeyArn,
    });
    this.parameterStoreTokens =
      config.tokenStore === 'parameter-store'
        ? new ParameterStoreTokens(this, 'ParameterStoreTokens', {
            resourcePrefix: prefix,
            key: this.secrets.key,
            tier: config.parameterTier,
            highThroughput: config.parameterHighThroughput,
          })
        : undefined;

    // Stateless
    this.functions = new Functions(this, 'Functions', {
      resourcePrefix: prefix,
      mewsEnvironment: config.mewsEnvironment,
      mewsPlatformAddress: config.mewsPlatformAddress,
      mewsConcurrency: config.mewsConcurrency,
      pollRateMinutes: config.pollRateMinutes,
      configurationRefreshMinutes: config.configurationRefreshMinutes,
      secretRecoveryWindowDays: config.secretRecoveryWindowDays,
      massDisappearancePercent: config.massDisappearancePercent,
      reserveMewsConcurrency: config.reserveMewsConcurrency,
      logRetention: config.logRetentionDays,
      removalPolicy,
      state: this.state,
      messaging: this.messaging,
      events: this.events,
      secrets: this.secrets,
      parameterStoreTokens: this.parameterStoreTokens,
    });
    this.schedules = new Schedules(this, 'Schedules', {
      resourcePrefix: prefix,
      pollRateMinutes: config.pollRateMinutes,
      schedulePolls: this.functions.schedulePolls.function,
      relayOutbox: this.functions.relayOutbox.function,
      removalPolicy,
    });
    this.tokenSweep = this.parameterStoreTokens
      ? new TokenSweep(this, 'TokenSweep', {
          resourcePrefix: prefix,
          tokens: this.parameterStoreTokens,
          schedules: this.schedules,
          logRetention: config.logRetentionDays,
          removalPolicy,
        })
      : undefined;
    this.alarms = new Alarms(this, 'Alarms', {
      resourcePrefix: prefix,
      alarmEmail: config.alarmEmail,
      pollRateMinutes: config.pollRateMinutes,
      pollSilenceMinutes: config.pollSilenceAlarmMinutes,
      functions: [
        ...this.functions.all(),
        ...(this.tokenSweep ? [{ name: 'sweep-tokens', fn: this.tokenSweep.sweep.function }] : []),
      ],
      workQueues: [
        { name: 'account-polls', queue: this.messaging.accountPolls.queue },
        { name: 'connection-syncs', queue: this.messaging.connectionSyncs.queue },
      ],
      deadLetterQueues: [
        { name: 'account-polls', queue: this.messaging.accountPolls.deadLetterQueue },
        { name: 'connection-syncs', queue: this.messaging.connectionSyncs.deadLetterQueue },
        { name: 'relay-failures', queue: this.functions.relayFailures.queue },
        { name: 'scheduler', queue: this.schedules.deadLetters.queue },
        { name: 'scheduled-runs', queue: this.schedules.failedRuns.queue },
      ],
      removalPolicy,
    });

    this.outputs(config);
  }

  /** The Parameter Store layout's own outputs (absent: tokens are in Secrets Manager). */
  private parameterStoreOutputs(
    parameters: ParameterStoreTokens,
    output: (key: string, value: string, description: string, exported?: boolean) => CfnOutput,
  ): void {
    output(OUTPUT_KEYS.tokenStore, 'parameter-store', 'Where tokens live (absent: secrets-manager)');
    output(
      OUTPUT_KEYS.connectionParameterPath,
      parameters.connectionPath,
      'Connection tokens are SecureString parameters named <path><connectionId>',
      true,
    );
    output(
      OUTPUT_KEYS.integrationParameterPath,
      parameters.integrationPath,
      'Connector API access tokens are SecureString parameters named <path><integrationId>',
      true,
    );
  }

  private outputs(config: StageConfig): void {
    const prefix = config.resourcePrefix;
    const output = (key: string, value: string, description: string, exported = false) =>
      new CfnOutput(this, key, {
        value,
        description,
        ...(exported ? { exportName: `${prefix}-${key}` } : {}),
      });

    output(OUTPUT_KEYS.stage, config.stage, 'Stage this stack was deployed as');
    output(OUTPUT_KEYS.mewsEnvironment, config.mewsEnvironment, 'Mews environment the stage talks to');
    output(OUTPUT_KEYS.tableName, this.state.table.tableName, 'State table (accounts, connections, outbox)');
    output(OUTPUT_KEYS.eventBusName, this.events.bus.eventBusName, 'Event bus to subscribe to', true);
    output(OUTPUT_KEYS.eventBusArn, this.events.bus.eventBusArn, 'Event bus ARN', true);
    output(OUTPUT_KEYS.eventSource, config.eventSource, 'The source of every event on the bus', true);
    output(
      OUTPUT_KEYS.accountPollsQueueUrl,
      this.messaging.accountPolls.queue.queueUrl,
      'account-polls queue',
    );
    output(
      OUTPUT_KEYS.connectionSyncsQueueUrl,
      this.messaging.connectionSyncs.queue.queueUrl,
      'connection-syncs queue',
    );
    output(
      OUTPUT_KEYS.accountPollsDeadLetterQueueUrl,
      this.messaging.accountPolls.deadLetterQueue.queueUrl,
      'account-polls dead-letter queue (provisioner dlq list / redrive)',
    );
    output(
      OUTPUT_KEYS.connectionSyncsDeadLetterQueueUrl,
      this.messaging.connectionSyncs.deadLetterQueue.queueUrl,
      'connection-syncs dead-letter queue (provisioner dlq list / redrive)',
    );
    output(
      OUTPUT_KEYS.failedRunsQueueUrl,
      this.schedules.failedRuns.queue.queueUrl,
      "Failed runs of the scheduled functions: Lambda's records of them (provisioner dlq list)",
    );
    output(
      OUTPUT_KEYS.eventArchiveArn,
      this.events.archive.archiveArn,
      'Archive of every event (provisioner events replay)',
    );
    const parameters = this.parameterStoreTokens;
    output(
      OUTPUT_KEYS.consumerPolicyArn,
      (parameters?.consumerPolicy ?? this.secrets.consumerPolicy).managedPolicyArn,
      'Managed policy to attach to roles that read connection tokens',
      true,
    );
    output(
      OUTPUT_KEYS.integrationConsumerPolicyArn,
      (parameters?.integrationConsumerPolicy ?? this.secrets.integrationConsumerPolicy).managedPolicyArn,
      'Managed policy to attach to roles that read integration access tokens (full PMS access), and only to those',
      true,
    );
    if (parameters) this.parameterStoreOutputs(parameters, output);
    output(
      OUTPUT_KEYS.clientTokenSecretArn,
      this.secrets.clientTokenSecret.secretArn,
      'Secret holding the Mews client token (set it with put-secret-value)',
    );
    output(
      OUTPUT_KEYS.connectionSecretPrefix,
      this.secrets.connectionSecretPrefix,
      'Connection tokens are secrets named <prefix><connectionId>',
      true,
    );
    output(
      OUTPUT_KEYS.integrationSecretPrefix,
      this.secrets.integrationSecretPrefix,
      'Integration access tokens are secrets named <prefix><integrationId>',
      true,
    );
    output(OUTPUT_KEYS.connectionSecretsKeyArn, this.secrets.key.keyArn, 'KMS key of the connection secrets');
    output(
      OUTPUT_KEYS.secretRecoveryWindowDays,
      String(config.secretRecoveryWindowDays),
      'Recovery window for deleting connection secrets',
    );
    output(OUTPUT_KEYS.alarmTopicArn, this.alarms.topic.topicArn, 'SNS topic the alarms notify');
    output(OUTPUT_KEYS.dashboardName, this.alarms.dashboard.dashboardName, 'CloudWatch dashboard');
    output(
      OUTPUT_KEYS.webhookUrl,
      this.functions.webhookUrl.url,
      'Give Mews <url>changeNotification (Channel Manager API) and <url>integrations/<secret> (Connector API webhooks)',
    );
    output(
      OUTPUT_KEYS.integrationWebhookSecretArn,
      this.secrets.integrationWebhookSecret.secretArn,
      'Secret whose value completes the integration webhook URL (read it with get-secret-value)',
    );
  }
}
