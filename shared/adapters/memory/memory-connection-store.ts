import { REMOVAL_CONFIRMATIONS } from '../../domain/lifecycle/connection-lifecycle.js';
import type { AccountId, Connection, ConnectionId, Discovery, Membership } from '../../domain/model.js';
import type {
  ConnectionRemoval,
  ConnectionReport,
  ConnectionStore,
  ConnectionUpdate,
  ProvisionInput,
  SecretRefSwitch,
} from '../../ports/connection-store.js';
import { ConnectionNotDiscoveredError } from '../../ports/store-errors.js';
import type { MemoryStateTable } from './memory-state-table.js';
import { beforeCall, type MemoryAdapterOptions, type OnPortCall } from './port-call.js';

const PORT = 'ConnectionStore';

const confirmedMissing = (m: Membership | undefined): m is Membership =>
  m !== undefined && m.missingPolls >= REMOVAL_CONFIRMATIONS;

/**
 * ConnectionStore over the in-memory state table. Each change is one atomic step with the
 * DynamoDB adapter's conditions: the connection's version, for a removal also the exact
 * confirmed-missing memberships; 'stale' writes nothing. Where the DynamoDB adapter splits a call
 * into several transactions (discoveries in chunks, missing polls one by one), this one applies it
 * whole: one of the outcomes the DynamoDB adapter can have.
 */
export class MemoryConnectionStore implements ConnectionStore {
  readonly #table: MemoryStateTable;
  readonly #onCall: OnPortCall | undefined;

  constructor(options: MemoryAdapterOptions & { table: MemoryStateTable }) {
    this.#table = options.table;
    this.#onCall = options.onCall;
  }

  async recordDiscoveries(accountId: AccountId, discoveries: Discovery[], at: string): Promise<void> {
    await beforeCall(this.#onCall, PORT, 'recordDiscoveries', [accountId, discoveries, at]);
    const unique = [...new Map(discoveries.map((d) => [d.connectionId, d])).values()];
    for (const d of unique) {
      // Insert-only: what exists (connection or membership) stays as it is.
      if (!this.#table.connections.has(d.connectionId)) {
        this.#table.connections.set(d.connectionId, {
          id: d.connectionId,
          status: 'discovered',
          propertyId: d.propertyId,
          propertyName: d.propertyName,
          name: d.connectionName ?? null,
          discoveredBy: accountId,
          discoveredAt: at,
          provisionedAt: null,
          changedAt: null,
          version: 0,
          secretRef: d.secretRef,
          configuration: null,
        });
      }
      if (!this.#table.membership(accountId, d.connectionId)) {
        this.#table.putMembership({
          accountId,
          connectionId: d.connectionId,
          status: 'pending',
          propertyId: d.propertyId,
          propertyName: d.propertyName,
          connectionName: d.connectionName ?? null,
          firstSeenAt: at,
          missingPolls: 0,
        });
      }
    }
  }

  async updateMissingPolls(
    accountId: AccountId,
    counts: { connectionId: ConnectionId; missingPolls: number }[],
  ): Promise<void> {
    await beforeCall(this.#onCall, PORT, 'updateMissingPolls', [accountId, counts]);
    for (const { connectionId, missingPolls } of counts) {
      const membership = this.#table.membership(accountId, connectionId);
      if (membership) membership.missingPolls = missingPolls;
    }
  }

  async getConnection(id: ConnectionId): Promise<Connection | undefined> {
    await beforeCall(this.#onCall, PORT, 'getConnection', [id]);
    const connection = this.#table.connections.get(id);
    return connection ? structuredClone(connection) : undefined;
  }

  async listConnections(): Promise<Connection[]> {
    await beforeCall(this.#onCall, PORT, 'listConnections', []);
    return [...this.#table.connections.values()]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((c) => structuredClone(c));
  }

  async getMembership(accountId: AccountId, connectionId: ConnectionId): Promise<Membership | undefined> {
    await beforeCall(this.#onCall, PORT, 'getMembership', [accountId, connectionId]);
    const membership = this.#table.membership(accountId, connectionId);
    return membership ? structuredClone(membership) : undefined;
  }

  async listMembershipsOf(connectionId: ConnectionId): Promise<Membership[]> {
    await beforeCall(this.#onCall, PORT, 'listMembershipsOf', [connectionId]);
    return this.#table.membershipsOfConnection(connectionId).map((m) => structuredClone(m));
  }

  async switchSecretRef(change: SecretRefSwitch): Promise<'applied' | 'stale'> {
    await beforeCall(this.#onCall, PORT, 'switchSecretRef', [change]);
    this.#table.checkEvents(change.events, 1);
    const connection = this.#table.connections.get(change.connectionId);
    if (!connection || connection.version !== change.expectedVersion || connection.secretRef !== change.from)
      return 'stale';
    this.#table.requireNewEvents(change.events);
    connection.secretRef = change.to;
    connection.version += 1;
    for (const event of change.events) this.#table.putEvent(event);
    return 'applied';
  }

  async reportConnection(report: ConnectionReport): Promise<'applied' | 'stale'> {
    await beforeCall(this.#onCall, PORT, 'reportConnection', [report]);
    this.#table.checkEvents(report.events, 1);
    const connection = this.#table.connections.get(report.connectionId);
    if (!connection || connection.version !== report.expectedVersion) return 'stale';
    // Ids already stored are this very report replayed (they are keyed by the version): skipped.
    for (const event of report.events) this.#table.putEvent(event);
    return 'applied';
  }

  async recordProvisioned(input: ProvisionInput): Promise<'applied' | 'stale'> {
    await beforeCall(this.#onCall, PORT, 'recordProvisioned', [input]);
    const { connectionId, accountId, configuration, events } = input;
    this.#table.checkEvents(events, 3);
    const json = this.#table.encodeSnapshot(connectionId, configuration.digest, input.snapshot);
    const connection = this.#table.connections.get(connectionId);
    if (!connection) throw new ConnectionNotDiscoveredError(connectionId);
    // Only a first provisioning: from discovered, or removed before it was ever provisioned.
    if (connection.version !== input.expectedVersion || connection.provisionedAt !== null) return 'stale';
    this.#table.requireNewEvents(events);

    connection.status = 'provisioned';
    connection.provisionedAt = input.at;
    connection.secretRef = input.secretRef;
    connection.configuration = structuredClone(configuration);
    connection.version += 1;
    this.#table.putSnapshot(connectionId, configuration.digest, json, input.at);
    const membership = this.#table.membership(accountId, connectionId);
    if (membership) membership.status = 'synced';
    for (const event of events) this.#table.putEvent(event);
    return 'applied';
  }

  async updateConnection(update: ConnectionUpdate): Promise<'applied' | 'stale'> {
    await beforeCall(this.#onCall, PORT, 'updateConnection', [update]);
    const { connectionId, configuration, events } = update;
    this.#table.checkEvents(events, 2);
    const json = configuration
      ? this.#table.encodeSnapshot(connectionId, configuration.state.digest, configuration.snapshot)
      : undefined;
    const connection = this.#table.connections.get(connectionId);
    if (!connection || connection.version !== update.expectedVersion) return 'stale';
    this.#table.requireNewEvents(events);

    connection.status = update.status;
    connection.changedAt = update.at;
    connection.version += 1;
    if (configuration && json !== undefined) {
      connection.configuration = structuredClone(configuration.state);
      this.#table.putSnapshot(connectionId, configuration.state.digest, json, update.at);
    }
    for (const event of events) this.#table.putEvent(event);
    if (configuration) this.#table.pruneSnapshots(connectionId);
    return 'applied';
  }

  async removeConnection(removal: ConnectionRemoval): Promise<'applied' | 'stale'> {
    await beforeCall(this.#onCall, PORT, 'removeConnection', [removal]);
    const { connectionId, events } = removal;
    const members = new Set(removal.members);
    this.#table.checkEvents(events, 1 + members.size);
    const connection = this.#table.connections.get(connectionId);
    if (!connection || connection.version !== removal.expectedVersion) return 'stale';
    // Exactly the memberships the decision read, each still confirmed missing.
    const current = this.#table.membershipsOfConnection(connectionId);
    if (current.length !== members.size) return 'stale';
    if (!current.every((m) => members.has(m.accountId) && confirmedMissing(m))) return 'stale';
    this.#table.requireNewEvents(events);

    connection.status = 'removed';
    connection.changedAt = removal.at;
    connection.version += 1;
    for (const m of current) this.#table.deleteMembership(m.accountId, connectionId);
    for (const event of events) this.#table.putEvent(event);
    return 'applied';
  }

  async leaveConnection(accountId: AccountId, connectionId: ConnectionId): Promise<'applied' | 'stale'> {
    await beforeCall(this.#onCall, PORT, 'leaveConnection', [accountId, connectionId]);
    if (!this.#table.connections.has(connectionId)) return 'stale';
    if (!confirmedMissing(this.#table.membership(accountId, connectionId))) return 'stale';
    this.#table.deleteMembership(accountId, connectionId);
    return 'applied';
  }

  async markMembershipSynced(accountId: AccountId, connectionId: ConnectionId): Promise<void> {
    await beforeCall(this.#onCall, PORT, 'markMembershipSynced', [accountId, connectionId]);
    const membership = this.#table.membership(accountId, connectionId);
    if (membership) membership.status = 'synced';
  }

  async markMembershipsAwaitingToken(connectionId: ConnectionId): Promise<void> {
    await beforeCall(this.#onCall, PORT, 'markMembershipsAwaitingToken', [connectionId]);
    for (const m of this.#table.membershipsOfConnection(connectionId)) m.status = 'awaiting-token';
  }

  async getSnapshot(connectionId: ConnectionId, digest: string): Promise<unknown | undefined> {
    await beforeCall(this.#onCall, PORT, 'getSnapshot', [connectionId, digest]);
    return this.#table.snapshot(connectionId, digest);
  }
}
