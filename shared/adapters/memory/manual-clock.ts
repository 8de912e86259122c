import type { Clock } from '../../ports/clock.js';
import type { OnPortCall } from './port-call.js';

export interface ManualClockOptions {
  /** Where time starts. Default 2025-01-01T00:00:00.000Z. */
  start?: Date | string;
  /** Moves time on by this much after every `now()` (so each reading differs). Default 0. */
  stepMs?: number;
  /**
   * Called before each `now()`, as every in-memory adapter's hook. `now()` is synchronous (as the
   * port is), so only a hook that returns nothing counts: it can throw (a crash), not wait.
   */
  onCall?: OnPortCall;
}

/** A clock that moves only when told to (or by `stepMs` per reading). */
export class ManualClock implements Clock {
  #ms: number;
  readonly #stepMs: number;
  readonly #onCall: OnPortCall | undefined;

  constructor(options: ManualClockOptions = {}) {
    this.#ms = new Date(options.start ?? '2025-01-01T00:00:00.000Z').getTime();
    if (Number.isNaN(this.#ms))
      throw new TypeError(`ManualClock: start ${String(options.start)} is not a time`);
    this.#stepMs = options.stepMs ?? 0;
    this.#onCall = options.onCall;
  }

  now(): Date {
    const pending = this.#onCall?.({ port: 'Clock', method: 'now', args: [] });
    if (pending instanceof Promise) {
      pending.catch(() => undefined);
      throw new TypeError('ManualClock: the clock hook cannot wait (now() is synchronous)');
    }
    const now = new Date(this.#ms);
    this.#ms += this.#stepMs;
    return now;
  }

  /** The current time, without reading the clock (no hook, no step). */
  peek(): Date {
    return new Date(this.#ms);
  }

  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`ManualClock: cannot advance by ${ms} ms`);
    this.#ms += ms;
    return this.peek();
  }

  /** Sets the time; never backwards (time in the service only moves forward). */
  set(time: Date | string): Date {
    const ms = new Date(time).getTime();
    if (Number.isNaN(ms) || ms < this.#ms)
      throw new RangeError(`ManualClock: cannot set the time to ${String(time)}`);
    this.#ms = ms;
    return this.peek();
  }
}
