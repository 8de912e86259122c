import type { OnPortCall, PortCall } from '../../shared/adapters/memory/port-call.js';

/**
 * Runs the invocations of one simulation step (a queue message's handler, a relay, a webhook, a
 * change in Mews' world) and decides, at every port call, who goes next and who dies.
 *
 * Every in-memory adapter awaits its `onCall` hook before a port call and then does the call's
 * work at once, so invocations can only interleave between port calls. With more than one
 * invocation in a step the hook parks every call; once everything is parked (or finished) the
 * driver releases one, chosen by the step's `choices` (index modulo how many are parked; the
 * oldest once the choices run out), and repeats. A step with one invocation runs free.
 *
 * A crash is the n-th port call of the step (counting service invocations only) failing: before
 * it (the call never happens) or after it (it happened, then the process died). The invocation is
 * dead from then on: its parked and later calls fail too, and its result is lost, as for a Lambda
 * that timed out or ran out of memory.
 *
 * Which invocation makes a call: each invocation gets its own view of every port (`bind`), which
 * names the invocation while the port method runs synchronously; every in-memory adapter calls
 * its hook synchronously at the start of a call, so the hook knows who calls. (An
 * AsyncLocalStorage would do too, at several times the cost on Node 20.) Calls outside any
 * invocation (the invariant checks) pass untouched.
 */

export class SimulatedCrash extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulatedCrash';
  }
}

export interface Invocation {
  label: string;
  /** A change in Mews' world takes part in the interleaving but never crashes. */
  kind: 'service' | 'world';
  dead: boolean;
  /** Set by the observers (sim-system.ts) while the invocation runs, e.g. the getProperties answer it got. */
  notes: Record<string, unknown>;
}

export interface Task<T> {
  label: string;
  kind?: 'service' | 'world';
  run: (invocation: Invocation) => Promise<T>;
}

export type TaskOutcome<T> =
  | { ok: true; value: T; invocation: Invocation }
  | { ok: false; error: unknown; invocation: Invocation };

export interface StepPlan {
  /** Which parked call goes next, one choice per release (index modulo the parked count). */
  choices: readonly number[];
  /** Crash the service invocation making the n-th port call of this step (1-based). */
  crash: { at: number; when: 'before' | 'after' } | null;
}

interface Parked {
  invocation: Invocation;
  call: PortCall;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

export class Interleaver {
  #current: Invocation | undefined;
  #parked: Parked[] = [];
  #gated = false;
  #calls = 0;
  #plan: StepPlan = { choices: [], crash: null };
  /** What fired this step: `crash before ConnectionStore.recordProvisioned (poll acc_...)`. */
  crashes: string[] = [];

  /** The invocation making the current call, if any. */
  current(): Invocation | undefined {
    return this.#current;
  }

  /** The port as `invocation` sees it: its calls are the invocation's. */
  bind<T extends object>(port: T, invocation: Invocation): T {
    const interleaver = this;
    return new Proxy(port, {
      get(target, property) {
        const value = Reflect.get(target, property, target) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const previous = interleaver.#current;
          interleaver.#current = invocation;
          try {
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          } finally {
            interleaver.#current = previous;
          }
        };
      },
    });
  }

  readonly hook: OnPortCall = (call) => {
    const invocation = this.#current;
    if (!invocation) return undefined;
    if (invocation.dead) throw new SimulatedCrash(`${invocation.label} died earlier in this step`);
    if (invocation.kind === 'service') {
      const n = ++this.#calls;
      const crash = this.#plan.crash;
      if (crash && crash.at === n) {
        const what = `crash ${crash.when} ${call.port}.${call.method} (${invocation.label})`;
        this.crashes.push(what);
        this.#kill(invocation);
        if (crash.when === 'before') throw new SimulatedCrash(what);
        // 'after': the call goes through; the invocation is dead for anything that follows.
        return this.#gated ? this.#park(invocation, call, true) : undefined;
      }
    }
    return this.#gated ? this.#park(invocation, call, false) : undefined;
  };

  /** A point where a world change waits for its turn (a port call of the world, so to speak). */
  point(invocation: Invocation, label: string): Promise<void> | undefined {
    const previous = this.#current;
    this.#current = invocation;
    try {
      return this.hook({ port: 'World', method: label, args: [] }) as Promise<void> | undefined;
    } finally {
      this.#current = previous;
    }
  }

  #park(invocation: Invocation, call: PortCall, ignoreDeath: boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#parked.push({
        invocation,
        call,
        resolve: () => (invocation.dead && !ignoreDeath ? reject(dead(invocation)) : resolve()),
        reject,
      });
    });
  }

  #kill(invocation: Invocation): void {
    invocation.dead = true;
    for (const p of this.#parked.filter((q) => q.invocation === invocation)) {
      this.#parked.splice(this.#parked.indexOf(p), 1);
      p.reject(dead(invocation));
    }
  }

  /** Runs the tasks of one step to the end, interleaved at port calls as `plan` says. */
  async run<T>(tasks: Task<T>[], plan: StepPlan): Promise<TaskOutcome<T>[]> {
    this.#plan = plan;
    this.#calls = 0;
    this.crashes = [];
    this.#gated = tasks.length > 1;
    const running = tasks.map((task) => {
      const invocation: Invocation = {
        label: task.label,
        kind: task.kind ?? 'service',
        dead: false,
        notes: {},
      };
      return Promise.resolve()
        .then(() => task.run(invocation))
        .then(
          (value): TaskOutcome<T> =>
            invocation.dead
              ? { ok: false, error: new SimulatedCrash(`${invocation.label} died`), invocation }
              : { ok: true, value, invocation },
          (error: unknown): TaskOutcome<T> => ({ ok: false, error, invocation }),
        );
    });
    try {
      if (this.#gated) {
        let k = 0;
        for (;;) {
          await flush();
          if (this.#parked.length === 0) break;
          const choice = plan.choices[k++] ?? 0;
          const [next] = this.#parked.splice(choice % this.#parked.length, 1);
          next?.resolve();
        }
      }
      return await Promise.all(running);
    } finally {
      this.#gated = false;
      this.#plan = { choices: [], crash: null };
    }
  }
}

const dead = (invocation: Invocation) => new SimulatedCrash(`${invocation.label} died earlier in this step`);
