/**
 * What the handler tests share: Lambda-shaped events and context, the environment the stack
 * sets, a stateful Secrets Manager fake, SQS/EventBridge fakes, and a capture of everything the
 * functions write (logs and EMF metrics) so tests can assert on it and scan it for secrets.
 */
import { createHash, randomUUID } from 'node:crypto';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { vi } from 'vitest';

export const REGION = 'eu-west-1';
export const ACCOUNT = '111122223333';
export const SERVICE = 'mews-provisioner-test';
export const CONNECTION_SECRET_PREFIX = 'mews-provisioner/test/connections/';
export const INTEGRATION_SECRET_PREFIX = 'mews-provisioner/test/integrations/';
export const KMS_KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
export const CLIENT_TOKEN_SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:mews-provisioner/test/client-token-Ab12Cd`;
export const ACCOUNT_POLLS_QUEUE_URL = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/mews-provisioner-test-account-polls`;
export const CONNECTION_SYNCS_QUEUE_URL = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/mews-provisioner-test-connection-syncs`;
export const EVENT_BUS_NAME = 'mews-provisioner-test';
export const EVENT_SOURCE = 'com.example.mews-provisioner.test';

/** The environment every function gets from the stack, plus the test's AWS settings. */
export function stubFunctionEnv(values: { tableName: string; dynamoEndpoint: string; mewsAddress?: string }) {
  const env: Record<string, string> = {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'fake-access-key-id',
    AWS_SECRET_ACCESS_KEY: 'fake-secret-access-key-for-tests',
    AWS_ENDPOINT_URL_DYNAMODB: values.dynamoEndpoint,
    POWERTOOLS_SERVICE_NAME: SERVICE,
    POWERTOOLS_LOG_LEVEL: 'DEBUG',
    TABLE_NAME: values.tableName,
    MEWS_ENVIRONMENT: 'demo',
    MEWS_PLATFORM_ADDRESS: values.mewsAddress ?? 'https://api.mews-demo.com',
    MEWS_CLIENT_TOKEN_SECRET_ARN: CLIENT_TOKEN_SECRET_ARN,
    CONNECTION_SECRET_PREFIX,
    INTEGRATION_SECRET_PREFIX,
    CONNECTION_SECRETS_KMS_KEY_ARN: KMS_KEY_ARN,
    ACCOUNT_POLLS_QUEUE_URL,
    CONNECTION_SYNCS_QUEUE_URL,
    CONFIGURATION_REFRESH_MINUTES: '60',
    POLL_RATE_MINUTES: '5',
    SECRET_RECOVERY_WINDOW_DAYS: '7',
    MASS_DISAPPEARANCE_PERCENT: '50',
    EVENT_BUS_NAME,
    EVENT_SOURCE,
  };
  for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
  // The developer's own settings must not leak in.
  for (const key of ['AWS_PROFILE', 'AWS_ENDPOINT_URL', 'POWERTOOLS_DEV', 'POWERTOOLS_METRICS_DISABLED']) {
    vi.stubEnv(key, undefined);
  }
  return env;
}

export function lambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `2025/01/01/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** An SQS record as Lambda delivers it. */
export function sqsRecord(body: string, queueUrl: string, receiveCount = 1): SQSRecord {
  const queueName = queueUrl.split('/').at(-1) ?? 'queue';
  const sent = Date.now() - 1_000;
  return {
    messageId: randomUUID(),
    receiptHandle: `AQEB${createHash('sha256').update(randomUUID()).digest('base64')}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: String(sent),
      SenderId: 'AROAFAKEROLEID0000000:mews-provisioner-test-sender',
      ApproximateFirstReceiveTimestamp: String(sent + 5),
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:${REGION}:${ACCOUNT}:${queueName}`,
    awsRegion: REGION,
  };
}

export function sqsEvent(records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

// ---- captured output ----

export interface Captured {
  /** Everything written, as text. */
  text(): string;
  /** JSON log lines (not EMF), parsed. */
  logs(): Record<string, unknown>[];
  /** EMF documents, parsed. */
  emf(): Record<string, unknown>[];
  /** Sum of a metric's values over the EMF documents since `clear()`. */
  metric(name: string): number | undefined;
  clear(): void;
  restore(): void;
}

/** Captures stdout, stderr and the console (Powertools writes JSON lines to stdout). */
export function captureOutput(): Captured {
  let chunks: string[] = [];
  const grab = (chunk: unknown) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(grab),
    vi.spyOn(process.stderr, 'write').mockImplementation(grab),
    ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation((...args: unknown[]) => {
        grab(`${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}\n`);
      }),
    ),
  ];
  const parsed = () =>
    chunks
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    text: () => chunks.join(''),
    logs: () => parsed().filter((l) => !('_aws' in l)),
    emf: () => parsed().filter((l) => '_aws' in l),
    metric(name) {
      const values = parsed()
        .filter((l) => '_aws' in l && name in l)
        .flatMap((l) => l[name] as number | number[]);
      return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0);
    },
    clear: () => {
      chunks = [];
    },
    restore: () => {
      for (const s of spies) s.mockRestore();
    },
  };
}

// ---- AWS fakes ----

export interface StoredSecret {
  name: string;
  arn: string;
  value: string;
  kmsKeyId: string | undefined;
}

/**
 * Secrets Manager as the functions use it: CreateSecret stores (ResourceExistsException the second
 * time), GetSecretValue returns the client token for its ARN and a stored secret by name or ARN.
 */
export function fakeSecretsManager(clientToken: string) {
  const sm = mockClient(SecretsManagerClient);
  const secrets = new Map<string, StoredSecret>();
  const find = (id: string | undefined) =>
    id === undefined ? undefined : (secrets.get(id) ?? [...secrets.values()].find((s) => s.arn === id));
  const notFound = () =>
    new ResourceNotFoundException({
      message: "Secrets Manager can't find the specified secret.",
      $metadata: { httpStatusCode: 400 },
    });

  const install = () => {
    sm.reset();
    sm.on(CreateSecretCommand).callsFake((input) => {
      const name = String(input.Name);
      if (secrets.has(name)) {
        throw new ResourceExistsException({
          message: `The operation failed because the secret ${name} already exists.`,
          $metadata: { httpStatusCode: 400 },
        });
      }
      const arn = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-${randomUUID().slice(0, 6)}`;
      secrets.set(name, { name, arn, value: String(input.SecretString), kmsKeyId: input.KmsKeyId });
      return { ARN: arn, Name: name, VersionId: input.ClientRequestToken };
    });
    sm.on(GetSecretValueCommand).callsFake((input) => {
      if (input.SecretId === CLIENT_TOKEN_SECRET_ARN) {
        return { ARN: CLIENT_TOKEN_SECRET_ARN, SecretString: clientToken, VersionStages: ['AWSCURRENT'] };
      }
      const s = find(input.SecretId);
      if (!s) throw notFound();
      return { ARN: s.arn, Name: s.name, SecretString: s.value, VersionStages: ['AWSCURRENT'] };
    });
  };
  install();
  return { sm, secrets, reset: install };
}

/** SQS that takes every message. */
export function fakeSqs() {
  const sqs = mockClient(SQSClient);
  const install = () => {
    sqs.reset();
    sqs.on(SendMessageBatchCommand).callsFake((input) => ({
      Successful: (input.Entries ?? []).map((e: { Id?: string; MessageBody?: string }) => ({
        Id: e.Id,
        MessageId: randomUUID(),
        MD5OfMessageBody: createHash('md5')
          .update(e.MessageBody ?? '')
          .digest('hex'),
      })),
      Failed: [],
    }));
  };
  install();
  /** Every message body sent to `queueUrl`, parsed, in order. */
  const sent = (queueUrl: string) =>
    sqs
      .commandCalls(SendMessageBatchCommand)
      .filter((c) => c.args[0].input.QueueUrl === queueUrl)
      .flatMap((c) => c.args[0].input.Entries ?? [])
      .map((e) => JSON.parse(e.MessageBody ?? 'null') as Record<string, unknown>);
  return { sqs, sent, reset: install };
}

export { PutEventsCommand };
