import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoStateStore } from '../../shared/adapters/aws/dynamo-state-store.js';
import { keys } from '../../shared/adapters/aws/state-table.js';
import { integration } from '../contract/integration-store.contract.js';
import { freshTable, type TestTable } from '../support/dynamo.js';

/**
 * The integration items of the state table, against DynamoDB Local. What every IntegrationStore
 * must do is in test/contract/integration-store.contract.ts (run here by its .dynamo.test.ts).
 */
let table: TestTable;
let store: DynamoStateStore;

beforeAll(async () => {
  table = await freshTable('integration-store');
  store = new DynamoStateStore({ client: table.client, tableName: table.tableName });
}, 120_000);

describe('DynamoStateStore as IntegrationStore', () => {
  it('keeps an integration as one item on the by-type index (listed without a scan)', async () => {
    const i = integration({ service: { id: 's-1', name: 'Accommodation' } });
    expect(await store.recordIntegration(i, [])).toBe('created');
    const item = await table.client.send(
      new GetCommand({ TableName: table.tableName, Key: keys.integration(i.id) }),
    );
    expect(item.Item).toMatchObject({ type: 'Integration', gsi3pk: 'INTEGRATIONS', gsi3sk: i.id });
  });
});
