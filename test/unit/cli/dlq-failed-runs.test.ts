import 'aws-sdk-client-mock-vitest/extend';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { OUTPUT_KEYS } from '../../../shared/config/stack-outputs.js';
import { runCli } from '../../support/cli-run.js';

/**
 * The failed-runs queue (the scheduled functions' on-failure destination) in `dlq list`, `dlq
 * redrive` and `status` on a stack: its records are Lambda's invocation records, which wrap the
 * scheduled input as requestPayload, so they are listed (function, input, condition, error) and
 * never moved by a redrive, whose SQS move tasks go back to source queues the failed-runs queue
 * does not have.
 */
const STACK = 'mews-provisioner-production';
const Q = 'https://sqs.eu-west-1.amazonaws.com/123456789012';
const FAILED_RUNS = `${Q}/mews-provisioner-production-SchedulesFailedRunsQueue-AbC123`;
const FN = 'arn:aws:lambda:eu-west-1:123456789012:function:mews-provisioner-production-SchedulePolls-XyZ';
const SWEEP_FN = 'arn:aws:lambda:eu-west-1:123456789012:function:mews-provisioner-production-RelayOutbox-QwE';

const outputs = {
  [OUTPUT_KEYS.tableName]: 'state',
  [OUTPUT_KEYS.mewsEnvironment]: 'production',
  [OUTPUT_KEYS.eventBusName]: STACK,
  [OUTPUT_KEYS.eventBusArn]: `arn:aws:events:eu-west-1:123456789012:event-bus/${STACK}`,
  [OUTPUT_KEYS.eventSource]: 'com.example.mews-provisioner',
  [OUTPUT_KEYS.eventArchiveArn]: `arn:aws:events:eu-west-1:123456789012:archive/${STACK}-all`,
  [OUTPUT_KEYS.accountPollsQueueUrl]: `${Q}/account-polls`,
  [OUTPUT_KEYS.accountPollsDeadLetterQueueUrl]: `${Q}/account-polls-dlq`,
  [OUTPUT_KEYS.connectionSyncsQueueUrl]: `${Q}/connection-syncs`,
  [OUTPUT_KEYS.connectionSyncsDeadLetterQueueUrl]: `${Q}/connection-syncs-dlq`,
  [OUTPUT_KEYS.failedRunsQueueUrl]: FAILED_RUNS,
};

/** What Lambda sends to the on-failure destination after the last retry of schedule-polls. */
const retriesExhausted = {
  version: '1.0',
  timestamp: '2026-12-02T04:03:10.512Z',
  requestContext: {
    requestId: 'e4b2c1d0-0000-4000-8000-000000000001',
    functionArn: `${FN}:$LATEST`,
    condition: 'RetriesExhausted',
    approximateInvokeCount: 3,
  },
  requestPayload: { kind: 'schedule-polls', scheduledTime: '2026-12-02T04:00:00Z' },
  responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
  responsePayload: {
    errorType: 'AwsAdapterError',
    errorMessage: 'DynamoDB Query failed: ProvisionedThroughputExceededException',
    trace: [],
  },
};
/** A sweep that waited past the maximum event age: it never ran, so there is no response. */
const eventAgeExceeded = {
  version: '1.0',
  timestamp: '2026-12-02T05:10:00.000Z',
  requestContext: {
    requestId: 'e4b2c1d0-0000-4000-8000-000000000002',
    functionArn: `${SWEEP_FN}:$LATEST`,
    condition: 'EventAgeExceeded',
    approximateInvokeCount: 0,
  },
  requestPayload: { kind: 'sweep-outbox' },
};

const cloudFormation = mockClient(CloudFormationClient);
const sqs = mockClient(SQSClient);
const eventBridge = mockClient(EventBridgeClient);

beforeEach(() => {
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'fake-access-key-id');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'fake-secret-access-key');
  cloudFormation.reset();
  sqs.reset();
  eventBridge.reset();
  cloudFormation.on(DescribeStacksCommand, { StackName: STACK }).resolves({
    Stacks: [
      {
        StackName: STACK,
        CreationTime: new Date(),
        StackStatus: 'UPDATE_COMPLETE',
        Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
      },
    ],
  });
  sqs.on(ReceiveMessageCommand).resolves({ Messages: [] });
  sqs
    .on(ReceiveMessageCommand, { QueueUrl: FAILED_RUNS })
    .resolvesOnce({
      Messages: [
        {
          MessageId: 'r1',
          Body: JSON.stringify(retriesExhausted),
          Attributes: { SentTimestamp: '1764648190600' },
        },
        {
          MessageId: 'r2',
          Body: JSON.stringify(eventAgeExceeded),
          Attributes: { SentTimestamp: '1764652200100' },
        },
        { MessageId: 'r3', Body: 'not a record', Attributes: { SentTimestamp: '1764652200200' } },
      ],
    })
    .resolves({ Messages: [] });
  sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'h' });
  sqs.on(GetQueueAttributesCommand).resolves({
    Attributes: { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' },
  });
});
afterAll(() => {
  cloudFormation.restore();
  sqs.restore();
  eventBridge.restore();
  vi.unstubAllEnvs();
});

function cli(args: string[], columns?: number) {
  return runCli([...args, '--stack', STACK], { env: {}, ...(columns ? { columns } : {}) });
}

describe('failed runs of the scheduled functions', () => {
  it('dlq list --json shows each record: function, scheduled input, condition and error, attempts, time', async () => {
    const { code, stdout } = await cli(['dlq', 'list', '--json']);

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([
      {
        queue: 'failed-runs',
        message: {
          kind: 'failed-run',
          functionName: 'mews-provisioner-production-SchedulePolls-XyZ',
          input: { kind: 'schedule-polls', scheduledTime: '2026-12-02T04:00:00Z' },
        },
        reason:
          'RetriesExhausted: AwsAdapterError: DynamoDB Query failed: ProvisionedThroughputExceededException',
        attempts: 3,
        at: '2026-12-02T04:03:10.512Z',
      },
      {
        queue: 'failed-runs',
        message: {
          kind: 'failed-run',
          functionName: 'mews-provisioner-production-RelayOutbox-QwE',
          input: { kind: 'sweep-outbox' },
        },
        reason: 'EventAgeExceeded (never ran: it waited longer than the maximum event age)',
        attempts: 0,
        at: '2026-12-02T05:10:00.000Z',
      },
      // Not an invocation record: shown as it is, never dropped.
      {
        queue: 'failed-runs',
        message: 'not a record',
        reason: null,
        attempts: null,
        at: '2025-12-02T05:10:00.200Z',
      },
    ]);
    // A peek, as for the dead-letter queues: nothing is taken off the queue.
    expect(sqs).toHaveReceivedCommandWith(ReceiveMessageCommand, {
      QueueUrl: FAILED_RUNS,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 0,
      WaitTimeSeconds: 0,
      MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
    });
    expect(sqs.commandCalls(ReceiveMessageCommand).map((c) => c.args[0].input.QueueUrl)).toEqual([
      `${Q}/account-polls-dlq`,
      `${Q}/connection-syncs-dlq`,
      FAILED_RUNS,
      FAILED_RUNS,
    ]);
  });

  it('dlq list says what a failed run was and what to do instead of a redrive', async () => {
    const { stdout } = await cli(['dlq', 'list']);

    expect(stdout).toMatch(
      /failed-runs +run of schedule-polls for 2026-12-02T04:00:00Z +3 +2026-12-02T04:03:10.512Z +RetriesExhausted: AwsAdapterError/,
    );
    expect(stdout).toMatch(/failed-runs +run of sweep-outbox +0 .*EventAgeExceeded \(never ran/);
    expect(stdout).toMatch(
      /3 message\(s\); --json for them whole\. `provisioner dlq redrive` retries the work messages; the 3 failed run\(s\) are records to read, not work to retry: fix the cause \(the next scheduled run does the same work\), then clear them with aws sqs purge-queue --queue-url <FailedRunsQueueUrl output>\n$/,
    );
  });

  it('dlq redrive moves only the dead-letter queues back and says how to clear the failed runs', async () => {
    sqs
      .on(GetQueueAttributesCommand, { QueueUrl: FAILED_RUNS })
      .resolves({ Attributes: { ApproximateNumberOfMessages: '3' } });
    const { code, stdout } = await cli(['dlq', 'redrive']);

    expect(code).toBe(0);
    expect(sqs.commandCalls(StartMessageMoveTaskCommand).map((c) => c.args[0].input)).toEqual([
      { SourceArn: 'arn:aws:sqs:eu-west-1:123456789012:account-polls-dlq' },
      { SourceArn: 'arn:aws:sqs:eu-west-1:123456789012:connection-syncs-dlq' },
    ]);
    expect(sqs).toHaveReceivedCommandExactlyOnceWith(GetQueueAttributesCommand, {
      QueueUrl: FAILED_RUNS,
      AttributeNames: ['ApproximateNumberOfMessages'],
    });
    expect(sqs).not.toHaveReceivedCommand(ReceiveMessageCommand);
    expect(stdout).toBe(
      'started 2 message move task(s) back to the source queues (SQS redrive)\n' +
        "3 failed run(s) of the scheduled functions left as they are: each is Lambda's record of a run that failed, not work to send back, and the next scheduled run does the same work. " +
        `Read their errors with \`provisioner dlq list\`, fix the cause, then clear them (and their alarm): aws sqs purge-queue --queue-url ${FAILED_RUNS}\n`,
    );
  });

  it('dlq redrive says nothing of failed runs when there are none', async () => {
    const { stdout } = await cli(['dlq', 'redrive']);
    expect(stdout).toBe('started 2 message move task(s) back to the source queues (SQS redrive)\n');
  });
});
