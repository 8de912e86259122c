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
import type { ConnectionReport, SecretRefSwitch } from '../../ports/connection-store.js';
import type { IntegrationStore, IntegrationUpdate } from '../../ports/integration-store.js';
import type {
  AccountView,
  ConnectionRemoval,
  ConnectionUpdate,
  ProvisionInput,
  StateStore,
} from '../../ports/state-store.js';
import { DynamoAccountStore } from './dynamo-account-store.js';
import { DynamoConnectionStore } from './dynamo-connection-store.js';
import { DynamoIntegrationStore } from './dynamo-integration-store.js';
import { DynamoOutboxStore } from './dynamo-outbox-store.js';
import { DynamoTable, type DynamoTableOptions } from './dynamo-table.js';

export type DynamoStateStoreOptions = DynamoTableOptions;

/**
 * The whole state on one DynamoDB table (layout: state-table.ts), as composition roots hand it
 * out: the four parts (AccountStore, ConnectionStore, OutboxStore, IntegrationStore) over one
 * DynamoTable (dynamo-table.ts). State changes and their outbox events share one
 * TransactWriteItems; every event Put is conditioned on the event not existing, and a replayed
 * transaction (cancelled because it already happened) returns the idempotent outcome instead of
 * failing.
 */
export class DynamoStateStore implements StateStore, IntegrationStore {
  readonly table: DynamoTable;
  readonly accounts: DynamoAccountStore;
  readonly connections: DynamoConnectionStore;
  readonly outbox: DynamoOutboxStore;
  readonly integrations: DynamoIntegrationStore;

  constructor(options: DynamoStateStoreOptions) {
    this.table = new DynamoTable(options);
    const parts = { table: this.table };
    this.accounts = new DynamoAccountStore(parts);
    this.connections = new DynamoConnectionStore(parts);
    this.outbox = new DynamoOutboxStore(parts);
    this.integrations = new DynamoIntegrationStore(parts);
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
