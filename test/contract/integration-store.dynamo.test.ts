import { describe } from 'vitest';
import { DynamoStateStore } from '../../shared/adapters/aws/dynamo-state-store.js';
import { freshTable } from '../support/dynamo.js';
import { integrationStoreContract } from './integration-store.contract.js';

describe('IntegrationStore contract: DynamoDB (Local)', () => {
  integrationStoreContract(async () => {
    const table = await freshTable('integration-store');
    return new DynamoStateStore({ client: table.client, tableName: table.tableName });
  });
});
