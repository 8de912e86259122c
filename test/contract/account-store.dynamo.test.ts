import { describe } from 'vitest';
import { DynamoStateStore } from '../../shared/adapters/aws/dynamo-state-store.js';
import { freshTable } from '../support/dynamo.js';
import { accountStoreContract } from './account-store.contract.js';

describe('AccountStore contract: DynamoDB (Local)', () => {
  accountStoreContract(async () => {
    const table = await freshTable('account-store');
    return new DynamoStateStore({ client: table.client, tableName: table.tableName });
  });
});
