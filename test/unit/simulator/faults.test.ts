import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mewsErrorResponseSchema } from '../../../shared/mews/error.schema.js';
import { getPropertiesResponseSchema } from '../../../shared/mews/properties.schema.js';
import {
  type MewsSimulator,
  SimulatorInputError,
  startMewsSimulator,
} from '../../../shared/simulator/index.js';
import { CENTRAL_DORMS, callMews, LARGE_CONNECTION, RECEPTION, REVENUE } from './simulator-http.js';

let sim: MewsSimulator;
beforeAll(async () => {
  sim = await startMewsSimulator();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const properties = (email = RECEPTION, signal?: AbortSignal) =>
  callMews(sim, 'getProperties', { clientToken: sim.clientToken, email }, signal ? { signal } : {});
const configuration = (connectionToken: string) =>
  callMews(sim, 'getConfiguration', { clientToken: sim.clientToken, connectionToken });

describe('faults', () => {
  it('latency delays the normal answer: a prompt request sent after it is answered first', async () => {
    sim.addFault({ operation: 'getProperties', latencyMs: 1_000, times: 1 });
    const answered: string[] = [];
    const delayed = properties().then((r) => {
      answered.push('delayed');
      return r;
    });
    // The simulator took the fault with the first request it received: only then send the second.
    await vi.waitFor(() => expect(sim.calls().getProperties).toBe(1), { timeout: 10_000 });
    const prompt = await properties();
    answered.push('prompt');
    const response = await delayed;

    expect(answered).toEqual(['prompt', 'delayed']);
    expect(prompt.status).toBe(200);
    expect(getPropertiesResponseSchema.safeParse(await response.json()).success).toBe(true);
    expect(sim.requests().find((r) => r.fault === 'latency')).toMatchObject({ outcome: 'success', seq: 1 });
  });

  it('http429 answers 429 with a Retry-After header', async () => {
    sim.addFault({ operation: 'getProperties', http429: { retryAfterSeconds: 7 } });
    const response = await properties();
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    await response.text();

    sim.clearFaults();
    sim.addFault({ operation: 'getProperties', http429: {} });
    const bare = await properties();
    expect(bare.status).toBe(429);
    expect(bare.headers.get('retry-after')).toBeNull();
    await bare.text();
  });

  it.each([500, 502, 503] as const)(
    'httpStatus %i answers that status with a non-JSON body',
    async (status) => {
      sim.addFault({ operation: 'getChannels', httpStatus: status });
      const response = await callMews(sim, 'getChannels', { clientToken: sim.clientToken });
      expect(response.status).toBe(status);
      await expect(response.json()).rejects.toThrow();
    },
  );

  it('nonJson answers HTTP 200 with HTML', async () => {
    sim.addFault({ operation: 'getProperties', nonJson: true });
    const response = await properties();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    await expect(response.json()).rejects.toThrow();
  });

  it('mewsErrorCode answers success:false with that code', async () => {
    sim.addFault({ operation: 'getConfiguration', mewsErrorCode: 1 });
    sim.addFault({ operation: 'getProperties', mewsErrorCode: 9, mewsErrorMessage: 'Switched off.' });
    const config = await (await configuration(CENTRAL_DORMS)).json();
    expect(mewsErrorResponseSchema.parse(config).errors).toEqual([
      { code: 1, message: 'Unspecified system error.' },
    ]);
    const props = await (await properties()).json();
    expect(props).toEqual({ success: false, errors: [{ code: 9, message: 'Switched off.' }] });
    expect(sim.requests().map((r) => r.errorCode)).toEqual([1, 9]);
  });

  it('jsonBody answers exactly that JSON (e.g. a malformed answer)', async () => {
    sim.addFault({
      operation: 'getProperties',
      jsonBody: { success: true, properties: [{ name: 'no id' }] },
    });
    const body = await (await properties()).json();
    expect(getPropertiesResponseSchema.safeParse(body).success).toBe(false);
  });

  it('hang never answers; the client times out', async () => {
    sim.addFault({ operation: 'getProperties', hang: true, times: 1 });
    await expect(properties(RECEPTION, AbortSignal.timeout(200))).rejects.toThrow();
    expect(sim.calls().getProperties).toBe(1);
    expect(sim.requests()[0]).toMatchObject({ httpStatus: null, outcome: 'fault', fault: 'hang' });
    // Used up: the next request is answered.
    expect((await properties()).status).toBe(200);
  });

  it('close() ends hanging requests', async () => {
    const own = await startMewsSimulator();
    own.addFault({ operation: 'getChannels', hang: true });
    const pending = callMews(own, 'getChannels', { clientToken: own.clientToken });
    await expect.poll(() => own.calls().getChannels).toBe(1);
    await own.close();
    await expect(pending).rejects.toThrow();
  });

  it('times runs out, and faults are taken in the order added', async () => {
    sim.addFault({ operation: 'getProperties', httpStatus: 503, times: 2 });
    sim.addFault({ operation: 'getProperties', http429: { retryAfterSeconds: 1 }, times: 1 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await properties();
      statuses.push(response.status);
      await response.text();
    }
    expect(statuses).toEqual([503, 503, 429, 200]);
    expect(sim.faults()).toEqual([]);
  });

  it('a fault without times lasts until cleared', async () => {
    sim.addFault({ operation: 'getChannels', httpStatus: 500 });
    for (let i = 0; i < 3; i++)
      expect((await callMews(sim, 'getChannels', { clientToken: 'x' })).status).toBe(500);
    sim.clearFaults('getChannels');
    expect((await callMews(sim, 'getChannels', { clientToken: 'x' })).status).toBe(200);
  });

  it('scoped faults hit only their email or connection token', async () => {
    sim.addFault({ operation: 'getProperties', httpStatus: 502, email: REVENUE.toUpperCase() });
    sim.addFault({ operation: 'getConfiguration', mewsErrorCode: 8, connectionToken: LARGE_CONNECTION });
    expect((await properties(RECEPTION)).status).toBe(200);
    expect((await properties(REVENUE)).status).toBe(502);
    expect(await (await configuration(CENTRAL_DORMS)).json()).toMatchObject({ success: true });
    expect(await (await configuration(LARGE_CONNECTION)).json()).toMatchObject({ success: false });
  });

  it('faults apply to the operation only, and are counted', async () => {
    sim.addFault({ operation: 'getConfiguration', httpStatus: 500 });
    expect((await properties()).status).toBe(200);
    expect((await configuration(CENTRAL_DORMS)).status).toBe(500);
    expect(sim.calls()).toEqual({ getProperties: 1, getConfiguration: 1, getChannels: 0 });
  });

  it('rejects a fault spec that makes no sense', () => {
    expect(() => sim.addFault({ operation: 'getProperties' })).toThrow(SimulatorInputError);
    expect(() => sim.addFault({ operation: 'getProperties', hang: true, httpStatus: 500 })).toThrow(
      /at most one/,
    );
    // @ts-expect-error: not an operation
    expect(() => sim.addFault({ operation: 'getEverything', hang: true })).toThrow(SimulatorInputError);
  });
});
