import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { createDocumentClient } from '../adapters/aws/dynamo-client.js';
import { DynamoStateStore } from '../adapters/aws/dynamo-state-store.js';
import { EventBridgePublisher } from '../adapters/aws/eventbridge-publisher.js';
import { SqsWorkQueue } from '../adapters/aws/sqs-work-queue.js';
import { queueArnOf, readStackOutputs } from '../adapters/aws/stack-outputs-reader.js';
import { OUTPUT_KEYS } from '../config/stack-outputs.js';
import { packBatches } from '../lib/batches.js';
import { systemClock } from '../ports/clock.js';
import { silentLogger } from '../ports/logger.js';
import type { PollAccountMessage, SyncConnectionMessage, WorkMessage } from '../ports/work-queue.js';
import { schedulePolls } from '../use-cases/schedule-polls.js';
import type { DeadLetterView, Operations } from './operations.js';

/** Events published per progress step of a replay (one PutEvents). */
const REPLAY_BATCH = 10;

/** How many dead letters `dlq list` shows per queue (SQS hands them out 10 at a time). */
const DLQ_PEEK_LIMIT = 100;

export interface AwsClients {
  cloudFormation?: CloudFormationClient;
  sqs?: SQSClient;
  eventBridge?: EventBridgeClient;
}

/**
 * The CLI against a deployed stack, found by its outputs. Work goes to the stack's queues (the
 * stack's functions do it); the state table is read and written directly. Credentials and region
 * come from the usual AWS SDK settings (AWS_PROFILE, AWS_REGION, ...).
 */
export async function openAwsOperations(stackName: string, clients: AwsClients = {}): Promise<Operations> {
  const cloudFormation = clients.cloudFormation ?? new CloudFormationClient({});
  const sqs = clients.sqs ?? new SQSClient({});
  const eventBridge = clients.eventBridge ?? new EventBridgeClient({});
  const outputs = await readStackOutputs(cloudFormation, stackName);
  const dynamo = createDocumentClient();
  const store = new DynamoStateStore({ client: dynamo, tableName: outputs[OUTPUT_KEYS.tableName] });
  const polls = new SqsWorkQueue<PollAccountMessage>({
    client: sqs,
    queueUrl: outputs[OUTPUT_KEYS.accountPollsQueueUrl],
  });
  const syncs = new SqsWorkQueue<SyncConnectionMessage>({
    client: sqs,
    queueUrl: outputs[OUTPUT_KEYS.connectionSyncsQueueUrl],
  });
  const queues = [
    { queue: 'account-polls', url: outputs[OUTPUT_KEYS.accountPollsQueueUrl] },
    { queue: 'account-polls-dlq', url: outputs[OUTPUT_KEYS.accountPollsDeadLetterQueueUrl] },
    { queue: 'connection-syncs', url: outputs[OUTPUT_KEYS.connectionSyncsQueueUrl] },
    { queue: 'connection-syncs-dlq', url: outputs[OUTPUT_KEYS.connectionSyncsDeadLetterQueueUrl] },
  ];
  const deadLetterQueues = [
    { queue: 'account-polls' as const, url: outputs[OUTPUT_KEYS.accountPollsDeadLetterQueueUrl] },
    { queue: 'connection-syncs' as const, url: outputs[OUTPUT_KEYS.connectionSyncsDeadLetterQueueUrl] },
  ];

  return {
    where: `stack ${stackName}`,
    store,
    clock: systemClock,
    async runCycle() {
      const { accounts } = await schedulePolls({ store, polls, logger: silentLogger });
      return `queued ${accounts} poll(s) on ${stackName}; its functions take it from there (watch \`provisioner status\`)`;
    },
    async resync(connectionId, accountId) {
      await syncs.send([{ kind: 'sync-connection', connectionId, accountId, reason: 'refresh' }]);
      return `queued a check of ${connectionId} on ${stackName}`;
    },
    async replay(connectionId, since, onProgress) {
      const publisher = new EventBridgePublisher({
        client: eventBridge,
        eventBusName: outputs[OUTPUT_KEYS.eventBusName],
        source: outputs[OUTPUT_KEYS.eventSource],
      });
      const events = (await store.listEventsFor(connectionId)).filter(
        (e) => !since || Date.parse(e.time) >= since.getTime(),
      );
      let done = 0;
      for (const batch of packBatches(events, { maxCount: REPLAY_BATCH })) {
        const { failed } = await publisher.publish(batch);
        if (failed.length > 0) throw new Error(`replay stopped: ${failed.map((f) => f.reason).join('; ')}`);
        done += batch.length;
        onProgress(done, events.length);
      }
      return events.length;
    },
    async queueDepths() {
      return Promise.all(
        queues.map(async ({ queue, url }) => {
          const { Attributes } = await sqs.send(
            new GetQueueAttributesCommand({
              QueueUrl: url,
              AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
            }),
          );
          return {
            queue,
            waiting: Number(Attributes?.ApproximateNumberOfMessages ?? 0),
            inFlight: Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
          };
        }),
      );
    },
    async deadLetters() {
      const views: DeadLetterView[] = [];
      for (const { queue, url } of deadLetterQueues) {
        const seen = new Set<string>();
        // A peek: visibility timeout 0 leaves each message in the queue for the stack and for redrive.
        for (let round = 0; round < DLQ_PEEK_LIMIT / 10; round++) {
          const { Messages = [] } = await sqs.send(
            new ReceiveMessageCommand({
              QueueUrl: url,
              MaxNumberOfMessages: 10,
              VisibilityTimeout: 0,
              WaitTimeSeconds: 0,
              MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
            }),
          );
          const fresh = Messages.filter((m) => m.MessageId && !seen.has(m.MessageId));
          if (fresh.length === 0) break;
          for (const m of fresh) {
            seen.add(m.MessageId ?? '');
            views.push({
              queue,
              message: parseBody(m.Body ?? ''),
              reason: null,
              attempts: Number(m.Attributes?.ApproximateReceiveCount ?? 0) || null,
              at: m.Attributes?.SentTimestamp
                ? new Date(Number(m.Attributes.SentTimestamp)).toISOString()
                : null,
            });
          }
        }
      }
      return views;
    },
    async redrive() {
      const tasks = await Promise.all(
        deadLetterQueues.map(({ url }) =>
          sqs.send(
            new StartMessageMoveTaskCommand({ SourceArn: queueArnOf(url, outputs[OUTPUT_KEYS.eventBusArn]) }),
          ),
        ),
      );
      return `started ${tasks.length} message move task(s) back to the source queues (SQS redrive)`;
    },
    async lastCycle() {
      // Not stored (a steady cycle writes nothing); the PollSucceeded metric and its alarm track it.
      return null;
    },
    async close() {
      dynamo.destroy();
      sqs.destroy();
      eventBridge.destroy();
      cloudFormation.destroy();
    },
  };
}

function parseBody(body: string): WorkMessage | string {
  try {
    return JSON.parse(body) as WorkMessage;
  } catch {
    return body;
  }
}
