import { gunzipSync, gzipSync } from 'node:zlib';
import { REMOVAL_CONFIRMATIONS } from '../../domain/lifecycle/connection-lifecycle.js';
import type { AccountId, Connection, ConnectionId, Discovery, Membership } from '../../domain/model.js';
import { mapLimit } from '../../lib/map-limit.js';
import type {
  ConnectionRemoval,
  ConnectionReport,
  ConnectionStore,
  ConnectionUpdate,
  ProvisionInput,
  SecretRefSwitch,
} from '../../ports/connection-store.js';
import {
  ConnectionNotDiscoveredError,
  DuplicateEventError,
  MAX_TRANSACTION_ITEMS,
  SnapshotTooLargeError,
} from '../../ports/store-errors.js';
import { getConnection, listConnections, listMembershipsOf } from './dynamo-state-reads.js';
import {
  CHUNK_CONCURRENCY,
  type DynamoTable,
  EXISTS,
  insertOnly,
  type TransactItem,
  versionCondition,
  withMember,
} from './dynamo-table.js';
import { membershipFromItem, newConnectionItem, newMembershipItem } from './state-items.js';
import { ITEM_TYPE, keys, MAX_SNAPSHOT_BYTES, SNAPSHOT_HISTORY, SNAPSHOT_PREFIX } from './state-table.js';

/** Two items per discovery (membership and connection) must share a transaction. */
const DISCOVERIES_PER_TRANSACTION = MAX_TRANSACTION_ITEMS / 2;

/**
 * ConnectionStore on the state table: connections, the memberships that list them (each write
 * that adds or deletes a membership keeps the connection's `members` in the same transaction) and
 * their configuration snapshots. Every change is conditional on the connection's version.
 */
export class DynamoConnectionStore implements ConnectionStore {
  readonly #table: DynamoTable;

  constructor(options: { table: DynamoTable }) {
    this.#table = options.table;
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
    await mapLimit(chunks, CHUNK_CONCURRENCY, async (chunk) => {
      const result = await this.#table.transact(
        chunk.flatMap((discovery) => [
          {
            Update: withMember(
              insertOnly(this.#table.name, newConnectionItem(accountId, discovery, at)),
              accountId,
            ),
          },
          { Update: insertOnly(this.#table.name, newMembershipItem(accountId, discovery, at)) },
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
    await mapLimit(counts, this.#table.concurrency, ({ connectionId, missingPolls }) =>
      this.#table.updateIfExists({
        TableName: this.#table.name,
        Key: keys.membership(accountId, connectionId),
        UpdateExpression: 'SET missingPolls = :n',
        ConditionExpression: EXISTS,
        ExpressionAttributeValues: { ':n': missingPolls },
      }),
    );
  }

  async getMembership(accountId: AccountId, connectionId: ConnectionId): Promise<Membership | undefined> {
    const item = await this.#table.get(keys.membership(accountId, connectionId));
    return item ? membershipFromItem(item) : undefined;
  }

  /** A membership that does not exist (account removed meanwhile) is left absent. */
  async markMembershipSynced(accountId: AccountId, connectionId: ConnectionId): Promise<void> {
    await this.#table.updateIfExists(this.#membershipSynced(accountId, connectionId));
  }

  listMembershipsOf(connectionId: ConnectionId): Promise<Membership[]> {
    return listMembershipsOf(this.#table, connectionId);
  }

  // ---- connections ----

  getConnection(id: ConnectionId): Promise<Connection | undefined> {
    return getConnection(this.#table, id);
  }

  listConnections(): Promise<Connection[]> {
    return listConnections(this.#table);
  }

  /**
   * One transaction: connection provisioned (if still at the expected version and never
   * provisioned), snapshot stored, membership synced, events into the outbox. If the account's
   * membership has vanished meanwhile (account removed), the connection is provisioned without it.
   */
  async recordProvisioned(input: ProvisionInput): Promise<'applied' | 'stale'> {
    const { connectionId, accountId, configuration, events } = input;
    this.#table.checkEvents(events, 3);
    const version = versionCondition(input.expectedVersion);
    const connectionUpdate: TransactItem = {
      Update: {
        TableName: this.#table.name,
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

    let result = await this.#table.transact([
      connectionUpdate,
      snapshotPut,
      membershipUpdate,
      ...this.#table.eventPuts(events),
    ]);
    if (result.ok) return 'applied';
    const [connectionReason, , membershipReason] = result.reasons;
    if (connectionReason?.Code === 'ConditionalCheckFailed') {
      if (!(await this.getConnection(connectionId))) throw new ConnectionNotDiscoveredError(connectionId);
      return 'stale';
    }
    if (membershipReason?.Code === 'ConditionalCheckFailed') {
      result = await this.#table.transact([connectionUpdate, snapshotPut, ...this.#table.eventPuts(events)]);
      if (result.ok) return 'applied';
      if (result.reasons[0]?.Code === 'ConditionalCheckFailed') {
        if (!(await this.getConnection(connectionId))) throw new ConnectionNotDiscoveredError(connectionId);
        return 'stale';
      }
      throw this.#table.cancellationError(result, events, 2);
    }
    throw this.#table.cancellationError(result, events, 3);
  }

  async updateConnection(update: ConnectionUpdate): Promise<'applied' | 'stale'> {
    const { connectionId, configuration, events } = update;
    this.#table.checkEvents(events, 2);
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
          TableName: this.#table.name,
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
      ...this.#table.eventPuts(events),
    ];
    const result = await this.#table.transact(items);
    if (!result.ok) {
      // The connection moved on (a concurrent change, or this very change replayed).
      if (result.reasons[0]?.Code === 'ConditionalCheckFailed') return 'stale';
      throw this.#table.cancellationError(result, events, items.length - events.length);
    }
    if (configuration) await this.#pruneSnapshots(connectionId);
    return 'applied';
  }

  /** One transaction: the reference, if still at the version and still naming `from`, and its events. */
  async switchSecretRef(change: SecretRefSwitch): Promise<'applied' | 'stale'> {
    const { events } = change;
    this.#table.checkEvents(events, 1);
    const version = versionCondition(change.expectedVersion);
    const result = await this.#table.transact([
      {
        Update: {
          TableName: this.#table.name,
          Key: keys.connection(change.connectionId),
          UpdateExpression: 'SET secretRef = :to, #version = :next',
          ConditionExpression: `${EXISTS} AND ${version.expression} AND secretRef = :from`,
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':from': change.from, ':to': change.to, ...version.values },
        },
      },
      ...this.#table.eventPuts(events),
    ]);
    if (result.ok) return 'applied';
    if (result.reasons[0]?.Code === 'ConditionalCheckFailed') return 'stale';
    throw this.#table.cancellationError(result, events, 1);
  }

  /**
   * One transaction: a ConditionCheck on the connection's version and the event Puts. Events
   * already stored (this report replayed: their ids are keyed by the version) are left out and
   * the rest written again under the same check; none left is 'applied'.
   */
  async reportConnection(report: ConnectionReport): Promise<'applied' | 'stale'> {
    this.#table.checkEvents(report.events, 1);
    const version = versionCondition(report.expectedVersion);
    const check: TransactItem = {
      ConditionCheck: {
        TableName: this.#table.name,
        Key: keys.connection(report.connectionId),
        ConditionExpression: `${EXISTS} AND ${version.expression}`,
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':expectedVersion': version.values[':expectedVersion'] },
      },
    };
    let events = report.events;
    while (events.length > 0) {
      const result = await this.#table.transact([check, ...this.#table.eventPuts(events)]);
      if (result.ok) return 'applied';
      if (result.reasons[0]?.Code === 'ConditionalCheckFailed') return 'stale';
      const error = this.#table.cancellationError(result, events, 1);
      if (!(error instanceof DuplicateEventError)) throw error;
      const stored = new Set(error.eventIds);
      events = events.filter((e) => !stored.has(e.eventId));
    }
    return (await this.#versionIs(report.connectionId, report.expectedVersion)) ? 'applied' : 'stale';
  }

  /**
   * The connection item keeps the set of accounts that have a membership (`members`, kept by
   * every write that adds or deletes one), so the removal can be conditional on exactly the
   * memberships it decided from; each membership's Delete is conditional on its confirmed miss.
   */
  async removeConnection(removal: ConnectionRemoval): Promise<'applied' | 'stale'> {
    const { connectionId, events } = removal;
    const members = [...new Set(removal.members)];
    this.#table.checkEvents(events, 1 + members.length);
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
          TableName: this.#table.name,
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
      ...this.#table.eventPuts(events),
    ];
    const result = await this.#table.transact(items);
    if (result.ok) return 'applied';
    const stateReasons = result.reasons.slice(0, 1 + members.length);
    if (stateReasons.some((r) => r.Code === 'ConditionalCheckFailed')) return 'stale';
    throw this.#table.cancellationError(result, events, 1 + members.length);
  }

  async leaveConnection(accountId: AccountId, connectionId: ConnectionId): Promise<'applied' | 'stale'> {
    const result = await this.#table.transact([
      { Delete: this.#confirmedMissingDelete(accountId, connectionId) },
      { Update: this.#table.membersChange('DELETE', accountId, connectionId) },
    ]);
    if (result.ok) return 'applied';
    if (result.reasons.some((r) => r.Code === 'ConditionalCheckFailed')) return 'stale';
    throw result.error;
  }

  async markMembershipsAwaitingToken(connectionId: ConnectionId): Promise<void> {
    const memberships = await this.listMembershipsOf(connectionId);
    await mapLimit(memberships, this.#table.concurrency, (m) =>
      this.#table.updateIfExists({
        TableName: this.#table.name,
        Key: keys.membership(m.accountId, connectionId),
        UpdateExpression: 'SET #status = :awaiting',
        ConditionExpression: EXISTS,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':awaiting': 'awaiting-token' },
      }),
    );
  }

  async getSnapshot(connectionId: ConnectionId, digest: string): Promise<unknown | undefined> {
    const item = await this.#table.get(keys.snapshot(connectionId, digest));
    if (!item) return undefined;
    const data = item.data;
    if (!(data instanceof Uint8Array)) {
      throw new Error(`snapshot ${SNAPSHOT_PREFIX}${digest} of ${connectionId} has no binary data`);
    }
    return JSON.parse(gunzipSync(data).toString('utf8'));
  }

  // ---- helpers ----

  async #versionIs(connectionId: ConnectionId, version: number): Promise<boolean> {
    const connection = await this.getConnection(connectionId);
    return connection !== undefined && connection.version === version;
  }

  /** Deletes a membership only while it is confirmed missing. */
  #confirmedMissingDelete(accountId: AccountId, connectionId: ConnectionId) {
    return {
      TableName: this.#table.name,
      Key: keys.membership(accountId, connectionId),
      ConditionExpression: `${EXISTS} AND missingPolls >= :confirmations`,
      ExpressionAttributeValues: { ':confirmations': REMOVAL_CONFIRMATIONS },
    };
  }

  #membershipSynced(accountId: AccountId, connectionId: ConnectionId) {
    return {
      TableName: this.#table.name,
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
        TableName: this.#table.name,
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
    const snapshots = (await this.#table.queryAll({
      TableName: this.#table.name,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': keys.connection(connectionId).pk, ':sk': SNAPSHOT_PREFIX },
      ProjectionExpression: 'pk, sk, createdAt',
    })) as { pk: string; sk: string; createdAt: string }[];
    const old = snapshots.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(SNAPSHOT_HISTORY);
    await this.#table.batchDelete(old.map(({ pk, sk }) => ({ pk, sk })));
  }

  #compressSnapshot(connectionId: ConnectionId, digest: string, snapshot: unknown): Uint8Array {
    const json = JSON.stringify(snapshot);
    if (json === undefined) throw new TypeError(`snapshot of ${connectionId} is not JSON-serializable`);
    const data = gzipSync(json);
    if (data.byteLength > MAX_SNAPSHOT_BYTES)
      throw new SnapshotTooLargeError(connectionId, digest, data.byteLength);
    return data;
  }
}
