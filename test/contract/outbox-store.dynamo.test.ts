import { describe } from 'vitest';
import { DynamoStateStore } from '../../shared/adapters/aws/dynamo-state-store.js';
import { freshTable } from '../support/dynamo.js';
import { outboxStoreContract } from './outbox-store.contract.js';

describe('OutboxStore contract: DynamoDB (Local)', () => {
  outboxStoreContract(async () => {
    const table = await freshTable('outbox-store');
    return new DynamoStateStore({ client: table.client, tableName: table.tableName });
  });
});
