import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ChannelManagerClient } from '../../../shared/mews/channel-manager-client.js';
import {
  type MewsSimulator,
  SimulatorInputError,
  startMewsSimulator,
} from '../../../shared/simulator/index.js';
import { ServerRateLimit } from '../../../shared/simulator/rate-limit.js';
import { callMews, RECEPTION } from './simulator-http.js';

describe('ServerRateLimit', () => {
  it('accepts the burst, then one request per 1/rate; Retry-After in whole seconds', () => {
    let now = 0;
    const limit = new ServerRateLimit({ requestsPerSecond: 2, burst: 3 }, () => now);
    expect([limit.admit(), limit.admit(), limit.admit()]).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(limit.admit()).toEqual({ ok: false, retryAfterSeconds: 1 });
    now = 499;
    expect(limit.admit().ok).toBe(false);
    now = 500;
    expect(limit.admit()).toEqual({ ok: true });
    expect(limit.status()).toEqual({ limit: { requestsPerSecond: 2, burst: 3 }, rejected: 2 });
  });

  it('a slow budget asks for a longer wait; burst defaults to one second of requests', () => {
    let now = 0;
    const slow = new ServerRateLimit({ requestsPerSecond: 0.25, burst: 1 }, () => now);
    expect(slow.admit().ok).toBe(true);
    expect(slow.admit()).toEqual({ ok: false, retryAfterSeconds: 4 });
    now = 3_000;
    expect(slow.admit()).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(new ServerRateLimit({ requestsPerSecond: 50 }).status().limit).toEqual({
      requestsPerSecond: 50,
      burst: 50,
    });
  });

  it('is off without a limit, and refuses a bad one', () => {
    const none = new ServerRateLimit();
    for (let i = 0; i < 1000; i++) expect(none.admit().ok).toBe(true);
    expect(none.status()).toEqual({ limit: null, rejected: 0 });
    expect(() => none.set({ requestsPerSecond: 0 })).toThrow(SimulatorInputError);
  });
});

describe('simulator rateLimit', () => {
  let sim: MewsSimulator;
  beforeAll(async () => {
    sim = await startMewsSimulator({ rateLimit: { requestsPerSecond: 1, burst: 3 } });
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.setRateLimit({ requestsPerSecond: 1, burst: 3 });
    sim.clearCalls();
  });

  const properties = () => callMews(sim, 'getProperties', { clientToken: sim.clientToken, email: RECEPTION });

  it('answers 429 with Retry-After beyond the limit; refused requests are calls too', async () => {
    const responses = await Promise.all(Array.from({ length: 5 }, () => properties()));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = responses.filter((r) => r.status === 429);
    expect(refused.map((r) => r.headers.get('retry-after'))).toEqual(['1', '1']);
    await Promise.all(responses.map((r) => r.text()));

    expect(sim.calls().getProperties).toBe(5);
    expect(sim.rateLimitStatus()).toEqual({ limit: { requestsPerSecond: 1, burst: 3 }, rejected: 2 });
    expect(sim.requests().filter((e) => e.httpStatus === 429)).toHaveLength(2);
    expect(sim.requests().find((e) => e.httpStatus === 429)).toMatchObject({
      outcome: 'fault',
      fault: 'http429',
    });

    sim.clearCalls();
    expect(sim.rateLimitStatus().rejected).toBe(0);
  });

  it('counts every Channel Manager operation against one budget; lifted with null', async () => {
    const config = (token: string) =>
      callMews(sim, 'getConfiguration', { clientToken: sim.clientToken, connectionToken: token });
    const answers = await Promise.all([properties(), config('fake-conn-x'), properties(), properties()]);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(1);
    await Promise.all(answers.map((r) => r.text()));

    sim.setRateLimit(null);
    const free = await Promise.all(Array.from({ length: 10 }, () => properties()));
    expect(free.every((r) => r.status === 200)).toBe(true);
    await Promise.all(free.map((r) => r.text()));
  });

  it('our client, held to the same budget, is never refused', async () => {
    sim.setRateLimit({ requestsPerSecond: 20, burst: 4 });
    const client = new ChannelManagerClient({
      platformAddress: sim.url,
      clientToken: sim.clientToken,
      rateLimit: { requestsPerSecond: 20 },
    });
    await Promise.all(Array.from({ length: 15 }, () => client.getProperties(RECEPTION)));
    expect(sim.rateLimitStatus().rejected).toBe(0);
    expect(sim.calls().getProperties).toBe(15);
    // How close to the budget it keeps: test/unit/mews/rate-limit.test.ts (virtual clock), npm run bench.
  });
});
