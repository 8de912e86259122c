import 'aws-sdk-client-mock-vitest/extend';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetQueueAttributesCommand, SQSClient, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { queueArnOf } from '../../../shared/adapters/aws/stack-outputs-reader.js';
import { openAwsOperations } from '../../../shared/cli/aws-operations.js';
import { OUTPUT_KEYS } from '../../../shared/config/stack-outputs.js';

/** `dlq redrive` names the dead-letter queues by ARN; their partition comes from the stack's own ARNs. */
const STACK = 'mews-provisioner-production';
const cloudFormation = mockClient(CloudFormationClient);
const sqs = mockClient(SQSClient);
const eventBridge = mockClient(EventBridgeClient);

function stackIn(partition: string, region: string, domain: string) {
  const q = `https://sqs.${region}.${domain}/123456789012`;
  const outputs = {
    [OUTPUT_KEYS.tableName]: 'state',
    [OUTPUT_KEYS.mewsEnvironment]: 'production',
    [OUTPUT_KEYS.eventBusName]: STACK,
    [OUTPUT_KEYS.eventBusArn]: `arn:${partition}:events:${region}:123456789012:event-bus/${STACK}`,
    [OUTPUT_KEYS.eventSource]: 'com.example.mews-provisioner',
    [OUTPUT_KEYS.eventArchiveArn]: `arn:${partition}:events:${region}:123456789012:archive/${STACK}-all`,
    [OUTPUT_KEYS.accountPollsQueueUrl]: `${q}/account-polls`,
    [OUTPUT_KEYS.accountPollsDeadLetterQueueUrl]: `${q}/account-polls-dlq`,
    [OUTPUT_KEYS.connectionSyncsQueueUrl]: `${q}/connection-syncs`,
    [OUTPUT_KEYS.connectionSyncsDeadLetterQueueUrl]: `${q}/connection-syncs-dlq`,
    [OUTPUT_KEYS.failedRunsQueueUrl]: `${q}/failed-runs`,
  };
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
}

beforeEach(() => {
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  cloudFormation.reset();
  sqs.reset();
  eventBridge.reset();
  sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'h' });
  sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '0' } });
});
afterAll(() => {
  cloudFormation.restore();
  sqs.restore();
  eventBridge.restore();
  vi.unstubAllEnvs();
});

describe('dlq redrive', () => {
  it.each([
    ['aws', 'eu-west-1', 'amazonaws.com'],
    ['aws-cn', 'cn-north-1', 'amazonaws.com.cn'],
    ['aws-us-gov', 'us-gov-west-1', 'amazonaws.com'],
  ])('moves messages from the dead-letter queues by their %s ARN', async (partition, region, domain) => {
    stackIn(partition, region, domain);
    const ops = await openAwsOperations(STACK, {
      cloudFormation: new CloudFormationClient({}),
      sqs: new SQSClient({}),
      eventBridge: new EventBridgeClient({}),
    });
    try {
      await ops.redrive();
    } finally {
      await ops.close();
    }
    expect(sqs).toHaveReceivedCommandTimes(StartMessageMoveTaskCommand, 2);
    for (const queue of ['account-polls-dlq', 'connection-syncs-dlq']) {
      expect(sqs).toHaveReceivedCommandWith(StartMessageMoveTaskCommand, {
        SourceArn: `arn:${partition}:sqs:${region}:123456789012:${queue}`,
      });
    }
  });

  it('refuses what is not a queue URL or not an ARN, naming it', () => {
    expect(() => queueArnOf('https://example.com/', 'arn:aws:events:eu-west-1:1:event-bus/b')).toThrow(
      'not an SQS queue URL: https://example.com/',
    );
    expect(() => queueArnOf('https://sqs.eu-west-1.amazonaws.com/1/q', 'event-bus/b')).toThrow(
      'not an ARN: event-bus/b',
    );
  });
});
