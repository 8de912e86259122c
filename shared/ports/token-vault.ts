import type { ConnectionId, IntegrationId } from '../domain/model.js';

/**
 * Where connection tokens live (Secrets Manager; locally an owner-only directory).
 * One secret per connection, named from its id, so storing twice stores once.
 */
export interface TokenVault {
  /**
   * Where a connection's token is (or will be) kept, known before it is stored, so a discovery is
   * recorded before its secret exists and a crash in between leaves no secret nobody knows of.
   * Secrets Manager: the secret's name (a SecretId); locally `local-vault:<id>`.
   */
  refFor(connectionId: ConnectionId): string;
  /** Stores the token unless a secret for the connection exists (restoring one scheduled for deletion). */
  put(connectionId: ConnectionId, token: string): Promise<{ ref: string; created: boolean }>;
  get(connectionId: ConnectionId): Promise<string | undefined>;
  /**
   * Schedules the secret's deletion after `recoveryDays`; `put` of the same connection within
   * the window restores it. Already scheduled or already gone is not an error.
   */
  scheduleDeletion(connectionId: ConnectionId, recoveryDays: number): Promise<void>;
  /**
   * Keeps a secret scheduled for deletion after all (a removal that turned out stale). No secret,
   * or one not scheduled, is not an error.
   */
  cancelDeletion(connectionId: ConnectionId): Promise<void>;
}

/**
 * Where Connector API access tokens live: the same store as connection tokens (one secret per
 * integration, named from its id under the same prefix), kept apart from connection tokens by id.
 */
export interface IntegrationTokenVault {
  /**
   * Stores the integration's access token: creates the secret, or gives an existing one (or one
   * scheduled for deletion) this token when it holds another (Mews regenerated it). Idempotent.
   */
  putIntegrationToken(
    integrationId: IntegrationId,
    token: string,
  ): Promise<{ ref: string; created: boolean }>;
  getIntegrationToken(integrationId: IntegrationId): Promise<string | undefined>;
  /** As TokenVault.scheduleDeletion: restorable by a put within the window. */
  scheduleIntegrationTokenDeletion(integrationId: IntegrationId, recoveryDays: number): Promise<void>;
}

/** One page of a sweep of expired tokens. */
export interface SweepPage {
  /** Ids (connection or integration) whose token was deleted for good. */
  deleted: (ConnectionId | IntegrationId)[];
  /** Tokens on this page still within their recovery window. */
  pending: number;
  /** Where the next page starts; absent on the last page. */
  cursor?: string;
}

/**
 * A vault whose store has no recovery window of its own (Parameter Store): scheduled deletions
 * are carried out by a sweep. Secrets Manager deletes by itself and has no such port.
 */
export interface ExpiredTokenSweep {
  /** Deletes for good the tokens (of this page) whose recovery window ended by `now`. Idempotent. */
  deleteExpired(now: Date, cursor?: string): Promise<SweepPage>;
}
