import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ChannelManagerClient,
  type ChannelManagerClientOptions,
} from '../../../shared/mews/channel-manager-client.js';
import { MewsApiError, MewsResponseError } from '../../../shared/mews/errors.js';
import type { Logger } from '../../../shared/ports/logger.js';
import { fixture, json, startTestServer, type TestServer } from './mews-test-server.js';

const CLIENT_TOKEN = 'fake-client-token-0001';
const CONNECTION_TOKEN = 'fake-connection-token-0001';
const EMAIL = 'jane.doe@fake-hotel.example';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

function recordingLogger() {
  const lines: { level: string; message: string; extra: unknown[] }[] = [];
  const log =
    (level: string) =>
    (message: string, ...extra: Record<string, unknown>[]) =>
      lines.push({ level, message, extra });
  const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  return { logger, lines };
}

function client(options: Partial<ChannelManagerClientOptions> = {}) {
  return new ChannelManagerClient({
    platformAddress: `${server.url}/`,
    clientToken: CLIENT_TOKEN,
    sleep: async () => {},
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

describe('ChannelManagerClient happy paths', () => {
  it('getProperties: accepts the documented quirks and posts exactly {clientToken, email}', async () => {
    server.reply(json(fixture('get-properties.json')));
    const result = await client().getProperties(EMAIL);

    expect(result).toEqual({
      success: true,
      properties: [
        {
          id: 'fake-city-hostel',
          name: 'Fake City Hostel',
          connections: [
            { token: 'fake-connection-token-0001', name: 'Dorm beds' },
            { token: 'fake-connection-token-0002', name: null },
            { token: 'fake-connection-token-0003', name: null },
            { token: 'fake-connection-token-0004', name: 'Legacy connection (deprecated code field)' },
            { token: 'fake-connection-token-0005', name: 'Private rooms' },
          ],
        },
        { id: 'fake-seaside-inn', name: 'Fake Seaside Inn', connections: [] },
        { id: 'fake-mountain-lodge', name: '', connections: [] },
        { id: 'fake-airport-suites', name: '', connections: [] },
      ],
    });

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/api/channelManager/v1/getProperties');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.body).toStrictEqual({ clientToken: CLIENT_TOKEN, email: EMAIL });
  });

  it('getConfiguration: accepts nulls, numeric pricing, unlisted mapping codes, unknown fields; drops the echoed token', async () => {
    server.reply(json(fixture('get-configuration.json')));
    const config = await client().getConfiguration(CONNECTION_TOKEN);

    expect(config).not.toHaveProperty('connectionToken');
    expect(JSON.stringify(config)).not.toContain(CONNECTION_TOKEN);
    expect(config).not.toHaveProperty('loyaltyPrograms');
    expect(config.property.email).toBeNull();
    expect(config.property.address?.region).toBeNull();
    expect(config.spaceCategories.map((c) => c.code)).toEqual(['DORM', 'DBL']);
    expect(config.ratePlans[0]?.cancellationPolicies?.[0]?.penalty?.relative?.nights).toBeNull();
    expect(config.ratePlans[1]?.cancellationPolicies).toBeNull();
    expect(config.inventoryMappings).toContainEqual({ ratePlanCode: 'PROMO', spaceTypeCode: 'DORM' });
    expect(config.products.map((p) => p.pricing)).toEqual([2, 'PerPerson']);
    expect(config.productMappings).toContainEqual({ ratePlanCode: 'NREF', productCode: 'PARK' });
    expect(config.ageCategories[0]).toEqual({
      code: 'ADULT',
      name: 'Adult',
      minimumAge: null,
      maximumAge: null,
    });
    expect(config.travelAgencies[0]?.channel).toBeNull();

    const [request] = server.requests;
    expect(request?.path).toBe('/api/channelManager/v1/getConfiguration');
    expect(request?.body).toStrictEqual({
      clientToken: CLIENT_TOKEN,
      connectionToken: CONNECTION_TOKEN,
      extent: {
        includeUnsynchronizedRates: true,
        includeUnsynchronizedCategories: true,
        includeProducts: true,
        includeCompanies: true,
        includeAgeCategories: true,
      },
    });
  });

  it('getConfiguration: sends a given extent as is', async () => {
    server.reply(json(fixture('get-configuration.json')));
    await client().getConfiguration(CONNECTION_TOKEN, { includeProducts: false });
    expect(server.requests[0]?.body).toStrictEqual({
      clientToken: CLIENT_TOKEN,
      connectionToken: CONNECTION_TOKEN,
      extent: { includeProducts: false },
    });
  });

  it('getConfiguration: missing optional lists become empty lists', async () => {
    server.reply(json({ success: true, property: { name: 'Bare' } }));
    const config = await client().getConfiguration(CONNECTION_TOKEN);
    expect(config.spaceCategories).toEqual([]);
    expect(config.products).toEqual([]);
    expect(config.companies).toEqual([]);
  });

  it('getChannels: posts exactly {clientToken} and returns the channels', async () => {
    server.reply(json(fixture('get-channels.json')));
    const channels = await client().getChannels();
    expect(channels).toEqual([
      { code: 1, name: 'Example Booking Site' },
      { code: 2, name: 'Example Travel Site' },
      { code: 5, name: 'Example Rooms' },
      { code: 438, name: 'Example Wholesaler' },
    ]);
    expect(server.requests[0]?.path).toBe('/api/channelManager/v1/getChannels');
    expect(server.requests[0]?.body).toStrictEqual({ clientToken: CLIENT_TOKEN });
  });
});

describe('ChannelManagerClient rejects malformed answers', () => {
  function propertiesWith(mutate: (answer: { properties: Record<string, unknown>[] }) => void) {
    const answer = fixture('get-properties.json') as { properties: Record<string, unknown>[] };
    mutate(answer);
    return answer;
  }

  it('names the path of a connection without a token', async () => {
    server.reply(
      json(
        propertiesWith((a) => {
          (a.properties[0]?.connections as unknown[])[1] = { name: 'No token here' };
        }),
      ),
    );
    const error = await rejectionOf(client().getProperties(EMAIL));
    expect(error).toBeInstanceOf(MewsResponseError);
    const e = error as MewsResponseError;
    expect(e.issues).toEqual(['properties[0].connections[1]: connection has no token']);
    expect(e.message).toContain('properties[0].connections[1]: connection has no token');
    expect(e.kind).toBe('transient');
    expect(e.operation).toBe('getProperties');
    expect(server.requests).toHaveLength(1); // not retried in the call: the caller's queue does that
  });

  it('treats an empty or null token as no token', async () => {
    server.reply(
      json(
        propertiesWith((a) => {
          a.properties[0] = { id: 'x', connections: [{ token: '' }, { token: null, code: '  ' }] };
        }),
      ),
    );
    const e = (await rejectionOf(client().getProperties(EMAIL))) as MewsResponseError;
    expect(e.issues).toEqual([
      'properties[0].connections[0]: connection has no token',
      'properties[0].connections[1]: connection has no token',
    ]);
  });

  it('names the path of a property without an id', async () => {
    server.reply(
      json(
        propertiesWith((a) => {
          delete a.properties[2]?.id;
        }),
      ),
    );
    const e = (await rejectionOf(client().getProperties(EMAIL))) as MewsResponseError;
    expect(e).toBeInstanceOf(MewsResponseError);
    expect(e.issues).toEqual(['properties[2].id: property has no id']);
  });

  it('never treats a missing property list as an empty one', async () => {
    server.reply(json({ success: true }));
    const e = (await rejectionOf(client().getProperties(EMAIL))) as MewsResponseError;
    expect(e).toBeInstanceOf(MewsResponseError);
    expect(e.issues[0]).toMatch(/^properties: /);
  });

  it('names wrong types without echoing the values', async () => {
    const answer = fixture('get-configuration.json') as Record<string, unknown>;
    answer.spaceCategories = [{ code: 42, name: 'fake-secret-looking-value' }];
    answer.inventoryMappings = [{ ratePlanCode: 'BAR' }];
    server.reply(json(answer));
    const e = (await rejectionOf(client().getConfiguration(CONNECTION_TOKEN))) as MewsResponseError;
    expect(e.issues.map((i) => i.split(':')[0])).toEqual([
      'spaceCategories[0].code',
      'inventoryMappings[0].spaceTypeCode',
    ]);
    expect(e.message).not.toContain('42');
    expect(e.message).not.toContain('fake-secret-looking-value');
  });

  it('rejects a getChannels answer without channels', async () => {
    server.reply(json({ success: true, channel: [] }));
    const e = (await rejectionOf(client().getChannels())) as MewsResponseError;
    expect(e.issues[0]).toMatch(/^channels: /);
  });
});

describe('ChannelManagerClient errors and logging', () => {
  it('maps a deprecated single `error` answer to MewsApiError', async () => {
    server.reply(json(fixture('error-deprecated-single.json')));
    const e = (await rejectionOf(client().getConfiguration(CONNECTION_TOKEN))) as MewsApiError;
    expect(e).toBeInstanceOf(MewsApiError);
    expect(e.code).toBe(3);
    expect(e.kind).toBe('permanent');
    expect(e.mewsMessage).toBe('Connection not found.');
    expect(server.requests).toHaveLength(1);
  });

  it('logs one debug line per attempt with operation, attempt, duration and status; no token, masked email', async () => {
    const { logger, lines } = recordingLogger();
    server.reply(json({}, 503), json(fixture('get-properties.json')));
    await client({ logger }).getProperties(EMAIL);

    expect(lines.map((l) => l.level)).toEqual(['debug', 'debug']);
    const [first, second] = lines.map((l) => l.extra[0] as Record<string, unknown>);
    expect(first).toMatchObject({
      operation: 'getProperties',
      account: 'j***@f***.example',
      attempt: 1,
      status: 503,
      outcome: 'transport-error',
      retryInMs: 100,
    });
    expect(second).toMatchObject({ operation: 'getProperties', attempt: 2, status: 200, outcome: 'success' });
    expect(typeof second?.durationMs).toBe('number');
    const all = JSON.stringify(lines);
    expect(all).not.toContain(CLIENT_TOKEN);
    expect(all).not.toContain(EMAIL);
    expect(all).not.toContain('fake-connection-token');
  });

  it('logs getConfiguration with the derived connection id, never the token', async () => {
    const { logger, lines } = recordingLogger();
    server.reply(json(fixture('get-configuration.json')));
    await client({ logger }).getConfiguration(CONNECTION_TOKEN);
    expect(lines[0]?.extra[0]).toMatchObject({
      operation: 'getConfiguration',
      connectionId: expect.stringMatching(/^con_/),
    });
    expect(JSON.stringify(lines)).not.toContain(CONNECTION_TOKEN);
  });

  it('reports attempts to an onAttempt hook (metrics)', async () => {
    const events: { attempt: number; outcome: string; willRetry: boolean }[] = [];
    server.reply(json(fixture('error-system.json')), json(fixture('get-channels.json')));
    await client({ onAttempt: (e) => events.push(e) }).getChannels();
    expect(events.map(({ attempt, outcome, willRetry }) => ({ attempt, outcome, willRetry }))).toEqual([
      { attempt: 1, outcome: 'api-error', willRetry: true },
      { attempt: 2, outcome: 'success', willRetry: false },
    ]);
  });

  it('validates its configuration without echoing secrets', () => {
    expect(
      () => new ChannelManagerClient({ platformAddress: 'not a url', clientToken: CLIENT_TOKEN }),
    ).toThrow(/platformAddress is not a URL/);
    expect(
      () =>
        new ChannelManagerClient({
          platformAddress: 'https://u:p@api.mews-demo.com',
          clientToken: CLIENT_TOKEN,
        }),
    ).toThrow(/credentials/);
    expect(() => new ChannelManagerClient({ platformAddress: server.url, clientToken: ' ' })).toThrow(
      /clientToken is empty/,
    );
    expect(() => client({ retries: -1 })).toThrow(/retries/);
  });

  it('refuses an empty email or connection token before calling Mews', async () => {
    await expect(client().getProperties('')).rejects.toThrow(/email is empty/);
    await expect(client().getConfiguration('')).rejects.toThrow(/connectionToken is empty/);
    expect(server.requests).toHaveLength(0);
  });

  it('keeps a path prefix of the platform address', async () => {
    server.reply(json(fixture('get-channels.json')));
    await client({ platformAddress: `${server.url}/mews//` }).getChannels();
    expect(server.requests[0]?.path).toBe('/mews/api/channelManager/v1/getChannels');
  });
});
