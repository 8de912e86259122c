import type { ConnectionId } from '../domain/model.js';

/**
 * Errors and limits every state store implementation shares (DynamoDB, in memory), so a caller
 * (and the contract suite) sees the same type whichever adapter is behind the port.
 */

/** Items one state change may write at once: DynamoDB's TransactWriteItems limit. */
export const MAX_TRANSACTION_ITEMS = 100;

/** The state change was allowed but an event id is already in the outbox: the caller reused an id. */
export class DuplicateEventError extends Error {
  constructor(readonly eventIds: string[]) {
    super(
      `outbox already holds event(s) ${eventIds.join(', ')} from another state change; nothing was written`,
    );
    this.name = 'DuplicateEventError';
  }
}

/** recordProvisioned of a connection the store has never seen: its discovery must come first. */
export class ConnectionNotDiscoveredError extends Error {
  constructor(readonly connectionId: ConnectionId) {
    super(
      `connection ${connectionId} is not in the state table: record its discovery before provisioning it`,
    );
    this.name = 'ConnectionNotDiscoveredError';
  }
}

/** Largest gzip-compressed configuration snapshot a store keeps (DynamoDB's item limit is 400 KB). */
export const MAX_SNAPSHOT_BYTES = 350 * 1024;

/** A configuration snapshot too big for the state table, even compressed. Nothing was written. */
export class SnapshotTooLargeError extends Error {
  constructor(
    readonly connectionId: ConnectionId,
    readonly digest: string,
    readonly compressedBytes: number,
  ) {
    super(
      `configuration snapshot of ${connectionId} (digest ${digest}) is ${compressedBytes} bytes gzip-compressed; ` +
        `the state table keeps at most ${MAX_SNAPSHOT_BYTES} (S3 storage for large snapshots is not built yet)`,
    );
    this.name = 'SnapshotTooLargeError';
  }
}
