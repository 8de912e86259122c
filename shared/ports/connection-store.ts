import type {
  AccountId,
  ConfigurationState,
  Connection,
  ConnectionId,
  ConnectionStatus,
  Discovery,
  Membership,
  OutboxEvent,
} from '../domain/model.js';

/** A connection's first provisioning (from discovered, or removed before it was ever provisioned). */
export interface ProvisionInput {
  connectionId: ConnectionId;
  /** The version the decision read; anything else means it is stale (or replayed). */
  expectedVersion: number;
  /** Its membership is marked synced in the same transaction (skipped if it has gone). */
  accountId: AccountId;
  secretRef: string;
  configuration: ConfigurationState;
  /** The full configuration, stored as a compressed snapshot keyed by its digest. */
  snapshot: unknown;
  at: string;
  events: OutboxEvent[];
}

/** A lifecycle change of a provisioned connection (changed, deactivated, reactivated). */
export interface ConnectionUpdate {
  connectionId: ConnectionId;
  /** The version the decision read; anything else means it is stale (or replayed). */
  expectedVersion: number;
  status: Exclude<ConnectionStatus, 'discovered' | 'removed'>;
  /** A newly fetched configuration; its snapshot is stored under its digest. */
  configuration?: { state: ConfigurationState; snapshot: unknown };
  at: string;
  events: OutboxEvent[];
}

/**
 * A confirmed removal. Applied only if the connection is still at `expectedVersion` AND its
 * memberships are exactly `members`, each still confirmed missing: a membership added, re-listed
 * or dropped since the decision makes it stale. Every membership goes with it.
 */
export interface ConnectionRemoval {
  connectionId: ConnectionId;
  expectedVersion: number;
  members: AccountId[];
  at: string;
  events: OutboxEvent[];
}

/**
 * A connection's token moved to another store (the token migration): the reference changes if the
 * connection is still at `expectedVersion` and still names `from`. It bumps the version, so a
 * change decided from the old reference (a provisioning carrying it) is stale. `events` (the
 * `Connection Token Moved` telling subscribers the new reference) are written with it.
 */
export interface SecretRefSwitch {
  connectionId: ConnectionId;
  expectedVersion: number;
  from: string;
  to: string;
  events: OutboxEvent[];
}

/**
 * A fact about a connection with no state change (Provisioning Failed): its events are written
 * only while the connection is still at `expectedVersion`, so a report decided before a concurrent
 * change (a provisioning) is stale. Event ids already stored are skipped: a report's ids are keyed
 * by the version, so a replay at the same version writes nothing again and is still 'applied'.
 */
export interface ConnectionReport {
  connectionId: ConnectionId;
  expectedVersion: number;
  events: OutboxEvent[];
}

/**
 * Connections, the accounts' memberships of them, and their configuration snapshots. A
 * connection carries a version bumped by every applied change; changes are conditional on it.
 */
export interface ConnectionStore {
  /**
   * Records connections newly listed by an account: a pending membership for each, and the
   * connection itself (status discovered) unless it is already known. Idempotent.
   */
  recordDiscoveries(accountId: AccountId, discoveries: Discovery[], at: string): Promise<void>;
  /** Sets missingPolls on memberships (0 when listed again); absent memberships are skipped. */
  updateMissingPolls(
    accountId: AccountId,
    counts: { connectionId: ConnectionId; missingPolls: number }[],
  ): Promise<void>;

  getConnection(id: ConnectionId): Promise<Connection | undefined>;
  listConnections(): Promise<Connection[]>;
  getMembership(accountId: AccountId, connectionId: ConnectionId): Promise<Membership | undefined>;
  /** Every account's membership of a connection (who lists it), for removal decisions. */
  listMembershipsOf(connectionId: ConnectionId): Promise<Membership[]>;

  recordProvisioned(input: ProvisionInput): Promise<'applied' | 'stale'>;
  updateConnection(update: ConnectionUpdate): Promise<'applied' | 'stale'>;
  removeConnection(removal: ConnectionRemoval): Promise<'applied' | 'stale'>;
  /**
   * The account no longer lists the connection while another account does: its membership goes,
   * if it is still confirmed missing ('stale' otherwise: it was listed again meanwhile).
   */
  leaveConnection(accountId: AccountId, connectionId: ConnectionId): Promise<'applied' | 'stale'>;
  switchSecretRef(change: SecretRefSwitch): Promise<'applied' | 'stale'>;
  /** Writes a report's events if the connection is still at the version ('stale' otherwise, nothing written). */
  reportConnection(report: ConnectionReport): Promise<'applied' | 'stale'>;

  /** Marks the membership synced; an absent one (account removed meanwhile) stays absent. */
  markMembershipSynced(accountId: AccountId, connectionId: ConnectionId): Promise<void>;
  /** Every membership of the connection to awaiting-token: the next poll of each stores its token again. */
  markMembershipsAwaitingToken(connectionId: ConnectionId): Promise<void>;

  /** Stored snapshot of a connection's configuration, by digest. */
  getSnapshot(connectionId: ConnectionId, digest: string): Promise<unknown | undefined>;
}
