import { describe } from 'vitest';
import { MemoryStateStore } from '../../shared/adapters/memory/memory-state-store.js';
import { connectionStoreContract } from './connection-store.contract.js';

describe('ConnectionStore contract: in memory', () => {
  connectionStoreContract(async () => new MemoryStateStore());
});
