import 'aws-sdk-client-mock-vitest/extend';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoStateStore } from '../../shared/adapters/aws/dynamo-state-store.js';
import type { CliIo } from '../../shared/cli/cli-io.js';
import { main } from '../../shared/cli/main.js';
import { OUTPUT_KEYS } from '../../shared/config/stack-outputs.js';
import { connectionProvisioned } from '../../shared/domain/events/connection-provisioned.event.js';
import { accountIdFromEmail } from '../../shared/domain/identity.js';
import { freshTable, type TestTable } from '../support/dynamo.js';

/**
 * The CLI against a deployed stack: the stack found by its outputs (CloudFormation mocked), the
 * state table real (DynamoDB Local), SQS and EventBridge mocked with the exact commands asserted.
 */
const STACK = 'mews-provisioner-demo';
const Q = 'https://sqs.eu-west-1.amazonaws.com/123456789012';
const outputs = (tableName: string) => ({
  [OUTPUT_KEYS.tableName]: tableName,
  [OUTPUT_KEYS.mewsEnvironment]: 'demo',
  [OUTPUT_KEYS.eventBusName]: 'mews-provisioner-demo-bus',
  [OUTPUT_KEYS.eventBusArn]: 'arn:aws:events:eu-west-1:123456789012:event-bus/mews-provisioner-demo-bus',
  [OUTPUT_KEYS.eventSource]: 'com.example.mews-provisioner.demo',
  [OUTPUT_KEYS.eventArchiveArn]: 'arn:aws:events:eu-west-1:123456789012:archive/mews-provisioner-demo-all',
  [OUTPUT_KEYS.accountPollsQueueUrl]: `${Q}/account-polls`,
  [OUTPUT_KEYS.accountPollsDeadLetterQueueUrl]: `${Q}/account-polls-dlq`,
  [OUTPUT_KEYS.connectionSyncsQueueUrl]: `${Q}/connection-syncs`,
  [OUTPUT_KEYS.connectionSyncsDeadLetterQueueUrl]: `${Q}/connection-syncs-dlq`,
  [OUTPUT_KEYS.failedRunsQueueUrl]: `${Q}/failed-runs`,
});

const cloudFormation = mockClient(CloudFormationClient);
const sqs = mockClient(SQSClient);
const eventBridge = mockClient(EventBridgeClient);
let table: TestTable;

beforeAll(async () => {
  table = await freshTable('cli-aws');
});
afterAll(() => {
  cloudFormation.restore();
  sqs.restore();
  eventBridge.restore();
  vi.unstubAllEnvs();
});
beforeEach(() => {
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'fake-access-key-id');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'fake-secret-access-key');
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', table.endpoint);
  cloudFormation.reset();
  sqs.reset();
  eventBridge.reset();
  cloudFormation.on(DescribeStacksCommand, { StackName: STACK }).resolves({
    Stacks: [
      {
        StackName: STACK,
        CreationTime: new Date(),
        StackStatus: 'CREATE_COMPLETE',
        Outputs: Object.entries(outputs(table.tableName)).map(([OutputKey, OutputValue]) => ({
          OutputKey,
          OutputValue,
        })),
      },
    ],
  });
  sqs.on(SendMessageBatchCommand).callsFake((input) => ({
    Successful: input.Entries.map((e: { Id: string }) => ({
      Id: e.Id,
      MessageId: e.Id,
      MD5OfMessageBody: 'x',
    })),
    Failed: [],
  }));
  eventBridge.on(PutEventsCommand).callsFake((input) => ({
    FailedEntryCount: 0,
    Entries: input.Entries.map((_: unknown, i: number) => ({ EventId: `e${i}` })),
  }));
});

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    out: (t) => {
      stdout += t;
    },
    err: (t) => {
      stderr += t;
    },
    progress: () => {},
    env: { PROVISIONER_STACK: STACK },
  };
  return { code: await main(args, io), stdout, stderr: () => stderr };
}

describe('provisioner --stack', () => {
  it("registers accounts in the stack's table and queues a cycle on its account-polls queue", async () => {
    expect((await cli(['accounts', 'add', 'reception@sample-hostel.example'])).code).toBe(0);

    const run = await cli(['run', '--once']);

    expect(run.stdout).toMatch(/^queued 1 poll\(s\) on mews-provisioner-demo/);
    expect(sqs).toHaveReceivedCommandWith(SendMessageBatchCommand, {
      QueueUrl: `${Q}/account-polls`,
      Entries: [
        expect.objectContaining({
          MessageBody: JSON.stringify({
            kind: 'poll-account',
            accountId: accountIdFromEmail('reception@sample-hostel.example'),
          }),
        }),
      ],
    });
  });

  it('resync queues a refresh of the connection; replay re-publishes its outbox events to the bus', async () => {
    const store = new DynamoStateStore({ client: table.client, tableName: table.tableName });
    const accountId = accountIdFromEmail('reception@sample-hostel.example');
    const connectionId = 'con_aaaaaaaaaaaaaaaaaaaaaaaa';
    const at = '2026-11-27T10:00:00.000Z';
    await store.recordDiscoveries(
      accountId,
      [
        {
          connectionId,
          propertyId: 'p',
          propertyName: 'P',
          connectionName: null,
          secretRef: 'arn:aws:secretsmanager:x',
        },
      ],
      at,
    );
    const configuration = {
      digest: 'sha256:1',
      fetchedAt: at,
      summary: {
        spaceCategories: 1,
        synchronizedSpaceCategories: 1,
        ratePlans: 1,
        synchronizedRatePlans: 1,
        inventoryMappings: 1,
        products: 0,
        ageCategories: 0,
        companies: 0,
        travelAgencies: 0,
      },
    };
    const event = connectionProvisioned({
      connection: { id: connectionId, name: null, propertyId: 'p', propertyName: 'P' },
      accountId,
      secretRef: 'arn:aws:secretsmanager:x',
      configuration,
      environment: 'demo',
      at,
    });
    await store.recordProvisioned({
      connectionId,
      expectedVersion: 0,
      accountId,
      secretRef: 'arn:aws:secretsmanager:x',
      configuration,
      snapshot: {},
      at,
      events: [event],
    });

    expect((await cli(['connections', 'resync', connectionId])).stdout).toMatch(/queued a check of con_a+/);
    expect(sqs).toHaveReceivedCommandWith(SendMessageBatchCommand, {
      QueueUrl: `${Q}/connection-syncs`,
      Entries: [
        expect.objectContaining({
          MessageBody: JSON.stringify({
            kind: 'sync-connection',
            connectionId,
            accountId,
            reason: 'refresh',
          }),
        }),
      ],
    });

    expect((await cli(['events', 'replay', '--connection', connectionId])).stdout).toMatch(
      /^replayed 1 event/,
    );
    expect(eventBridge).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [
        expect.objectContaining({
          EventBusName: 'mews-provisioner-demo-bus',
          Source: 'com.example.mews-provisioner.demo',
          DetailType: 'Connection Provisioned',
          Detail: JSON.stringify(event.detail),
        }),
      ],
    });
  });

  it('status reads the queue depths; dlq list peeks without taking; dlq redrive starts SQS move tasks', async () => {
    sqs.on(GetQueueAttributesCommand).resolves({
      Attributes: { ApproximateNumberOfMessages: '2', ApproximateNumberOfMessagesNotVisible: '1' },
    });
    sqs
      .on(ReceiveMessageCommand, { QueueUrl: `${Q}/account-polls-dlq` })
      .resolvesOnce({
        Messages: [
          {
            MessageId: 'm1',
            Body: '{"kind":"poll-account","accountId":"acc_0000000000000000"}',
            Attributes: { ApproximateReceiveCount: '5', SentTimestamp: '1764237600000' },
          },
        ],
      })
      .resolves({ Messages: [] });
    sqs.on(ReceiveMessageCommand, { QueueUrl: `${Q}/connection-syncs-dlq` }).resolves({ Messages: [] });
    sqs.on(ReceiveMessageCommand, { QueueUrl: `${Q}/failed-runs` }).resolves({ Messages: [] });
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'h' });

    const status = JSON.parse((await cli(['status', '--json'])).stdout);
    expect(status.where).toBe(`stack ${STACK}`);
    expect(status.queues).toContainEqual({ queue: 'account-polls-dlq', waiting: 2, inFlight: 1 });
    // The failed runs of the scheduled functions too (test/unit/cli/dlq-failed-runs.test.ts lists them).
    expect(status.queues).toContainEqual({ queue: 'failed-runs', waiting: 2, inFlight: 1 });
    expect(sqs).toHaveReceivedCommandTimes(GetQueueAttributesCommand, 5);

    const dead = JSON.parse((await cli(['dlq', 'list', '--json'])).stdout);
    expect(dead).toEqual([
      {
        queue: 'account-polls',
        message: { kind: 'poll-account', accountId: 'acc_0000000000000000' },
        reason: null,
        attempts: 5,
        at: '2025-11-27T10:00:00.000Z',
      },
    ]);
    expect(sqs).toHaveReceivedCommandWith(ReceiveMessageCommand, {
      QueueUrl: `${Q}/account-polls-dlq`,
      VisibilityTimeout: 0,
    });

    const redrive = (await cli(['dlq', 'redrive'])).stdout;
    expect(redrive).toMatch(/started 2 message move task/);
    expect(redrive).toMatch(
      /2 failed run\(s\) of the scheduled functions left as they are: .* aws sqs purge-queue --queue-url https:\/\/sqs\.eu-west-1\.amazonaws\.com\/123456789012\/failed-runs\n$/,
    );
    expect(sqs).toHaveReceivedCommandTimes(StartMessageMoveTaskCommand, 2);
    expect(sqs).toHaveReceivedCommandWith(StartMessageMoveTaskCommand, {
      SourceArn: 'arn:aws:sqs:eu-west-1:123456789012:account-polls-dlq',
    });
    expect(sqs).toHaveReceivedCommandWith(StartMessageMoveTaskCommand, {
      SourceArn: 'arn:aws:sqs:eu-west-1:123456789012:connection-syncs-dlq',
    });
  });

  it('says clearly when the stack does not exist', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(new Error('Stack with id nope does not exist'));
    const result = await main(
      ['status', '--stack', 'nope'],
      {
        out: () => {},
        err: (t) => {
          expect(t).toMatch(/stack nope does not exist in this account and region: deploy it/);
        },
        progress: () => {},
        env: {},
      },
      {},
    );
    expect(result).toBe(1);
  });
});
