import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { resolveStageConfig, STAGE_NAMES } from '../../infra/config/stages.js';
import { OUTPUT_KEYS } from '../../infra/provisioner-stack.js';
import {
  BY_TYPE_INDEX,
  EVENT_PREFIX,
  EVENTS_BY_SUBJECT_INDEX,
  GLOBAL_INDEXES,
  PENDING_OUTBOX_INDEX,
  TTL_ATTRIBUTE,
} from '../../shared/adapters/aws/state-table.js';
import { eventJsonSchema } from '../../shared/domain/events/event-json-schemas.js';
import { eventRegistry } from '../../shared/domain/events/registry.js';
import {
  actionsOf,
  allStatements,
  identityPolicies,
  type Json,
  logicalId,
  resourcesOf,
  type Statement,
  statementsOfFunction,
  synth,
  synthStage,
} from './synth.js';

const FUNCTIONS = {
  schedulePolls: 'FunctionsSchedulePollsFunction',
  pollAccount: 'FunctionsPollAccountFunction',
  syncConnection: 'FunctionsSyncConnectionFunction',
  relayOutbox: 'FunctionsRelayOutboxFunction',
} as const;

const ref = (value: Json) => JSON.stringify(value);

/** Asset hashes change with every edit of a handler or a dependency; the snapshot is about the rest. */
const normalizeAssetHashes = (template: Json) =>
  JSON.parse(
    JSON.stringify(template).replace(/[a-f0-9]{64}(\.zip)?/g, (_, zip) => `<asset-hash>${zip ?? ''}`),
  );
const actions = (statements: Statement[]) => new Set(statements.flatMap(actionsOf));

describe.each(STAGE_NAMES)('stack for stage %s', (stage) => {
  const config = resolveStageConfig(stage);
  const production = stage === 'production';
  const { app, stack, template } = synthStage(stage);
  const tableId = () => logicalId(template, 'AWS::DynamoDB::Table', 'StateTable');

  describe('state', () => {
    it('is an on-demand table with PITR, a NEW_IMAGE stream, TTL and the state key', () => {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
        SSESpecification: {
          SSEEnabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: { 'Fn::GetAtt': [logicalId(template, 'AWS::KMS::Key', 'StateKey'), 'Arn'] },
        },
        DeletionProtectionEnabled: production,
      });
    });

    it('has exactly the global indexes of the state-table module', () => {
      const table = template.findResources('AWS::DynamoDB::Table')[tableId()] as Json;
      const indexes = table.Properties.GlobalSecondaryIndexes.map((index: Json) => ({
        name: index.IndexName,
        keys: index.KeySchema.map((key: Json) => key.AttributeName),
        projection: index.Projection.ProjectionType,
      }));
      expect(indexes).toEqual(
        GLOBAL_INDEXES.map((index) => ({
          name: index.indexName,
          keys: [index.partitionKey, index.sortKey],
          projection: index.projection,
        })),
      );
    });

    it(`${production ? 'retains' : 'destroys'} stateful resources with the stack`, () => {
      const policy = production ? 'Retain' : 'Delete';
      for (const type of [
        'AWS::DynamoDB::Table',
        'AWS::KMS::Key',
        'AWS::SQS::Queue',
        'AWS::Events::Archive',
      ]) {
        for (const resource of Object.values(template.findResources(type))) {
          expect(resource.DeletionPolicy, type).toBe(policy);
        }
      }
    });

    it('rotates every KMS key', () => {
      const keys = Object.values(template.findResources('AWS::KMS::Key'));
      expect(keys).toHaveLength(3);
      for (const key of keys) expect(key.Properties.EnableKeyRotation).toBe(true);
    });
  });

  describe('messaging', () => {
    it('has two work queues, each with its own DLQ after 5 receives and 6x the consumer timeout', () => {
      const queues = template.findResources('AWS::SQS::Queue');
      const withRedrive = Object.entries(queues).filter(([, q]) => q.Properties.RedrivePolicy);
      expect(withRedrive.map(([id]) => id.replace(/[A-F0-9]{8}$/, '')).sort()).toEqual([
        'MessagingAccountPollsQueue',
        'MessagingConnectionSyncsQueue',
      ]);
      const timeouts = { MessagingAccountPollsQueue: 60, MessagingConnectionSyncsQueue: 120 } as const;
      for (const [id, queue] of withRedrive) {
        const consumerTimeout = timeouts[id.replace(/[A-F0-9]{8}$/, '') as keyof typeof timeouts];
        expect(queue.Properties.VisibilityTimeout).toBe(consumerTimeout * 6);
        expect(queue.Properties.RedrivePolicy.maxReceiveCount).toBe(5);
        expect(queue.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0]).toMatch(/DeadLetters/);
      }
    });

    it('encrypts every queue and denies non-TLS access to it', () => {
      const queues = template.findResources('AWS::SQS::Queue');
      // Two work queues and their DLQs, the relay's failures, the scheduler's DLQ, the scheduled runs' failures.
      expect(Object.keys(queues)).toHaveLength(7);
      const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy'));
      for (const [id, queue] of Object.entries(queues)) {
        expect(queue.Properties.SqsManagedSseEnabled, id).toBe(true);
        const policy = policies.find((p) => p.Properties.Queues.some((q: Json) => q.Ref === id));
        expect(policy, `TLS policy of ${id}`).toBeDefined();
        expect(policy?.Properties.PolicyDocument.Statement).toContainEqual(
          expect.objectContaining({
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        );
      }
    });
  });

  describe('functions', () => {
    const functions = () => template.findResources('AWS::Lambda::Function');

    it('run Node.js 24 on arm64 with JSON logs into their own log group, ESM bundles with source maps', () => {
      expect(Object.keys(functions())).toHaveLength(5);
      for (const fn of Object.values(functions())) {
        expect(fn.Properties).toMatchObject({
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: expect.stringMatching(/Logs/) } },
          Environment: { Variables: expect.objectContaining({ NODE_OPTIONS: '--enable-source-maps' }) },
        });
      }
      for (const group of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
        expect(group.Properties.RetentionInDays).toBe(config.logRetentionDays);
      }
    });

    it('give each function the environment its schema requires', () => {
      const env = (prefix: string) => {
        const [, fn] = Object.entries(functions()).find(([id]) => id.startsWith(prefix)) ?? [];
        return fn?.Properties.Environment.Variables;
      };
      const common = {
        TABLE_NAME: { Ref: tableId() },
        MEWS_ENVIRONMENT: config.mewsEnvironment,
        POWERTOOLS_SERVICE_NAME: config.resourcePrefix,
        POWERTOOLS_METRICS_NAMESPACE: 'MewsProvisioner',
      };
      const mews = {
        MEWS_PLATFORM_ADDRESS: config.mewsPlatformAddress,
        MEWS_CLIENT_TOKEN_SECRET_ARN: {
          Ref: logicalId(template, 'AWS::SecretsManager::Secret', 'SecretsClientToken'),
        },
        CONNECTION_SECRET_PREFIX: `${config.resourcePrefix}/connections/`,
        CONNECTION_SECRETS_KMS_KEY_ARN: expect.anything(),
      };
      expect(env(FUNCTIONS.schedulePolls)).toMatchObject({
        ...common,
        ACCOUNT_POLLS_QUEUE_URL: expect.anything(),
      });
      expect(env(FUNCTIONS.pollAccount)).toMatchObject({
        ...common,
        ...mews,
        CONNECTION_SYNCS_QUEUE_URL: expect.anything(),
        ACCOUNT_POLLS_QUEUE_URL: expect.anything(),
      });
      expect(env(FUNCTIONS.syncConnection)).toMatchObject({ ...common, ...mews });
      expect(env(FUNCTIONS.relayOutbox)).toMatchObject({
        ...common,
        EVENT_BUS_NAME: expect.anything(),
        EVENT_SOURCE: config.eventSource,
      });
      for (const fn of Object.values(functions())) {
        expect(JSON.stringify(fn.Properties.Environment)).not.toMatch(/MEWS_CLIENT_TOKEN"/);
      }
    });

    it(
      config.reserveMewsConcurrency
        ? 'reserves concurrency for the Mews callers only'
        : 'reserves no concurrency',
      () => {
        for (const [id, fn] of Object.entries(functions())) {
          const mewsCaller = id.startsWith(FUNCTIONS.pollAccount) || id.startsWith(FUNCTIONS.syncConnection);
          expect(fn.Properties.ReservedConcurrentExecutions, id).toBe(
            mewsCaller && config.reserveMewsConcurrency ? config.mewsConcurrency : undefined,
          );
        }
      },
    );

    it('consume the work queues in small batches with partial batch responses and capped concurrency', () => {
      const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));
      const sqsMappings = mappings.filter((m) => ref(m.Properties.EventSourceArn).includes('Messaging'));
      expect(sqsMappings).toHaveLength(2);
      for (const mapping of sqsMappings) {
        expect(mapping.Properties).toMatchObject({
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          ScalingConfig: { MaximumConcurrency: config.mewsConcurrency },
        });
        expect(mapping.Properties.BatchSize).toBeLessThanOrEqual(5);
      }
    });

    it('relays only inserted outbox items from the stream, bisecting, bounded, with an on-failure queue', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [tableId(), 'StreamArn'] },
        FunctionName: { Ref: logicalId(template, 'AWS::Lambda::Function', FUNCTIONS.relayOutbox) },
        StartingPosition: 'TRIM_HORIZON',
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 5,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: {
          OnFailure: {
            Destination: {
              'Fn::GetAtt': [logicalId(template, 'AWS::SQS::Queue', 'FunctionsRelayFailures'), 'Arn'],
            },
          },
        },
        FilterCriteria: {
          Filters: [
            {
              Pattern: JSON.stringify({
                eventName: ['INSERT'],
                dynamodb: { Keys: { pk: { S: [{ prefix: EVENT_PREFIX }] } } },
              }),
            },
          ],
        },
      });
    });
  });

  describe('schedules', () => {
    it('invokes schedule-polls at the stage rate and the outbox sweep every 5 minutes, with a DLQ', () => {
      const dlq = { 'Fn::GetAtt': [logicalId(template, 'AWS::SQS::Queue', 'SchedulesDeadLetters'), 'Arn'] };
      const role = { 'Fn::GetAtt': [logicalId(template, 'AWS::IAM::Role', 'SchedulesRole'), 'Arn'] };
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: `rate(${config.pollRateMinutes} minutes)`,
        State: 'ENABLED',
        Target: {
          Arn: {
            'Fn::GetAtt': [logicalId(template, 'AWS::Lambda::Function', FUNCTIONS.schedulePolls), 'Arn'],
          },
          RoleArn: role,
          DeadLetterConfig: { Arn: dlq },
          // Scheduler fills in the scheduled time; a retried run computes the same refresh window.
          Input: JSON.stringify({ kind: 'schedule-polls', scheduledTime: '<aws.scheduler.scheduled-time>' }),
        },
      });
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'rate(5 minutes)',
        Target: {
          Arn: { 'Fn::GetAtt': [logicalId(template, 'AWS::Lambda::Function', FUNCTIONS.relayOutbox), 'Arn'] },
          RoleArn: role,
          DeadLetterConfig: { Arn: dlq },
          Input: JSON.stringify({ kind: 'sweep-outbox' }),
        },
      });
    });
  });

  describe('events', () => {
    it('has a custom bus with an archive of every event', () => {
      template.hasResourceProperties('AWS::Events::EventBus', { Name: config.resourcePrefix });
      template.hasResourceProperties('AWS::Events::Archive', {
        SourceArn: { 'Fn::GetAtt': [logicalId(template, 'AWS::Events::EventBus', 'EventsBus'), 'Arn'] },
        RetentionDays: config.eventArchiveRetentionDays,
        EventPattern: { account: [{ Ref: 'AWS::AccountId' }] },
      });
      template.resourceCountIs('AWS::EventSchemas::Registry', 1);
    });

    it("publishes every event's JSON Schema (draft-04) in the schema registry", () => {
      const schemas = Object.values(template.findResources('AWS::EventSchemas::Schema'));
      expect(schemas).toHaveLength(Object.keys(eventRegistry).length);
      const provisioned = schemas.find(
        (r) => r.Properties.SchemaName === `${config.eventSource}@ConnectionProvisioned`,
      );
      expect(provisioned?.Properties.Type).toBe('JSONSchemaDraft4');
      expect(JSON.parse(provisioned?.Properties.Content)).toEqual(eventJsonSchema('Connection Provisioned'));
    });
  });

  describe('webhook', () => {
    it('serves Mews through a Function URL without IAM auth (Mews authenticates in the body or the path)', () => {
      template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE' });
      const fn = Object.values(template.findResources('AWS::Lambda::Function')).find((r) =>
        String(r.Properties.Description).endsWith('Mews change notifications and integration webhooks'),
      );
      expect(Object.keys(fn?.Properties.Environment.Variables ?? {})).toEqual(
        expect.arrayContaining([
          'INTEGRATION_WEBHOOK_SECRET_ARN',
          'ACCOUNT_POLLS_QUEUE_URL',
          'CONNECTION_SYNCS_QUEUE_URL',
        ]),
      );
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: `${config.resourcePrefix}/integration-webhook-secret`,
        GenerateSecretString: { PasswordLength: 48, ExcludePunctuation: true },
      });
      template.hasOutput('WebhookUrl', {});
    });
  });

  describe('secrets', () => {
    it('creates the client token secret empty, encrypted with the secrets key, outside the connection prefix', () => {
      const secrets = Object.values(template.findResources('AWS::SecretsManager::Secret'));
      expect(secrets).toHaveLength(2); // and the generated integration webhook secret
      const properties = secrets.find((s) =>
        String(s.Properties.Name).endsWith('/mews-client-token'),
      )?.Properties;
      expect(properties.GenerateSecretString).toBeUndefined();
      expect(properties.SecretString).toBeUndefined();
      expect(properties.Name).toBe(`${config.resourcePrefix}/mews-client-token`);
      expect(properties.Name.startsWith(`${config.resourcePrefix}/connections/`)).toBe(false);
      expect(properties.KmsKeyId).toEqual({
        'Fn::GetAtt': [logicalId(template, 'AWS::KMS::Key', 'SecretsKey'), 'Arn'],
      });
    });

    it('exports a consumer policy reading only connection secrets, decrypting only through Secrets Manager', () => {
      const policyId = logicalId(template, 'AWS::IAM::ManagedPolicy', 'SecretsConsumerPolicy');
      const policy = template.findResources('AWS::IAM::ManagedPolicy')[policyId];
      const statements: Statement[] = policy?.Properties.PolicyDocument.Statement;
      expect(statements.flatMap(actionsOf).sort()).toEqual([
        'kms:Decrypt',
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
      ]);
      const read = statements.find((s) => actionsOf(s).includes('secretsmanager:GetSecretValue'));
      expect(ref(read?.Resource)).toContain(`:secret:${config.resourcePrefix}/connections/con_*`);
      const decrypt = statements.find((s) => actionsOf(s).includes('kms:Decrypt'));
      expect(decrypt?.Condition.StringEquals['kms:ViaService']).toBeDefined();
      expect(ref(decrypt?.Condition.StringLike['kms:EncryptionContext:SecretARN'])).toContain(
        `:secret:${config.resourcePrefix}/connections/con_*`,
      );
    });
  });

  describe('alarms', () => {
    const alarms = () =>
      Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    const topic = () => ({ Ref: logicalId(template, 'AWS::SNS::Topic', 'AlarmsTopic') });

    it('notify an encrypted, TLS-only topic', () => {
      template.hasResourceProperties('AWS::SNS::Topic', {
        KmsMasterKeyId: { 'Fn::GetAtt': [logicalId(template, 'AWS::KMS::Key', 'AlarmsKey'), 'Arn'] },
      });
      for (const alarm of alarms()) expect(alarm.AlarmActions).toEqual([topic()]);
      template.resourceCountIs('AWS::SNS::Subscription', 0);
    });

    it('watch each dead-letter queue, each function, failed provisioning, dead-lettered events, refused accounts and silent polling', () => {
      const dlqAlarms = alarms().filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible');
      expect(dlqAlarms).toHaveLength(5);
      for (const alarm of dlqAlarms) {
        expect(alarm).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
      }
      const errorAlarms = alarms().filter((a) => a.MetricName === 'Errors' && a.Namespace === 'AWS/Lambda');
      expect(errorAlarms).toHaveLength(5);
      const dimensions = [{ Name: 'service', Value: config.resourcePrefix }];
      expect(alarms()).toContainEqual(
        expect.objectContaining({
          Namespace: 'MewsProvisioner',
          MetricName: 'ProvisioningFailed',
          Dimensions: dimensions,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
        }),
      );
      expect(alarms()).toContainEqual(
        expect.objectContaining({
          Namespace: 'MewsProvisioner',
          MetricName: 'EventsDeadLettered',
          Dimensions: dimensions,
          Statistic: 'Sum',
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
        }),
      );
      expect(alarms()).toContainEqual(
        expect.objectContaining({
          Namespace: 'MewsProvisioner',
          MetricName: 'AccountAccessFailed',
          Dimensions: dimensions,
          Threshold: 0,
        }),
      );
      const periods = Math.ceil(config.pollSilenceAlarmMinutes / config.pollRateMinutes);
      expect(alarms()).toContainEqual(
        expect.objectContaining({
          Namespace: 'MewsProvisioner',
          MetricName: 'PollSucceeded',
          Dimensions: dimensions,
          Statistic: 'Sum',
          Period: config.pollRateMinutes * 60,
          EvaluationPeriods: periods,
          DatapointsToAlarm: periods,
          Threshold: 1,
          ComparisonOperator: 'LessThanThreshold',
          TreatMissingData: 'breaching',
        }),
      );
      expect(alarms()).toHaveLength(15);
      template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    });
  });

  describe('least privilege', () => {
    it('has no wildcard action in any policy, and no wildcard service action in identity policies', () => {
      for (const statement of allStatements(template)) {
        expect(actionsOf(statement)).not.toContain('*');
      }
      for (const [id, statements] of identityPolicies(template)) {
        for (const action of statements.flatMap(actionsOf)) expect(action, id).not.toContain('*');
      }
    });

    it('uses Resource "*" only for dynamodb:ListStreams', () => {
      for (const [, statements] of identityPolicies(template)) {
        for (const statement of statements.filter((s) => resourcesOf(s).includes('*'))) {
          expect(actionsOf(statement)).toEqual(['dynamodb:ListStreams']);
        }
      }
    });

    it('grants Secrets Manager actions only on the token prefixes, the client token and webhook secrets', () => {
      const clientToken = { Ref: logicalId(template, 'AWS::SecretsManager::Secret', 'SecretsClientToken') };
      const webhookSecret = {
        Ref: logicalId(template, 'AWS::SecretsManager::Secret', 'SecretsIntegrationWebhookSecret'),
      };
      for (const [, statements] of identityPolicies(template)) {
        for (const statement of statements.filter((s) =>
          actionsOf(s).some((a) => a.startsWith('secretsmanager:')),
        )) {
          for (const resource of resourcesOf(statement)) {
            // Connection and integration tokens (and access tokens still at their pre-migration names).
            const prefixPattern = ['connections/con_', 'integrations/int_', 'connections/int_'].some((p) =>
              ref(resource).endsWith(`:secret:${config.resourcePrefix}/${p}*"]]}`),
            );
            const named = [ref(clientToken), ref(webhookSecret)].includes(ref(resource));
            expect(prefixPattern || named, ref(resource)).toBe(true);
          }
        }
      }
    });

    it('grants DynamoDB actions only on the table, its stream and named indexes', () => {
      const table = tableId();
      const allowed = [
        ref({ 'Fn::GetAtt': [table, 'Arn'] }),
        ref({ 'Fn::GetAtt': [table, 'StreamArn'] }),
        ...GLOBAL_INDEXES.map((index) =>
          ref({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [table, 'Arn'] }, `/index/${index.indexName}`]] }),
        ),
      ];
      for (const [, statements] of identityPolicies(template)) {
        for (const statement of statements.filter((s) =>
          actionsOf(s).some((a) => a.startsWith('dynamodb:')),
        )) {
          if (actionsOf(statement).includes('dynamodb:ListStreams')) continue;
          for (const resource of resourcesOf(statement)) expect(allowed).toContain(ref(resource));
        }
      }
    });

    it('grants KMS use only on this stack’s keys, and the secrets key only through Secrets Manager', () => {
      const secretsKey = logicalId(template, 'AWS::KMS::Key', 'SecretsKey');
      for (const [, statements] of identityPolicies(template)) {
        for (const statement of statements.filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')))) {
          for (const resource of resourcesOf(statement))
            expect(resource).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
          if (ref(statement.Resource).includes(secretsKey)) {
            expect(ref(statement.Condition?.StringEquals?.['kms:ViaService'])).toContain('secretsmanager.');
          }
        }
      }
    });

    it('gives each function only what its part of the flow needs', () => {
      const of = (prefix: string) => actions(statementsOfFunction(template, prefix));

      const schedulePolls = of(FUNCTIONS.schedulePolls);
      expect([...schedulePolls].filter((a) => a.startsWith('dynamodb:'))).toEqual(['dynamodb:Query']);
      expect(schedulePolls).toContain('sqs:SendMessage');
      expect([...schedulePolls].some((a) => a.startsWith('secretsmanager:') || a.startsWith('events:'))).toBe(
        false,
      );
      const scheduleQuery = statementsOfFunction(template, FUNCTIONS.schedulePolls).find((s) =>
        actionsOf(s).includes('dynamodb:Query'),
      );
      expect(ref(scheduleQuery?.Resource)).toContain(`/index/${BY_TYPE_INDEX.indexName}`);

      const pollAccount = of(FUNCTIONS.pollAccount);
      for (const action of [
        'CreateSecret',
        'DescribeSecret',
        'TagResource',
        'RestoreSecret',
        'PutSecretValue',
        'DeleteSecret',
      ]) {
        expect(pollAccount).toContain(`secretsmanager:${action}`);
      }
      expect(pollAccount).toContain('sqs:SendMessage');
      // Syncs, and the continuation of a poll cut short by its deadline.
      const pollSends = JSON.stringify(
        statementsOfFunction(template, FUNCTIONS.pollAccount).filter((s) =>
          actionsOf(s).includes('sqs:SendMessage'),
        ),
      );
      expect(pollSends).toContain('MessagingConnectionSyncsQueue');
      expect(pollSends).toContain('MessagingAccountPollsQueue');
      expect(pollAccount).not.toContain('events:PutEvents');
      // poll-account reads only the client token, never a connection token.
      const pollReads = statementsOfFunction(template, FUNCTIONS.pollAccount).filter((s) =>
        actionsOf(s).includes('secretsmanager:GetSecretValue'),
      );
      for (const statement of pollReads) expect(ref(statement.Resource)).not.toContain('/connections/');

      const syncConnection = of(FUNCTIONS.syncConnection);
      expect(syncConnection).toContain('secretsmanager:GetSecretValue');
      expect(syncConnection).not.toContain('secretsmanager:CreateSecret');
      expect(syncConnection).not.toContain('secretsmanager:PutSecretValue');
      expect(syncConnection).not.toContain('sqs:SendMessage');

      const relay = of(FUNCTIONS.relayOutbox);
      expect(relay).toContain('events:PutEvents');
      expect(relay).toContain('dynamodb:UpdateItem');
      expect(relay).not.toContain('dynamodb:PutItem');
      expect([...relay].some((a) => a.startsWith('secretsmanager:'))).toBe(false);
      const relayQuery = statementsOfFunction(template, FUNCTIONS.relayOutbox).find(
        (s) => ref(s.Resource).includes('/index/') && actionsOf(s).includes('dynamodb:Query'),
      );
      expect(ref(relayQuery?.Resource)).toContain(`/index/${PENDING_OUTBOX_INDEX.indexName}`);

      const membershipQuery = statementsOfFunction(template, FUNCTIONS.pollAccount).find(
        (s) => ref(s.Resource).includes('/index/') && actionsOf(s).includes('dynamodb:Query'),
      );
      expect(ref(membershipQuery?.Resource)).toContain(`/index/${EVENTS_BY_SUBJECT_INDEX.indexName}`);

      for (const all of [schedulePolls, pollAccount, syncConnection, relay]) {
        expect(all).not.toContain('dynamodb:Scan');
      }
      for (const readerOrRelay of [schedulePolls, relay]) {
        expect(readerOrRelay).not.toContain('dynamodb:DeleteItem');
        expect(readerOrRelay).not.toContain('dynamodb:PutItem');
      }
      for (const notPollAccount of [schedulePolls, syncConnection, relay]) {
        expect(notPollAccount).not.toContain('secretsmanager:DeleteSecret');
      }
    });

    it('lets the scheduler role invoke only the two scheduled functions', () => {
      const role = logicalId(template, 'AWS::IAM::Role', 'SchedulesRole');
      const statements = Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((p) => p.Properties.Roles.some((r: Json) => r.Ref === role))
        .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
      const invoke = statements.find((s) => actionsOf(s).includes('lambda:InvokeFunction'));
      expect(resourcesOf(invoke as Statement)).toEqual(
        expect.arrayContaining([
          { 'Fn::GetAtt': [logicalId(template, 'AWS::Lambda::Function', FUNCTIONS.schedulePolls), 'Arn'] },
          { 'Fn::GetAtt': [logicalId(template, 'AWS::Lambda::Function', FUNCTIONS.relayOutbox), 'Arn'] },
        ]),
      );
      expect(resourcesOf(invoke as Statement)).toHaveLength(2);
    });

    it('does not attach AWS managed policies', () => {
      for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
        expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      }
    });
  });

  describe('outputs', () => {
    it('exposes what the CLI and subscribers look up', () => {
      const outputs = template.findOutputs('*');
      // Only a stack with tokenStore parameter-store has these (test/infra/parameter-store-stack.test.ts).
      const parameterStoreOnly: string[] = [
        OUTPUT_KEYS.tokenStore,
        OUTPUT_KEYS.connectionParameterPath,
        OUTPUT_KEYS.integrationParameterPath,
      ];
      expect(Object.keys(outputs).sort()).toEqual(
        Object.values(OUTPUT_KEYS)
          .filter((key) => !parameterStoreOnly.includes(key))
          .sort(),
      );
      expect(outputs[OUTPUT_KEYS.stage]?.Value).toBe(stage);
      expect(outputs[OUTPUT_KEYS.connectionSecretPrefix]?.Value).toBe(
        `${config.resourcePrefix}/connections/`,
      );
      expect(outputs[OUTPUT_KEYS.eventSource]?.Value).toBe(config.eventSource);
      expect(outputs[OUTPUT_KEYS.consumerPolicyArn]?.Export).toEqual({
        Name: `${config.resourcePrefix}-${OUTPUT_KEYS.consumerPolicyArn}`,
      });
    });

    it('is named after the resource prefix and needs no account or region at synth time', () => {
      expect(stack.stackName).toBe(config.resourcePrefix);
      expect(stack.environment).toBe('aws://unknown-account/unknown-region');
    });
  });

  it('matches the template snapshot (asset hashes normalized)', () => {
    expect(normalizeAssetHashes(template.toJSON())).toMatchSnapshot();
  });

  describe('cdk-nag AwsSolutions', () => {
    it('reports no unacknowledged error or warning', () => {
      const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(app);
      const findings = report.violations.map(
        (v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
      );
      expect(findings).toEqual([]);
    });

    it('leaves no error or warning annotation', () => {
      expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    });
  });
});

describe('stage overrides reach the template', () => {
  it('subscribes the alarm email and uses an existing client token secret and its key', () => {
    const secretArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:mews/client-token-AbCdEf';
    const keyArn = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const { template } = synth({
      stage: 'production',
      alarmEmail: 'ops@example.com',
      pollRateMinutes: '10',
      clientTokenSecretArn: secretArn,
      clientTokenSecretKmsKeyArn: keyArn,
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(10 minutes)' });
    template.resourceCountIs('AWS::SecretsManager::Secret', 1); // only the generated webhook secret
    expect(
      template.findOutputs(OUTPUT_KEYS.clientTokenSecretArn)[OUTPUT_KEYS.clientTokenSecretArn]?.Value,
    ).toBe(secretArn);
    const statements = statementsOfFunction(template, FUNCTIONS.syncConnection);
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'] }),
    );
    expect(JSON.stringify(statements)).toContain(secretArn);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'kms:Decrypt',
        Resource: keyArn,
        Condition: expect.objectContaining({ StringLike: { 'kms:EncryptionContext:SecretARN': secretArn } }),
      }),
    );
  });
});
