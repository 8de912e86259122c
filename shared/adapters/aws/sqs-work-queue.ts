import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { packBatches } from '../../lib/batches.js';
import type { WorkMessage, WorkQueue } from '../../ports/work-queue.js';
import { describeAwsError, type RetryOptions, resolveRetry, utf8Bytes } from './aws-support.js';

/** SendMessageBatch takes at most 10 entries. */
const MAX_SQS_BATCH_ENTRIES = 10;
/** 256 KiB for a message and for the sum of a batch's messages (the classic SQS limit). */
export const SQS_BATCH_BYTES = 256 * 1024;

export interface SqsSendFailure {
  /** The batch entry id: `m<index>`, the message's position in the `send` call. */
  id: string;
  code: string;
  senderFault: boolean;
}

/** Some messages were not enqueued; the message lists entry ids and SQS codes only. */
export class WorkQueueSendError extends Error {
  override readonly name = 'WorkQueueSendError';
  constructor(
    readonly queueUrl: string,
    readonly total: number,
    readonly failed: SqsSendFailure[],
  ) {
    const list = failed.map((f) => `${f.id} (${f.code}${f.senderFault ? ', sender fault' : ''})`).join(', ');
    super(`SQS did not take ${failed.length} of ${total} messages for ${queueUrl}: ${list}`);
  }
}

export interface SqsWorkQueueOptions extends RetryOptions {
  client: SQSClient;
  queueUrl: string;
}

interface Entry {
  entry: SendMessageBatchRequestEntry & { Id: string; MessageBody: string };
  size: number;
}

/**
 * SQS behind the WorkQueue port: SendMessageBatch in groups of 10 under 256 KiB, retries the
 * entries SQS failed (unless it blames the sender), and throws WorkQueueSendError listing what
 * never got in. Other groups are still sent; duplicates on the caller's retry are harmless
 * because every handler is idempotent.
 */
export class SqsWorkQueue<M extends WorkMessage> implements WorkQueue<M> {
  private readonly client: SQSClient;
  private readonly queueUrl: string;
  private readonly retry;

  constructor(options: SqsWorkQueueOptions) {
    this.client = options.client;
    this.queueUrl = options.queueUrl;
    this.retry = resolveRetry(options);
  }

  async send(messages: M[]): Promise<void> {
    if (messages.length === 0) return;
    const entries: Entry[] = messages.map((message, index) => {
      const body = JSON.stringify(message);
      return { entry: { Id: `m${index}`, MessageBody: body }, size: utf8Bytes(body) };
    });
    const oversized = entries.filter((e) => e.size > SQS_BATCH_BYTES);
    if (oversized.length > 0) {
      throw new Error(
        `messages over SQS's ${SQS_BATCH_BYTES}-byte limit, nothing sent: ${oversized.map((e) => `${e.entry.Id} (${e.size} bytes)`).join(', ')}`,
      );
    }

    const failed: SqsSendFailure[] = [];
    const batches = packBatches(entries, {
      maxCount: MAX_SQS_BATCH_ENTRIES,
      maxBytes: SQS_BATCH_BYTES,
      sizeOf: (e) => e.size,
    });
    for (const batch of batches) failed.push(...(await this.sendBatch(batch)));
    if (failed.length > 0) {
      failed.sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)));
      throw new WorkQueueSendError(this.queueUrl, messages.length, failed);
    }
  }

  private async sendBatch(batch: Entry[]): Promise<SqsSendFailure[]> {
    const failed: SqsSendFailure[] = [];
    let remaining = batch;
    for (let attempt = 1; ; attempt++) {
      let results: { Id?: string; Code?: string; SenderFault?: boolean }[];
      try {
        const out = await this.client.send(
          new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: remaining.map((e) => e.entry) }),
        );
        results = out.Failed ?? [];
      } catch (error) {
        const { code } = describeAwsError(error);
        for (const e of remaining) failed.push({ id: e.entry.Id, code, senderFault: false });
        return failed;
      }

      const byId = new Map(results.map((r) => [r.Id, r]));
      const retryable: Entry[] = [];
      for (const e of remaining) {
        const result = byId.get(e.entry.Id);
        if (result === undefined) continue;
        if (result.SenderFault) {
          failed.push({ id: e.entry.Id, code: result.Code ?? 'Unknown', senderFault: true });
        } else if (attempt >= this.retry.maxAttempts) {
          failed.push({ id: e.entry.Id, code: result.Code ?? 'Unknown', senderFault: false });
        } else {
          retryable.push(e);
        }
      }
      if (retryable.length === 0) return failed;
      await this.retry.sleep(this.retry.delayBefore(attempt));
      remaining = retryable;
    }
  }
}
