import { describe } from 'vitest';
import { MemoryStateStore } from '../../shared/adapters/memory/memory-state-store.js';
import { outboxStoreContract } from './outbox-store.contract.js';

describe('OutboxStore contract: in memory', () => {
  outboxStoreContract(async () => new MemoryStateStore());
});
