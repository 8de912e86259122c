import type { WorkMessage, WorkQueue } from '../../ports/work-queue.js';
import { beforeCall, type MemoryAdapterOptions, type OnPortCall } from './port-call.js';

/** SQS's limit on one message (and the in-process queue's). */
const MAX_MESSAGE_BYTES = 256 * 1024;

/** A message handed out by `take`: it stays in flight until completed or redelivered. */
export interface Delivery<M> {
  /** Stable per message (every delivery of one send shares it). */
  messageId: string;
  message: M;
  /** 1 on the first delivery. */
  attempt: number;
}

export interface MemoryWorkQueueOptions extends MemoryAdapterOptions {
  /** Shown in errors; e.g. 'account-polls'. */
  name?: string;
}

interface Queued {
  messageId: string;
  body: string;
  deliveries: number;
}

/**
 * A work queue a test drives by hand, one message at a time: `take` hands out a delivery (the
 * oldest, or the one at an index, so a simulation can pick any order); `complete` deletes it;
 * `redeliver` puts it back as after a visibility timeout or a crash of its handler (and can
 * deliver a completed one again: SQS delivers at least once). Sends copy each message through
 * JSON, as SQS does, and a message over 256 KiB is refused with nothing sent.
 */
export class MemoryWorkQueue<M extends WorkMessage> implements WorkQueue<M> {
  readonly name: string;
  readonly #waiting: Queued[] = [];
  readonly #inFlight = new Map<string, Queued>();
  readonly #sent: M[] = [];
  readonly #dead: (Delivery<M> & { reason: string })[] = [];
  readonly #onCall: OnPortCall | undefined;
  #counter = 0;

  constructor(options: MemoryWorkQueueOptions = {}) {
    this.name = options.name ?? 'queue';
    this.#onCall = options.onCall;
  }

  async send(messages: M[]): Promise<void> {
    await beforeCall(this.#onCall, 'WorkQueue', 'send', [messages]);
    const bodies = messages.map((message, i) => {
      const body = JSON.stringify(message);
      if (body === undefined) throw new TypeError(`${this.name}: message m${i} is not JSON`);
      const bytes = Buffer.byteLength(body, 'utf8');
      if (bytes > MAX_MESSAGE_BYTES) {
        throw new Error(
          `${this.name}: message m${i} is ${bytes} bytes, over SQS's ${MAX_MESSAGE_BYTES}-byte limit: nothing sent`,
        );
      }
      return body;
    });
    for (const body of bodies) {
      this.#waiting.push({ messageId: `${this.name}-${++this.#counter}`, body, deliveries: 0 });
      this.#sent.push(JSON.parse(body) as M);
    }
  }

  // ---- inspection and driving (no port call, no hook) ----

  /** Messages waiting to be taken, oldest first (copies). */
  waiting(): M[] {
    return this.#waiting.map((q) => JSON.parse(q.body) as M);
  }

  /** Deliveries taken and neither completed nor redelivered. */
  inFlight(): Delivery<M>[] {
    return [...this.#inFlight.values()].map((q) => this.#delivery(q));
  }

  /** Every message ever sent, in order (copies): the queue's history. */
  sent(): M[] {
    return this.#sent.map((m) => structuredClone(m));
  }

  size(): number {
    return this.#waiting.length;
  }

  /** Takes the oldest waiting message (or the one at `index`); undefined when none waits. */
  take(index = 0): Delivery<M> | undefined {
    const [queued] = this.#waiting.splice(index, 1);
    if (!queued) return undefined;
    queued.deliveries++;
    this.#inFlight.set(queued.messageId, queued);
    return this.#delivery(queued);
  }

  /** The handler succeeded: the message is deleted. */
  complete(delivery: Delivery<M>): void {
    this.#inFlight.delete(delivery.messageId);
  }

  /**
   * Puts the message back at the end of the queue (a failed or crashed handler, an expired
   * visibility timeout); also for one completed already, as a duplicate delivery.
   */
  redeliver(delivery: Delivery<M>): void {
    const queued = this.#inFlight.get(delivery.messageId) ?? {
      messageId: delivery.messageId,
      body: JSON.stringify(delivery.message),
      deliveries: delivery.attempt,
    };
    this.#inFlight.delete(delivery.messageId);
    this.#waiting.push(queued);
  }

  /** Moves an in-flight message to the dead letters (its receive count reached the queue's maximum). */
  deadLetter(delivery: Delivery<M>, reason: string): void {
    this.#inFlight.delete(delivery.messageId);
    this.#dead.push({ ...delivery, reason });
  }

  deadLetters(): (Delivery<M> & { reason: string })[] {
    return this.#dead.map((d) => structuredClone(d));
  }

  /**
   * Takes one message (the oldest, or the one at `index`) and runs `handler` on it: completed when
   * it resolves; when it throws, redelivered, or dead-lettered once `maxAttempts` deliveries have
   * failed (default: never). The error is returned, not thrown. Undefined when nothing waits.
   */
  async deliverOne(
    handler: (message: M, delivery: Delivery<M>) => Promise<unknown>,
    options: { index?: number; maxAttempts?: number } = {},
  ): Promise<{ delivery: Delivery<M>; error?: unknown; deadLettered?: boolean } | undefined> {
    const delivery = this.take(options.index);
    if (!delivery) return undefined;
    try {
      await handler(delivery.message, delivery);
      this.complete(delivery);
      return { delivery };
    } catch (error) {
      if (delivery.attempt >= (options.maxAttempts ?? Number.POSITIVE_INFINITY)) {
        this.deadLetter(delivery, error instanceof Error ? error.message : String(error));
        return { delivery, error, deadLettered: true };
      }
      this.redeliver(delivery);
      return { delivery, error };
    }
  }

  #delivery(queued: Queued): Delivery<M> {
    return { messageId: queued.messageId, message: JSON.parse(queued.body) as M, attempt: queued.deliveries };
  }
}
