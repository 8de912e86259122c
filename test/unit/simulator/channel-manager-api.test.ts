import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getChannelsResponseSchema } from '../../../shared/mews/channels.schema.js';
import { getConfigurationResponseSchema } from '../../../shared/mews/configuration.schema.js';
import { mewsErrorResponseSchema } from '../../../shared/mews/error.schema.js';
import { getPropertiesResponseSchema } from '../../../shared/mews/properties.schema.js';
import { type MewsSimulator, startMewsSimulator } from '../../../shared/simulator/index.js';
import {
  CENTRAL_DORMS,
  callMews,
  LOCKED_OUT,
  mewsJson,
  NIGHT_DESK,
  QUIET_INN_OWNER,
  RECEPTION,
  REVENUE,
} from './simulator-http.js';

let sim: MewsSimulator;
beforeAll(async () => {
  sim = await startMewsSimulator();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const expectMewsError = (body: unknown, code: number) => {
  expect(body).toMatchObject({ success: false });
  expect(mewsErrorResponseSchema.parse(body).errors.map((e) => e.code)).toEqual([code]);
};

describe('getProperties', () => {
  it('lists the enterprise properties with their connections, in the documented shape', async () => {
    const body = await mewsJson(sim, 'getProperties', { clientToken: sim.clientToken, email: RECEPTION });
    const parsed = getPropertiesResponseSchema.parse(body);
    expect(parsed.properties.map((p) => [p.id, p.connections.length])).toEqual([
      ['harbour-hostel-central', 3],
      ['harbour-hostel-docks', 1],
      ['harbour-hostel-annex', 0],
    ]);
    const raw = body as { properties: Array<Record<string, unknown>> };
    // A property without connections has no `connections` key; a connection without a name no `name`.
    expect(raw.properties[2]).toEqual({ id: 'harbour-hostel-annex', name: 'Harbour Hostel Annex' });
    expect(raw.properties[0]?.connections).toContainEqual({ token: 'fake-conn-harbour-central-3' });
    expect(
      parsed.properties.flatMap((p) => p.connections.map((c) => c.token)).every((t) => t.startsWith('fake-')),
    ).toBe(true);
  });

  it('gives two employees of one enterprise the same connections', async () => {
    const a = getPropertiesResponseSchema.parse(
      await mewsJson(sim, 'getProperties', { clientToken: sim.clientToken, email: RECEPTION }),
    );
    const b = getPropertiesResponseSchema.parse(
      await mewsJson(sim, 'getProperties', { clientToken: sim.clientToken, email: REVENUE }),
    );
    expect(b).toEqual(a);
  });

  it('matches emails case-insensitively and limits an employee to the properties they can see', async () => {
    const upper = getPropertiesResponseSchema.parse(
      await mewsJson(sim, 'getProperties', { clientToken: sim.clientToken, email: RECEPTION.toUpperCase() }),
    );
    expect(upper.properties).toHaveLength(3);
    const limited = getPropertiesResponseSchema.parse(
      await mewsJson(sim, 'getProperties', { clientToken: sim.clientToken, email: NIGHT_DESK }),
    );
    expect(limited.properties.map((p) => p.id)).toEqual(['harbour-hostel-docks']);
    const none = getPropertiesResponseSchema.parse(
      await mewsJson(sim, 'getProperties', { clientToken: sim.clientToken, email: QUIET_INN_OWNER }),
    );
    expect(none.properties).toEqual([]);
  });

  it('answers code 8 for a locked-out account, an unknown email and a wrong client token', async () => {
    for (const body of [
      { clientToken: sim.clientToken, email: LOCKED_OUT },
      { clientToken: sim.clientToken, email: 'nobody@sample-hostel.example' },
      { clientToken: 'fake-wrong-client-token', email: RECEPTION },
    ]) {
      expectMewsError(await mewsJson(sim, 'getProperties', body), 8);
    }
  });
});

describe('getConfiguration', () => {
  it('answers the configuration of a connection, parseable by our schema, with the quirks', async () => {
    const body = await mewsJson(sim, 'getConfiguration', {
      clientToken: sim.clientToken,
      connectionToken: CENTRAL_DORMS,
      extent: {
        includeUnsynchronizedRates: true,
        includeUnsynchronizedCategories: true,
        includeProducts: true,
        includeCompanies: true,
        includeAgeCategories: true,
      },
    });
    expect(body).toMatchObject({ connectionToken: CENTRAL_DORMS, success: true });
    const config = getConfigurationResponseSchema.parse(body);
    expect(config.property.name).toBe('Harbour Hostel Central');
    expect(config.property.telephone).toBeNull();
    expect(config.products.every((p) => typeof p.pricing === 'number')).toBe(true);
    const categories = new Set(config.spaceCategories.map((c) => c.code));
    expect(config.inventoryMappings.some((m) => !categories.has(m.spaceTypeCode))).toBe(true);
    expect(config.ratePlans.some((r) => r.isSynchronized === false)).toBe(true);
    expect(config.ageCategories.some((a) => a.minimumAge === null)).toBe(true);
  });

  it('serves every seeded connection (each property has a configuration)', async () => {
    const tokens = sim
      .state()
      .enterprises.flatMap((e) => e.properties.flatMap((p) => p.connections.map((c) => c.token)));
    expect(tokens.length).toBeGreaterThanOrEqual(6);
    for (const connectionToken of tokens) {
      const body = await mewsJson(sim, 'getConfiguration', { clientToken: sim.clientToken, connectionToken });
      expect(getConfigurationResponseSchema.safeParse(body).success).toBe(true);
    }
  });

  it('answers code 8 for an unknown or removed connection token and a wrong client token', async () => {
    expectMewsError(
      await mewsJson(sim, 'getConfiguration', {
        clientToken: sim.clientToken,
        connectionToken: 'fake-conn-unknown',
      }),
      8,
    );
    expectMewsError(
      await mewsJson(sim, 'getConfiguration', { clientToken: 'fake-wrong', connectionToken: CENTRAL_DORMS }),
      8,
    );
    expect(sim.removeConnection(CENTRAL_DORMS)).toBe(true);
    const removed = await mewsJson(sim, 'getConfiguration', {
      clientToken: sim.clientToken,
      connectionToken: CENTRAL_DORMS,
    });
    expectMewsError(removed, 8);
    expect(removed).toEqual({
      success: false,
      errors: [{ code: 8, message: "Invalid 'clientToken' or 'connectionToken'." }],
    });
  });
});

describe('getChannels', () => {
  it('lists the channels with their codes (with gaps)', async () => {
    const parsed = getChannelsResponseSchema.parse(
      await mewsJson(sim, 'getChannels', { clientToken: sim.clientToken }),
    );
    expect(parsed.channels.length).toBeGreaterThan(5);
    const codes = parsed.channels.map((c) => c.code);
    expect(codes.at(-1)).toBeGreaterThan(codes.length);
  });

  it('answers code 8 for a wrong client token', async () => {
    expectMewsError(await mewsJson(sim, 'getChannels', { clientToken: 'fake-wrong' }), 8);
  });
});

describe('malformed requests', () => {
  it.each([
    ['getProperties', { clientToken: 'x' }],
    ['getProperties', { email: RECEPTION }],
    ['getProperties', { clientToken: 'x', email: 42 }],
    ['getConfiguration', { clientToken: 'x' }],
    ['getConfiguration', { clientToken: 'x', connectionToken: CENTRAL_DORMS, extent: 'all' }],
    [
      'getConfiguration',
      { clientToken: 'x', connectionToken: CENTRAL_DORMS, extent: { includeProducts: 'yes' } },
    ],
    ['getChannels', {}],
    ['getChannels', [1, 2]],
  ] as const)('%s %j -> HTTP 200, code 6', async (operation, body) => {
    const response = await callMews(sim, operation, body);
    expect(response.status).toBe(200);
    expectMewsError(await response.json(), 6);
  });

  it('answers code 6 to a body that is not JSON', async () => {
    const response = await callMews(sim, 'getProperties', undefined, { raw: '{"clientToken": ' });
    expect(response.status).toBe(200);
    expectMewsError(await response.json(), 6);
  });

  it('answers 404 to an unknown path and 405 to a GET', async () => {
    const unknown = await fetch(`${sim.url}/api/channelManager/v1/getEverything`, {
      method: 'POST',
      body: '{}',
    });
    expect(unknown.status).toBe(404);
    await unknown.text();
    const get = await fetch(`${sim.url}/api/channelManager/v1/getProperties`);
    expect(get.status).toBe(405);
    await get.text();
  });
});

describe('options', () => {
  it('takes another client token and listens on 127.0.0.1', async () => {
    const other = await startMewsSimulator({ clientToken: 'fake-client-token-other' });
    try {
      expect(other.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(other.url).not.toBe(sim.url);
      expectMewsError(await mewsJson(other, 'getChannels', { clientToken: sim.clientToken }), 8);
      expect(await mewsJson(other, 'getChannels', { clientToken: 'fake-client-token-other' })).toHaveProperty(
        'channels',
      );
    } finally {
      await other.close();
    }
  });
});
