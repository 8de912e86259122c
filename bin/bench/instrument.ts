import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventPublisher } from '../../shared/ports/event-publisher.js';
import type { TokenVault } from '../../shared/ports/token-vault.js';

/**
 * Counters for the benchmark: every DynamoDB request by command (with the capacity units
 * DynamoDB reports), every vault call, every event published, every Mews request, each
 * attributed to the step of the cycle that made it. The parts are wrapped, not changed.
 */

export type Step = 'setup' | 'schedule' | 'poll' | 'sync' | 'relay';
export const CYCLE_STEPS: Step[] = ['schedule', 'poll', 'sync', 'relay'];

const READS = new Set(['Get', 'BatchGet', 'Query', 'Scan', 'TransactGet']);
const WRITES = new Set(['Put', 'Update', 'Delete', 'BatchWrite', 'TransactWrite']);
/** PutEvents takes at most 10 entries. */
const PUT_EVENTS_ENTRIES = 10;

export interface DynamoCount {
  requests: number;
  failed: number;
  units: number;
  /** Summed latency (requests overlap, so this is not wall time). */
  ms: number;
}

export class Counters {
  step: Step = 'setup';
  readonly dynamo = new Map<string, DynamoCount>();
  /** Requests per step: reads, writes and each command. */
  readonly dynamoByStep = new Map<
    Step,
    { reads: number; writes: number; commands: Record<string, number> }
  >();
  vault = { puts: 0, created: 0, gets: 0 };
  events = { published: 0, publishCalls: 0, putEventsCalls: 0 };
  /** performance.now() of each Mews request sent, and its step. */
  mewsSends: { at: number; step: Step }[] = [];

  reset(): void {
    this.dynamo.clear();
    this.dynamoByStep.clear();
    this.vault = { puts: 0, created: 0, gets: 0 };
    this.events = { published: 0, publishCalls: 0, putEventsCalls: 0 };
    this.mewsSends = [];
  }

  recordDynamo(command: string, units: number, failed: boolean, ms: number): void {
    const c = this.dynamo.get(command) ?? { requests: 0, failed: 0, units: 0, ms: 0 };
    c.requests++;
    if (failed) c.failed++;
    c.units += units;
    c.ms += ms;
    this.dynamo.set(command, c);
    const kind = READS.has(command) ? 'reads' : WRITES.has(command) ? 'writes' : undefined;
    const s = this.dynamoByStep.get(this.step) ?? { reads: 0, writes: 0, commands: {} };
    if (kind) s[kind]++;
    s.commands[command] = (s.commands[command] ?? 0) + 1;
    this.dynamoByStep.set(this.step, s);
  }

  dynamoTotals(): { reads: number; writes: number; readUnits: number; writeUnits: number } {
    const t = { reads: 0, writes: 0, readUnits: 0, writeUnits: 0 };
    for (const [command, c] of this.dynamo) {
      if (READS.has(command)) {
        t.reads += c.requests;
        t.readUnits += c.units;
      } else if (WRITES.has(command)) {
        t.writes += c.requests;
        t.writeUnits += c.units;
      }
    }
    return t;
  }
}

/**
 * Counts the document client's requests by command, asking DynamoDB for the consumed capacity
 * (ReturnConsumedCapacity TOTAL) of the ones that report it.
 */
export function instrumentDynamo(client: DynamoDBDocumentClient, counters: Counters): DynamoDBDocumentClient {
  const send = client.send.bind(client) as unknown as (
    command: unknown,
    ...rest: unknown[]
  ) => Promise<unknown>;
  const counted = async (
    command: { constructor: { name: string }; input?: Record<string, unknown> },
    ...rest: unknown[]
  ) => {
    const name = command.constructor.name.replace(/Command$/, '');
    if (
      (READS.has(name) || WRITES.has(name)) &&
      command.input &&
      command.input.ReturnConsumedCapacity === undefined
    ) {
      command.input.ReturnConsumedCapacity = 'TOTAL';
    }
    const started = performance.now();
    try {
      const output = (await send(command, ...rest)) as { ConsumedCapacity?: unknown };
      counters.recordDynamo(
        name,
        capacityUnits(output?.ConsumedCapacity),
        false,
        performance.now() - started,
      );
      return output;
    } catch (error) {
      counters.recordDynamo(name, 0, true, performance.now() - started);
      throw error;
    }
  };
  (client as unknown as { send: typeof counted }).send = counted;
  return client;
}

function capacityUnits(consumed: unknown): number {
  const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
  return list.reduce<number>(
    (sum, c) => sum + (Number((c as { CapacityUnits?: number }).CapacityUnits) || 0),
    0,
  );
}

/** Counts puts (and how many created a secret) and gets: the Secrets Manager calls on AWS. Other methods pass through. */
export function instrumentVault<V extends TokenVault>(vault: V, counters: Counters): V {
  const put: TokenVault['put'] = async (connectionId, token) => {
    counters.vault.puts++;
    const result = await vault.put(connectionId, token);
    if (result.created) counters.vault.created++;
    return result;
  };
  const get: TokenVault['get'] = async (connectionId) => {
    counters.vault.gets++;
    return vault.get(connectionId);
  };
  return new Proxy(vault, {
    get(target, key) {
      if (key === 'put') return put;
      if (key === 'get') return get;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Counts events and the PutEvents requests EventBridge would need for them (10 entries each). */
export function instrumentPublisher(publisher: EventPublisher, counters: Counters): EventPublisher {
  return {
    async publish(events) {
      counters.events.publishCalls++;
      counters.events.putEventsCalls += Math.ceil(events.length / PUT_EVENTS_ENTRIES);
      const result = await publisher.publish(events);
      counters.events.published += events.length - result.failed.length;
      return result;
    },
  };
}

/** A fetch that notes when each Mews request leaves (for the achieved request rate). */
export function countingFetch(counters: Counters): typeof fetch {
  return (input, init) => {
    counters.mewsSends.push({ at: performance.now(), step: counters.step });
    return fetch(input, init);
  };
}

export interface MemoryPeak {
  baseRssBytes: number;
  baseHeapBytes: number;
  peakRssBytes: number;
  peakHeapBytes: number;
}

/** Samples RSS and heap every `everyMs` until stopped (forcing a GC first when --expose-gc is on). */
export function sampleMemory(everyMs = 10): { stop(): MemoryPeak } {
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  const take = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      take();
      clearInterval(timer);
      return {
        baseRssBytes: base.rss,
        baseHeapBytes: base.heapUsed,
        peakRssBytes: peakRss,
        peakHeapBytes: peakHeap,
      };
    },
  };
}
