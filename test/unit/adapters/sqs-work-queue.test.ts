import 'aws-sdk-client-mock-vitest/extend';
import {
  SendMessageBatchCommand,
  type SendMessageBatchCommandInput,
  SQSClient,
  SQSServiceException,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  SQS_BATCH_BYTES,
  SqsWorkQueue,
  WorkQueueSendError,
} from '../../../shared/adapters/aws/sqs-work-queue.js';
import type { AccountId, ConnectionId } from '../../../shared/domain/model.js';
import type { PollAccountMessage, SyncConnectionMessage } from '../../../shared/ports/work-queue.js';

const client = new SQSClient({ region: 'eu-west-1' });
const sqs = mockClient(client);
const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/111122223333/mews-provisioner-account-polls';

let sleep: ReturnType<typeof vi.fn<(ms: number) => Promise<void>>>;
let queue: SqsWorkQueue<PollAccountMessage>;

beforeEach(() => {
  sqs.reset();
  sleep = vi.fn(async (_ms: number) => {});
  queue = new SqsWorkQueue({
    client,
    queueUrl: QUEUE_URL,
    sleep,
    maxAttempts: 3,
    baseDelayMs: 100,
    random: () => 0.5, // full jitter: half of each ceiling (100 ms, then 200 ms)
  });
});

const poll = (n: number): PollAccountMessage => ({
  kind: 'poll-account',
  accountId: `acc_${n.toString(16).padStart(16, '0')}` as AccountId,
});

const allOk = (input: SendMessageBatchCommandInput) => ({
  Successful: (input.Entries ?? []).map((e) => ({
    Id: e.Id,
    MessageId: `mid-${e.Id}`,
    MD5OfMessageBody: 'x',
  })),
  Failed: [],
});

const sentIds = () =>
  sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries?.map((e) => e.Id));

describe('SqsWorkQueue.send', () => {
  it('sends one SendMessageBatch with deterministic ids and the JSON of each message', async () => {
    sqs.on(SendMessageBatchCommand).callsFake(allOk);
    const sync: SyncConnectionMessage = {
      kind: 'sync-connection',
      connectionId: 'con_0123456789abcdef01234567' as ConnectionId,
      accountId: 'acc_0123456789abcdef' as AccountId,
      reason: 'discovered',
    };
    const syncs = new SqsWorkQueue<SyncConnectionMessage>({ client, queueUrl: QUEUE_URL, sleep });

    await syncs.send([sync, { ...sync, reason: 'retry' }]);

    expect(sqs).toHaveReceivedCommandExactlyOnceWith(SendMessageBatchCommand, {
      QueueUrl: QUEUE_URL,
      Entries: [
        { Id: 'm0', MessageBody: JSON.stringify(sync) },
        { Id: 'm1', MessageBody: JSON.stringify({ ...sync, reason: 'retry' }) },
      ],
    });
    expect(sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input).toEqual({
      QueueUrl: QUEUE_URL,
      Entries: [
        { Id: 'm0', MessageBody: JSON.stringify(sync) },
        { Id: 'm1', MessageBody: JSON.stringify({ ...sync, reason: 'retry' }) },
      ],
    });
  });

  it('sends nothing for no messages', async () => {
    await queue.send([]);
    expect(sqs).not.toHaveReceivedAnyCommand();
  });

  it('sends groups of 10', async () => {
    sqs.on(SendMessageBatchCommand).callsFake(allOk);
    await queue.send(Array.from({ length: 23 }, (_, i) => poll(i)));

    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 3);
    const idsOf = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `m${from + i}`);
    expect(sentIds()).toEqual([idsOf(0, 10), idsOf(10, 20), idsOf(20, 23)]);
    expect(sqs).toHaveReceivedNthCommandWith(SendMessageBatchCommand, 3, {
      QueueUrl: QUEUE_URL,
      Entries: [20, 21, 22].map((i) => ({ Id: `m${i}`, MessageBody: JSON.stringify(poll(i)) })),
    });
  });

  it('keeps each batch within 256 KiB', async () => {
    sqs.on(SendMessageBatchCommand).callsFake(allOk);
    // Messages only ever hold ids; a padded one stands in for a future bigger message.
    const big = (n: number) => ({ ...poll(n), note: 'x'.repeat(100 * 1024) }) as PollAccountMessage;
    await queue.send([big(0), big(1), big(2), poll(3)]);

    expect(sentIds()).toEqual([
      ['m0', 'm1'],
      ['m2', 'm3'],
    ]);
    for (const call of sqs.commandCalls(SendMessageBatchCommand)) {
      const bytes = (call.args[0].input.Entries ?? []).reduce(
        (s, e) => s + Buffer.byteLength(e.MessageBody ?? ''),
        0,
      );
      expect(bytes).toBeLessThanOrEqual(SQS_BATCH_BYTES);
    }
  });

  it('refuses a message over the limit before sending anything', async () => {
    const huge = { ...poll(1), note: 'x'.repeat(SQS_BATCH_BYTES) } as PollAccountMessage;
    await expect(queue.send([poll(0), huge])).rejects.toThrow(
      /over SQS's 262144-byte limit, nothing sent: m1 \(/,
    );
    expect(sqs).not.toHaveReceivedAnyCommand();
  });

  it('retries only the entries SQS failed, after a backoff', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({
        Successful: [{ Id: 'm0', MessageId: 'a', MD5OfMessageBody: 'x' }],
        Failed: [
          { Id: 'm1', SenderFault: false, Code: 'InternalError', Message: 'internal' },
          { Id: 'm2', SenderFault: false, Code: 'ThrottlingException', Message: 'slow down' },
        ],
      })
      .callsFake(allOk);

    await queue.send([poll(0), poll(1), poll(2)]);

    expect(sentIds()).toEqual([
      ['m0', 'm1', 'm2'],
      ['m1', 'm2'],
    ]);
    expect(sqs).toHaveReceivedLastCommandWith(SendMessageBatchCommand, {
      QueueUrl: QUEUE_URL,
      Entries: [
        { Id: 'm1', MessageBody: JSON.stringify(poll(1)) },
        { Id: 'm2', MessageBody: JSON.stringify(poll(2)) },
      ],
    });
    expect(sleep.mock.calls).toEqual([[50]]);
  });

  it('throws the entry ids and SQS codes still failing after maxAttempts (and no message body)', async () => {
    sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => ({
      Successful: [],
      Failed: (input.Entries ?? [])
        .filter((e) => e.Id === 'm1')
        .map((e) => ({ Id: e.Id, SenderFault: false, Code: 'InternalError', Message: 'internal' })),
    }));

    const error = await queue.send([poll(0), poll(1)]).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(WorkQueueSendError);
    expect((error as WorkQueueSendError).failed).toEqual([
      { id: 'm1', code: 'InternalError', senderFault: false },
    ]);
    expect((error as Error).message).toBe(
      `SQS did not take 1 of 2 messages for ${QUEUE_URL}: m1 (InternalError)`,
    );
    expect((error as Error).message).not.toContain(poll(1).accountId);
    expect(sentIds()).toEqual([['m0', 'm1'], ['m1'], ['m1']]);
    expect(sleep.mock.calls).toEqual([[50], [100]]);
  });

  it('does not retry entries SQS blames on the sender', async () => {
    sqs.on(SendMessageBatchCommand).resolvesOnce({
      Successful: [{ Id: 'm0', MessageId: 'a', MD5OfMessageBody: 'x' }],
      Failed: [{ Id: 'm1', SenderFault: true, Code: 'InvalidMessageContents', Message: 'bad' }],
    });

    const error = await queue.send([poll(0), poll(1)]).catch((e: unknown) => e);
    expect((error as WorkQueueSendError).failed).toEqual([
      { id: 'm1', code: 'InvalidMessageContents', senderFault: true },
    ]);
    expect((error as Error).message).toContain('m1 (InvalidMessageContents, sender fault)');
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 1);
    expect(sleep).not.toHaveBeenCalled();
  });

  it('on a transport error marks that group failed, still sends the others, then throws', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .rejectsOnce(
        new SQSServiceException({
          name: 'AccessDenied',
          $fault: 'client',
          $metadata: { httpStatusCode: 403 },
          message: 'Access to the resource is denied.',
        }),
      )
      .callsFake(allOk);

    const error = await queue.send(Array.from({ length: 12 }, (_, i) => poll(i))).catch((e: unknown) => e);

    expect(sentIds()).toEqual([Array.from({ length: 10 }, (_, i) => `m${i}`), ['m10', 'm11']]);
    expect(error).toBeInstanceOf(WorkQueueSendError);
    expect((error as WorkQueueSendError).failed.map((f) => f.id)).toEqual(
      Array.from({ length: 10 }, (_, i) => `m${i}`),
    );
    expect((error as WorkQueueSendError).failed.every((f) => f.code === 'AccessDenied')).toBe(true);
    expect((error as Error).message).toMatch(
      /^SQS did not take 10 of 12 messages for .*: m0 \(AccessDenied\), m1/,
    );
  });
});
