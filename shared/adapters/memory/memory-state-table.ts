import { gzipSync } from 'node:zlib';
import type {
  Account,
  AccountId,
  Connection,
  ConnectionId,
  Integration,
  IntegrationId,
  Membership,
  OutboxEvent,
} from '../../domain/model.js';
import {
  DuplicateEventError,
  MAX_SNAPSHOT_BYTES,
  MAX_TRANSACTION_ITEMS,
  SnapshotTooLargeError,
} from '../../ports/store-errors.js';

/**
 * The in-memory state table the in-memory AccountStore, ConnectionStore, OutboxStore and
 * IntegrationStore share, as the DynamoDB adapters share one table. It holds copies: nothing a
 * caller passes in or gets back aliases what is stored.
 *
 * Its helpers mirror the DynamoDB adapter's rules, so the parts behave the same way: the same
 * per-transaction item limit (checked before anything else), the same duplicate-event rule
 * (a state change whose conditions hold but whose event id is already stored writes nothing and
 * throws DuplicateEventError), the same snapshot encoding (JSON, at most MAX_SNAPSHOT_BYTES
 * gzip-compressed) and history (the newest SNAPSHOT_HISTORY per connection), the same orders
 * (by id; events by `<time>#<eventId>`).
 *
 * The parts do all of a call's work synchronously after one `await`, so a call is atomic:
 * all-or-nothing, never observed half done.
 */

/** Snapshots kept per connection: the current one and a few before it (as the state table). */
const SNAPSHOT_HISTORY = 5;

export interface StoredEvent {
  eventId: string;
  detailType: string;
  subject: string;
  time: string;
  /** As JSON text, as the state table keeps it: it round-trips exactly. */
  detail: string;
  /** `<time>#<eventId>`: the order of the pending list and of replays. */
  order: string;
  publishedAt: string | null;
  /** Set (with the reason) when the bus can never take it: off the pending list, still replayable. */
  deadLetteredAt: string | null;
  deadLetterReason: string | null;
}

interface StoredSnapshot {
  json: string;
  createdAt: string;
}

/** Everything the table holds, as plain copies (for test invariants and debugging). */
export interface MemoryStateDump {
  accounts: Account[];
  memberships: Membership[];
  connections: Connection[];
  snapshots: { connectionId: ConnectionId; digest: string; createdAt: string; snapshot: unknown }[];
  events: (OutboxEvent & {
    publishedAt: string | null;
    deadLetteredAt: string | null;
    deadLetterReason: string | null;
  })[];
  integrations: Integration[];
}

const byKey =
  <T>(key: (value: T) => string) =>
  (a: T, b: T) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };

function getOrAdd<K, K2, V>(map: Map<K, Map<K2, V>>, key: K): Map<K2, V> {
  let inner = map.get(key);
  if (!inner) {
    inner = new Map();
    map.set(key, inner);
  }
  return inner;
}

export class MemoryStateTable {
  readonly accounts = new Map<AccountId, Account>();
  readonly connections = new Map<ConnectionId, Connection>();
  readonly integrations = new Map<IntegrationId, Integration>();
  readonly events = new Map<string, StoredEvent>();
  readonly #memberships = new Map<AccountId, Map<ConnectionId, Membership>>();
  /** The same membership objects, by connection (the state table's members-of index). */
  readonly #membersOf = new Map<ConnectionId, Map<AccountId, Membership>>();
  readonly #snapshots = new Map<ConnectionId, Map<string, StoredSnapshot>>();

  // ---- memberships ----

  membership(accountId: AccountId, connectionId: ConnectionId): Membership | undefined {
    return this.#memberships.get(accountId)?.get(connectionId);
  }

  /** The account's memberships, by connection id. */
  membershipsOfAccount(accountId: AccountId): Membership[] {
    return [...(this.#memberships.get(accountId)?.values() ?? [])].sort(byKey((m) => m.connectionId));
  }

  /** Every account's membership of the connection, by account id. */
  membershipsOfConnection(connectionId: ConnectionId): Membership[] {
    return [...(this.#membersOf.get(connectionId)?.values() ?? [])].sort(byKey((m) => m.accountId));
  }

  putMembership(membership: Membership): void {
    getOrAdd(this.#memberships, membership.accountId).set(membership.connectionId, membership);
    getOrAdd(this.#membersOf, membership.connectionId).set(membership.accountId, membership);
  }

  deleteMembership(accountId: AccountId, connectionId: ConnectionId): boolean {
    const ofAccount = this.#memberships.get(accountId);
    const existed = ofAccount?.delete(connectionId) ?? false;
    if (ofAccount?.size === 0) this.#memberships.delete(accountId);
    const ofConnection = this.#membersOf.get(connectionId);
    ofConnection?.delete(accountId);
    if (ofConnection?.size === 0) this.#membersOf.delete(connectionId);
    return existed;
  }

  // ---- snapshots ----

  /** The JSON a snapshot is stored as; throws (writing nothing) when it cannot be stored. */
  encodeSnapshot(connectionId: ConnectionId, digest: string, snapshot: unknown): string {
    const json = JSON.stringify(snapshot);
    if (json === undefined) throw new TypeError(`snapshot of ${connectionId} is not JSON-serializable`);
    // gzip never grows a text by more than a few bytes per 16 KB block: compress only near the limit.
    if (Buffer.byteLength(json, 'utf8') > MAX_SNAPSHOT_BYTES - 4096) {
      const compressed = gzipSync(json).byteLength;
      if (compressed > MAX_SNAPSHOT_BYTES) throw new SnapshotTooLargeError(connectionId, digest, compressed);
    }
    return json;
  }

  putSnapshot(connectionId: ConnectionId, digest: string, json: string, at: string): void {
    getOrAdd(this.#snapshots, connectionId).set(digest, { json, createdAt: at });
  }

  snapshot(connectionId: ConnectionId, digest: string): unknown | undefined {
    const stored = this.#snapshots.get(connectionId)?.get(digest);
    return stored ? JSON.parse(stored.json) : undefined;
  }

  /** Keeps the newest SNAPSHOT_HISTORY snapshots (by createdAt; ties in digest order), as the state table. */
  pruneSnapshots(connectionId: ConnectionId): void {
    const ofConnection = this.#snapshots.get(connectionId);
    if (!ofConnection) return;
    const old = [...ofConnection.entries()]
      .sort(byKey(([digest]) => digest))
      .sort(([, a], [, b]) => b.createdAt.localeCompare(a.createdAt))
      .slice(SNAPSHOT_HISTORY);
    for (const [digest] of old) ofConnection.delete(digest);
  }

  // ---- events ----

  /**
   * The checks a state change with events makes before anything else: no event id twice in one
   * write, and the state items plus the events fit one transaction.
   */
  checkEvents(events: OutboxEvent[], stateItems: number): void {
    uniqueEventIds(events);
    if (events.length + stateItems > MAX_TRANSACTION_ITEMS) {
      throw new RangeError(
        `${events.length} events do not fit one transaction with its state change ` +
          `(at most ${MAX_TRANSACTION_ITEMS - stateItems})`,
      );
    }
  }

  /** Throws DuplicateEventError (the caller writes nothing then) if an event id is stored already. */
  requireNewEvents(events: OutboxEvent[]): void {
    const duplicates = events.filter((e) => this.events.has(e.eventId)).map((e) => e.eventId);
    if (duplicates.length > 0) throw new DuplicateEventError(duplicates);
  }

  /** Stores the event unless its id is stored already; true when it was new. */
  putEvent(event: OutboxEvent): boolean {
    if (this.events.has(event.eventId)) return false;
    this.events.set(event.eventId, {
      eventId: event.eventId,
      detailType: event.detailType,
      subject: event.subject,
      time: event.time,
      detail: JSON.stringify(event.detail),
      order: `${event.time}#${event.eventId}`,
      publishedAt: null,
      deadLetteredAt: null,
      deadLetterReason: null,
    });
    return true;
  }

  /** Events matching `filter`, in `<time>#<eventId>` order. */
  eventsWhere(filter: (event: StoredEvent) => boolean): StoredEvent[] {
    return [...this.events.values()].filter(filter).sort(byKey((e) => e.order));
  }

  // ---- inspection ----

  /** A copy of everything held: for test invariants (e.g. "no token anywhere in the state"). */
  dump(): MemoryStateDump {
    const sortedValues = <K, V>(map: Map<K, V>, key: (v: V) => string) =>
      [...map.values()].sort(byKey(key)).map((v) => structuredClone(v));
    return {
      accounts: sortedValues(this.accounts, (a) => a.id),
      memberships: [...this.#memberships.keys()]
        .sort()
        .flatMap((id) => this.membershipsOfAccount(id))
        .map((m) => structuredClone(m)),
      connections: sortedValues(this.connections, (c) => c.id),
      snapshots: [...this.#snapshots.entries()]
        .sort(byKey(([id]) => id))
        .flatMap(([connectionId, ofConnection]) =>
          [...ofConnection.entries()].sort(byKey(([digest]) => digest)).map(([digest, s]) => ({
            connectionId,
            digest,
            createdAt: s.createdAt,
            snapshot: JSON.parse(s.json),
          })),
        ),
      events: this.eventsWhere(() => true).map((e) => ({
        ...readEvent(e),
        publishedAt: e.publishedAt,
        deadLetteredAt: e.deadLetteredAt,
        deadLetterReason: e.deadLetterReason,
      })),
      integrations: sortedValues(this.integrations, (i) => i.id),
    };
  }
}

export function readEvent(stored: StoredEvent): OutboxEvent {
  return {
    eventId: stored.eventId,
    detailType: stored.detailType,
    subject: stored.subject,
    time: stored.time,
    detail: JSON.parse(stored.detail) as Record<string, unknown>,
  };
}

export function uniqueEventIds(events: OutboxEvent[]): void {
  const seen = new Set<string>();
  for (const event of events) {
    if (seen.has(event.eventId)) throw new Error(`event ${event.eventId} appears twice in one write`);
    seen.add(event.eventId);
  }
}

/** The account as the state table keeps it (its fields only; absent label and hold read as null). */
export function storedAccount(account: Account): Account {
  return structuredClone({
    id: account.id,
    email: account.email,
    label: account.label ?? null,
    createdAt: account.createdAt,
    registration: account.registration,
    access: account.access,
    accessVersion: account.accessVersion,
    hold: account.hold ?? null,
  });
}

/** The integration as the state table keeps it. */
export function storedIntegration(integration: Integration): Integration {
  return structuredClone({
    id: integration.id,
    mewsId: integration.mewsId,
    name: integration.name,
    enterprise: integration.enterprise,
    service: integration.service ?? null,
    enabled: integration.enabled,
    canceled: integration.canceled,
    deletedAt: integration.deletedAt ?? null,
    version: integration.version,
    createdUtc: integration.createdUtc,
    recordedAt: integration.recordedAt,
    changedAt: integration.changedAt ?? null,
    secretRef: integration.secretRef,
    enterpriseConfiguration: integration.enterpriseConfiguration ?? null,
  });
}
