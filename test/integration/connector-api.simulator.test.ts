import { afterAll, beforeAll, describe } from 'vitest';
import { ConnectorClient } from '../../shared/adapters/mews-connector/connector-client.js';
import type { MewsSimulator } from '../../shared/simulator/index.js';
import { startMewsSimulator } from '../../shared/simulator/index.js';
import { connectorApiContract } from '../contract/connector-api.contract.js';

/**
 * The ConnectorApi contract (test/contract/connector-api.contract.ts) against the real adapter:
 * the Connector API client, without retries, talking to the Mews simulator.
 */
let sim: MewsSimulator;

beforeAll(async () => {
  sim = await startMewsSimulator({
    seed: { clientToken: 'fake-client-token-contract', channels: [], enterprises: [] },
  });
});

afterAll(() => sim.close());

describe('ConnectorApi contract: HTTP client against the Mews simulator', () => {
  connectorApiContract(async () => {
    const ids = new Map<string, string>();
    return {
      api: new ConnectorClient({
        platformAddress: sim.url,
        clientToken: sim.clientToken,
        retries: 0,
        sleep: async () => {},
      }),
      addEnterprise: (id, name) => {
        sim.addEnterprise({ id, name });
      },
      addIntegration: (enterpriseId) => {
        const added = sim.addIntegration({ enterpriseId });
        ids.set(added.accessToken, added.integrationId);
        return added.accessToken;
      },
      setStatus: (accessToken, status) => sim.setIntegrationStatus(ids.get(accessToken) ?? '', status),
      rotate: (accessToken) => {
        const id = ids.get(accessToken) ?? '';
        const next = sim.rotateIntegrationAccessToken(id);
        ids.set(next, id);
        return next;
      },
    };
  });
});
