import { afterAll, beforeAll, describe } from 'vitest';
import type { MewsFault } from '../../shared/adapters/memory/memory-mews-faults.js';
import { ChannelManagerClient } from '../../shared/mews/channel-manager-client.js';
import type { FaultSpec, MewsSimulator } from '../../shared/simulator/index.js';
import { startMewsSimulator } from '../../shared/simulator/index.js';
import {
  CONTRACT_CHANNELS,
  channelManagerApiContract,
  type MewsWorldDriver,
} from '../contract/channel-manager-api.contract.js';

/**
 * The ChannelManagerApi contract (test/contract/channel-manager-api.contract.ts) against the real
 * adapter: the HTTP client, without retries, talking to the Mews simulator. (Here rather than in
 * test/contract/ because it needs the simulator over HTTP: the emulator tier.)
 */
let sim: MewsSimulator;

beforeAll(async () => {
  sim = await startMewsSimulator({
    seed: { clientToken: 'fake-client-token-contract', channels: CONTRACT_CHANNELS, enterprises: [] },
  });
});

afterAll(() => sim.close());

function faultSpec(fault: MewsFault): Partial<FaultSpec> {
  switch (fault.kind) {
    case 'disabled':
      return { mewsErrorCode: 3 };
    case 'refused':
      return { mewsErrorCode: fault.code ?? 8 };
    case 'system-error':
      return { mewsErrorCode: 1 };
    case 'network':
      return { httpStatus: 503 };
  }
}

function simulatorDriver(): MewsWorldDriver {
  const api = new ChannelManagerClient({
    platformAddress: sim.url,
    clientToken: sim.clientToken,
    retries: 0,
    sleep: async () => {},
  });
  return {
    api,
    addEnterprise: (id, name) => {
      sim.addEnterprise({ id, name });
    },
    addProperty: (enterpriseId, id, name, configuration) => {
      sim.addProperty(enterpriseId, { id, name, connections: 0, configuration });
    },
    renameProperty: (id, name) => sim.renameProperty(id, name),
    setConfiguration: (propertyId, configuration) => sim.setConfiguration(propertyId, configuration),
    addConnection: (propertyId, token, name) => {
      sim.addConnection(propertyId, name === undefined ? { token } : { token, name });
    },
    removeConnection: (token) => {
      sim.removeConnection(token);
    },
    setConnectionEnabled: (token, enabled) => sim.setConnectionEnabled(token, enabled),
    addEmployee: (enterpriseId, email, propertyIds) => {
      sim.addAccount(enterpriseId, propertyIds ? { email, propertyIds } : email);
    },
    lockEmployee: (email) => sim.setAccountLocked(email, true),
    failNext: (fault, scope) => {
      sim.addFault({
        operation: scope.operation,
        times: 1,
        ...(scope.email ? { email: scope.email } : {}),
        ...(scope.token ? { connectionToken: scope.token } : {}),
        ...faultSpec(fault),
      } as FaultSpec);
    },
  };
}

describe('ChannelManagerApi contract: HTTP client against the Mews simulator', () => {
  channelManagerApiContract(async () => simulatorDriver());
});
