import * as z from 'zod';
import { parseInput } from './simulator-specs.js';

/**
 * Mews' own request limit, simulated: a token bucket over the Channel Manager API requests
 * (all operations together). A request beyond it gets HTTP 429 with Retry-After in whole
 * seconds, as Mews answers, and counts as a call.
 */

const serverRateLimitSchema = z.strictObject({
  requestsPerSecond: z.number().positive().max(100_000),
  /** Requests accepted at once after a quiet spell. Default: one second's worth (at least 1). */
  burst: z.number().int().min(1).max(1_000_000).optional(),
});

export type ServerRateLimitSpec = z.input<typeof serverRateLimitSchema>;

export interface ServerRateLimitStatus {
  limit: { requestsPerSecond: number; burst: number } | null;
  /** Requests answered 429 for the limit since start or the last clearCalls. */
  rejected: number;
}

export type Admission = { ok: true } | { ok: false; retryAfterSeconds: number };

export class ServerRateLimit {
  #limit: { requestsPerSecond: number; burst: number } | null = null;
  #tokens = 0;
  #refilledAt = 0;
  #rejected = 0;
  readonly #now: () => number;

  constructor(spec?: ServerRateLimitSpec | null, now: () => number = () => performance.now()) {
    this.#now = now;
    this.set(spec ?? null);
  }

  /** A new limit starts with a full bucket; null lifts it. */
  set(spec: ServerRateLimitSpec | null): void {
    if (spec === null) {
      this.#limit = null;
      return;
    }
    const parsed = parseInput(serverRateLimitSchema, spec, 'rate limit');
    const burst = parsed.burst ?? Math.max(1, Math.ceil(parsed.requestsPerSecond));
    this.#limit = { requestsPerSecond: parsed.requestsPerSecond, burst };
    this.#tokens = burst;
    this.#refilledAt = this.#now();
  }

  /** Takes one token, or says how long until the next one (rounded up to whole seconds). */
  admit(): Admission {
    const limit = this.#limit;
    if (!limit) return { ok: true };
    const now = this.#now();
    const elapsed = Math.max(0, now - this.#refilledAt);
    this.#tokens = Math.min(limit.burst, this.#tokens + (elapsed * limit.requestsPerSecond) / 1000);
    this.#refilledAt = now;
    if (this.#tokens >= 1 - 1e-9) {
      this.#tokens -= 1;
      return { ok: true };
    }
    this.#rejected++;
    const waitSeconds = (1 - this.#tokens) / limit.requestsPerSecond;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitSeconds)) };
  }

  status(): ServerRateLimitStatus {
    return { limit: this.#limit ? { ...this.#limit } : null, rejected: this.#rejected };
  }

  clearCount(): void {
    this.#rejected = 0;
  }
}
