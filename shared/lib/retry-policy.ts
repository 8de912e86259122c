/**
 * The one retry policy of the service: bounded attempts, full-jitter exponential backoff, a
 * server's Retry-After honoured (up to a cap), and an optional total deadline. The Mews HTTP
 * transport, the AWS adapters' partial-batch retries and the DynamoDB transactions all retry by it.
 *
 * Delay before retry n (1-based): random() * min(capMs, baseMs * 2^(n - 1)), unless the server
 * asked for a delay, which is then taken as it is (up to maxRetryAfterMs), even above capMs.
 */

export interface RetryPolicyOptions {
  /** Attempts in all, the first one included (at least 1). */
  attempts: number;
  /** Ceiling of the first retry's delay; it doubles with each retry. */
  baseMs: number;
  /** Upper bound of the ceiling. */
  capMs: number;
  /** Upper bound for a server-requested delay (Retry-After). Default: capMs. */
  maxRetryAfterMs?: number;
  /** Total budget from the start of the first attempt: no retry is started if its delay would end past it. */
  deadlineMs?: number;
  /** Jitter source in [0, 1] (default Math.random). */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Wall clock in ms, for the deadline (default Date.now). */
  now?: () => number;
}

/** What one attempt came to: a value, or a failure that may be worth another attempt. */
export type AttemptResult<T, F> =
  | { ok: true; value: T }
  | {
      ok: false;
      failure: F;
      /** Whether another attempt may succeed. */
      retryable: boolean;
      /** The delay the server asked for (Retry-After), in ms. */
      retryAfterMs?: number | null;
    };

/** Where the attempts ended: the value, or the last failure. */
export type RetryOutcome<T, F> =
  | { ok: true; value: T; attempts: number }
  | { ok: false; failure: F; attempts: number };

interface FailedAttempt {
  /** 1-based number of the attempt that failed. */
  attempt: number;
  maxAttempts: number;
  /** The delay before the next attempt, or null when this was the last one. */
  retryInMs: number | null;
}

export interface RetryHooks<F> {
  /** After every failed attempt, before the wait. Exceptions it throws end the attempts. */
  onFailure?: (failure: F, info: FailedAttempt) => void;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Full-jitter exponential backoff delay before retry number `retry` (1-based). */
export function backoffDelay(retry: number, baseMs: number, capMs: number, random: () => number): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(Math.max(0, Math.min(1, random())) * ceiling);
}

/** Retry-After as delta-seconds or an HTTP date, in ms from `nowMs`; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (value == null) return null;
  const text = value.trim();
  if (text === '') return null;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return null; // an HTTP date names its day and month
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}

export class RetryPolicy {
  readonly attempts: number;
  readonly baseMs: number;
  readonly capMs: number;
  readonly maxRetryAfterMs: number;
  readonly deadlineMs: number | undefined;
  readonly sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #now: () => number;

  constructor(options: RetryPolicyOptions) {
    if (!(Number.isInteger(options.attempts) && options.attempts >= 1)) {
      throw new RangeError(`attempts must be a positive integer, got ${options.attempts}`);
    }
    this.attempts = options.attempts;
    this.baseMs = nonNegative('baseMs', options.baseMs);
    this.capMs = nonNegative('capMs', options.capMs);
    this.maxRetryAfterMs = nonNegative('maxRetryAfterMs', options.maxRetryAfterMs ?? options.capMs);
    if (
      options.deadlineMs !== undefined &&
      !(Number.isFinite(options.deadlineMs) && options.deadlineMs > 0)
    ) {
      throw new RangeError(`deadlineMs must be a positive number, got ${options.deadlineMs}`);
    }
    this.deadlineMs = options.deadlineMs;
    this.sleep = options.sleep ?? defaultSleep;
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
  }

  /** The backoff before retry number `retry` (1-based), ignoring the attempt bound and the deadline. */
  backoff(retry: number): number {
    return backoffDelay(retry, this.baseMs, this.capMs, this.#random);
  }

  /** A server-requested delay, capped at maxRetryAfterMs. */
  serverDelay(retryAfterMs: number): number {
    return Math.min(Math.max(0, retryAfterMs), this.maxRetryAfterMs);
  }

  /**
   * The wait after failed attempt `attempt` (1-based) of a call that started at `startedAt`
   * (this policy's clock), or null when no further attempt is due: the bound is reached, or the
   * wait would end past the deadline.
   */
  nextDelay(attempt: number, startedAt: number, retryAfterMs?: number | null): number | null {
    if (attempt >= this.attempts) return null;
    const delay = retryAfterMs == null ? this.backoff(attempt) : this.serverDelay(retryAfterMs);
    if (this.deadlineMs !== undefined && this.#now() - startedAt + delay > this.deadlineMs) return null;
    return delay;
  }

  /**
   * Runs `attempt` until it succeeds, fails for good (retryable: false), or the policy gives up;
   * resolves with where it ended. An exception thrown by `attempt` ends the attempts at once.
   */
  async attempt<T, F>(
    attempt: (n: number) => Promise<AttemptResult<T, F>>,
    hooks: RetryHooks<F> = {},
  ): Promise<RetryOutcome<T, F>> {
    const startedAt = this.#now();
    for (let n = 1; ; n++) {
      const result = await attempt(n);
      if (result.ok) return { ok: true, value: result.value, attempts: n };
      const retryInMs = result.retryable ? this.nextDelay(n, startedAt, result.retryAfterMs) : null;
      hooks.onFailure?.(result.failure, { attempt: n, maxAttempts: this.attempts, retryInMs });
      if (retryInMs === null) return { ok: false, failure: result.failure, attempts: n };
      await this.sleep(retryInMs);
    }
  }
}

function nonNegative(name: string, value: number): number {
  if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`${name} must be a non-negative number`);
  return value;
}
