import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ChannelManagerClient,
  type ChannelManagerClientOptions,
} from '../../../shared/mews/channel-manager-client.js';
import { isTransient, MewsApiError, MewsTransportError } from '../../../shared/mews/errors.js';
import {
  bigBody,
  closedPortUrl,
  fixture,
  hang,
  json,
  stallMidBody,
  startTestServer,
  type TestServer,
  text,
} from './mews-test-server.js';

const CLIENT_TOKEN = 'fake-client-token-0001';
const EMAIL = 'jane.doe@fake-hotel.example';

let server: TestServer;
let sleeps: number[];
beforeEach(async () => {
  server = await startTestServer();
  sleeps = [];
});
afterEach(async () => {
  await server.close();
});

function client(options: Partial<ChannelManagerClientOptions> = {}) {
  return new ChannelManagerClient({
    platformAddress: server.url,
    clientToken: CLIENT_TOKEN,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...options,
  });
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

const properties = () => json(fixture('get-properties.json'));

describe('retries transient failures, then succeeds', () => {
  it('429 with Retry-After in seconds: waits exactly that long', async () => {
    server.reply(json({}, 429, { 'retry-after': '7' }), properties());
    const result = await client().getProperties(EMAIL);
    expect(result.properties).toHaveLength(4);
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toEqual([7000]);
  });

  it('429 with Retry-After as an HTTP date: waits until then', async () => {
    const now = Date.parse('2024-05-01T08:00:00Z');
    server.reply(text('slow down', 429, { 'retry-after': 'Wed, 01 May 2024 08:00:12 GMT' }), properties());
    await client({ now: () => now }).getProperties(EMAIL);
    expect(sleeps).toEqual([12_000]);
  });

  it('Retry-After is capped by maxRetryAfterMs', async () => {
    server.reply(json({}, 503, { 'retry-after': '3600' }), properties());
    await client({ maxRetryAfterMs: 5000 }).getProperties(EMAIL);
    expect(sleeps).toEqual([5000]);
  });

  it('429 without Retry-After: full-jitter exponential backoff', async () => {
    server.reply(json({}, 429), json({}, 429), json({}, 429), properties());
    await client({ random: () => 0.999 }).getProperties(EMAIL);
    // random * min(cap, 200 * 2^(retry-1))
    expect(sleeps).toEqual([199, 399, 799]);
  });

  it('backoff is capped', async () => {
    server.reply(json({}, 500), json({}, 500), json({}, 500), json({}, 500), properties());
    await client({ random: () => 1, backoffCapMs: 500 }).getProperties(EMAIL);
    expect(sleeps).toEqual([200, 400, 500, 500]);
  });

  it('5xx, an HTML error page and Mews code 1', async () => {
    server.reply(
      json({}, 502),
      text('<html><body>504 Gateway Time-out</body></html>', 200),
      json(fixture('error-system.json')),
      properties(),
    );
    const result = await client().getProperties(EMAIL);
    expect(result.properties[0]?.id).toBe('fake-city-hostel');
    expect(server.requests).toHaveLength(4);
    expect(sleeps).toEqual([100, 200, 400]);
  });

  it('a server that never answers (per-attempt timeout)', async () => {
    server.reply(hang(), properties());
    // Long enough for the second (prompt) answer on a loaded machine, short enough for the test.
    const result = await client({ timeoutMs: 800 }).getProperties(EMAIL);
    expect(result.properties).toHaveLength(4);
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
  });

  it('a body that stalls half way (the timeout covers the body too)', async () => {
    server.reply(stallMidBody(), properties());
    await client({ timeoutMs: 800 }).getProperties(EMAIL);
    expect(server.requests).toHaveLength(2);
  });
});

describe('gives up', () => {
  it('after the retry bound, with a MewsTransportError', async () => {
    server.reply(...Array.from({ length: 6 }, () => json({}, 503)));
    const error = await rejectionOf(client().getProperties(EMAIL));
    expect(error).toBeInstanceOf(MewsTransportError);
    const e = error as MewsTransportError;
    expect(e).toMatchObject({ reason: 'http-status', status: 503, kind: 'transient', attempts: 5 });
    expect(isTransient(e)).toBe(true);
    expect(server.requests).toHaveLength(5); // 1 + 4 retries
    expect(sleeps).toHaveLength(4);
  });

  it('honours a custom retry bound', async () => {
    server.reply(hang(), hang(), hang());
    const e = (await rejectionOf(
      client({ retries: 1, timeoutMs: 100 }).getProperties(EMAIL),
    )) as MewsTransportError;
    expect(e).toMatchObject({ reason: 'timeout', attempts: 2 });
    expect(server.requests).toHaveLength(2);
  });

  it('on connection refused, after the bound', async () => {
    const c = client({ platformAddress: await closedPortUrl(), retries: 2 });
    const e = (await rejectionOf(c.getChannels())) as MewsTransportError;
    expect(e).toBeInstanceOf(MewsTransportError);
    expect(e).toMatchObject({ reason: 'network', causeCode: 'ECONNREFUSED', attempts: 3, kind: 'transient' });
    expect(sleeps).toHaveLength(2);
  });

  it('when the overall budget would be exceeded', async () => {
    server.reply(json({}, 429, { 'retry-after': '20' }));
    let now = 0;
    const e = (await rejectionOf(
      client({ maxElapsedMs: 10_000, now: () => now++ }).getProperties(EMAIL),
    )) as MewsTransportError;
    expect(e).toMatchObject({ reason: 'rate-limited', retryAfterMs: 20_000, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry Mews code 8: one call, permanent', async () => {
    server.reply(json(fixture('error-invalid-authentication.json')), properties());
    const error = await rejectionOf(client().getProperties(EMAIL));
    expect(error).toBeInstanceOf(MewsApiError);
    const e = error as MewsApiError;
    expect(e).toMatchObject({
      code: 8,
      codes: [8],
      kind: 'permanent',
      attempts: 1,
      operation: 'getProperties',
    });
    expect(e.mewsMessage).toBe("Invalid 'clientToken' or 'connectionToken'.");
    expect(isTransient(e)).toBe(false);
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('does not retry an HTTP 4xx without a Mews body', async () => {
    server.reply(text('not found', 404), properties());
    const e = (await rejectionOf(client().getChannels())) as MewsTransportError;
    expect(e).toMatchObject({ reason: 'http-status', status: 404, kind: 'permanent' });
    expect(server.requests).toHaveLength(1);
  });

  it('a Mews error body wins over the HTTP status', async () => {
    server.reply(json(fixture('error-invalid-authentication.json'), 401));
    const e = (await rejectionOf(client().getChannels())) as MewsApiError;
    expect(e).toBeInstanceOf(MewsApiError);
    expect(e).toMatchObject({ code: 8, status: 401, kind: 'permanent' });
  });
});

describe('response size cap', () => {
  it('abandons a streamed (chunked) body as soon as it passes the cap', async () => {
    const body = bigBody(256 * 1024 * 1024);
    server.reply(body.responder, properties());
    const e = (await rejectionOf(
      client({ maxResponseBytes: 1024 * 1024 }).getProperties(EMAIL),
    )) as MewsTransportError;
    expect(e).toBeInstanceOf(MewsTransportError);
    expect(e).toMatchObject({ reason: 'too-large', kind: 'transient', attempts: 1 });
    await body.finished;
    // The client hung up long before the 256 MB were produced: nothing close to it was buffered.
    expect(body.sent()).toBeLessThan(32 * 1024 * 1024);
    // The same oversized answer would come back seconds later: not retried within the call.
    expect(server.requests).toHaveLength(1);
  });

  it('rejects a declared Content-Length over the cap without reading the body', async () => {
    const body = bigBody(256 * 1024 * 1024, { declareLength: true });
    server.reply(body.responder);
    const e = (await rejectionOf(
      client({ maxResponseBytes: 1024 * 1024 }).getChannels(),
    )) as MewsTransportError;
    expect(e).toMatchObject({ reason: 'too-large' });
    await body.finished;
    expect(body.sent()).toBeLessThan(32 * 1024 * 1024);
  });

  it('accepts a body just under the cap', async () => {
    server.reply(json(fixture('get-channels.json')));
    const channels = await client({ maxResponseBytes: 4096 }).getChannels();
    expect(channels).toHaveLength(4);
  });
});
