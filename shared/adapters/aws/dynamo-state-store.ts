import { gunzipSync, gzipSync } from 'node:zlib';
import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { REMOVAL_CONFIRMATIONS } from '../../domain/lifecycle/connection-lifecycle.js';
import type {
  Account,
  AccountAccess,
  AccountHold,
  AccountId,
  Connection,
  ConnectionId,
  Discovery,
  Integration,
  IntegrationId,
  Membership,
  OutboxEvent,
} from '../../domain/model.js';
import { mapLimit } from '../../lib/map-limit.js';
import { RetryPolicy } from '../../lib/retry-policy.js';
import type { IntegrationStore, IntegrationUpdate } from '../../ports/integration-store.js';
import type {
  AccountView,
  ConnectionRemoval,
  ConnectionUpdate,
  ProvisionInput,
  StateStore,
} from '../../ports/state-store.js';
import {
  ConnectionNotDiscoveredError,
  DuplicateEventError,
  MAX_TRANSACTION_ITEMS,
  SnapshotTooLargeError,
} from '../../ports/store-errors.js';
import {
  accountFromItem,
  accountToItem,
  connectionFromItem,
  eventToItem,
  type Item,
  integrationFromItem,
  integrationToItem,
  membershipFromItem,
  newConnectionItem,
  newMembershipItem,
  outboxEventFromItem,
} from './state-items.js';
import {
  ACCOUNTS_PARTITION,
  BY_TYPE_INDEX,
  CONNECTIONS_PARTITION,
  EVENTS_BY_SUBJECT_INDEX,
  INTEGRATIONS_PARTITION,
  ITEM_TYPE,
  keys,
  MAX_SNAPSHOT_BYTES,
  PENDING_OUTBOX_INDEX,
  PENDING_OUTBOX_PARTITION,
  PUBLISHED_EVENT_TTL_DAYS,
  SNAPSHOT_HISTORY,
  SNAPSHOT_PREFIX,
  TTL_ATTRIBUTE,
} from './state-table.js';

export interface DynamoStateStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** How long a published event stays readable for replay (TTL). Default 30 days. */
  publishedEventTtlDays?: number;
  /** Parallel single-item writes (missing polls, publication marks, appended events). Default 10. */
  writeConcurrency?: number;
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
interface CancellationReason {
  Code?: string;
  Message?: string;
}
type TransactResult = { ok: true } | { ok: false; reasons: CancellationReason[]; error: Error };

const RETRYABLE_CANCELLATION_CODES = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
  'RequestLimitExceeded',
]);
/** A transaction cancelled only by conflicts or throttling: 5 attempts, full jitter from 50 ms. */
const TRANSACTION_RETRY = new RetryPolicy({ attempts: 5, baseMs: 50, capMs: 400 });
/** BatchWriteItem's unprocessed deletes: 8 attempts, full jitter from 200 ms. */
const BATCH_DELETE_RETRY = new RetryPolicy({ attempts: 8, baseMs: 200, capMs: 12_800 });
/** Two items per discovery (membership and connection) must share a transaction. */
const DISCOVERIES_PER_TRANSACTION = MAX_TRANSACTION_ITEMS / 2;
const DISCOVERY_CHUNK_CONCURRENCY = 4;
const BATCH_WRITE_SIZE = 25;

const NOT_EXISTS = 'attribute_not_exists(pk)';
const EXISTS = 'attribute_exists(pk)';

function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

function uniqueEventIds(events: OutboxEvent[]): void {
  const seen = new Set<string>();
  for (const event of events) {
    if (seen.has(event.eventId)) throw new Error(`event ${event.eventId} appears twice in one write`);
    seen.add(event.eventId);
  }
}

/** An UpdateItem that writes `item`'s attributes only where they are absent: creates, never changes. */
function insertOnly(tableName: string, item: Item): NonNullable<TransactItem['Update']> {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  let i = 0;
  for (const [name, value] of Object.entries(item)) {
    if (name === 'pk' || name === 'sk' || value === undefined) continue;
    names[`#a${i}`] = name;
    values[`:a${i}`] = value;
    sets.push(`#a${i} = if_not_exists(#a${i}, :a${i})`);
    i++;
  }
  return {
    TableName: tableName,
    Key: { pk: item.pk, sk: item.sk },
    UpdateExpression: `SET ${sets.join(', ')}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** Adds `accountId` to the connection's `members` set beside an insert-only update. */
function withMember(update: NonNullable<TransactItem['Update']>, accountId: AccountId) {
  return {
    ...update,
    UpdateExpression: `${update.UpdateExpression} ADD #members :member`,
    ExpressionAttributeNames: { ...update.ExpressionAttributeNames, '#members': 'members' },
    ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':member': new Set([accountId]) },
  };
}

/** `version = expected` (items written before versions existed count as version 0); sets `:next`. */
function versionCondition(expected: number) {
  return {
    expression:
      expected === 0
        ? '(attribute_not_exists(#version) OR #version = :expectedVersion)'
        : '#version = :expectedVersion',
    values: { ':expectedVersion': expected, ':next': expected + 1 },
  };
}

/**
 * The `StateStore` on one DynamoDB table (layout: state-table.ts). State changes and their
 * outbox events share one TransactWriteItems; every event Put is conditioned on the event not
 * existing, and a replayed transaction (cancelled because it already happened) returns the
 * idempotent outcome instead of failing.
 */
export class DynamoStateStore implements StateStore, IntegrationStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #ttlSeconds: number;
  readonly #concurrency: number;

  constructor(options: DynamoStateStoreOptions) {
    this.#client = options.client;
    this.#table = options.tableName;
    this.#ttlSeconds = (options.publishedEventTtlDays ?? PUBLISHED_EVENT_TTL_DAYS) * 86_400;
    this.#concurrency = options.writeConcurrency ?? 10;
  }

  // ---- accounts ----

  async addAccount(account: Account): Promise<'created' | 'exists'> {
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#table,
          Item: accountToItem(account),
          ConditionExpression: NOT_EXISTS,
        }),
      );
      return 'created';
    } catch (error) {
      if (isConditionalCheckFailed(error)) return 'exists';
      throw error;
    }
  }

  /** Deletes the account and its memberships (connections stay: other accounts may list them). */
  async removeAccount(id: AccountId): Promise<boolean> {
    // Memberships first: if this stops halfway, the account is still there and a retry finishes.
    // Each goes with the account's place in its connection's `members`, in one transaction.
    const memberships = (await this.#queryAll({
      TableName: this.#table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': keys.account(id).pk, ':sk': keys.membership(id, '').sk },
      ProjectionExpression: 'connectionId',
      ConsistentRead: true,
    })) as { connectionId: ConnectionId }[];
    const pairs = MAX_TRANSACTION_ITEMS / 2;
    const chunks: ConnectionId[][] = [];
    for (let i = 0; i < memberships.length; i += pairs) {
      chunks.push(memberships.slice(i, i + pairs).map((m) => m.connectionId));
    }
    await mapLimit(chunks, DISCOVERY_CHUNK_CONCURRENCY, async (chunk) => {
      const result = await this.#transact(
        chunk.flatMap((connectionId) => [
          { Delete: { TableName: this.#table, Key: keys.membership(id, connectionId) } },
          { Update: this.#membersChange('DELETE', id, connectionId) },
        ]),
      );
      if (!result.ok) throw result.error;
    });
    try {
      await this.#client.send(
        new DeleteCommand({
          TableName: this.#table,
          Key: keys.account(id),
          ConditionExpression: EXISTS,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async getAccount(id: AccountId): Promise<Account | undefined> {
    const item = await this.#get(keys.account(id));
    return item ? accountFromItem(item) : undefined;
  }

  async listAccounts(): Promise<Account[]> {
    return (await this.#queryByType(ACCOUNTS_PARTITION)).map(accountFromItem);
  }

  async getAccountView(id: AccountId): Promise<AccountView | undefined> {
    const items = await this.#queryAll({
      TableName: this.#table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.account(id).pk },
      ConsistentRead: true,
    });
    let account: Account | undefined;
    const memberships: Membership[] = [];
    for (const item of items) {
      if (item.type === ITEM_TYPE.account) account = accountFromItem(item);
      else if (item.type === ITEM_TYPE.membership) memberships.push(membershipFromItem(item));
    }
    return account ? { account, memberships } : undefined;
  }

  async changeAccountAccess(
    id: AccountId,
    access: AccountAccess,
    expectedVersion: number,
    events: OutboxEvent[],
  ): Promise<boolean> {
    this.#checkEvents(events, 1);
    const result = await this.#transact([
      {
        Update: {
          TableName: this.#table,
          Key: keys.account(id),
          UpdateExpression: 'SET #access = :access, accessVersion = :next',
          ConditionExpression: `${EXISTS} AND accessVersion = :expected`,
          ExpressionAttributeNames: { '#access': 'access' },
          ExpressionAttributeValues: {
            ':access': access,
            ':next': expectedVersion + 1,
            ':expected': expectedVersion,
          },
        },
      },
      ...this.#eventPuts(events),
    ]);
    if (result.ok) return true;
    // The version moved on (another writer, or this very change replayed): nothing written.
    if (result.reasons[0]?.Code === 'ConditionalCheckFailed') return false;
    throw this.#cancellationError(result, events, 1);
  }

  async placeAccountHold(id: AccountId, hold: AccountHold, events: OutboxEvent[]): Promise<boolean> {
    this.#checkEvents(events, 1);
    const result = await this.#transact([
      {
        Update: {
          TableName: this.#table,
          Key: keys.account(id),
          UpdateExpression: 'SET #hold = :hold',
          ConditionExpression: `${EXISTS} AND (attribute_not_exists(#hold) OR #hold = :null)`,
          ExpressionAttributeNames: { '#hold': 'hold' },
          ExpressionAttributeValues: { ':hold': hold, ':null': null },
        },
      },
      ...this.#eventPuts(events),
    ]);
    if (result.ok) return true;
    if (result.reasons[0]?.Code === 'ConditionalCheckFailed') return false;
    throw this.#cancellationError(result, events, 1);
  }

  releaseAccountHold(id: AccountId): Promise<boolean> {
    return this.#updateIfExists({
      TableName: this.#table,
      Key: keys.account(id),
      UpdateExpression: 'SET #hold.released = :true',
      ConditionExpression: `${EXISTS} AND attribute_type(#hold, :map)`,
      ExpressionAttributeNames: { '#hold': 'hold' },
      ExpressionAttributeValues: { ':true': true, ':map': 'M' },
    });
  }

  async clearAccountHold(id: AccountId): Promise<void> {
    await this.#updateIfExists({
      TableName: this.#table,
      Key: keys.account(id),
      UpdateExpression: 'SET #hold = :null',
      ConditionExpression: EXISTS,
      ExpressionAttributeNames: { '#hold': 'hold' },
      ExpressionAttributeValues: { ':null': null },
    });
  }

  // ---- discoveries and memberships ----

  async recordDiscoveries(accountId: AccountId, discoveries: Discovery[], at: string): Promise<void> {
    const unique = [...new Map(discoveries.map((d) => [d.connectionId, d])).values()];
    const chunks: Discovery[][] = [];
    for (let i = 0; i < unique.length; i += DISCOVERIES_PER_TRANSACTION) {
      chunks.push(unique.slice(i, i + DISCOVERIES_PER_TRANSACTION));
    }
    // Each chunk is one transaction of insert-only updates: a membership never exists without
    // its connection, and replaying a chunk (or the whole call) changes nothing.
    await mapLimit(chunks, DISCOVERY_CHUNK_CONCURRENCY, async (chunk) => {
      const result = await this.#transact(
        chunk.flatMap((discovery) => [
          {
            Update: withMember(
              insertOnly(this.#table, newConnectionItem(accountId, discovery, at)),
              accountId,
            ),
          },
          { Update: insertOnly(this.#table, newMembershipItem(accountId, discovery, at)) },
        ]),
      );
      if (!result.ok) throw result.error;
    });
  }

  /** Memberships that no longer exist (account removed meanwhile) are skipped, not recreated. */
  async updateMissingPolls(
    accountId: AccountId,
    counts: { connectionId: ConnectionId; missingPolls: number }[],
  ): Promise<void> {
    await mapLimit(counts, this.#concurrency, ({ connectionId, missingPolls }) =>
      this.#updateIfExists({
        TableName: this.#table,
        Key: keys.membership(accountId, connectionId),
        UpdateExpression: 'SET missingPolls = :n',
        ConditionExpression: EXISTS,
        ExpressionAttributeValues: { ':n': missingPolls },
      }),
    );
  }

  async getMembership(accountId: AccountId, connectionId: ConnectionId): Promise<Membership | undefined> {
    const item = await this.#get(keys.membership(accountId, connectionId));
    return item ? membershipFromItem(item) : undefined;
  }

  /** A membership that does not exist (account removed meanwhile) is left absent. */
  async markMembershipSynced(accountId: AccountId, connectionId: ConnectionId): Promise<void> {
    await this.#updateIfExists(this.#membershipSynced(accountId, connectionId));
  }

  async listMembershipsOf(connectionId: ConnectionId): Promise<Membership[]> {
    const items = await this.#queryAll({
      TableName: this.#table,
      IndexName: EVENTS_BY_SUBJECT_INDEX.indexName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': EVENTS_BY_SUBJECT_INDEX.partitionKey },
      ExpressionAttributeValues: { ':pk': keys.membersOf(connectionId) },
    });
    return items.map(membershipFromItem);
  }

  // ---- connections ----

  async getConnection(id: ConnectionId): Promise<Connection | undefined> {
    const item = await this.#get(keys.connection(id));
    return item ? connectionFromItem(item) : undefined;
  }

  async listConnections(): Promise<Connection[]> {
    return (await this.#queryByType(CONNECTIONS_PARTITION)).map(connectionFromItem);
  }

  /**
   * One transaction: connection provisioned (if still at the expected version and never
   * provisioned), snapshot stored, membership synced, events into the outbox. If the account's
   * membership has vanished meanwhile (account removed), the connection is provisioned without it.
   */
  async recordProvisioned(input: ProvisionInput): Promise<'applied' | 'stale'> {
    const { connectionId, accountId, configuration, events } = input;
    this.#checkEvents(events, 3);
    const version = versionCondition(input.expectedVersion);
    const connectionUpdate: TransactItem = {
      Update: {
        TableName: this.#table,
        Key: keys.connection(connectionId),
        UpdateExpression:
          'SET #status = :provisioned, provisionedAt = :at, secretRef = :secretRef, configuration = :configuration, #version = :next',
        ConditionExpression: `${EXISTS} AND ${version.expression} AND (attribute_not_exists(provisionedAt) OR provisionedAt = :null)`,
        ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
        ExpressionAttributeValues: {
          ':provisioned': 'provisioned',
          ':at': input.at,
          ':secretRef': input.secretRef,
          ':configuration': configuration,
          ':null': null,
          ...version.values,
        },
      },
    };
    const snapshotPut = this.#snapshotPut(connectionId, configuration.digest, input.snapshot, input.at);
    const membershipUpdate: TransactItem = { Update: this.#membershipSynced(accountId, connectionId) };

    let result = await this.#transact([
      connectionUpdate,
      snapshotPut,
      membershipUpdate,
      ...this.#eventPuts(events),
    ]);
    if (result.ok) return 'applied';
    const [connectionReason, , membershipReason] = result.reasons;
    if (connectionReason?.Code === 'ConditionalCheckFailed') {
      if (!(await this.getConnection(connectionId))) throw new ConnectionNotDiscoveredError(connectionId);
      return 'stale';
    }
    if (membershipReason?.Code === 'ConditionalCheckFailed') {
      result = await this.#transact([connectionUpdate, snapshotPut, ...this.#eventPuts(events)]);
      if (result.ok) return 'applied';
      if (result.reasons[0]?.Code === 'ConditionalCheckFailed') {
        if (!(await this.getConnection(connectionId))) throw new ConnectionNotDiscoveredError(connectionId);
        return 'stale';
      }
      throw this.#cancellationError(result, events, 2);
    }
    throw this.#cancellationError(result, events, 3);
  }

  async updateConnection(update: ConnectionUpdate): Promise<'applied' | 'stale'> {
    const { connectionId, configuration, events } = update;
    this.#checkEvents(events, 2);
    const version = versionCondition(update.expectedVersion);
    const names: Record<string, string> = { '#status': 'status', '#version': 'version' };
    const values: Record<string, unknown> = { ':status': update.status, ':at': update.at, ...version.values };
    const sets = ['#status = :status', 'changedAt = :at', '#version = :next'];
    if (configuration) {
      names['#configuration'] = 'configuration';
      values[':configuration'] = configuration.state;
      sets.push('#configuration = :configuration');
    }
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.#table,
          Key: keys.connection(connectionId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: `${EXISTS} AND ${version.expression}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
      ...(configuration
        ? [this.#snapshotPut(connectionId, configuration.state.digest, configuration.snapshot, update.at)]
        : []),
      ...this.#eventPuts(events),
    ];
    const result = await this.#transact(items);
    if (!result.ok) {
      // The connection moved on (a concurrent change, or this very change replayed).
      if (result.reasons[0]?.Code === 'ConditionalCheckFailed') return 'stale';
      throw this.#cancellationError(result, events, items.length - events.length);
    }
    if (configuration) await this.#pruneSnapshots(connectionId);
    return 'applied';
  }

  /**
   * The connection item keeps the set of accounts that have a membership (`members`, kept by
   * every write that adds or deletes one), so the removal can be conditional on exactly the
   * memberships it decided from; each membership's Delete is conditional on its confirmed miss.
   */
  async removeConnection(removal: ConnectionRemoval): Promise<'applied' | 'stale'> {
    const { connectionId, events } = removal;
    const members = [...new Set(removal.members)];
    this.#checkEvents(events, 1 + members.length);
    const version = versionCondition(removal.expectedVersion);
    const memberValues: Record<string, unknown> = {};
    const memberConditions = members.map((accountId, i) => {
      memberValues[`:m${i}`] = accountId;
      return `contains(#members, :m${i})`;
    });
    const membersCondition =
      members.length === 0
        ? 'attribute_not_exists(#members)'
        : `size(#members) = :memberCount AND ${memberConditions.join(' AND ')}`;
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.#table,
          Key: keys.connection(connectionId),
          UpdateExpression: 'SET #status = :removed, changedAt = :at, #version = :next REMOVE #members',
          ConditionExpression: `${EXISTS} AND ${version.expression} AND ${membersCondition}`,
          ExpressionAttributeNames: { '#status': 'status', '#version': 'version', '#members': 'members' },
          ExpressionAttributeValues: {
            ':removed': 'removed',
            ':at': removal.at,
            ...version.values,
            ...(members.length > 0 ? { ':memberCount': members.length, ...memberValues } : {}),
          },
        },
      },
      ...members.map((accountId) => ({ Delete: this.#confirmedMissingDelete(accountId, connectionId) })),
      ...this.#eventPuts(events),
    ];
    const result = await this.#transact(items);
    if (result.ok) return 'applied';
    const stateReasons = result.reasons.slice(0, 1 + members.length);
    if (stateReasons.some((r) => r.Code === 'ConditionalCheckFailed')) return 'stale';
    throw this.#cancellationError(result, events, 1 + members.length);
  }

  async leaveConnection(accountId: AccountId, connectionId: ConnectionId): Promise<'applied' | 'stale'> {
    const result = await this.#transact([
      { Delete: this.#confirmedMissingDelete(accountId, connectionId) },
      { Update: this.#membersChange('DELETE', accountId, connectionId) },
    ]);
    if (result.ok) return 'applied';
    if (result.reasons.some((r) => r.Code === 'ConditionalCheckFailed')) return 'stale';
    throw result.error;
  }

  async markMembershipsPending(connectionId: ConnectionId): Promise<void> {
    const memberships = await this.listMembershipsOf(connectionId);
    await mapLimit(memberships, this.#concurrency, (m) =>
      this.#updateIfExists({
        TableName: this.#table,
        Key: keys.membership(m.accountId, connectionId),
        UpdateExpression: 'SET #status = :pending',
        ConditionExpression: EXISTS,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pending': 'pending' },
      }),
    );
  }

  async getSnapshot(connectionId: ConnectionId, digest: string): Promise<unknown | undefined> {
    const item = await this.#get(keys.snapshot(connectionId, digest));
    if (!item) return undefined;
    const data = item.data;
    if (!(data instanceof Uint8Array)) {
      throw new Error(`snapshot ${SNAPSHOT_PREFIX}${digest} of ${connectionId} has no binary data`);
    }
    return JSON.parse(gunzipSync(data).toString('utf8'));
  }

  // ---- outbox ----

  async appendEvents(events: OutboxEvent[]): Promise<number> {
    uniqueEventIds(events);
    const written = await mapLimit(events, this.#concurrency, async (event) => {
      try {
        await this.#client.send(
          new PutCommand({
            TableName: this.#table,
            Item: eventToItem(event),
            ConditionExpression: NOT_EXISTS,
          }),
        );
        return 1;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return 0;
        throw error;
      }
    });
    return written.reduce<number>((sum, n) => sum + n, 0);
  }

  async listPendingEvents(limit: number): Promise<OutboxEvent[]> {
    const events: OutboxEvent[] = [];
    let startKey: Record<string, unknown> | undefined;
    while (events.length < limit) {
      const page = await this.#client.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: PENDING_OUTBOX_INDEX.indexName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': PENDING_OUTBOX_INDEX.partitionKey },
          ExpressionAttributeValues: { ':pk': PENDING_OUTBOX_PARTITION },
          ScanIndexForward: true,
          Limit: limit - events.length,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) events.push(outboxEventFromItem(item));
      startKey = page.LastEvaluatedKey;
      if (!startKey) break;
    }
    return events;
  }

  /** Takes the events off the pending index and lets them expire later; repeats change nothing. */
  async markEventsPublished(eventIds: string[], at: string): Promise<void> {
    const publishedAt = Date.parse(at);
    if (Number.isNaN(publishedAt)) throw new Error(`markEventsPublished: "${at}" is not an ISO timestamp`);
    const expiresAt = Math.floor(publishedAt / 1000) + this.#ttlSeconds;
    await mapLimit([...new Set(eventIds)], this.#concurrency, (eventId) =>
      this.#updateIfExists({
        TableName: this.#table,
        Key: keys.event(eventId),
        UpdateExpression: 'SET publishedAt = :at, #ttl = :ttl REMOVE #gpk, #gsk',
        ConditionExpression: `${EXISTS} AND attribute_not_exists(publishedAt)`,
        ExpressionAttributeNames: {
          '#ttl': TTL_ATTRIBUTE,
          '#gpk': PENDING_OUTBOX_INDEX.partitionKey,
          '#gsk': PENDING_OUTBOX_INDEX.sortKey,
        },
        ExpressionAttributeValues: { ':at': at, ':ttl': expiresAt },
      }),
    );
  }

  /**
   * Takes the events off the pending index with `deadLetteredAt` and `deadLetterReason`, and no
   * TTL (they wait for an operator; listEventsFor still finds them). Published or already
   * dead-lettered events and unknown ids are left as they are.
   */
  async markEventsDeadLettered(entries: { eventId: string; reason: string }[], at: string): Promise<void> {
    if (Number.isNaN(Date.parse(at)))
      throw new Error(`markEventsDeadLettered: "${at}" is not an ISO timestamp`);
    const reasons = new Map(entries.map((e) => [e.eventId, e.reason]));
    await mapLimit([...reasons], this.#concurrency, ([eventId, reason]) =>
      this.#updateIfExists({
        TableName: this.#table,
        Key: keys.event(eventId),
        UpdateExpression: 'SET deadLetteredAt = :at, deadLetterReason = :reason REMOVE #gpk, #gsk',
        ConditionExpression: `${EXISTS} AND attribute_not_exists(publishedAt) AND attribute_not_exists(deadLetteredAt)`,
        ExpressionAttributeNames: {
          '#gpk': PENDING_OUTBOX_INDEX.partitionKey,
          '#gsk': PENDING_OUTBOX_INDEX.sortKey,
        },
        ExpressionAttributeValues: { ':at': at, ':reason': reason },
      }),
    );
  }

  async listEventsFor(subject: string): Promise<OutboxEvent[]> {
    const items = await this.#queryAll({
      TableName: this.#table,
      IndexName: EVENTS_BY_SUBJECT_INDEX.indexName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': EVENTS_BY_SUBJECT_INDEX.partitionKey },
      ExpressionAttributeValues: { ':pk': keys.subject(subject) },
      ScanIndexForward: true,
    });
    return items.map(outboxEventFromItem);
  }

  // ---- integrations (Connector API) ----

  async recordIntegration(integration: Integration, events: OutboxEvent[]): Promise<'created' | 'exists'> {
    this.#checkEvents(events, 1);
    const result = await this.#transact([
      {
        Put: {
          TableName: this.#table,
          Item: integrationToItem(integration),
          ConditionExpression: NOT_EXISTS,
        },
      },
      ...this.#eventPuts(events),
    ]);
    if (result.ok) return 'created';
    if (result.reasons[0]?.Code === 'ConditionalCheckFailed') return 'exists';
    throw this.#cancellationError(result, events, 1);
  }

  async getIntegration(id: IntegrationId): Promise<Integration | undefined> {
    const item = await this.#get(keys.integration(id));
    return item ? integrationFromItem(item) : undefined;
  }

  async listIntegrations(): Promise<Integration[]> {
    return (await this.#queryByType(INTEGRATIONS_PARTITION)).map(integrationFromItem);
  }

  async updateIntegration(update: IntegrationUpdate): Promise<'applied' | 'stale'> {
    const { id, expectedVersion, changes, events } = update;
    this.#checkEvents(events, 1);
    const names: Record<string, string> = { '#version': 'version' };
    const values: Record<string, unknown> = {
      ':expected': expectedVersion,
      ':next': expectedVersion + 1,
      ':at': update.at,
    };
    const sets = ['#version = :next', 'changedAt = :at'];
    for (const [field, value] of Object.entries(changes)) {
      if (value === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }
    const result = await this.#transact([
      {
        Update: {
          TableName: this.#table,
          Key: keys.integration(id),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: `${EXISTS} AND #version = :expected`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
      ...this.#eventPuts(events),
    ]);
    if (result.ok) return 'applied';
    if (result.reasons[0]?.Code === 'ConditionalCheckFailed') return 'stale';
    throw this.#cancellationError(result, events, 1);
  }

  // ---- helpers ----

  /** Deletes a membership only while it is confirmed missing. */
  #confirmedMissingDelete(accountId: AccountId, connectionId: ConnectionId) {
    return {
      TableName: this.#table,
      Key: keys.membership(accountId, connectionId),
      ConditionExpression: `${EXISTS} AND missingPolls >= :confirmations`,
      ExpressionAttributeValues: { ':confirmations': REMOVAL_CONFIRMATIONS },
    };
  }

  /** Adds the account to, or deletes it from, the connection's `members` (idempotent set operations). */
  #membersChange(op: 'ADD' | 'DELETE', accountId: AccountId, connectionId: ConnectionId) {
    return {
      TableName: this.#table,
      Key: keys.connection(connectionId),
      UpdateExpression: `${op} #members :account`,
      ConditionExpression: EXISTS,
      ExpressionAttributeNames: { '#members': 'members' },
      ExpressionAttributeValues: { ':account': new Set([accountId]) },
    };
  }

  #membershipSynced(accountId: AccountId, connectionId: ConnectionId) {
    return {
      TableName: this.#table,
      Key: keys.membership(accountId, connectionId),
      UpdateExpression: 'SET #status = :synced',
      ConditionExpression: EXISTS,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':synced': 'synced' },
    };
  }

  #snapshotPut(connectionId: ConnectionId, digest: string, snapshot: unknown, at: string): TransactItem {
    return {
      Put: {
        TableName: this.#table,
        Item: {
          ...keys.snapshot(connectionId, digest),
          type: ITEM_TYPE.snapshot,
          connectionId,
          digest,
          encoding: 'gzip+json',
          createdAt: at,
          data: this.#compressSnapshot(connectionId, digest, snapshot),
        },
      },
    };
  }

  /** Keeps the newest SNAPSHOT_HISTORY snapshots of a connection. Best effort, idempotent. */
  async #pruneSnapshots(connectionId: ConnectionId): Promise<void> {
    const snapshots = (await this.#queryAll({
      TableName: this.#table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': keys.connection(connectionId).pk, ':sk': SNAPSHOT_PREFIX },
      ProjectionExpression: 'pk, sk, createdAt',
    })) as { pk: string; sk: string; createdAt: string }[];
    const old = snapshots.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(SNAPSHOT_HISTORY);
    await this.#batchDelete(old.map(({ pk, sk }) => ({ pk, sk })));
  }

  #eventPuts(events: OutboxEvent[]): TransactItem[] {
    return events.map((event) => ({
      Put: { TableName: this.#table, Item: eventToItem(event), ConditionExpression: NOT_EXISTS },
    }));
  }

  #checkEvents(events: OutboxEvent[], stateItems: number): void {
    uniqueEventIds(events);
    if (events.length + stateItems > MAX_TRANSACTION_ITEMS) {
      throw new RangeError(
        `${events.length} events do not fit one transaction with its state change ` +
          `(at most ${MAX_TRANSACTION_ITEMS - stateItems})`,
      );
    }
  }

  #compressSnapshot(connectionId: ConnectionId, digest: string, snapshot: unknown): Uint8Array {
    const json = JSON.stringify(snapshot);
    if (json === undefined) throw new TypeError(`snapshot of ${connectionId} is not JSON-serializable`);
    const data = gzipSync(json);
    if (data.byteLength > MAX_SNAPSHOT_BYTES)
      throw new SnapshotTooLargeError(connectionId, digest, data.byteLength);
    return data;
  }

  /** Why a transaction whose state condition held was still cancelled. */
  #cancellationError(
    result: { reasons: CancellationReason[]; error: Error },
    events: OutboxEvent[],
    offset: number,
  ) {
    const duplicates = events
      .filter((_, i) => result.reasons[offset + i]?.Code === 'ConditionalCheckFailed')
      .map((e) => e.eventId);
    return duplicates.length > 0 ? new DuplicateEventError(duplicates) : result.error;
  }

  /**
   * TransactWriteItems, retried a few times when it was cancelled only by conflicts with
   * concurrent writes or throttling. Any other cancellation comes back with its reasons.
   */
  async #transact(items: TransactItem[]): Promise<TransactResult> {
    const outcome = await TRANSACTION_RETRY.attempt<
      undefined,
      { reasons: CancellationReason[]; error: Error }
    >(async () => {
      try {
        await this.#client.send(new TransactWriteCommand({ TransactItems: items }));
        return { ok: true, value: undefined };
      } catch (error) {
        if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') throw error;
        const reasons = (
          (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? []
        ).map((r) => ({ Code: r.Code, Message: r.Message }));
        const retryable =
          reasons.some((r) => r.Code && RETRYABLE_CANCELLATION_CODES.has(r.Code)) &&
          reasons.every((r) => !r.Code || r.Code === 'None' || RETRYABLE_CANCELLATION_CODES.has(r.Code));
        return { ok: false, failure: { reasons, error }, retryable };
      }
    });
    return outcome.ok ? { ok: true } : { ok: false, ...outcome.failure };
  }

  async #updateIfExists(input: ConstructorParameters<typeof UpdateCommand>[0]): Promise<boolean> {
    try {
      await this.#client.send(new UpdateCommand(input));
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async #get(key: { pk: string; sk: string }): Promise<Item | undefined> {
    const result = await this.#client.send(
      new GetCommand({ TableName: this.#table, Key: key, ConsistentRead: true }),
    );
    return result.Item;
  }

  async #queryAll(input: QueryCommandInput): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  #queryByType(partition: string): Promise<Item[]> {
    return this.#queryAll({
      TableName: this.#table,
      IndexName: BY_TYPE_INDEX.indexName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': BY_TYPE_INDEX.partitionKey },
      ExpressionAttributeValues: { ':pk': partition },
    });
  }

  async #batchDelete(itemKeys: { pk: string; sk: string }[]): Promise<void> {
    for (let i = 0; i < itemKeys.length; i += BATCH_WRITE_SIZE) {
      let requests: { DeleteRequest: { Key: Record<string, unknown> } }[] = itemKeys
        .slice(i, i + BATCH_WRITE_SIZE)
        .map((key) => ({ DeleteRequest: { Key: { pk: key.pk, sk: key.sk } } }));
      const outcome = await BATCH_DELETE_RETRY.attempt<undefined, number>(async () => {
        const result = await this.#client.send(
          new BatchWriteCommand({ RequestItems: { [this.#table]: requests } }),
        );
        requests = (result.UnprocessedItems?.[this.#table] ?? []) as typeof requests;
        return requests.length === 0
          ? { ok: true, value: undefined }
          : { ok: false, failure: requests.length, retryable: true };
      });
      if (!outcome.ok) {
        throw new Error(`could not delete ${outcome.failure} items after ${outcome.attempts} attempts`);
      }
    }
  }
}
