import { describe, expect, it } from 'vitest';
import { MemoryChannelManager } from '../../shared/adapters/memory/memory-channel-manager.js';
import { MemoryMewsWorld } from '../../shared/adapters/memory/memory-mews-world.js';
import { connectionIdFromToken } from '../../shared/domain/identity.js';
import { getConfigurationResponseSchema } from '../../shared/mews/configuration.schema.js';
import { MewsTransientFailure } from '../../shared/ports/mews-failure.js';
import {
  CONTRACT_CHANNELS,
  type ConfigurationInput,
  channelManagerApiContract,
  type MewsWorldDriver,
} from './channel-manager-api.contract.js';

/** The in-memory world behind the driver: configurations per token, set for each of the property's connections. */
function memoryDriver(): MewsWorldDriver & { world: MemoryMewsWorld } {
  const world = new MemoryMewsWorld();
  world.channels = CONTRACT_CHANNELS.map((c) => ({ ...c }));
  const api = new MemoryChannelManager({ world });
  const configurations = new Map<string, ConfigurationInput>();
  const parse = (input: ConfigurationInput) =>
    getConfigurationResponseSchema.parse({ success: true, ...input });
  const tokensOf = (propertyId: string) =>
    world.connectionTokens().filter((t) => world.propertyOfToken(t)?.id === propertyId);
  return {
    world,
    api,
    addEnterprise: (id, name) => world.addEnterprise({ id, name }),
    addProperty: (enterpriseId, id, name, configuration) => {
      world.addProperty(enterpriseId, { id, name });
      configurations.set(id, configuration);
    },
    renameProperty: (id, name) => world.renameProperty(id, name),
    setConfiguration: (propertyId, configuration) => {
      configurations.set(propertyId, configuration);
      for (const token of tokensOf(propertyId)) world.setConfiguration(token, parse(configuration));
    },
    addConnection: (propertyId, token, name) => {
      const configuration = configurations.get(propertyId);
      world.addConnection(propertyId, {
        token,
        name: name ?? null,
        ...(configuration ? { configuration: parse(configuration) } : {}),
      });
    },
    removeConnection: (token) => world.removeConnection(token),
    setConnectionEnabled: (token, enabled) => world.setConnectionEnabled(token, enabled),
    addEmployee: (enterpriseId, email, propertyIds) =>
      world.grantAccess(email, enterpriseId, propertyIds ? { propertyIds } : {}),
    lockEmployee: (email) => world.setEmployeeLocked(email, true),
    failNext: (fault, scope) => api.failCalls({ fault, ...scope, times: 1 }),
  };
}

describe('ChannelManagerApi contract: in memory', () => {
  channelManagerApiContract(async () => memoryDriver());
});

describe('MemoryChannelManager', () => {
  it('logs every call without its token, and takes faults from a decider for calls no rule matched', async () => {
    const world = new MemoryMewsWorld();
    world.addEnterprise({ id: 'ent' });
    world.addProperty('ent', { id: 'p1', name: 'Hostel' });
    world.addConnection('p1', { token: 'FAKE-conn-1' });
    world.grantAccess('a@hotel.example', 'ent');
    let flaky = true;
    const api = new MemoryChannelManager({
      world,
      faults: (call) => (flaky && call.operation === 'getConfiguration' ? { kind: 'network' } : undefined),
    });
    await expect(api.getConfiguration('FAKE-conn-1')).rejects.toBeInstanceOf(MewsTransientFailure);
    flaky = false;
    await api.getConfiguration('FAKE-conn-1');
    await api.getProperties('a@hotel.example');
    await expect(api.getProperties('b@hotel.example')).rejects.toMatchObject({ code: 8 });
    const connectionId = connectionIdFromToken('FAKE-conn-1');
    expect(api.calls()).toEqual([
      { operation: 'getConfiguration', connectionId, outcome: 'network' },
      { operation: 'getConfiguration', connectionId, outcome: 'ok' },
      { operation: 'getProperties', email: 'a@hotel.example', outcome: 'ok' },
      { operation: 'getProperties', email: 'b@hotel.example', outcome: 'unknown-email' },
    ]);
    expect(JSON.stringify(api.calls())).not.toContain('FAKE-conn-1');
  });

  it('answers copies: changing an answer changes nothing in the world', async () => {
    const world = new MemoryMewsWorld();
    world.addEnterprise({ id: 'ent' });
    world.addProperty('ent', { id: 'p1', name: 'Hostel' });
    world.addConnection('p1', { token: 'FAKE-conn-1' });
    const api = new MemoryChannelManager({ world });
    const answer = await api.getConfiguration('FAKE-conn-1');
    answer.spaceCategories.length = 0;
    expect((await api.getConfiguration('FAKE-conn-1')).spaceCategories).toHaveLength(2);
  });

  it('calls the hook before every call: a simulation can hold a call back, or crash before it', async () => {
    const world = new MemoryMewsWorld();
    world.addEnterprise({ id: 'ent' });
    world.grantAccess('a@hotel.example', 'ent');
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const api = new MemoryChannelManager({
      world,
      onCall: async ({ method }) => {
        if (method === 'getProperties') await held;
      },
    });
    const answer = api.getProperties('a@hotel.example');
    // Mews' world changes while the call is held: the call answers from the world as it is when it runs.
    world.addProperty('ent', { id: 'p-late', name: 'Late' });
    release();
    expect((await answer).properties.map((p) => p.id)).toEqual(['p-late']);
  });
});
