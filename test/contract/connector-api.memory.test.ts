import { describe, expect, it } from 'vitest';
import { MemoryConnector } from '../../shared/adapters/memory/memory-connector.js';
import { MemoryMewsWorld } from '../../shared/adapters/memory/memory-mews-world.js';
import { MewsTransientFailure } from '../../shared/ports/mews-failure.js';
import { connectorApiContract } from './connector-api.contract.js';

describe('ConnectorApi contract: in memory', () => {
  connectorApiContract(async () => {
    const world = new MemoryMewsWorld();
    let n = 0;
    return {
      api: new MemoryConnector({ world }),
      addEnterprise: (id, name) => world.addEnterprise({ id, name }),
      addIntegration: (enterpriseId) => {
        const accessToken = `FAKE-access-${enterpriseId}-${++n}`;
        world.addIntegration({ accessToken, enterpriseId });
        return accessToken;
      },
      setStatus: (accessToken, status) => world.setIntegrationStatus(accessToken, status),
      rotate: (accessToken) => {
        const next = `${accessToken}-rotated-${++n}`;
        world.rotateAccessToken(accessToken, next);
        return next;
      },
    };
  });
});

describe('MemoryConnector faults', () => {
  it('fails calls on demand, transiently or for good, then answers again', async () => {
    const world = new MemoryMewsWorld();
    world.addEnterprise({ id: 'ent', name: 'Hostel' });
    world.addIntegration({ accessToken: 'FAKE-access-1', enterpriseId: 'ent' });
    const api = new MemoryConnector({ world });
    api.failCalls({ fault: { kind: 'network' }, times: 1 });
    api.failCalls({ fault: { kind: 'refused' }, token: 'FAKE-access-1', times: 1 });
    await expect(api.getConfiguration('FAKE-access-1')).rejects.toBeInstanceOf(MewsTransientFailure);
    await expect(api.getConfiguration('FAKE-access-1')).rejects.toMatchObject({ code: null, status: 401 });
    expect(await api.getConfiguration('FAKE-access-1')).toMatchObject({ id: 'ent', name: 'Hostel' });
  });
});
