import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  GetQueueAttributesCommand,
  type Message,
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
import { failedRunOf } from './failed-run-record.js';
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
    { queue: 'failed-runs', url: outputs[OUTPUT_KEYS.failedRunsQueueUrl] },
  ];
  const deadLetterQueues = [
    { queue: 'account-polls' as const, url: outputs[OUTPUT_KEYS.accountPollsDeadLetterQueueUrl] },
    { queue: 'connection-syncs' as const, url: outputs[OUTPUT_KEYS.connectionSyncsDeadLetterQueueUrl] },
  ];
  // The scheduled functions' on-failure destination: Lambda's records of runs it gave up on.
  const failedRunsUrl = outputs[OUTPUT_KEYS.failedRunsQueueUrl];

  /** Up to DLQ_PEEK_LIMIT messages of a queue, left in it: visibility timeout 0 (a peek). */
  const peek = async (url: string) => {
    const seen = new Map<string, Message>();
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
      for (const m of fresh) seen.set(m.MessageId ?? '', m);
    }
    return [...seen.values()];
  };
  const sentAt = (m: Message) =>
    m.Attributes?.SentTimestamp ? new Date(Number(m.Attributes.SentTimestamp)).toISOString() : null;

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
        for (const m of await peek(url)) {
          views.push({
            queue,
            message: parseBody(m.Body ?? ''),
            reason: null,
            attempts: Number(m.Attributes?.ApproximateReceiveCount ?? 0) || null,
            at: sentAt(m),
          });
        }
      }
      for (const m of await peek(failedRunsUrl)) {
        const run = failedRunOf(m.Body ?? '');
        views.push(
          run
            ? { queue: 'failed-runs', ...run }
            : { queue: 'failed-runs', message: m.Body ?? '', reason: null, attempts: null, at: sentAt(m) },
        );
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
      const started = `started ${tasks.length} message move task(s) back to the source queues (SQS redrive)`;
      // A failed run is Lambda's record of a run (the scheduled input and its error), and the queue
      // is no queue's dead-letter queue: there is nowhere to move it back to, and nothing to redo
      // (the next scheduled run does the same work). Left for a person to read, then clear.
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: failedRunsUrl,
          AttributeNames: ['ApproximateNumberOfMessages'],
        }),
      );
      const failedRuns = Number(Attributes?.ApproximateNumberOfMessages ?? 0);
      if (failedRuns === 0) return started;
      return (
        `${started}\n` +
        `${failedRuns} failed run(s) of the scheduled functions left as they are: each is Lambda's record of a run that failed, not work to send back, and the next scheduled run does the same work. ` +
        `Read their errors with \`provisioner dlq list\`, fix the cause, then clear them (and their alarm): aws sqs purge-queue --queue-url ${failedRunsUrl}`
      );
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
