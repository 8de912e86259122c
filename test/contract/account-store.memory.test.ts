import { describe } from 'vitest';
import { MemoryStateStore } from '../../shared/adapters/memory/memory-state-store.js';
import { accountStoreContract } from './account-store.contract.js';

describe('AccountStore contract: in memory', () => {
  accountStoreContract(async () => new MemoryStateStore());
});
