import { AsyncLocalStorage } from 'node:async_hooks';
import type { InProcessQueue } from '../../shared/adapters/local/in-process-queue.js';
import type { ConnectionId } from '../../shared/domain/model.js';
import type { LocalServices } from '../../shared/local/local-services.js';
import type { WorkMessage } from '../../shared/ports/work-queue.js';

/**
 * Crash injection for the local pipeline. The ports (state store, vault, publisher, queues' send,
 * Mews) are wrapped in proxies that throw a `SimulatedCrash` right before or right after the N-th
 * call of one method, the way a Lambda dies between two steps (timeout, out of memory, a
 * redeploy).
 *
 * A crash ends the whole invocation, not just the one call: each queue message's handler runs in
 * its own invocation context (AsyncLocalStorage), and once that invocation has crashed every
 * further port call from it throws too (its other workers, e.g. parallel vault writes, die with
 * it). Calls already in flight finish (their request was sent), and the message is only handed
 * back to the queue after they have: SQS redelivers after the visibility timeout, when the dead
 * invocation is long gone. Steps that run outside a queue (schedule, relay) share the cycle's
 * context, so a crash there aborts the cycle and the next cycle picks up, as the next scheduled
 * run (or the stream's retry) would on AWS.
 */
export class SimulatedCrash extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulatedCrash';
  }
}

const SYNCHRONOUS = new Set(['refFor']);

export type PortName = 'store' | 'vault' | 'publisher' | 'polls' | 'syncs' | 'mews';

export interface CrashPoint {
  /** `port.method`, e.g. `store.recordProvisioned`. */
  call: `${PortName}.${string}`;
  /** 1-based: crash at the N-th call of that method (counted across invocations). */
  nth: number;
  /**
   * before: the call is never made; after: it completed, then the invocation died;
   * partial: only the first half of its list argument was applied, then the invocation died
   * (a batch cut in the middle: `store.recordDiscoveries`, `store.markEventsPublished`).
   */
  when: 'before' | 'after' | 'partial';
}

interface Invocation {
  label: string;
  dead: boolean;
  inflight: Set<Promise<unknown>>;
}

export interface CrashRecord {
  /** Where it fired, e.g. `after store.recordProvisioned #2`. */
  at: string;
  /** Which invocation died: `poll-account acc_...`, `sync-connection con_...`, or `cycle`. */
  invocation: string;
}

/** Arguments whose list the `partial` mode halves, by method. */
const PARTIAL_ARGUMENT: Record<string, number> = {
  'store.recordDiscoveries': 1,
  'store.markEventsPublished': 0,
};

export interface CrashHarnessOptions {
  /** Where to crash; no crash when left out. */
  point?: CrashPoint;
  /** Called when the crash fires, with the arguments of the call it fired at (to change the world meanwhile). */
  onCrash?: (args: unknown[]) => void;
  /** Deliver every message sent to this queue twice (SQS is at least once). */
  duplicate?: 'polls' | 'syncs';
}

export class CrashHarness {
  readonly #contexts = new AsyncLocalStorage<Invocation>();
  readonly #counts = new Map<string, number>();
  readonly #point: CrashPoint | undefined;
  readonly #onCrash: ((args: unknown[]) => void) | undefined;
  readonly #duplicate: 'polls' | 'syncs' | undefined;
  /** Set once the crash has fired. */
  fired: CrashRecord | undefined;
  /** Invocations that kept making port calls after their crash (refused). */
  refusedAfterCrash = 0;
  /** Successful vault creates (`created: true`) per connection. */
  readonly vaultCreates = new Map<ConnectionId, number>();

  constructor(options: CrashHarnessOptions = {}) {
    this.#point = options.point;
    this.#onCrash = options.onCrash;
    this.#duplicate = options.duplicate;
  }

  /** Calls per `port.method` so far. */
  count(call: string): number {
    return this.#counts.get(call) ?? 0;
  }

  /** Wraps the pipeline's ports in place. */
  install(services: LocalServices): void {
    services.store = this.#wrap('store', services.store);
    services.vault = this.#wrap('vault', services.vault);
    services.publisher = this.#wrap('publisher', services.publisher);
    services.mews = this.#wrap('mews', services.mews);
    services.polls = this.#wrapQueue('polls', services.polls, (m) => `poll-account ${m.accountId}`);
    services.syncs = this.#wrapQueue('syncs', services.syncs, (m) => `sync-connection ${m.connectionId}`);
  }

  /**
   * Runs `step` (a cycle) as one invocation. A SimulatedCrash of the step itself is reported,
   * after the calls it still had in flight have settled; any other error is thrown.
   */
  async runAsInvocation<T>(label: string, step: () => Promise<T>): Promise<T | SimulatedCrash> {
    const invocation: Invocation = { label, dead: false, inflight: new Set() };
    try {
      return await this.#contexts.run(invocation, step);
    } catch (error) {
      if (!(error instanceof SimulatedCrash)) throw error;
      await settle(invocation);
      return error;
    }
  }

  #crash(invocation: Invocation | undefined, at: string, args: unknown[]): SimulatedCrash {
    const label = invocation?.label ?? 'outside any invocation';
    if (invocation) invocation.dead = true;
    this.fired = { at, invocation: label };
    this.#onCrash?.(args);
    return new SimulatedCrash(`simulated crash ${at} (${label})`);
  }

  #wrap<T extends object>(port: PortName, target: T): T {
    return new Proxy(target, {
      get: (obj, key, receiver) => {
        const value = Reflect.get(obj, key, receiver);
        if (typeof value !== 'function' || typeof key === 'symbol') return value;
        // Pure, synchronous lookups (the vault's refFor) do no I/O: nothing to crash in.
        if (SYNCHRONOUS.has(key)) return value.bind(obj);
        return this.#instrument(port, key, (args) => value.apply(obj, args));
      },
    });
  }

  #wrapQueue<M extends WorkMessage>(
    port: 'polls' | 'syncs',
    queue: InProcessQueue<M>,
    label: (message: M) => string,
  ): InProcessQueue<M> {
    const twice = this.#duplicate === port;
    const send = this.#instrument(port, 'send', (args) => {
      const messages = args[0] as M[];
      return queue.send(twice ? [...messages, ...messages] : messages);
    });
    const drain: InProcessQueue<M>['drain'] = (handler, options) =>
      queue.drain(async (message) => {
        const invocation: Invocation = { label: label(message), dead: false, inflight: new Set() };
        try {
          await this.#contexts.run(invocation, () => handler(message));
        } catch (error) {
          // The message goes back to the queue only once the dead invocation's calls are over.
          if (invocation.dead) await settle(invocation);
          throw error;
        }
      }, options);
    return new Proxy(queue, {
      get: (obj, key, receiver) => {
        if (key === 'send') return send;
        if (key === 'drain') return drain;
        const value = Reflect.get(obj, key, receiver);
        return typeof value === 'function' ? value.bind(obj) : value;
      },
    });
  }

  #instrument(
    port: PortName,
    method: string,
    call: (args: unknown[]) => unknown,
  ): (...args: unknown[]) => Promise<unknown> {
    const name = `${port}.${method}`;
    return async (...args: unknown[]) => {
      const invocation = this.#contexts.getStore();
      if (invocation?.dead) {
        this.refusedAfterCrash++;
        throw new SimulatedCrash(`${name} called after ${invocation.label} crashed`);
      }
      const n = (this.#counts.get(name) ?? 0) + 1;
      this.#counts.set(name, n);
      const point = this.#point;
      const hit = point !== undefined && this.fired === undefined && point.call === name && point.nth === n;
      if (hit && point.when === 'before') throw this.#crash(invocation, `before ${name} #${n}`, args);

      let callArgs = args;
      if (hit && point.when === 'partial') {
        const index = PARTIAL_ARGUMENT[name];
        const list = index === undefined ? undefined : args[index];
        if (index === undefined || !Array.isArray(list)) throw new Error(`no partial mode for ${name}`);
        callArgs = [...args];
        callArgs[index] = list.slice(0, Math.ceil(list.length / 2));
      }
      const pending = Promise.resolve().then(() => call(callArgs));
      invocation?.inflight.add(pending);
      let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
      try {
        outcome = { ok: true, value: await pending };
      } catch (error) {
        outcome = { ok: false, error };
      } finally {
        invocation?.inflight.delete(pending);
      }
      if (outcome.ok && name === 'vault.put' && (outcome.value as { created?: boolean }).created) {
        const id = args[0] as ConnectionId;
        this.vaultCreates.set(id, (this.vaultCreates.get(id) ?? 0) + 1);
      }
      // "after" also when the call failed: the invocation dies before it could handle the error.
      if (hit && point.when === 'after') throw this.#crash(invocation, `after ${name} #${n}`, args);
      if (hit && point.when === 'partial')
        throw this.#crash(invocation, `half way through ${name} #${n}`, args);
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    };
  }
}

async function settle(invocation: Invocation): Promise<void> {
  while (invocation.inflight.size > 0) await Promise.allSettled([...invocation.inflight]);
}
