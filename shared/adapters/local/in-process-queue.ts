import { OversizedItemError, packBatches } from '../../lib/batches.js';
import type { WorkMessage, WorkQueue } from '../../ports/work-queue.js';

/** SQS SendMessageBatch: at most 10 messages and 256 KiB per call, and per message. */
const SQS_BATCH_ENTRIES = 10;
const SQS_BATCH_BYTES = 256 * 1024;

export interface DeadLetter<M> {
  message: M;
  attempts: number;
  /** The last error's message. */
  error: string;
  deadLetteredAt: string;
}

export interface DrainOptions {
  /** Handlers in flight at once (default 1). */
  concurrency?: number;
  /** Attempts per message before it moves to the dead letters (default 3). */
  maxAttempts?: number;
}

export interface DrainResult {
  /** Handler calls, retries included. */
  attempts: number;
  succeeded: number;
  deadLettered: number;
}

interface Queued<M> {
  message: M;
  attempts: number;
}

/**
 * The local stand-in for an SQS queue and its dead-letter queue. `send` copies each message
 * through JSON, as SQS would, so a message that does not survive serialisation fails here too,
 * and packs the messages as SendMessageBatch calls would be: a message over SQS's 256 KiB is
 * refused (nothing queued), as the SQS adapter refuses it.
 */
export class InProcessQueue<M extends WorkMessage> implements WorkQueue<M> {
  private readonly pending: Queued<M>[] = [];
  private readonly dead: DeadLetter<M>[] = [];

  async send(messages: M[]): Promise<void> {
    const bodies = messages.map((message) => JSON.stringify(message));
    let batches: string[][];
    try {
      batches = packBatches(bodies, {
        maxCount: SQS_BATCH_ENTRIES,
        maxBytes: SQS_BATCH_BYTES,
        sizeOf: (body) => Buffer.byteLength(body, 'utf8'),
      });
    } catch (error) {
      if (!(error instanceof OversizedItemError)) throw error;
      throw new Error(
        `message m${error.index} is ${error.size} bytes, over SQS's ${SQS_BATCH_BYTES}-byte limit: nothing sent`,
      );
    }
    for (const batch of batches) {
      for (const body of batch) this.pending.push({ message: JSON.parse(body) as M, attempts: 0 });
    }
  }

  /** Messages waiting (not the ones a handler is working on). */
  size(): number {
    return this.pending.length;
  }

  deadLetters(): readonly DeadLetter<M>[] {
    return [...this.dead];
  }

  /**
   * Runs `handler` over the queue until it is empty, messages the handler sends meanwhile
   * included. A failed message goes to the back of the queue (as after an SQS visibility
   * timeout) and after `maxAttempts` failures to the dead letters. Never throws for a handler
   * failure.
   */
  async drain(handler: (message: M) => Promise<void>, options: DrainOptions = {}): Promise<DrainResult> {
    const concurrency = options.concurrency ?? 1;
    const maxAttempts = options.maxAttempts ?? 3;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new Error(`concurrency must be a positive integer, got ${concurrency}`);
    }
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw new Error(`maxAttempts must be a positive integer, got ${maxAttempts}`);
    }

    const result: DrainResult = { attempts: 0, succeeded: 0, deadLettered: 0 };
    const inFlight = new Set<Promise<void>>();

    const attempt = async (item: Queued<M>): Promise<void> => {
      item.attempts++;
      result.attempts++;
      try {
        await handler(item.message);
        result.succeeded++;
      } catch (error) {
        if (item.attempts < maxAttempts) {
          this.pending.push(item);
        } else {
          this.dead.push({
            message: item.message,
            attempts: item.attempts,
            error: error instanceof Error ? error.message : String(error),
            deadLetteredAt: new Date().toISOString(),
          });
          result.deadLettered++;
        }
      }
    };

    for (;;) {
      while (inFlight.size < concurrency) {
        const item = this.pending.shift();
        if (item === undefined) break;
        const run = attempt(item).finally(() => inFlight.delete(run));
        inFlight.add(run);
      }
      if (inFlight.size === 0) return result;
      await Promise.race(inFlight);
    }
  }
}
