import { describe, expect, it } from 'vitest';
import {
  type AttemptResult,
  backoffDelay,
  parseRetryAfter,
  RetryPolicy,
  type RetryPolicyOptions,
} from '../../../shared/lib/retry-policy.js';

/** A policy that records its waits instead of waiting, on a clock that the waits advance. */
function recording(options: Partial<RetryPolicyOptions> = {}) {
  const sleeps: number[] = [];
  let clock = 0;
  const policy = new RetryPolicy({
    attempts: 5,
    baseMs: 100,
    capMs: 1_000,
    random: () => 1,
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    ...options,
  });
  return { policy, sleeps };
}

const fail = (failure: string, extra: { retryable?: boolean; retryAfterMs?: number | null } = {}) =>
  ({
    ok: false,
    failure,
    retryable: extra.retryable ?? true,
    retryAfterMs: extra.retryAfterMs ?? null,
  }) as const;

describe('backoffDelay (full jitter)', () => {
  it('is random() times min(cap, base * 2^(retry - 1)), rounded down', () => {
    expect([1, 2, 3, 4, 5, 6].map((r) => backoffDelay(r, 100, 1_000, () => 1))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
    expect(backoffDelay(3, 100, 1_000, () => 0.5)).toBe(200);
    expect(backoffDelay(3, 100, 1_000, () => 0)).toBe(0);
  });

  it('keeps a jitter source outside [0, 1] within the ceiling', () => {
    expect(backoffDelay(1, 100, 1_000, () => 7)).toBe(100);
    expect(backoffDelay(1, 100, 1_000, () => -1)).toBe(0);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2024-05-01T08:00:00Z');
  it('reads delta-seconds and HTTP dates; null for anything else', () => {
    expect(parseRetryAfter('5', now)).toBe(5_000);
    expect(parseRetryAfter('Wed, 01 May 2024 08:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 01 May 2024 07:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBeNull();
    expect(parseRetryAfter('', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });
});

describe('RetryPolicy.attempt', () => {
  it('retries a retryable failure with growing, capped waits until it succeeds', async () => {
    const { policy, sleeps } = recording();
    const results: AttemptResult<string, string>[] = [fail('a'), fail('b'), fail('c'), fail('d')];
    const outcome = await policy.attempt(async (n) => results[n - 1] ?? { ok: true, value: `done at ${n}` });
    expect(outcome).toEqual({ ok: true, value: 'done at 5', attempts: 5 });
    expect(sleeps).toEqual([100, 200, 400, 800]);
  });

  it('gives up after the attempt bound with the last failure', async () => {
    const { policy, sleeps } = recording({ attempts: 3 });
    const outcome = await policy.attempt(async (n) => fail(`failure ${n}`));
    expect(outcome).toEqual({ ok: false, failure: 'failure 3', attempts: 3 });
    expect(sleeps).toEqual([100, 200]);
  });

  it('does not retry a failure that is not retryable', async () => {
    const { policy, sleeps } = recording();
    const outcome = await policy.attempt(async () => fail('for good', { retryable: false }));
    expect(outcome).toEqual({ ok: false, failure: 'for good', attempts: 1 });
    expect(sleeps).toEqual([]);
  });

  it('waits as long as the server asked, above the backoff cap, up to maxRetryAfterMs', async () => {
    const { policy, sleeps } = recording({ maxRetryAfterMs: 30_000 });
    const results = [fail('a', { retryAfterMs: 7_000 }), fail('b', { retryAfterMs: 3_600_000 }), fail('c')];
    await policy.attempt(async (n) => results[n - 1] ?? { ok: true, value: null });
    expect(sleeps).toEqual([7_000, 30_000, 400]);
  });

  it('caps a server-requested delay at capMs when maxRetryAfterMs is not given', async () => {
    const { policy, sleeps } = recording();
    await policy.attempt(async (n) =>
      n === 1 ? fail('a', { retryAfterMs: 5_000 }) : { ok: true, value: 1 },
    );
    expect(sleeps).toEqual([1_000]);
  });

  it('starts no retry whose wait would end past the deadline', async () => {
    const { policy, sleeps } = recording({ deadlineMs: 750 });
    // Waits 100, 200, then 400 would end at 700: still within; the next (800) would not.
    const outcome = await policy.attempt(async (n) => fail(`failure ${n}`));
    expect(sleeps).toEqual([100, 200, 400]);
    expect(outcome).toEqual({ ok: false, failure: 'failure 4', attempts: 4 });
  });

  it('counts the time the attempts themselves take against the deadline', async () => {
    let clock = 0;
    const policy = new RetryPolicy({
      attempts: 10,
      baseMs: 100,
      capMs: 100,
      deadlineMs: 1_000,
      random: () => 1,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    });
    const outcome = await policy.attempt(async (n) => {
      clock += 400; // each attempt takes 400 ms
      return fail(`failure ${n}`);
    });
    // 400 + 100 + 400 = 900; a 100 ms wait ends at 1 000 (allowed); after the third, 1 500 > 1 000.
    expect(outcome).toEqual({ ok: false, failure: 'failure 3', attempts: 3 });
  });

  it('refuses a server-requested delay beyond the deadline rather than shortening it', async () => {
    const { policy, sleeps } = recording({ deadlineMs: 10_000, maxRetryAfterMs: 30_000 });
    const outcome = await policy.attempt(async () => fail('slow down', { retryAfterMs: 20_000 }));
    expect(outcome).toEqual({ ok: false, failure: 'slow down', attempts: 1 });
    expect(sleeps).toEqual([]);
  });

  it('reports every failed attempt, with the wait that follows (null on the last)', async () => {
    const { policy } = recording({ attempts: 3 });
    const seen: unknown[] = [];
    await policy.attempt(async (n) => fail(`failure ${n}`), {
      onFailure: (failure, info) => seen.push({ failure, ...info }),
    });
    expect(seen).toEqual([
      { failure: 'failure 1', attempt: 1, maxAttempts: 3, retryInMs: 100 },
      { failure: 'failure 2', attempt: 2, maxAttempts: 3, retryInMs: 200 },
      { failure: 'failure 3', attempt: 3, maxAttempts: 3, retryInMs: null },
    ]);
  });

  it('lets an exception thrown by the attempt end the attempts at once', async () => {
    const { policy, sleeps } = recording();
    let calls = 0;
    await expect(
      policy.attempt(async () => {
        calls++;
        throw new Error('bug');
      }),
    ).rejects.toThrow('bug');
    expect(calls).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('makes one attempt only with attempts: 1', async () => {
    const { policy, sleeps } = recording({ attempts: 1 });
    expect(await policy.attempt(async () => fail('once'))).toEqual({
      ok: false,
      failure: 'once',
      attempts: 1,
    });
    expect(sleeps).toEqual([]);
  });
});

describe('RetryPolicy options', () => {
  it('rejects impossible settings', () => {
    expect(() => new RetryPolicy({ attempts: 0, baseMs: 1, capMs: 1 })).toThrow(/attempts/);
    expect(() => new RetryPolicy({ attempts: 1.5, baseMs: 1, capMs: 1 })).toThrow(/attempts/);
    expect(() => new RetryPolicy({ attempts: 2, baseMs: -1, capMs: 1 })).toThrow(/baseMs/);
    expect(() => new RetryPolicy({ attempts: 2, baseMs: 1, capMs: Number.NaN })).toThrow(/capMs/);
    expect(() => new RetryPolicy({ attempts: 2, baseMs: 1, capMs: 1, deadlineMs: 0 })).toThrow(/deadlineMs/);
  });

  it('nextDelay: null past the bound, else the backoff or the server delay', () => {
    const { policy } = recording({ attempts: 3 });
    expect(policy.nextDelay(1, 0)).toBe(100);
    expect(policy.nextDelay(2, 0, 600)).toBe(600);
    expect(policy.nextDelay(3, 0)).toBeNull();
  });
});
