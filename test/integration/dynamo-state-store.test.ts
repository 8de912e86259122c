import { randomBytes, randomUUID } from 'node:crypto';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createDocumentClient,
  getDocumentClient,
  LOCAL_CREDENTIALS,
  resetDocumentClients,
} from '../../shared/adapters/aws/dynamo-client.js';
import {
  ConnectionNotDiscoveredError,
  DuplicateEventError,
  DynamoStateStore,
  SnapshotTooLargeError,
} from '../../shared/adapters/aws/dynamo-state-store.js';
import { keys, PENDING_OUTBOX_INDEX, TTL_ATTRIBUTE } from '../../shared/adapters/aws/state-table.js';
import type {
  Account,
  AccountId,
  ConfigurationState,
  ConnectionId,
  Discovery,
  OutboxEvent,
} from '../../shared/domain/model.js';
import type { ProvisionInput } from '../../shared/ports/state-store.js';
import { freshTable, type TestTable } from '../support/dynamo.js';

const uid = () => randomUUID().replaceAll('-', '').slice(0, 12);
const accountId = (): AccountId => `acc_${uid()}`;
const connectionId = (): ConnectionId => `con_${uid()}`;

function account(overrides: Partial<Account> = {}): Account {
  const id = overrides.id ?? accountId();
  return {
    id,
    email: `${id}@hotel.example`,
    label: 'Front desk',
    createdAt: '2025-01-01T00:00:00.000Z',
    access: { status: 'ok' },
    accessVersion: 0,
    hold: null,
    ...overrides,
  };
}

function discovery(id: ConnectionId = connectionId(), n = 1): Discovery {
  return {
    connectionId: id,
    propertyId: `prop-${n}`,
    propertyName: `Hotel ${n}`,
    connectionName: n % 2 ? `Channel ${n}` : null,
    secretRef: `arn:aws:secretsmanager:eu-west-1:123456789012:secret:mews/${id}`,
  };
}

function event(subject: string, time: string, overrides: Partial<OutboxEvent> = {}): OutboxEvent {
  return {
    eventId: `evt_${uid()}`,
    detailType: 'Connection Provisioned',
    subject,
    time,
    detail: { schemaVersion: 1, subject, nested: { list: [1, 'two', null, { three: true }] }, z: 1, a: 2 },
    ...overrides,
  };
}

const configuration: ConfigurationState = {
  digest: 'sha256-abc',
  summary: {
    spaceCategories: 3,
    synchronizedSpaceCategories: 2,
    ratePlans: 4,
    synchronizedRatePlans: 4,
    inventoryMappings: 5,
    products: 1,
    ageCategories: 2,
    companies: 0,
    travelAgencies: 0,
  },
  fetchedAt: '2025-01-02T00:00:00.000Z',
};

function provisionInput(acc: AccountId, con: ConnectionId, events: OutboxEvent[], snapshot: unknown = {}) {
  return {
    connectionId: con,
    accountId: acc,
    secretRef: `arn:aws:secretsmanager:eu-west-1:123456789012:secret:mews/${con}`,
    configuration,
    snapshot,
    at: '2025-01-02T00:00:01.000Z',
    events,
  } satisfies ProvisionInput;
}

let table: TestTable;
let store: DynamoStateStore;

beforeAll(async () => {
  table = await freshTable('state-store');
  store = new DynamoStateStore({ client: table.client, tableName: table.tableName });
}, 120_000);

/** An account with `count` discovered connections. */
async function seeded(count = 1) {
  const acc = account();
  await store.addAccount(acc);
  const discoveries = Array.from({ length: count }, (_, i) => discovery(connectionId(), i + 1));
  await store.recordDiscoveries(acc.id, discoveries, '2025-01-01T10:00:00.000Z');
  return { acc, discoveries, con: (discoveries[0] as Discovery).connectionId };
}

describe('accounts', () => {
  it('adds an account once; a second add reports exists and changes nothing', async () => {
    const acc = account();
    expect(await store.addAccount(acc)).toBe('created');
    expect(await store.addAccount({ ...acc, label: 'changed' })).toBe('exists');
    expect(await store.getAccount(acc.id)).toEqual(acc);
    expect(await store.getAccount(accountId())).toBeUndefined();
  });

  it('lists accounts (and only accounts)', async () => {
    const a = account();
    const b = account({
      label: null,
      access: { status: 'failing', code: 401, reason: 'denied', since: 'x' },
    });
    await store.addAccount(a);
    await store.addAccount(b);
    await store.recordDiscoveries(a.id, [discovery()], '2025-01-01T00:00:00.000Z');
    const listed = await store.listAccounts();
    expect(listed).toEqual(expect.arrayContaining([a, b]));
    expect(listed.every((x) => x.id.startsWith('acc_'))).toBe(true);
  });

  it('returns the account view (account and memberships) in one query', async () => {
    const { acc, discoveries } = await seeded(3);
    const view = await store.getAccountView(acc.id);
    expect(view?.account).toEqual(acc);
    expect(view?.memberships.map((m) => m.connectionId).sort()).toEqual(
      discoveries.map((d) => d.connectionId).sort(),
    );
    expect(view?.memberships[0]).toMatchObject({ accountId: acc.id, status: 'pending', missingPolls: 0 });
    expect(await store.getAccountView(accountId())).toBeUndefined();
  });

  it('removes an account with its memberships, keeping the connections', async () => {
    const { acc, con } = await seeded(2);
    expect(await store.removeAccount(acc.id)).toBe(true);
    expect(await store.removeAccount(acc.id)).toBe(false);
    expect(await store.getAccount(acc.id)).toBeUndefined();
    expect(await store.getAccountView(acc.id)).toBeUndefined();
    expect(await store.getMembership(acc.id, con)).toBeUndefined();
    expect(await store.getConnection(con)).toBeDefined();
  });
});

describe('changeAccountAccess', () => {
  const failing = {
    status: 'failing',
    code: 401,
    reason: 'AccessToken invalid',
    since: '2025-01-03T00:00:00.000Z',
  };

  it('moves the access and bumps the version, with its event in the same transaction', async () => {
    const acc = account();
    await store.addAccount(acc);
    const e = event(acc.id, '2025-01-03T00:00:00.000Z', { detailType: 'Account Access Failed' });
    expect(await store.changeAccountAccess(acc.id, failing as Account['access'], 0, [e])).toBe(true);
    expect(await store.getAccount(acc.id)).toMatchObject({ access: failing, accessVersion: 1 });
    expect(await store.listEventsFor(acc.id)).toEqual([e]);
  });

  it('a stale version (or a replay) returns false and writes no event', async () => {
    const acc = account();
    await store.addAccount(acc);
    const first = event(acc.id, '2025-01-03T00:00:00.000Z');
    expect(await store.changeAccountAccess(acc.id, failing as Account['access'], 0, [first])).toBe(true);
    // replay of the very same change
    expect(await store.changeAccountAccess(acc.id, failing as Account['access'], 0, [first])).toBe(false);
    // another writer's stale view
    const stale = event(acc.id, '2025-01-03T00:00:01.000Z');
    expect(await store.changeAccountAccess(acc.id, { status: 'ok' }, 0, [stale])).toBe(false);
    expect(await store.getAccount(acc.id)).toMatchObject({ access: failing, accessVersion: 1 });
    expect((await store.listEventsFor(acc.id)).map((e) => e.eventId)).toEqual([first.eventId]);
    expect(await store.changeAccountAccess(accountId(), { status: 'ok' }, 0, [])).toBe(false);
  });

  it('is atomic: an event id already in the outbox cancels the state change too', async () => {
    const acc = account();
    await store.addAccount(acc);
    const existing = event('elsewhere', '2025-01-01T00:00:00.000Z');
    expect(await store.appendEvents([existing])).toBe(1);
    const fresh = event(acc.id, '2025-01-03T00:00:00.000Z');
    await expect(
      store.changeAccountAccess(acc.id, failing as Account['access'], 0, [
        fresh,
        { ...existing, subject: acc.id },
      ]),
    ).rejects.toThrow(DuplicateEventError);
    expect(await store.getAccount(acc.id)).toEqual(acc);
    expect(await store.listEventsFor(acc.id)).toEqual([]);
  });
});

describe('discoveries and memberships', () => {
  it('records a pending membership and the discovered connection', async () => {
    const { acc, discoveries, con } = await seeded(1);
    const d = discoveries[0] as Discovery;
    expect(await store.getMembership(acc.id, con)).toEqual({
      accountId: acc.id,
      connectionId: con,
      status: 'pending',
      propertyId: d.propertyId,
      propertyName: d.propertyName,
      connectionName: d.connectionName,
      firstSeenAt: '2025-01-01T10:00:00.000Z',
      missingPolls: 0,
    });
    expect(await store.getConnection(con)).toEqual({
      id: con,
      status: 'discovered',
      propertyId: d.propertyId,
      propertyName: d.propertyName,
      name: d.connectionName,
      discoveredBy: acc.id,
      discoveredAt: '2025-01-01T10:00:00.000Z',
      provisionedAt: null,
      changedAt: null,
      secretRef: d.secretRef,
      configuration: null,
    });
    expect(await store.getMembership(acc.id, connectionId())).toBeUndefined();
    expect(await store.getConnection(connectionId())).toBeUndefined();
  });

  it('is idempotent: a replay changes neither memberships nor connections', async () => {
    const { acc, discoveries, con } = await seeded(2);
    await store.markMembershipSynced(acc.id, con);
    await store.updateMissingPolls(acc.id, [{ connectionId: con, missingPolls: 1 }]);
    const before = await store.getAccountView(acc.id);
    await store.recordDiscoveries(acc.id, discoveries, '2025-02-01T00:00:00.000Z');
    expect(await store.getAccountView(acc.id)).toEqual(before);
    expect((await store.getConnection(con))?.discoveredAt).toBe('2025-01-01T10:00:00.000Z');
  });

  it("a second account's discovery adds its membership but keeps the connection as first found", async () => {
    const { acc, discoveries, con } = await seeded(1);
    const other = account();
    await store.addAccount(other);
    await store.recordDiscoveries(other.id, discoveries, '2025-03-01T00:00:00.000Z');
    expect((await store.getMembership(other.id, con))?.firstSeenAt).toBe('2025-03-01T00:00:00.000Z');
    expect((await store.getConnection(con))?.discoveredBy).toBe(acc.id);
  });

  it('updates missing polls, skipping memberships that do not exist', async () => {
    const { acc, discoveries } = await seeded(2);
    const [a, b] = discoveries.map((d) => d.connectionId) as [ConnectionId, ConnectionId];
    const ghost = connectionId();
    await store.updateMissingPolls(acc.id, [
      { connectionId: a, missingPolls: 2 },
      { connectionId: b, missingPolls: 0 },
      { connectionId: ghost, missingPolls: 1 },
    ]);
    expect((await store.getMembership(acc.id, a))?.missingPolls).toBe(2);
    expect((await store.getMembership(acc.id, b))?.missingPolls).toBe(0);
    expect(await store.getMembership(acc.id, ghost)).toBeUndefined();
  });

  it('records 1,234 discoveries in chunked transactions, and again idempotently', async () => {
    const own = await freshTable('discoveries');
    const bulk = new DynamoStateStore({ client: own.client, tableName: own.tableName });
    const acc = account();
    await bulk.addAccount(acc);
    const discoveries = Array.from({ length: 1234 }, (_, i) => discovery(connectionId(), i));
    // a first, partial run (as if the poll crashed), then the full one
    await bulk.recordDiscoveries(acc.id, discoveries.slice(0, 600), '2025-01-01T00:00:00.000Z');
    await bulk.recordDiscoveries(acc.id, discoveries, '2025-01-01T00:00:05.000Z');
    const view = await bulk.getAccountView(acc.id);
    expect(view?.memberships).toHaveLength(1234);
    expect(new Set(view?.memberships.map((m) => m.firstSeenAt))).toEqual(
      new Set(['2025-01-01T00:00:00.000Z', '2025-01-01T00:00:05.000Z']),
    );
    const connections = await bulk.listConnections();
    expect(connections).toHaveLength(1234);
    expect(connections.every((c) => c.status === 'discovered' && c.discoveredBy === acc.id)).toBe(true);
  }, 180_000);
});

describe('recordProvisioned', () => {
  it('provisions the connection, stores the snapshot, syncs the membership and queues the event', async () => {
    const { acc, con } = await seeded(1);
    const e = event(con, '2025-01-02T00:00:01.000Z');
    const snapshot = { SpaceCategories: [{ Id: 'a', Names: { 'en-US': 'Double' } }], RatePlans: [] };
    expect(await store.recordProvisioned(provisionInput(acc.id, con, [e], snapshot))).toBe('provisioned');
    expect(await store.getConnection(con)).toMatchObject({
      status: 'provisioned',
      provisionedAt: '2025-01-02T00:00:01.000Z',
      secretRef: `arn:aws:secretsmanager:eu-west-1:123456789012:secret:mews/${con}`,
      configuration,
    });
    expect((await store.getMembership(acc.id, con))?.status).toBe('synced');
    expect(await store.getSnapshot(con, configuration.digest)).toEqual(snapshot);
    expect(await store.getSnapshot(con, 'other-digest')).toBeUndefined();
    expect(await store.listEventsFor(con)).toEqual([e]);
  });

  it('a second time returns already-provisioned and writes no second event', async () => {
    const { acc, con } = await seeded(1);
    const e = event(con, '2025-01-02T00:00:01.000Z');
    expect(await store.recordProvisioned(provisionInput(acc.id, con, [e]))).toBe('provisioned');
    // the same message replayed, and a later sync with a new event id
    expect(await store.recordProvisioned(provisionInput(acc.id, con, [e]))).toBe('already-provisioned');
    const later = event(con, '2025-01-02T00:09:00.000Z');
    expect(await store.recordProvisioned(provisionInput(acc.id, con, [later]))).toBe('already-provisioned');
    expect(await store.listEventsFor(con)).toEqual([e]);
  });

  it("for a second account only syncs that account's membership", async () => {
    const { acc, discoveries, con } = await seeded(1);
    const other = account();
    await store.addAccount(other);
    await store.recordDiscoveries(other.id, discoveries, '2025-01-05T00:00:00.000Z');
    await store.recordProvisioned(provisionInput(acc.id, con, [event(con, '2025-01-02T00:00:01.000Z')]));
    expect((await store.getMembership(other.id, con))?.status).toBe('pending');
    const replay = provisionInput(other.id, con, [event(con, '2025-01-06T00:00:00.000Z')]);
    expect(await store.recordProvisioned(replay)).toBe('already-provisioned');
    expect((await store.getMembership(other.id, con))?.status).toBe('synced');
    expect(await store.listEventsFor(con)).toHaveLength(1);
  });

  it('two concurrent syncs provision once', async () => {
    const { acc, con } = await seeded(1);
    const results = await Promise.all(
      [1, 2, 3].map((n) =>
        store.recordProvisioned(provisionInput(acc.id, con, [event(con, `2025-01-02T00:00:0${n}.000Z`)])),
      ),
    );
    expect(results.filter((r) => r === 'provisioned')).toHaveLength(1);
    expect(await store.listEventsFor(con)).toHaveLength(1);
  });

  it('is atomic: a duplicate event id leaves connection, snapshot and membership untouched', async () => {
    const { acc, con } = await seeded(1);
    const existing = event('elsewhere', '2025-01-01T00:00:00.000Z');
    await store.appendEvents([existing]);
    const input = provisionInput(acc.id, con, [{ ...existing, subject: con }], { big: 'snapshot' });
    await expect(store.recordProvisioned(input)).rejects.toThrow(DuplicateEventError);
    expect((await store.getConnection(con))?.status).toBe('discovered');
    expect((await store.getMembership(acc.id, con))?.status).toBe('pending');
    expect(await store.getSnapshot(con, configuration.digest)).toBeUndefined();
    expect(await store.listEventsFor(con)).toEqual([]);
  });

  it('refuses a connection that was never discovered', async () => {
    const con = connectionId();
    await expect(store.recordProvisioned(provisionInput(accountId(), con, []))).rejects.toThrow(
      ConnectionNotDiscoveredError,
    );
    expect(await store.getConnection(con)).toBeUndefined();
  });

  it('still provisions when the membership vanished (account removed meanwhile), without recreating it', async () => {
    const { acc, con } = await seeded(1);
    await store.removeAccount(acc.id);
    const e = event(con, '2025-01-02T00:00:01.000Z');
    expect(await store.recordProvisioned(provisionInput(acc.id, con, [e]))).toBe('provisioned');
    expect(await store.getMembership(acc.id, con)).toBeUndefined();
    expect(await store.listEventsFor(con)).toEqual([e]);
    await store.markMembershipSynced(acc.id, con);
    expect(await store.getMembership(acc.id, con)).toBeUndefined();
  });
});

describe('snapshots', () => {
  it('round-trips a large configuration, gzip-compressed as Binary', async () => {
    const { acc, con } = await seeded(1);
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
    await store.recordProvisioned(provisionInput(acc.id, con, [], snapshot));
    expect(await store.getSnapshot(con, configuration.digest)).toEqual(snapshot);
    const raw = await table.client.send(
      new GetCommand({ TableName: table.tableName, Key: keys.snapshot(con, configuration.digest) }),
    );
    const data = raw.Item?.data;
    expect(data).toBeInstanceOf(Uint8Array);
    expect((data as Uint8Array).byteLength).toBeLessThan(json.length / 5);
  });

  it('throws a clear error when the compressed snapshot exceeds 350 KB, writing nothing', async () => {
    const { acc, con } = await seeded(1);
    const snapshot = { noise: randomBytes(400 * 1024).toString('base64') };
    const e = event(con, '2025-01-02T00:00:01.000Z');
    await expect(store.recordProvisioned(provisionInput(acc.id, con, [e], snapshot))).rejects.toThrow(
      SnapshotTooLargeError,
    );
    await expect(store.recordProvisioned(provisionInput(acc.id, con, [e], snapshot))).rejects.toThrow(
      /gzip-compressed; the state table keeps at most 358400/,
    );
    expect((await store.getConnection(con))?.status).toBe('discovered');
    expect(await store.listEventsFor(con)).toEqual([]);
  });
});

describe('outbox', () => {
  let outbox: DynamoStateStore;
  let own: TestTable;
  beforeAll(async () => {
    own = await freshTable('outbox');
    outbox = new DynamoStateStore({ client: own.client, tableName: own.tableName });
  }, 120_000);

  it('appends events once, lists pending oldest first, and takes published ones off the list', async () => {
    const con = connectionId();
    const late = event(con, '2025-01-01T00:00:03.000Z');
    const early = event(con, '2025-01-01T00:00:01.000Z');
    const middle = event('acc_other', '2025-01-01T00:00:02.000Z', { detailType: 'Account Access Failed' });
    expect(await outbox.appendEvents([late, early])).toBe(2);
    expect(await outbox.appendEvents([middle, early])).toBe(1);

    expect(await outbox.listPendingEvents(10)).toEqual([early, middle, late]);
    expect(await outbox.listPendingEvents(2)).toEqual([early, middle]);
    expect(await outbox.listPendingEvents(0)).toEqual([]);

    await outbox.markEventsPublished(
      [early.eventId, late.eventId, 'evt_unknown'],
      '2025-01-01T00:01:00.000Z',
    );
    expect(await outbox.listPendingEvents(10)).toEqual([middle]);
    // a repeat changes nothing (publishedAt stays the first one)
    await outbox.markEventsPublished([early.eventId], '2025-01-09T00:00:00.000Z');
    const raw = await own.client.send(
      new GetCommand({ TableName: own.tableName, Key: keys.event(early.eventId) }),
    );
    expect(raw.Item?.publishedAt).toBe('2025-01-01T00:01:00.000Z');
    expect(raw.Item?.[TTL_ATTRIBUTE]).toBe(Date.parse('2025-01-01T00:01:00.000Z') / 1000 + 30 * 86_400);
    expect(raw.Item?.[PENDING_OUTBOX_INDEX.partitionKey]).toBeUndefined();
    expect(
      await own.client.send(new GetCommand({ TableName: own.tableName, Key: keys.event('evt_unknown') })),
    ).not.toHaveProperty('Item');

    // replay by subject includes published events, oldest first
    expect(await outbox.listEventsFor(con)).toEqual([early, late]);
    expect(await outbox.listEventsFor('acc_other')).toEqual([middle]);
    expect(await outbox.listEventsFor('nobody')).toEqual([]);
  });

  it('keeps time order across many events', async () => {
    const manyTable = await freshTable('outbox-many');
    const many = new DynamoStateStore({ client: manyTable.client, tableName: manyTable.tableName });
    const events = Array.from({ length: 120 }, (_, i) =>
      event('con_many', new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString()),
    );
    expect(await many.appendEvents([...events].reverse())).toBe(120);
    expect((await many.listPendingEvents(1000)).map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
    await many.markEventsPublished(
      events.slice(0, 100).map((e) => e.eventId),
      '2025-02-01T00:00:00.000Z',
    );
    expect(await many.listPendingEvents(1000)).toEqual(events.slice(100));
    expect(await many.listEventsFor('con_many')).toEqual(events);
  }, 120_000);

  it('rejects more events than one transaction can hold', async () => {
    const acc = account();
    await outbox.addAccount(acc);
    const many = Array.from({ length: 100 }, (_, i) =>
      event(acc.id, `2025-01-01T00:00:00.${String(i).padStart(3, '0')}Z`),
    );
    await expect(outbox.changeAccountAccess(acc.id, { status: 'ok' }, 0, many)).rejects.toThrow(RangeError);
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
    const { TableNames } = await client.send(new ListTablesCommand({}));
    expect(TableNames).toContain(table.tableName);
    const viaEnv = new DynamoStateStore({ client, tableName: table.tableName });
    const acc = account();
    await viaEnv.addAccount(acc);
    expect(await store.getAccount(acc.id)).toEqual(acc);
  });

  it('AWS_ENDPOINT_URL works too, and the service-specific variable wins over it', async () => {
    clearAwsEnv();
    vi.stubEnv('AWS_ENDPOINT_URL', table.endpoint);
    const { TableNames } = await createDocumentClient().send(new ListTablesCommand({}));
    expect(TableNames).toContain(table.tableName);

    // service-specific variable pointing at a closed port: the request must go there and fail
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', 'http://127.0.0.1:9');
    const wrong = createDocumentClient({ clientConfig: { maxAttempts: 1 } });
    await expect(wrong.send(new ListTablesCommand({}))).rejects.toThrow(/ECONNREFUSED|connect/i);
  });

  it('an explicit endpoint overrides the environment', async () => {
    clearAwsEnv();
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', 'http://127.0.0.1:9');
    const { TableNames } = await getDocumentClient({ endpoint: table.endpoint }).send(
      new ListTablesCommand({}),
    );
    expect(TableNames).toContain(table.tableName);
  });
});
