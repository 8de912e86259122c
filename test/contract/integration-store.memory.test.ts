import { describe } from 'vitest';
import { MemoryStateStore } from '../../shared/adapters/memory/memory-state-store.js';
import { integrationStoreContract } from './integration-store.contract.js';

describe('IntegrationStore contract: in memory', () => {
  integrationStoreContract(async () => new MemoryStateStore());
});
