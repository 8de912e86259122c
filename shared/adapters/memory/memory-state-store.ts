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
import type { AccountView } from '../../ports/account-store.js';
import type {
  ConnectionRemoval,
  ConnectionReport,
  ConnectionUpdate,
  ProvisionInput,
  SecretRefSwitch,
} from '../../ports/connection-store.js';
import type { IntegrationStore, IntegrationUpdate } from '../../ports/integration-store.js';
import type { StateStore } from '../../ports/state-store.js';
import { MemoryAccountStore } from './memory-account-store.js';
import { MemoryConnectionStore } from './memory-connection-store.js';
import { MemoryIntegrationStore } from './memory-integration-store.js';
import { MemoryOutboxStore } from './memory-outbox-store.js';
import { type MemoryStateDump, MemoryStateTable } from './memory-state-table.js';
import type { MemoryAdapterOptions } from './port-call.js';

export interface MemoryStateStoreOptions extends MemoryAdapterOptions {
  /** Share a table between stores (e.g. a "restarted" process over the same state). Default: a new one. */
  table?: MemoryStateTable;
}

/**
 * The whole state in memory: the four parts over one table, as composition roots hand out the
 * DynamoDB one. `onCall` sees each call with the part's port name (AccountStore, ConnectionStore,
 * OutboxStore, IntegrationStore).
 */
export class MemoryStateStore implements StateStore, IntegrationStore {
  readonly table: MemoryStateTable;
  readonly accounts: MemoryAccountStore;
  readonly connections: MemoryConnectionStore;
  readonly outbox: MemoryOutboxStore;
  readonly integrations: MemoryIntegrationStore;

  constructor(options: MemoryStateStoreOptions = {}) {
    this.table = options.table ?? new MemoryStateTable();
    const parts = { table: this.table, onCall: options.onCall };
    this.accounts = new MemoryAccountStore(parts);
    this.connections = new MemoryConnectionStore(parts);
    this.outbox = new MemoryOutboxStore(parts);
    this.integrations = new MemoryIntegrationStore(parts);
  }

  /** A copy of everything held (no port call, no hook). */
  dump(): MemoryStateDump {
    return this.table.dump();
  }

  // ---- AccountStore ----

  addAccount(account: Account) {
    return this.accounts.addAccount(account);
  }
  removeAccount(id: AccountId) {
    return this.accounts.removeAccount(id);
  }
  getAccount(id: AccountId) {
    return this.accounts.getAccount(id);
  }
  listAccounts() {
    return this.accounts.listAccounts();
  }
  getAccountView(id: AccountId): Promise<AccountView | undefined> {
    return this.accounts.getAccountView(id);
  }
  changeAccountAccess(id: AccountId, access: AccountAccess, expectedVersion: number, events: OutboxEvent[]) {
    return this.accounts.changeAccountAccess(id, access, expectedVersion, events);
  }
  placeAccountHold(id: AccountId, hold: AccountHold, events: OutboxEvent[]) {
    return this.accounts.placeAccountHold(id, hold, events);
  }
  setAccountLabel(id: AccountId, label: string | null) {
    return this.accounts.setAccountLabel(id, label);
  }
  releaseAccountHold(id: AccountId) {
    return this.accounts.releaseAccountHold(id);
  }
  clearAccountHold(id: AccountId) {
    return this.accounts.clearAccountHold(id);
  }

  // ---- ConnectionStore ----

  recordDiscoveries(accountId: AccountId, discoveries: Discovery[], at: string) {
    return this.connections.recordDiscoveries(accountId, discoveries, at);
  }
  updateMissingPolls(accountId: AccountId, counts: { connectionId: ConnectionId; missingPolls: number }[]) {
    return this.connections.updateMissingPolls(accountId, counts);
  }
  getConnection(id: ConnectionId): Promise<Connection | undefined> {
    return this.connections.getConnection(id);
  }
  listConnections() {
    return this.connections.listConnections();
  }
  getMembership(accountId: AccountId, connectionId: ConnectionId): Promise<Membership | undefined> {
    return this.connections.getMembership(accountId, connectionId);
  }
  listMembershipsOf(connectionId: ConnectionId) {
    return this.connections.listMembershipsOf(connectionId);
  }
  recordProvisioned(input: ProvisionInput) {
    return this.connections.recordProvisioned(input);
  }
  updateConnection(update: ConnectionUpdate) {
    return this.connections.updateConnection(update);
  }
  removeConnection(removal: ConnectionRemoval) {
    return this.connections.removeConnection(removal);
  }
  leaveConnection(accountId: AccountId, connectionId: ConnectionId) {
    return this.connections.leaveConnection(accountId, connectionId);
  }
  switchSecretRef(change: SecretRefSwitch) {
    return this.connections.switchSecretRef(change);
  }
  reportConnection(report: ConnectionReport) {
    return this.connections.reportConnection(report);
  }
  markMembershipSynced(accountId: AccountId, connectionId: ConnectionId) {
    return this.connections.markMembershipSynced(accountId, connectionId);
  }
  markMembershipsAwaitingToken(connectionId: ConnectionId) {
    return this.connections.markMembershipsAwaitingToken(connectionId);
  }
  getSnapshot(connectionId: ConnectionId, digest: string) {
    return this.connections.getSnapshot(connectionId, digest);
  }

  // ---- OutboxStore ----

  appendEvents(events: OutboxEvent[]) {
    return this.outbox.appendEvents(events);
  }
  listPendingEvents(limit: number) {
    return this.outbox.listPendingEvents(limit);
  }
  markEventsPublished(eventIds: string[], at: string) {
    return this.outbox.markEventsPublished(eventIds, at);
  }
  markEventsDeadLettered(entries: { eventId: string; reason: string }[], at: string) {
    return this.outbox.markEventsDeadLettered(entries, at);
  }
  listEventsFor(subject: string) {
    return this.outbox.listEventsFor(subject);
  }

  // ---- IntegrationStore ----

  recordIntegration(integration: Integration, events: OutboxEvent[]) {
    return this.integrations.recordIntegration(integration, events);
  }
  getIntegration(id: IntegrationId) {
    return this.integrations.getIntegration(id);
  }
  listIntegrations() {
    return this.integrations.listIntegrations();
  }
  updateIntegration(update: IntegrationUpdate) {
    return this.integrations.updateIntegration(update);
  }
}
