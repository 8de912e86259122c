import { describe, expect, it } from 'vitest';
import { ConfigError, loadLocalConfig } from '../../../shared/config/local-config.js';
import { ChannelManagerClient } from '../../../shared/mews/channel-manager-client.js';
import { HttpTransport } from '../../../shared/mews/http-transport.js';
import { TokenBucket } from '../../../shared/mews/rate-limiter.js';

/** A virtual clock: `sleep` resolves only when `run` advances time to it. */
function virtualClock() {
  let time = 0;
  const timers: { at: number; seq: number; resolve: () => void }[] = [];
  let seq = 0;
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    now: () => time,
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        timers.push({ at: time + ms, seq: seq++, resolve });
      }),
    /** Jumps the clock (an event-loop stall): timers due meanwhile fire only at the next `run` step. */
    jump(ms: number) {
      time += ms;
    },
    /** Fires timers in time order until `done` settles. */
    async run<T>(done: Promise<T>): Promise<T> {
      let finished = false;
      const watched = done.finally(() => {
        finished = true;
      });
      for (;;) {
        await settle();
        await settle();
        if (finished) return watched;
        timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const next = timers.shift();
        if (!next) throw new Error('nothing scheduled, but the work is not done');
        time = Math.max(time, next.at);
        next.resolve();
      }
    },
  };
}

/** The most requests any window of `windowMs` holds (windows start at a grant). */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= windowMs) start++;
    max = Math.max(max, end - start + 1);
  }
  return max;
}

describe('TokenBucket', () => {
  it('lets the burst through at once, then spaces requests by 1/rate', async () => {
    const clock = virtualClock();
    const bucket = new TokenBucket({ requestsPerSecond: 10, burst: 3 }, clock);
    const grants: number[] = [];
    const all = Promise.all(
      Array.from({ length: 6 }, () => bucket.take().then(() => grants.push(clock.now()))),
    );
    await clock.run(all);
    expect(grants).toEqual([0, 0, 0, 100, 200, 300]);
  });

  it('never exceeds the budget and stays near it under load (1,000 callers, 50 rps, burst 5)', async () => {
    const clock = virtualClock();
    const rate = 50;
    const burst = 5;
    const bucket = new TokenBucket({ requestsPerSecond: rate, burst }, clock);
    const grants: number[] = [];
    const order: number[] = [];
    const callers = Array.from({ length: 1000 }, (_, i) =>
      bucket.take().then(() => {
        grants.push(clock.now());
        order.push(i);
      }),
    );
    await clock.run(Promise.all(callers));

    // Any window of T ms holds at most burst + rate * T / 1000 requests.
    for (const windowMs of [1, 20, 100, 1000, 5000]) {
      expect(maxInWindow(grants, windowMs)).toBeLessThanOrEqual(burst + Math.ceil((rate * windowMs) / 1000));
    }
    // ...and the budget is used: (1000 - burst) requests after the burst at 50 per second.
    const last = Math.max(...grants);
    expect(last).toBeGreaterThanOrEqual(((1000 - burst) / rate) * 1000);
    expect(last).toBeLessThanOrEqual(((1000 - burst) / rate) * 1000 * 1.01);
    // First come, first served.
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('a stall never releases more than the burst at once', async () => {
    const clock = virtualClock();
    const bucket = new TokenBucket({ requestsPerSecond: 100, burst: 2 }, clock);
    const grants: number[] = [];
    const callers = Array.from({ length: 10 }, () => bucket.take().then(() => grants.push(clock.now())));
    await new Promise<void>((resolve) => setImmediate(resolve));
    clock.jump(1_000); // the event loop was busy for a second: the waiting callers wake up late
    await clock.run(Promise.all(callers));
    const afterStall = grants.filter((t) => t >= 1_000);
    expect(afterStall.filter((t) => t === 1_000).length).toBeLessThanOrEqual(2);
    expect(maxInWindow(grants, 10)).toBeLessThanOrEqual(3);
  });

  it('holdOff makes every caller wait, then carries on at the rate', async () => {
    const clock = virtualClock();
    const bucket = new TokenBucket({ requestsPerSecond: 10, burst: 5 }, clock);
    bucket.holdOff(2_000);
    const grants: number[] = [];
    await clock.run(Promise.all([1, 2, 3].map(() => bucket.take().then(() => grants.push(clock.now())))));
    expect(grants).toEqual([2_000, 2_100, 2_200]);
  });

  it('bursts a tenth of a second of requests by default (at least 1)', () => {
    const clock = virtualClock();
    expect(new TokenBucket({ requestsPerSecond: 50 }, clock).burst).toBe(5);
    expect(new TokenBucket({ requestsPerSecond: 2 }, clock).burst).toBe(1);
    expect(new TokenBucket({ requestsPerSecond: 2, burst: 4 }, clock).burst).toBe(4);
  });

  it('a busy client keeps to the full rate although every timer fires late', async () => {
    const clock = virtualClock();
    const late = (ms: number) => clock.sleep(ms + 1.5); // each wake-up 1.5 ms late
    const bucket = new TokenBucket({ requestsPerSecond: 50 }, { now: clock.now, sleep: late });
    const grants: number[] = [];
    await clock.run(
      Promise.all(Array.from({ length: 505 }, () => bucket.take().then(() => grants.push(clock.now())))),
    );
    const rate = ((grants.length - 1) * 1000) / (Math.max(...grants) - Math.min(...grants));
    expect(rate).toBeGreaterThan(50 * 0.98);
    expect(maxInWindow(grants, 1000)).toBeLessThanOrEqual(5 + 50);
  });

  it('rejects a budget that is not one', () => {
    const clock = virtualClock();
    expect(() => new TokenBucket({ requestsPerSecond: 0 }, clock)).toThrow(/requestsPerSecond/);
    expect(() => new TokenBucket({ requestsPerSecond: Number.NaN }, clock)).toThrow(/requestsPerSecond/);
    expect(() => new TokenBucket({ requestsPerSecond: 5, burst: 0.5 }, clock)).toThrow(/burst/);
  });
});

describe('HttpTransport rateLimit', () => {
  const ok = () =>
    new Response(JSON.stringify({ success: true, properties: [] }), {
      headers: { 'content-type': 'application/json' },
    });

  it('is shared by every call of one transport: concurrent calls wait their turn, none fails', async () => {
    const clock = virtualClock();
    const sent: number[] = [];
    const transport = new HttpTransport({
      rateLimit: { requestsPerSecond: 20, burst: 1 },
      now: clock.now,
      sleep: clock.sleep,
      fetch: async () => {
        sent.push(clock.now());
        return ok();
      },
    });
    const posts = Array.from({ length: 40 }, () =>
      transport.post({ operation: 'getProperties', url: 'http://mews.invalid/x', body: {} }),
    );
    const answers = await clock.run(Promise.all(posts));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(sent).toHaveLength(40);
    expect(maxInWindow(sent, 50)).toBe(1); // burst 1: evenly spaced
    expect(maxInWindow(sent, 1000)).toBeLessThanOrEqual(21);
    expect(Math.max(...sent)).toBe(39 * 50);
  });

  it('a 429 with Retry-After holds back the other calls too; retries count against the budget', async () => {
    const clock = virtualClock();
    const sent: number[] = [];
    let first = true;
    const transport = new HttpTransport({
      rateLimit: { requestsPerSecond: 10, burst: 2 },
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.5,
      fetch: async () => {
        sent.push(clock.now());
        if (first) {
          first = false;
          return new Response('', { status: 429, headers: { 'retry-after': '3' } });
        }
        return ok();
      },
    });
    const call = () => transport.post({ operation: 'getProperties', url: 'http://mews.invalid/x', body: {} });
    const a = call();
    // The second call arrives after the 429: it waits for the Retry-After like the first one.
    const both = a.then(async (answer) => [answer, await call()] as const);
    const [first429, second] = await clock.run(both);
    expect(first429.attempts).toBe(2);
    expect(second.attempts).toBe(1);
    expect(sent[0]).toBe(0);
    expect(sent[1]).toBeGreaterThanOrEqual(3_000);
    expect(sent[2]).toBeGreaterThanOrEqual(3_000);
  });

  it('without rateLimit nothing waits', async () => {
    const sleeps: number[] = [];
    const client = new ChannelManagerClient({
      platformAddress: 'http://mews.invalid',
      clientToken: 'fake-client-token',
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      fetch: async () => ok(),
    });
    await Promise.all(Array.from({ length: 20 }, () => client.getProperties('a@b.example')));
    expect(sleeps).toEqual([]);
  });
});

describe('MEWS_RATE_LIMIT_RPS (local runs)', () => {
  it('is off by default', () => {
    expect(loadLocalConfig({}).mewsRateLimit).toBeUndefined();
  });

  it('sets the budget, with an optional burst', () => {
    expect(loadLocalConfig({ MEWS_RATE_LIMIT_RPS: '12.5' }).mewsRateLimit).toEqual({
      requestsPerSecond: 12.5,
    });
    expect(loadLocalConfig({ MEWS_RATE_LIMIT_RPS: '10', MEWS_RATE_LIMIT_BURST: '5' }).mewsRateLimit).toEqual({
      requestsPerSecond: 10,
      burst: 5,
    });
  });

  it('names the variable when the value is wrong', () => {
    expect(() => loadLocalConfig({ MEWS_RATE_LIMIT_RPS: 'fast' })).toThrow(/MEWS_RATE_LIMIT_RPS/);
    expect(() => loadLocalConfig({ MEWS_RATE_LIMIT_RPS: '0' })).toThrow(/MEWS_RATE_LIMIT_RPS/);
    expect(() => loadLocalConfig({ MEWS_RATE_LIMIT_RPS: '5', MEWS_RATE_LIMIT_BURST: '1.5' })).toThrow(
      /MEWS_RATE_LIMIT_BURST/,
    );
    expect(() => loadLocalConfig({ MEWS_RATE_LIMIT_BURST: '5' })).toThrow(ConfigError);
  });
});
