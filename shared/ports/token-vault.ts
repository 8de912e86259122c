import type { ConnectionId } from '../domain/model.js';

/**
 * Where connection tokens live (Secrets Manager; locally an owner-only directory).
 * One secret per connection, named from its id, so storing twice stores once.
 */
export interface TokenVault {
  /** Stores the token unless a secret for the connection exists (restoring one scheduled for deletion). */
  put(connectionId: ConnectionId, token: string): Promise<{ ref: string; created: boolean }>;
  get(connectionId: ConnectionId): Promise<string | undefined>;
  /**
   * Schedules the secret's deletion after `recoveryDays`; `put` of the same connection within
   * the window restores it. Already scheduled or already gone is not an error.
   */
  scheduleDeletion(connectionId: ConnectionId, recoveryDays: number): Promise<void>;
}
