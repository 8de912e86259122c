import type { ConnectionId } from '../domain/model.js';

/**
 * Where connection tokens live (Secrets Manager; locally an owner-only directory).
 * One secret per connection, named from its id, so storing twice stores once.
 */
export interface TokenVault {
  /** Stores the token unless a secret for the connection exists. Returns its reference. */
  put(connectionId: ConnectionId, token: string): Promise<{ ref: string; created: boolean }>;
  get(connectionId: ConnectionId): Promise<string | undefined>;
}
