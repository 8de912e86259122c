import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getConfigurationResponseSchema } from '../../../shared/mews/configuration.schema.js';
import {
  generateConfiguration,
  LARGE_PROPERTY_SIZE,
  loadDefaultSeed,
  type MewsSimulator,
  type SeedFile,
  SimulatorInputError,
  startMewsSimulator,
} from '../../../shared/simulator/index.js';
import { LARGE_CONNECTION, mewsJson } from './simulator-http.js';

const ALL = {
  includeUnsynchronizedRates: true,
  includeUnsynchronizedCategories: true,
  includeProducts: true,
  includeCompanies: true,
  includeAgeCategories: true,
};

describe('large property', () => {
  let sim: MewsSimulator;
  beforeAll(async () => {
    sim = await startMewsSimulator();
  });
  afterAll(() => sim.close());

  it('is big, complete and parses', async () => {
    const body = await mewsJson(sim, 'getConfiguration', {
      clientToken: sim.clientToken,
      connectionToken: LARGE_CONNECTION,
      extent: ALL,
    });
    expect(JSON.stringify(body).length).toBeGreaterThan(256 * 1024);
    const config = getConfigurationResponseSchema.parse(body);
    expect(config.companies).toHaveLength(300);
    expect(config.travelAgencies).toHaveLength(300);
    expect(config.spaceCategories).toHaveLength(40);
    expect(config.ratePlans).toHaveLength(60);
    // Every rate on every category, plus two mappings naming unlisted codes.
    expect(config.inventoryMappings).toHaveLength(40 * 60 + 2);
    expect(config.spaceCategories.some((c) => c.isSynchronized === false)).toBe(true);
    expect(config.ratePlans.some((r) => r.isSynchronized === false)).toBe(true);
  });

  it('is generated deterministically', () => {
    expect(generateConfiguration('X', LARGE_PROPERTY_SIZE)).toEqual(
      generateConfiguration('X', LARGE_PROPERTY_SIZE),
    );
  });
});

describe('seed', () => {
  it('holds properties with 0, 1 and 3 connections, two accounts of one enterprise and a locked-out one', () => {
    const seed = loadDefaultSeed();
    expect(seed.clientToken).toMatch(/^fake-/);
    const counts = seed.enterprises.flatMap((e) =>
      (e.properties ?? []).map((p) => (Array.isArray(p.connections) ? p.connections.length : p.connections)),
    );
    expect(counts).toEqual(expect.arrayContaining([0, 1, 3]));
    const tokens = seed.enterprises.flatMap((e) =>
      (e.properties ?? []).flatMap((p) =>
        Array.isArray(p.connections) ? p.connections.map((c) => c.token) : [],
      ),
    );
    expect(tokens.every((t) => t?.startsWith('fake-conn-'))).toBe(true);
    const harbour = seed.enterprises.find((e) => e.id === 'harbour-hostels');
    expect(harbour?.accounts?.filter((a) => typeof a === 'string')).toHaveLength(2);
    expect(harbour?.accounts?.some((a) => typeof a !== 'string' && a.lockedOut)).toBe(true);
  });

  it('rejects a seed with duplicate tokens or bad references, naming the problem', async () => {
    const base = (): SeedFile => ({ clientToken: 'fake-client', channels: [], enterprises: [] });
    const duplicate: SeedFile = {
      ...base(),
      enterprises: [
        {
          id: 'e1',
          accounts: [],
          properties: [
            { id: 'p1', connections: [{ token: 'fake-conn-same' }] },
            { id: 'p2', connections: [{ token: 'fake-conn-same' }] },
          ],
        },
      ],
    };
    await expect(startMewsSimulator({ seed: duplicate })).rejects.toThrow(SimulatorInputError);
    const badAccount: SeedFile = {
      ...base(),
      enterprises: [{ id: 'e1', accounts: [{ email: 'a@e1.example', propertyIds: ['p9'] }], properties: [] }],
    };
    await expect(startMewsSimulator({ seed: badAccount })).rejects.toThrow(/p9/);
    await expect(startMewsSimulator({ seed: { clientToken: '' } as SeedFile })).rejects.toThrow(
      /clientToken/,
    );
  });

  it('runs a custom seed', async () => {
    const sim = await startMewsSimulator({
      seed: {
        clientToken: 'fake-client-custom',
        channels: [{ code: 1, name: 'Only channel' }],
        enterprises: [{ id: 'e1', accounts: ['a@e1.example'], properties: [{ id: 'p1', connections: 2 }] }],
      },
    });
    try {
      expect(sim.clientToken).toBe('fake-client-custom');
      expect(
        await mewsJson(sim, 'getProperties', { clientToken: sim.clientToken, email: 'a@e1.example' }),
      ).toEqual({
        success: true,
        properties: [
          {
            id: 'p1',
            name: 'Generated Property p1',
            connections: [{ token: 'fake-conn-0001' }, { token: 'fake-conn-0002' }],
          },
        ],
      });
    } finally {
      await sim.close();
    }
  });
});
