import type { WorkMessage, WorkQueue } from '../../ports/work-queue.js';

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
 * through JSON, as SQS would, so a message that does not survive serialisation fails here too.
 */
export class InProcessQueue<M extends WorkMessage> implements WorkQueue<M> {
  private readonly pending: Queued<M>[] = [];
  private readonly dead: DeadLetter<M>[] = [];

  async send(messages: M[]): Promise<void> {
    for (const message of messages) {
      this.pending.push({ message: JSON.parse(JSON.stringify(message)) as M, attempts: 0 });
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
