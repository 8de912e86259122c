/**
 * The state table: one DynamoDB table (single-table design) for accounts, connections,
 * configuration snapshots and the transactional outbox. Plain data only (no AWS SDK import),
 * shared by the DynamoDB adapters (dynamo-table.ts and the account, connection, outbox and
 * integration stores over it, composed in dynamo-state-store.ts), DynamoDB Local and the CDK
 * stack, so the table that is deployed and the one the code expects cannot drift apart.
 *
 * Items (all keys are strings):
 *
 * | item        | pk                   | sk                   | gsi1 (pending outbox)       | gsi2 (by subject)            | gsi3 (by type)         |
 * |-------------|----------------------|----------------------|-----------------------------|------------------------------|------------------------|
 * | account     | ACCOUNT#<accountId>  | ACCOUNT              |                             |                              | ACCOUNTS / <accountId> |
 * | membership  | ACCOUNT#<accountId>  | CONNECTION#<connId>  |                             | MEMBERS#<connId> / accountId |                        |
 * | connection  | CONNECTION#<connId>  | CONNECTION           |                             |                              | CONNECTIONS / <connId> |
 * | snapshot    | CONNECTION#<connId>  | SNAPSHOT#<digest>    |                             |                              |                        |
 * | event       | EVENT#<eventId>      | EVENT                | OUTBOX#PENDING / time#id    | SUBJECT#<subject> / time#id  |                        |
 * | integration | INTEGRATION#<intId>  | INTEGRATION          |                             |                              | INTEGRATIONS / <intId> |
 *
 * Access patterns:
 * - getAccountView: ONE Query on `ACCOUNT#<id>` returns the account item ("ACCOUNT" sorts
 *   before "CONNECTION#...") and every membership; it pages only for very large accounts.
 * - listAccounts / listConnections: a Query on the sparse gsi3 (`ACCOUNTS` / `CONNECTIONS`)
 *   instead of a Scan, so the cost is the number of accounts (connections), not the size of
 *   the table (snapshots and events would dominate a Scan). Both are single GSI partitions;
 *   fine for the expected tens of thousands of items; shard the key if that ever grows.
 * - Pending outbox: sparse gsi1, present only on unpublished events, sorted by
 *   `<ISO time>#<eventId>` (oldest first). Publishing REMOVEs the gsi1 keys, so the index
 *   only ever holds the backlog.
 * - Who lists a connection: memberships overload gsi2 with `MEMBERS#<connId>`, so a removal
 *   decision reads every account's membership of one connection in one query.
 * - Replay: gsi2 groups every event by its subject (connection or account id), oldest first.
 *   Published events expire `PUBLISHED_EVENT_TTL_DAYS` after publication (TTL on
 *   `expiresAt`); the EventBridge archive covers replay beyond that.
 *
 * Times in sort keys are ISO 8601 UTC strings as `Date.toISOString()` writes them, so the
 * lexical order is the time order. Items hold no tokens: a connection only stores where its
 * token lives (`secretRef`). Snapshots are gzip-compressed JSON in a Binary attribute.
 *
 * The stream (NEW_IMAGE) feeds the outbox relay: it needs only the inserted event items,
 * filterable on `pk` beginning with `EVENT_PREFIX` and eventName INSERT.
 */

export const PARTITION_KEY = 'pk' as const;
export const SORT_KEY = 'sk' as const;
/** TTL attribute (epoch seconds). Set on published outbox events. */
export const TTL_ATTRIBUTE = 'expiresAt' as const;
/** The relay reads inserted event items; it never needs the old image. */
export const STREAM_VIEW_TYPE = 'NEW_IMAGE' as const;
export const PUBLISHED_EVENT_TTL_DAYS = 30;

export interface GlobalIndexDefinition {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly projection: 'ALL';
}

/** Sparse: only unpublished outbox events carry these keys. */
export const PENDING_OUTBOX_INDEX = {
  indexName: 'gsi1-pending-outbox',
  partitionKey: 'gsi1pk',
  sortKey: 'gsi1sk',
  projection: 'ALL',
} as const satisfies GlobalIndexDefinition;

/** Every outbox event by subject, for replay. */
export const EVENTS_BY_SUBJECT_INDEX = {
  indexName: 'gsi2-events-by-subject',
  partitionKey: 'gsi2pk',
  sortKey: 'gsi2sk',
  projection: 'ALL',
} as const satisfies GlobalIndexDefinition;

/** Sparse: account and connection items, for listing without a Scan. */
export const BY_TYPE_INDEX = {
  indexName: 'gsi3-by-type',
  partitionKey: 'gsi3pk',
  sortKey: 'gsi3sk',
  projection: 'ALL',
} as const satisfies GlobalIndexDefinition;

export const GLOBAL_INDEXES: readonly GlobalIndexDefinition[] = [
  PENDING_OUTBOX_INDEX,
  EVENTS_BY_SUBJECT_INDEX,
  BY_TYPE_INDEX,
];

export const PENDING_OUTBOX_PARTITION = 'OUTBOX#PENDING';
export const ACCOUNTS_PARTITION = 'ACCOUNTS';
export const CONNECTIONS_PARTITION = 'CONNECTIONS';
export const INTEGRATIONS_PARTITION = 'INTEGRATIONS';

const ACCOUNT_PREFIX = 'ACCOUNT#';
const CONNECTION_PREFIX = 'CONNECTION#';
export const SNAPSHOT_PREFIX = 'SNAPSHOT#';
export const EVENT_PREFIX = 'EVENT#';
const SUBJECT_PREFIX = 'SUBJECT#';
const MEMBERS_PREFIX = 'MEMBERS#';
const INTEGRATION_PREFIX = 'INTEGRATION#';
/** Snapshots kept per connection: the current one and a few before it. */
export const SNAPSHOT_HISTORY = 5;

/** The `type` attribute every item carries (handy in the console and in stream filters). */
export const ITEM_TYPE = {
  account: 'Account',
  membership: 'Membership',
  connection: 'Connection',
  snapshot: 'Snapshot',
  event: 'Event',
  integration: 'Integration',
} as const;

/** Largest compressed snapshot kept in the table (the item limit is 400 KB). */
export const MAX_SNAPSHOT_BYTES = 350 * 1024;

/** Key builders. */
export const keys = {
  account: (accountId: string) => ({ pk: `${ACCOUNT_PREFIX}${accountId}`, sk: 'ACCOUNT' }),
  membership: (accountId: string, connectionId: string) => ({
    pk: `${ACCOUNT_PREFIX}${accountId}`,
    sk: `${CONNECTION_PREFIX}${connectionId}`,
  }),
  connection: (connectionId: string) => ({ pk: `${CONNECTION_PREFIX}${connectionId}`, sk: 'CONNECTION' }),
  snapshot: (connectionId: string, digest: string) => ({
    pk: `${CONNECTION_PREFIX}${connectionId}`,
    sk: `${SNAPSHOT_PREFIX}${digest}`,
  }),
  event: (eventId: string) => ({ pk: `${EVENT_PREFIX}${eventId}`, sk: 'EVENT' }),
  integration: (integrationId: string) => ({
    pk: `${INTEGRATION_PREFIX}${integrationId}`,
    sk: 'INTEGRATION',
  }),
  /** Sort key shared by gsi1 and gsi2: time order, ties broken by event id. */
  eventOrder: (time: string, eventId: string) => `${time}#${eventId}`,
  subject: (subject: string) => `${SUBJECT_PREFIX}${subject}`,
  /** gsi2 partition of a connection's memberships (the index is overloaded). */
  membersOf: (connectionId: string) => `${MEMBERS_PREFIX}${connectionId}`,
} as const;

/**
 * CreateTable input for DynamoDB Local and tests (structurally a `CreateTableCommandInput`).
 * The deployed table comes from the CDK stack, built from the same constants.
 */
export function createTableInput(tableName: string) {
  const keyNames = [PARTITION_KEY, SORT_KEY, ...GLOBAL_INDEXES.flatMap((i) => [i.partitionKey, i.sortKey])];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: keyNames.map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: PARTITION_KEY, KeyType: 'HASH' as const },
      { AttributeName: SORT_KEY, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: GLOBAL_INDEXES.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: index.projection },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: STREAM_VIEW_TYPE },
  };
}
