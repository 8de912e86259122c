import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  BY_TYPE_INDEX,
  EVENT_PREFIX,
  EVENTS_BY_SUBJECT_INDEX,
  PARTITION_KEY,
  PENDING_OUTBOX_INDEX,
} from '../../shared/adapters/aws/state-table.js';
import {
  pollAccountEnvSchema,
  relayOutboxEnvSchema,
  schedulePollsEnvSchema,
  syncConnectionEnvSchema,
  webhookEnvSchema,
} from '../../shared/config/function-env.js';
import { serviceName } from '../config/service-name.js';
import { BaseFunction } from './base-function.js';
import type { Events } from './events.js';
import { DeadLetterQueue, type Messaging } from './messaging.js';
import type { ParameterStoreTokens } from './parameter-store-tokens.js';
import type { Secrets } from './secrets.js';
import type { ItemAction, State } from './state.js';

/** Timeouts, shared with the queues (visibility timeout = 6x the consumer's timeout). */
export const FUNCTION_TIMEOUTS = {
  schedulePolls: Duration.seconds(60),
  /** One getProperties call with its retries. */
  pollAccount: Duration.seconds(60),
  /** Up to SYNC_BATCH_SIZE getConfiguration calls (large properties) with their retries. */
  syncConnection: Duration.seconds(120),
  relayOutbox: Duration.seconds(60),
  /** Mews wants an answer within 5 s; an integration's configuration/get has a 3 s budget. */
  webhook: Duration.seconds(10),
} as const;

const POLL_BATCH_SIZE = 1;
const SYNC_BATCH_SIZE = 5;
const RELAY_BATCH_SIZE = 100;
const RELAY_RETRY_ATTEMPTS = 5;

/**
 * What the Mews callers do to items (see dynamo-table.ts and the dynamo-*-store.ts parts over it): get,
 * query, put/update/delete and condition checks in transactions, batch deletes of old snapshots.
 * Never Scan.
 */
const READ_WRITE_ITEMS: readonly ItemAction[] = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
];

export interface FunctionsProps {
  readonly resourcePrefix: string;
  readonly mewsEnvironment: 'demo' | 'production';
  readonly mewsPlatformAddress: string;
  /** Cap on concurrent invocations of each Mews caller (SQS maximum concurrency). */
  readonly mewsConcurrency: number;
  readonly pollRateMinutes: number;
  readonly configurationRefreshMinutes: number;
  readonly secretRecoveryWindowDays: number;
  readonly massDisappearancePercent: number;
  /** Also reserve that concurrency (needs account concurrency headroom). */
  readonly reserveMewsConcurrency: boolean;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  readonly state: State;
  readonly messaging: Messaging;
  readonly events: Events;
  readonly secrets: Secrets;
  /** Set: tokens are parameters (tokenStore: parameter-store), granted there instead of in Secrets Manager. */
  readonly parameterStoreTokens?: ParameterStoreTokens | undefined;
}

/**
 * The four functions, their triggers and exactly the access the flow gives each:
 *
 * - schedule-polls (scheduled): Query the by-type index for accounts; send to account-polls.
 * - poll-account (account-polls): read/write items, Query the by-subject index (memberships); create,
 *   describe, tag, restore, update and schedule the deletion of connection secrets; read the client
 *   token; send to connection-syncs.
 * - sync-connection (connection-syncs): read/write items; read connection secrets and the client token.
 * - relay-outbox (table stream, INSERTed EVENT# items; and a 5-minute sweep): Query the pending-outbox
 *   index, update event items, PutEvents on the bus.
 */
export class Functions extends Construct {
  readonly schedulePolls: BaseFunction<typeof schedulePollsEnvSchema>;
  readonly pollAccount: BaseFunction<typeof pollAccountEnvSchema>;
  readonly syncConnection: BaseFunction<typeof syncConnectionEnvSchema>;
  readonly relayOutbox: BaseFunction<typeof relayOutboxEnvSchema>;
  readonly webhook: BaseFunction<typeof webhookEnvSchema>;
  /** The Function URL Mews calls (change notifications, integration webhooks). */
  readonly webhookUrl: lambda.FunctionUrl;
  /** Stream batches the relay failed after its retries (the sweep still publishes them). */
  readonly relayFailures: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    const { state, messaging, events, secrets, parameterStoreTokens: parameters } = props;
    const defaults = { logRetention: props.logRetention, removalPolicy: props.removalPolicy };
    const common = {
      TABLE_NAME: state.table.tableName,
      MEWS_ENVIRONMENT: props.mewsEnvironment,
      POWERTOOLS_SERVICE_NAME: serviceName(props.resourcePrefix),
    };
    const mews = {
      MEWS_PLATFORM_ADDRESS: props.mewsPlatformAddress,
      MEWS_CLIENT_TOKEN_SECRET_ARN: secrets.clientTokenSecret.secretArn,
      CONNECTION_SECRETS_KMS_KEY_ARN: secrets.key.keyArn,
      ...(parameters
        ? {
            TOKEN_STORE: 'parameter-store' as const,
            CONNECTION_PARAMETER_PATH: parameters.connectionPath,
            INTEGRATION_PARAMETER_PATH: parameters.integrationPath,
            TOKEN_PARAMETER_TIER: parameters.tier,
          }
        : {}),
    };
    const mewsCap = props.reserveMewsConcurrency ? props.mewsConcurrency : undefined;

    // schedule-polls
    this.schedulePolls = new BaseFunction(this, 'SchedulePolls', {
      ...defaults,
      functionDir: 'schedule-polls',
      description: `${props.resourcePrefix}: queues a poll of every registered account`,
      environmentSchema: schedulePollsEnvSchema,
      environment: {
        ...common,
        ACCOUNT_POLLS_QUEUE_URL: messaging.accountPolls.queue.queueUrl,
        CONNECTION_SYNCS_QUEUE_URL: messaging.connectionSyncs.queue.queueUrl,
        CONFIGURATION_REFRESH_MINUTES: String(props.configurationRefreshMinutes),
        POLL_RATE_MINUTES: String(props.pollRateMinutes),
      },
      timeout: FUNCTION_TIMEOUTS.schedulePolls,
      memorySize: 256,
    });
    state.grant(this.schedulePolls.function, { queryIndexes: [BY_TYPE_INDEX] });
    messaging.accountPolls.queue.grantSendMessages(this.schedulePolls.function);
    messaging.connectionSyncs.queue.grantSendMessages(this.schedulePolls.function);

    // poll-account
    this.pollAccount = new BaseFunction(this, 'PollAccount', {
      ...defaults,
      functionDir: 'poll-account',
      description: `${props.resourcePrefix}: polls one account's Mews properties and records new connections`,
      environmentSchema: pollAccountEnvSchema,
      environment: {
        ...common,
        ...mews,
        CONNECTION_SECRET_PREFIX: secrets.connectionSecretPrefix,
        CONNECTION_SYNCS_QUEUE_URL: messaging.connectionSyncs.queue.queueUrl,
        ACCOUNT_POLLS_QUEUE_URL: messaging.accountPolls.queue.queueUrl,
        SECRET_RECOVERY_WINDOW_DAYS: String(props.secretRecoveryWindowDays),
        MASS_DISAPPEARANCE_PERCENT: String(props.massDisappearancePercent),
      },
      timeout: FUNCTION_TIMEOUTS.pollAccount,
      memorySize: 512,
      reservedConcurrentExecutions: mewsCap,
    });
    this.pollAccount.function.addEventSource(
      new sources.SqsEventSource(messaging.accountPolls.queue, {
        batchSize: POLL_BATCH_SIZE,
        reportBatchItemFailures: true,
        maxConcurrency: props.mewsConcurrency,
      }),
    );
    // The by-subject index also lists a connection's memberships (the removal decision).
    state.grant(this.pollAccount.function, {
      items: READ_WRITE_ITEMS,
      queryIndexes: [EVENTS_BY_SUBJECT_INDEX],
    });
    if (parameters) parameters.grantWriteConnectionTokens(this.pollAccount.role);
    else {
      secrets.grantWriteConnectionSecrets(this.pollAccount.function);
    }
    secrets.grantReadClientToken(this.pollAccount.function);
    messaging.connectionSyncs.queue.grantSendMessages(this.pollAccount.function);
    // A poll cut short by its deadline queues its own continuation.
    messaging.accountPolls.queue.grantSendMessages(this.pollAccount.function);

    // sync-connection
    this.syncConnection = new BaseFunction(this, 'SyncConnection', {
      ...defaults,
      functionDir: 'sync-connection',
      description: `${props.resourcePrefix}: reads a connection's Mews configuration and provisions it`,
      environmentSchema: syncConnectionEnvSchema,
      environment: { ...common, ...mews, CONNECTION_SECRET_PREFIX: secrets.connectionSecretPrefix },
      timeout: FUNCTION_TIMEOUTS.syncConnection,
      memorySize: 1024,
      reservedConcurrentExecutions: mewsCap,
    });
    this.syncConnection.function.addEventSource(
      new sources.SqsEventSource(messaging.connectionSyncs.queue, {
        batchSize: SYNC_BATCH_SIZE,
        reportBatchItemFailures: true,
        maxConcurrency: props.mewsConcurrency,
      }),
    );
    state.grant(this.syncConnection.function, { items: READ_WRITE_ITEMS });
    if (parameters) parameters.grantReadConnectionTokens(this.syncConnection.role);
    else {
      secrets.grantReadConnectionSecrets(this.syncConnection.function);
    }
    secrets.grantReadClientToken(this.syncConnection.function);

    // relay-outbox
    this.relayFailures = new DeadLetterQueue(this, 'RelayFailures', {
      removalPolicy: props.removalPolicy,
      purpose: 'on-failure destination of the outbox relay stream mapping',
    });
    this.relayOutbox = new BaseFunction(this, 'RelayOutbox', {
      ...defaults,
      functionDir: 'relay-outbox',
      description: `${props.resourcePrefix}: publishes outbox events to the event bus`,
      environmentSchema: relayOutboxEnvSchema,
      environment: { ...common, EVENT_BUS_NAME: events.bus.eventBusName, EVENT_SOURCE: events.eventSource },
      timeout: FUNCTION_TIMEOUTS.relayOutbox,
      memorySize: 512,
    });
    this.relayOutbox.function.addEventSource(
      new sources.DynamoEventSource(state.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: RELAY_BATCH_SIZE,
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        retryAttempts: RELAY_RETRY_ATTEMPTS,
        maxRecordAge: Duration.hours(6),
        reportBatchItemFailures: true,
        onFailure: new sources.SqsDlq(this.relayFailures.queue),
        filters: [
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.isEqual('INSERT'),
            dynamodb: { Keys: { [PARTITION_KEY]: { S: lambda.FilterRule.beginsWith(EVENT_PREFIX) } } },
          }),
        ],
      }),
    );
    state.grant(this.relayOutbox.function, {
      items: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
      queryIndexes: [PENDING_OUTBOX_INDEX],
    });
    events.bus.grantPutEventsTo(this.relayOutbox.function);

    // webhook: Mews calls it (change notifications, Connector API integration webhooks)
    this.webhook = new BaseFunction(this, 'Webhook', {
      ...defaults,
      functionDir: 'webhook',
      description: `${props.resourcePrefix}: Mews change notifications and integration webhooks`,
      environmentSchema: webhookEnvSchema,
      environment: {
        ...common,
        ...mews,
        ACCOUNT_POLLS_QUEUE_URL: messaging.accountPolls.queue.queueUrl,
        CONNECTION_SYNCS_QUEUE_URL: messaging.connectionSyncs.queue.queueUrl,
        INTEGRATION_SECRET_PREFIX: secrets.integrationSecretPrefix,
        INTEGRATION_WEBHOOK_SECRET_ARN: secrets.integrationWebhookSecret.secretArn,
        SECRET_RECOVERY_WINDOW_DAYS: String(props.secretRecoveryWindowDays),
      },
      timeout: FUNCTION_TIMEOUTS.webhook,
      memorySize: 512,
    });
    // Mews cannot sign requests: it authenticates with the client token in the body (change
    // notifications) or the generated secret in the path (integrations), both checked in constant time.
    this.webhookUrl = this.webhook.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    state.grant(this.webhook.function, {
      items: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
      queryIndexes: [EVENTS_BY_SUBJECT_INDEX, BY_TYPE_INDEX],
    });
    messaging.accountPolls.queue.grantSendMessages(this.webhook.function);
    messaging.connectionSyncs.queue.grantSendMessages(this.webhook.function);
    // Integration access tokens only: the webhook touches no connection secret.
    if (parameters) parameters.grantWriteIntegrationTokens(this.webhook.role);
    else {
      secrets.grantWriteIntegrationSecrets(this.webhook.function);
    }
    secrets.grantReadClientToken(this.webhook.function);
    secrets.grantReadIntegrationWebhookSecret(this.webhook.function);
    Validations.of(this.relayOutbox.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams, added by the DynamoDB event source grant, has no resource-level permissions; every other action is on the table stream.',
    });
  }

  /** All five, for alarms and the dashboard. */
  all(): { name: string; fn: lambda.IFunction }[] {
    return [
      { name: 'schedule-polls', fn: this.schedulePolls.function },
      { name: 'poll-account', fn: this.pollAccount.function },
      { name: 'sync-connection', fn: this.syncConnection.function },
      { name: 'relay-outbox', fn: this.relayOutbox.function },
      { name: 'webhook', fn: this.webhook.function },
    ];
  }
}
