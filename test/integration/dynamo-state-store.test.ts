import { randomBytes } from 'node:crypto';
import { DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createDocumentClient,
  getDocumentClient,
  LOCAL_CREDENTIALS,
  resetDocumentClients,
} from '../../shared/adapters/aws/dynamo-client.js';
import { DynamoStateStore } from '../../shared/adapters/aws/dynamo-state-store.js';
import { keys, PENDING_OUTBOX_INDEX, TTL_ATTRIBUTE } from '../../shared/adapters/aws/state-table.js';
import { account, configuration, event, provisionInput, seeded } from '../contract/state-fixtures.js';
import { freshTable, type TestTable } from '../support/dynamo.js';

/**
 * What is particular to the DynamoDB adapter: how items are stored (compressed snapshots, the
 * outbox's TTL and sparse index) and how the client finds its endpoint. What every state store
 * must do is in the contract suites (test/contract/*-store.contract.ts), run against this
 * adapter by test/contract/*.dynamo.test.ts.
 */

let table: TestTable;
let store: DynamoStateStore;

beforeAll(async () => {
  table = await freshTable('state-store');
  store = new DynamoStateStore({ client: table.client, tableName: table.tableName });
}, 120_000);

describe('snapshots', () => {
  it('stores a large configuration gzip-compressed as Binary', async () => {
    const { acc, con } = await seeded(store, 1);
    const snapshot = {
      SpaceCategories: Array.from({ length: 4000 }, (_, i) => ({
        Id: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
        Names: { 'en-US': `Room category ${i}` },
        Ordering: i,
        IsActive: i % 3 !== 0,
      })),
    };
    const json = JSON.stringify(snapshot);
    expect(json.length).toBeGreaterThan(400 * 1024);
    await store.recordProvisioned(provisionInput(acc.id, con, [], { snapshot }));
    const raw = await table.client.send(
      new GetCommand({ TableName: table.tableName, Key: keys.snapshot(con, configuration.digest) }),
    );
    const data = raw.Item?.data;
    expect(data).toBeInstanceOf(Uint8Array);
    expect((data as Uint8Array).byteLength).toBeLessThan(json.length / 5);
  });

  it('names the limit when the compressed snapshot exceeds 350 KB, writing nothing', async () => {
    const { acc, con } = await seeded(store, 1);
    const snapshot = { noise: randomBytes(400 * 1024).toString('base64') };
    const e = event(con, '2025-01-02T00:00:01.000Z');
    await expect(store.recordProvisioned(provisionInput(acc.id, con, [e], { snapshot }))).rejects.toThrow(
      /gzip-compressed; the state table keeps at most 358400/,
    );
    expect((await store.getConnection(con))?.status).toBe('discovered');
    expect(await store.listEventsFor(con)).toEqual([]);
  });
});

describe('outbox items', () => {
  it('a published event leaves the pending index, keeps its first publication time and expires after 30 days', async () => {
    const own = await freshTable('outbox');
    const outbox = new DynamoStateStore({ client: own.client, tableName: own.tableName });
    const e = event('con_ttl', '2025-01-01T00:00:01.000Z');
    await outbox.appendEvents([e]);
    await outbox.markEventsPublished([e.eventId, 'evt_unknown'], '2025-01-01T00:01:00.000Z');
    await outbox.markEventsPublished([e.eventId], '2025-01-09T00:00:00.000Z');
    const raw = await own.client.send(
      new GetCommand({ TableName: own.tableName, Key: keys.event(e.eventId) }),
    );
    expect(raw.Item?.publishedAt).toBe('2025-01-01T00:01:00.000Z');
    expect(raw.Item?.[TTL_ATTRIBUTE]).toBe(Date.parse('2025-01-01T00:01:00.000Z') / 1000 + 30 * 86_400);
    expect(raw.Item?.[PENDING_OUTBOX_INDEX.partitionKey]).toBeUndefined();
    expect(
      await own.client.send(new GetCommand({ TableName: own.tableName, Key: keys.event('evt_unknown') })),
    ).not.toHaveProperty('Item');
  });
});

describe('client endpoint from the environment (the SDK way)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    resetDocumentClients();
  });

  function clearAwsEnv() {
    for (const name of [
      'AWS_ENDPOINT_URL',
      'AWS_ENDPOINT_URL_DYNAMODB',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'AWS_PROFILE',
      'AWS_REGION',
      'AWS_DEFAULT_REGION',
    ]) {
      vi.stubEnv(name, undefined);
    }
  }

  it('AWS_ENDPOINT_URL_DYNAMODB points the pinned SDK at DynamoDB Local (fake credentials, no region set)', async () => {
    clearAwsEnv();
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', table.endpoint);
    const client = getDocumentClient();
    expect(getDocumentClient()).toBe(client);
    // local endpoint: fixed fake credentials, so no provider chain (SSO, IMDS...) is consulted
    expect(await client.config.credentials()).toMatchObject(LOCAL_CREDENTIALS);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table.tableName }));
    expect(Table?.TableName).toBe(table.tableName);
    const viaEnv = new DynamoStateStore({ client, tableName: table.tableName });
    const acc = account();
    await viaEnv.addAccount(acc);
    expect(await store.getAccount(acc.id)).toEqual(acc);
  });

  it('AWS_ENDPOINT_URL works too, and the service-specific variable wins over it', async () => {
    clearAwsEnv();
    vi.stubEnv('AWS_ENDPOINT_URL', table.endpoint);
    const { Table } = await createDocumentClient().send(
      new DescribeTableCommand({ TableName: table.tableName }),
    );
    expect(Table?.TableName).toBe(table.tableName);

    // service-specific variable pointing at a closed port: the request must go there and fail
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', 'http://127.0.0.1:9');
    const wrong = createDocumentClient({ clientConfig: { maxAttempts: 1 } });
    await expect(wrong.send(new ListTablesCommand({}))).rejects.toThrow(/ECONNREFUSED|connect/i);
  });

  it('an explicit endpoint overrides the environment', async () => {
    clearAwsEnv();
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', 'http://127.0.0.1:9');
    // DescribeTable, not ListTables: the run's emulator holds more tables than one page lists.
    const { Table } = await getDocumentClient({ endpoint: table.endpoint }).send(
      new DescribeTableCommand({ TableName: table.tableName }),
    );
    expect(Table?.TableName).toBe(table.tableName);
  });
});
