import type {
  Account,
  AccountAccess,
  AccountHold,
  AccountId,
  ConfigurationState,
  Connection,
  ConnectionId,
  ConnectionStatus,
  Discovery,
  Membership,
  OutboxEvent,
} from '../domain/model.js';

export interface AccountView {
  account: Account;
  memberships: Membership[];
}

export interface ProvisionInput {
  connectionId: ConnectionId;
  accountId: AccountId;
  secretRef: string;
  configuration: ConfigurationState;
  /** The full configuration, stored as a compressed snapshot keyed by its digest. */
  snapshot: unknown;
  at: string;
  events: OutboxEvent[];
}

/** A lifecycle change of a provisioned connection, applied only if it is still as expected. */
export interface ConnectionUpdate {
  connectionId: ConnectionId;
  /** The state the change was computed from; anything else means it is stale (or replayed). */
  expected: { status: ConnectionStatus; digest: string | null };
  status: ConnectionStatus;
  /** A newly fetched configuration; its snapshot is stored under its digest. */
  configuration?: { state: ConfigurationState; snapshot: unknown };
  /** Memberships to delete with the change (a confirmed removal takes every one). */
  dropMemberships?: AccountId[];
  at: string;
  events: OutboxEvent[];
}

/**
 * The service's state. Every method that changes state and emits events does both in
 * one transaction (transactional outbox), and is idempotent: repeating it changes nothing.
 */
export interface StateStore {
  /** Places a hold unless one is in place; events go out with it. False when already held. */
  placeAccountHold(id: AccountId, hold: AccountHold, events: OutboxEvent[]): Promise<boolean>;
  /** Marks the hold released by an operator. False when the account has no hold. */
  releaseAccountHold(id: AccountId): Promise<boolean>;
  clearAccountHold(id: AccountId): Promise<void>;

  /** Registers the account unless one with the same id exists. */
  addAccount(account: Account): Promise<'created' | 'exists'>;
  removeAccount(id: AccountId): Promise<boolean>;
  getAccount(id: AccountId): Promise<Account | undefined>;
  listAccounts(): Promise<Account[]>;

  /** The account and every connection it lists, in one query. */
  getAccountView(id: AccountId): Promise<AccountView | undefined>;

  /**
   * Moves the account's access to `access` if its accessVersion is still `expectedVersion`,
   * writing `events` in the same transaction. False when another writer got there first.
   */
  changeAccountAccess(
    id: AccountId,
    access: AccountAccess,
    expectedVersion: number,
    events: OutboxEvent[],
  ): Promise<boolean>;

  /**
   * Records connections newly listed by an account: a pending membership for each, and the
   * connection itself (status discovered) unless it is already known. Idempotent.
   */
  recordDiscoveries(accountId: AccountId, discoveries: Discovery[], at: string): Promise<void>;

  /** Sets missingPolls on memberships (0 when listed again). */
  updateMissingPolls(
    accountId: AccountId,
    counts: { connectionId: ConnectionId; missingPolls: number }[],
  ): Promise<void>;

  getConnection(id: ConnectionId): Promise<Connection | undefined>;
  listConnections(): Promise<Connection[]>;
  getMembership(accountId: AccountId, connectionId: ConnectionId): Promise<Membership | undefined>;

  /**
   * In one transaction: the connection becomes provisioned with its configuration, the
   * snapshot is stored, the account's membership is synced, and `events` enter the outbox.
   * 'already-provisioned' (nothing written but the membership) when it was provisioned before.
   */
  recordProvisioned(input: ProvisionInput): Promise<'provisioned' | 'already-provisioned'>;

  /** The account no longer lists the connection (another account still does). */
  deleteMembership(accountId: AccountId, connectionId: ConnectionId): Promise<void>;

  /** Every account's membership of a connection (who lists it), for removal decisions. */
  listMembershipsOf(connectionId: ConnectionId): Promise<Membership[]>;

  /**
   * Applies a lifecycle change (configuration changed, deactivated, reactivated, removed) and its
   * events in one transaction, if the connection is still in `expected`. 'stale' writes nothing.
   */
  updateConnection(update: ConnectionUpdate): Promise<'applied' | 'stale'>;

  /** Marks the membership synced (a second account's discovery of a provisioned connection). */
  markMembershipSynced(accountId: AccountId, connectionId: ConnectionId): Promise<void>;

  /** Stored snapshot of a connection's configuration, by digest. */
  getSnapshot(connectionId: ConnectionId, digest: string): Promise<unknown | undefined>;

  /**
   * Puts events into the outbox with no state change (facts like a failed provisioning).
   * An event whose id is already stored is skipped. Returns how many were new.
   */
  appendEvents(events: OutboxEvent[]): Promise<number>;

  /** Outbox events not yet published, oldest first. */
  listPendingEvents(limit: number): Promise<OutboxEvent[]>;
  markEventsPublished(eventIds: string[], at: string): Promise<void>;
  /** Every outbox event about a subject (connection or account id), oldest first: for replay. */
  listEventsFor(subject: string): Promise<OutboxEvent[]>;
}
