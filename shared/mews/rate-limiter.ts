/**
 * A client-side request budget for Mews: a token bucket that makes callers wait (never fail)
 * once the burst is spent. One bucket per client, shared by all its calls, retries included.
 *
 * Waiting callers are served first come, first served by one pump that hands out a token only
 * when the bucket holds one at that moment. So the budget holds at the instant each request
 * is let through, even after the event loop stalled: a stall never releases more than `burst`
 * requests at once.
 */

export interface RateLimit {
  /** Sustained requests per second. */
  requestsPerSecond: number;
  /**
   * Requests that may go at once after a quiet spell. Default: a tenth of a second's worth (at
   * least 1). Above 1 the bucket also absorbs timer lateness, so a busy client keeps to the full
   * rate; with 1 requests are evenly spaced but each timer's lateness is lost (about 5 % at 50/s).
   */
  burst?: number;
}

export interface RateLimiterClock {
  /** Milliseconds on a monotonic clock. */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** Tolerance for float drift in the refill arithmetic. */
const EPSILON = 1e-9;

export class TokenBucket {
  readonly requestsPerSecond: number;
  readonly burst: number;
  readonly #clock: RateLimiterClock;
  #tokens: number;
  #refilledAt: number;
  #blockedUntil = Number.NEGATIVE_INFINITY;
  readonly #waiting: (() => void)[] = [];
  #pumping = false;

  constructor(limit: RateLimit, clock: RateLimiterClock) {
    const { requestsPerSecond } = limit;
    const burst = limit.burst ?? Math.max(1, Math.ceil(requestsPerSecond / 10));
    if (!(Number.isFinite(requestsPerSecond) && requestsPerSecond > 0)) {
      throw new RangeError('rateLimit.requestsPerSecond must be a positive number');
    }
    if (!(Number.isInteger(burst) && burst >= 1)) {
      throw new RangeError('rateLimit.burst must be a positive integer');
    }
    this.requestsPerSecond = requestsPerSecond;
    this.burst = burst;
    this.#clock = clock;
    this.#tokens = burst;
    this.#refilledAt = clock.now();
  }

  /** Resolves when one request may be sent. */
  take(): Promise<void> {
    if (this.#waiting.length === 0 && this.#tryTake()) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.#waiting.push(resolve);
      if (!this.#pumping) void this.#pump();
    });
  }

  /** Sends nothing for `ms` (Mews answered 429 with Retry-After): every caller of the client waits. */
  holdOff(ms: number): void {
    if (!(ms > 0)) return;
    const now = this.#clock.now();
    this.#refill(now);
    this.#blockedUntil = Math.max(this.#blockedUntil, now + ms);
    // No tokens pile up meanwhile: after the hold the calls resume at the rate, not in a burst.
    this.#tokens = Math.min(this.#tokens, 1);
    this.#refilledAt = Math.max(this.#refilledAt, this.#blockedUntil);
  }

  /** Callers waiting for a token. */
  get waiting(): number {
    return this.#waiting.length;
  }

  #refill(now: number): void {
    if (now <= this.#refilledAt) return;
    const elapsed = now - this.#refilledAt;
    this.#tokens = Math.min(this.burst, this.#tokens + (elapsed * this.requestsPerSecond) / 1000);
    this.#refilledAt = now;
  }

  #tryTake(): boolean {
    const now = this.#clock.now();
    this.#refill(now);
    if (now < this.#blockedUntil || this.#tokens < 1 - EPSILON) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Milliseconds until the next token (or the end of a hold-off); at least 1. */
  #msUntilNext(): number {
    const now = this.#clock.now();
    const forToken = ((1 - this.#tokens) * 1000) / this.requestsPerSecond;
    return Math.max(1, Math.ceil(Math.max(forToken, this.#blockedUntil - now)));
  }

  async #pump(): Promise<void> {
    this.#pumping = true;
    try {
      while (this.#waiting.length > 0) {
        if (this.#tryTake()) this.#waiting.shift()?.();
        else await this.#clock.sleep(this.#msUntilNext());
      }
    } finally {
      this.#pumping = false;
    }
  }
}
