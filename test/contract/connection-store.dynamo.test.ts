import { describe } from 'vitest';
import { DynamoStateStore } from '../../shared/adapters/aws/dynamo-state-store.js';
import { freshTable } from '../support/dynamo.js';
import { connectionStoreContract } from './connection-store.contract.js';

describe('ConnectionStore contract: DynamoDB (Local)', () => {
  connectionStoreContract(async () => {
    const table = await freshTable('connection-store');
    return new DynamoStateStore({ client: table.client, tableName: table.tableName });
  });
});
