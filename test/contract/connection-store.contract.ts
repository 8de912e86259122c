import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { REMOVAL_CONFIRMATIONS } from '../../shared/domain/lifecycle/connection-lifecycle.js';
import type { AccountId, ConnectionId, Discovery } from '../../shared/domain/model.js';
import type { ConnectionRemoval, ConnectionUpdate } from '../../shared/ports/connection-store.js';
import {
  ConnectionNotDiscoveredError,
  DuplicateEventError,
  SnapshotTooLargeError,
} from '../../shared/ports/store-errors.js';
import {
  account,
  accountId,
  configuration,
  configurationState,
  connectionId,
  discovery,
  event,
  events,
  provisionInput,
  type StateStoreFactory,
  type StateStoreUnderTest,
  seeded,
  stateOf,
} from './state-fixtures.js';

const CONFIRMED = REMOVAL_CONFIRMATIONS;

/** ConnectionStore: what every implementation must do. */
export function connectionStoreContract(makeStore: StateStoreFactory): void {
  let store: StateStoreUnderTest;
  beforeAll(async () => {
    store = await makeStore();
  }, 120_000);

  /** A connection provisioned by `acc` (version 1). */
  async function provisioned(count = 1) {
    const seed = await seeded(store, count);
    const e = event(seed.con, '2025-01-02T00:00:01.000Z');
    expect(await store.recordProvisioned(provisionInput(seed.acc.id, seed.con, [e]))).toBe('applied');
    return { ...seed, provisionedEvent: e };
  }

  /** A connection listed by `n` accounts, each membership confirmed missing (unless `listed`). */
  async function listedBy(n: number, options: { provision?: boolean; listed?: number } = {}) {
    const con = connectionId();
    const d = discovery(con);
    const members: AccountId[] = [];
    for (let i = 0; i < n; i++) {
      const acc = account();
      await store.addAccount(acc);
      await store.recordDiscoveries(acc.id, [d], `2025-01-01T10:00:0${i}.000Z`);
      members.push(acc.id);
    }
    let version = 0;
    if (options.provision) {
      const first = members[0] as AccountId;
      expect(await store.recordProvisioned(provisionInput(first, con, []))).toBe('applied');
      version = 1;
    }
    for (const [i, acc] of members.entries()) {
      const missingPolls = i < (options.listed ?? 0) ? 0 : CONFIRMED;
      await store.updateMissingPolls(acc, [{ connectionId: con, missingPolls }]);
    }
    return { con, members, version };
  }

  function removal(
    con: ConnectionId,
    version: number,
    members: AccountId[],
    withEvents = 1,
  ): ConnectionRemoval {
    return {
      connectionId: con,
      expectedVersion: version,
      members,
      at: '2025-02-01T00:00:00.000Z',
      events: events(con, withEvents).map((e) => ({ ...e, detailType: 'Connection Removed' })),
    };
  }

  function update(
    con: ConnectionId,
    version: number,
    overrides: Partial<ConnectionUpdate> = {},
  ): ConnectionUpdate {
    return {
      connectionId: con,
      expectedVersion: version,
      status: 'provisioned',
      at: '2025-01-10T00:00:00.000Z',
      events: [event(con, '2025-01-10T00:00:00.000Z', { detailType: 'Connection Configuration Changed' })],
      ...overrides,
    };
  }

  describe('recordDiscoveries', () => {
    it('records a pending membership and the discovered connection (version 0)', async () => {
      const { acc, discoveries, con } = await seeded(store, 1);
      const d = discoveries[0] as Discovery;
      expect(await store.getMembership(acc.id, con)).toEqual({
        accountId: acc.id,
        connectionId: con,
        status: 'pending',
        propertyId: d.propertyId,
        propertyName: d.propertyName,
        connectionName: d.connectionName,
        firstSeenAt: '2025-01-01T10:00:00.000Z',
        missingPolls: 0,
      });
      expect(await store.getConnection(con)).toEqual({
        id: con,
        status: 'discovered',
        propertyId: d.propertyId,
        propertyName: d.propertyName,
        name: d.connectionName,
        discoveredBy: acc.id,
        discoveredAt: '2025-01-01T10:00:00.000Z',
        provisionedAt: null,
        changedAt: null,
        version: 0,
        secretRef: d.secretRef,
        configuration: null,
      });
      expect(await store.getMembership(acc.id, connectionId())).toBeUndefined();
      expect(await store.getConnection(connectionId())).toBeUndefined();
    });

    it('is idempotent: a replay changes neither memberships nor connections', async () => {
      const { acc, discoveries, con } = await seeded(store, 2);
      await store.markMembershipSynced(acc.id, con);
      await store.updateMissingPolls(acc.id, [{ connectionId: con, missingPolls: 1 }]);
      const before = await store.getAccountView(acc.id);
      const connectionBefore = await store.getConnection(con);
      await store.recordDiscoveries(acc.id, discoveries, '2025-02-01T00:00:00.000Z');
      expect(await store.getAccountView(acc.id)).toEqual(before);
      expect(await store.getConnection(con)).toEqual(connectionBefore);
    });

    it('one connection listed twice in one call is one membership', async () => {
      const acc = account();
      await store.addAccount(acc);
      const con = connectionId();
      await store.recordDiscoveries(
        acc.id,
        [discovery(con, 1), discovery(con, 1)],
        '2025-01-01T00:00:00.000Z',
      );
      expect((await store.getAccountView(acc.id))?.memberships).toHaveLength(1);
    });

    it("a second account's discovery adds its membership but keeps the connection as first found", async () => {
      const { acc, discoveries, con } = await seeded(store, 1);
      const other = account();
      await store.addAccount(other);
      await store.recordDiscoveries(other.id, discoveries, '2025-03-01T00:00:00.000Z');
      expect((await store.getMembership(other.id, con))?.firstSeenAt).toBe('2025-03-01T00:00:00.000Z');
      expect(await store.getConnection(con)).toMatchObject({ discoveredBy: acc.id, version: 0 });
      expect((await store.listMembershipsOf(con)).map((m) => m.accountId).sort()).toEqual(
        [acc.id, other.id].sort(),
      );
    });

    it('a removed connection listed again stays removed (at its version) and gets the membership', async () => {
      const { con, members, version } = await listedBy(1, { provision: true });
      expect(await store.removeConnection(removal(con, version, members, 0))).toBe('applied');
      const acc = members[0] as AccountId;
      await store.recordDiscoveries(acc, [discovery(con)], '2025-03-01T00:00:00.000Z');
      expect(await store.getConnection(con)).toMatchObject({ status: 'removed', version: version + 1 });
      expect(await store.getMembership(acc, con)).toMatchObject({ status: 'pending', missingPolls: 0 });
    });

    it('records 1,234 discoveries, after a partial run, idempotently', async () => {
      const own = await makeStore();
      const acc = account();
      await own.addAccount(acc);
      const discoveries = Array.from({ length: 1234 }, (_, i) => discovery(connectionId(), i));
      // a first, partial run (as if the poll crashed), then the full one
      await own.recordDiscoveries(acc.id, discoveries.slice(0, 600), '2025-01-01T00:00:00.000Z');
      await own.recordDiscoveries(acc.id, discoveries, '2025-01-01T00:00:05.000Z');
      const view = await own.getAccountView(acc.id);
      expect(view?.memberships).toHaveLength(1234);
      expect(new Set(view?.memberships.map((m) => m.firstSeenAt))).toEqual(
        new Set(['2025-01-01T00:00:00.000Z', '2025-01-01T00:00:05.000Z']),
      );
      const connections = await own.listConnections();
      expect(connections).toHaveLength(1234);
      expect(connections.every((c) => c.status === 'discovered' && c.discoveredBy === acc.id)).toBe(true);
    }, 180_000);
  });

  describe('updateMissingPolls', () => {
    it('sets the counts, skipping (not creating) memberships that do not exist', async () => {
      const { acc, discoveries } = await seeded(store, 2);
      const [a, b] = discoveries.map((d) => d.connectionId) as [ConnectionId, ConnectionId];
      const ghost = connectionId();
      await store.updateMissingPolls(acc.id, [
        { connectionId: a, missingPolls: 2 },
        { connectionId: b, missingPolls: 0 },
        { connectionId: ghost, missingPolls: 1 },
      ]);
      expect((await store.getMembership(acc.id, a))?.missingPolls).toBe(2);
      expect((await store.getMembership(acc.id, b))?.missingPolls).toBe(0);
      expect(await store.getMembership(acc.id, ghost)).toBeUndefined();
      await store.updateMissingPolls(acc.id, [{ connectionId: a, missingPolls: 0 }]);
      expect((await store.getMembership(acc.id, a))?.missingPolls).toBe(0);
      expect((await store.getConnection(a))?.version).toBe(0);
    });
  });

  describe('reads', () => {
    it('lists connections and who lists one', async () => {
      const { con, members } = await listedBy(3);
      expect((await store.listConnections()).map((c) => c.id)).toContain(con);
      const memberships = await store.listMembershipsOf(con);
      expect(memberships.map((m) => m.accountId).sort()).toEqual([...members].sort());
      expect(memberships.every((m) => m.connectionId === con)).toBe(true);
      expect(await store.listMembershipsOf(connectionId())).toEqual([]);
    });

    it('hands out copies: changing what was read changes nothing stored', async () => {
      const { acc, con } = await seeded(store, 1);
      const read = await store.getConnection(con);
      if (read) read.status = 'removed';
      const membership = await store.getMembership(acc.id, con);
      if (membership) membership.missingPolls = 9;
      expect((await store.getConnection(con))?.status).toBe('discovered');
      expect((await store.getMembership(acc.id, con))?.missingPolls).toBe(0);
    });
  });

  describe('recordProvisioned', () => {
    it('provisions it, bumps the version, stores the snapshot, syncs the membership and queues the event', async () => {
      const { acc, con } = await seeded(store, 1);
      const e = event(con, '2025-01-02T00:00:01.000Z');
      const snapshot = { SpaceCategories: [{ Id: 'a', Names: { 'en-US': 'Double' } }], RatePlans: [] };
      expect(await store.recordProvisioned(provisionInput(acc.id, con, [e], { snapshot }))).toBe('applied');
      expect(await store.getConnection(con)).toMatchObject({
        status: 'provisioned',
        provisionedAt: '2025-01-02T00:00:01.000Z',
        secretRef: `arn:aws:secretsmanager:eu-west-1:123456789012:secret:mews/${con}`,
        configuration,
        version: 1,
      });
      expect((await store.getMembership(acc.id, con))?.status).toBe('synced');
      expect(await store.getSnapshot(con, configuration.digest)).toEqual(snapshot);
      expect(await store.getSnapshot(con, 'other-digest')).toBeUndefined();
      expect(await store.listEventsFor(con)).toEqual([e]);
    });

    it('a replay (or a later sync from the same version) is stale and writes nothing', async () => {
      const { acc, con, provisionedEvent } = await provisioned();
      const before = await stateOf(store, con);
      expect(await store.recordProvisioned(provisionInput(acc.id, con, [provisionedEvent]))).toBe('stale');
      const later = event(con, '2025-01-02T00:09:00.000Z');
      expect(await store.recordProvisioned(provisionInput(acc.id, con, [later]))).toBe('stale');
      // at the current version too: it was provisioned already
      expect(
        await store.recordProvisioned(provisionInput(acc.id, con, [later], { expectedVersion: 1 })),
      ).toBe('stale');
      expect(await stateOf(store, con)).toEqual(before);
    });

    it('a stale expectedVersion writes nothing, not even the membership', async () => {
      const { acc, con } = await seeded(store, 1);
      const before = await stateOf(store, con);
      const e = event(con, '2025-01-02T00:00:01.000Z');
      expect(await store.recordProvisioned(provisionInput(acc.id, con, [e], { expectedVersion: 3 }))).toBe(
        'stale',
      );
      expect(await stateOf(store, con)).toEqual(before);
      expect((await store.getMembership(acc.id, con))?.status).toBe('pending');
      expect(await store.getSnapshot(con, configuration.digest)).toBeUndefined();
    });

    it("syncs only the provisioning account's membership", async () => {
      const { acc, discoveries, con } = await seeded(store, 1);
      const other = account();
      await store.addAccount(other);
      await store.recordDiscoveries(other.id, discoveries, '2025-01-05T00:00:00.000Z');
      await store.recordProvisioned(provisionInput(acc.id, con, [event(con, '2025-01-02T00:00:01.000Z')]));
      expect((await store.getMembership(acc.id, con))?.status).toBe('synced');
      expect((await store.getMembership(other.id, con))?.status).toBe('pending');
    });

    it('concurrent syncs from the same version provision once', async () => {
      const { acc, con } = await seeded(store, 1);
      const results = await Promise.all(
        [1, 2, 3].map((n) =>
          store.recordProvisioned(provisionInput(acc.id, con, [event(con, `2025-01-02T00:00:0${n}.000Z`)])),
        ),
      );
      expect(results.filter((r) => r === 'applied')).toHaveLength(1);
      expect(await store.listEventsFor(con)).toHaveLength(1);
      expect((await store.getConnection(con))?.version).toBe(1);
    });

    it('is atomic: an event id of another state change leaves connection, snapshot and membership untouched', async () => {
      const { acc, con } = await seeded(store, 1);
      const existing = event('elsewhere', '2025-01-01T00:00:00.000Z');
      await store.appendEvents([existing]);
      const before = await stateOf(store, con);
      const input = provisionInput(acc.id, con, [{ ...existing, subject: con }], {
        snapshot: { big: 'snapshot' },
      });
      await expect(store.recordProvisioned(input)).rejects.toThrow(DuplicateEventError);
      expect(await stateOf(store, con)).toEqual(before);
      expect((await store.getMembership(acc.id, con))?.status).toBe('pending');
      expect(await store.getSnapshot(con, configuration.digest)).toBeUndefined();
    });

    it('refuses a connection that was never discovered', async () => {
      const con = connectionId();
      await expect(store.recordProvisioned(provisionInput(accountId(), con, []))).rejects.toThrow(
        ConnectionNotDiscoveredError,
      );
      expect(await store.getConnection(con)).toBeUndefined();
    });

    it('still provisions when the membership vanished (account removed meanwhile), without recreating it', async () => {
      const { acc, con } = await seeded(store, 1);
      await store.removeAccount(acc.id);
      const e = event(con, '2025-01-02T00:00:01.000Z');
      expect(await store.recordProvisioned(provisionInput(acc.id, con, [e]))).toBe('applied');
      expect(await store.getMembership(acc.id, con)).toBeUndefined();
      expect(await store.listEventsFor(con)).toEqual([e]);
      await store.markMembershipSynced(acc.id, con);
      expect(await store.getMembership(acc.id, con)).toBeUndefined();
    });

    it('applies to a connection removed before it was ever provisioned, at its version', async () => {
      const { con, members } = await listedBy(1);
      expect(await store.removeConnection(removal(con, 0, members, 0))).toBe('applied');
      const acc = members[0] as AccountId;
      await store.recordDiscoveries(acc, [discovery(con)], '2025-03-01T00:00:00.000Z');
      expect(await store.recordProvisioned(provisionInput(acc, con, [], { expectedVersion: 0 }))).toBe(
        'stale',
      );
      const e = event(con, '2025-03-01T00:00:01.000Z');
      expect(await store.recordProvisioned(provisionInput(acc, con, [e], { expectedVersion: 1 }))).toBe(
        'applied',
      );
      expect(await store.getConnection(con)).toMatchObject({ status: 'provisioned', version: 2 });
      expect((await store.getMembership(acc, con))?.status).toBe('synced');
    });

    it('does not apply to a connection removed after it was provisioned (that is a reactivation)', async () => {
      const { con, members, version } = await listedBy(1, { provision: true });
      expect(await store.removeConnection(removal(con, version, members, 0))).toBe('applied');
      const before = await stateOf(store, con);
      const e = event(con, '2025-03-01T00:00:01.000Z');
      const input = provisionInput(members[0] as AccountId, con, [e], { expectedVersion: version + 1 });
      expect(await store.recordProvisioned(input)).toBe('stale');
      expect(await stateOf(store, con)).toEqual(before);
    });

    it('fits 97 events with connection, snapshot and membership; 98 are refused before anything is written', async () => {
      const { acc, con } = await seeded(store, 1);
      const before = await stateOf(store, con);
      await expect(store.recordProvisioned(provisionInput(acc.id, con, events(con, 98)))).rejects.toThrow(
        RangeError,
      );
      expect(await stateOf(store, con)).toEqual(before);
      expect(await store.recordProvisioned(provisionInput(acc.id, con, events(con, 97)))).toBe('applied');
      expect(await store.listEventsFor(con)).toHaveLength(97);
    }, 60_000);

    it('round-trips a large configuration snapshot (over 400 KB as JSON)', async () => {
      const { acc, con } = await seeded(store, 1);
      const snapshot = {
        SpaceCategories: Array.from({ length: 4000 }, (_, i) => ({
          Id: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
          Names: { 'en-US': `Room category ${i}` },
          Ordering: i,
          IsActive: i % 3 !== 0,
        })),
      };
      expect(JSON.stringify(snapshot).length).toBeGreaterThan(400 * 1024);
      await store.recordProvisioned(provisionInput(acc.id, con, [], { snapshot }));
      expect(await store.getSnapshot(con, configuration.digest)).toEqual(snapshot);
    });
    it('refuses a snapshot over 350 KB gzip-compressed, writing nothing', async () => {
      const { acc, con } = await seeded(store, 1);
      const before = await stateOf(store, con);
      const snapshot = { noise: randomBytes(400 * 1024).toString('base64') };
      const e = event(con, '2025-01-02T00:00:01.000Z');
      const error = await store
        .recordProvisioned(provisionInput(acc.id, con, [e], { snapshot }))
        .catch((x: unknown) => x);
      expect(error).toBeInstanceOf(SnapshotTooLargeError);
      expect(error).toMatchObject({ connectionId: con, digest: configuration.digest });
      expect(await stateOf(store, con)).toEqual(before);
      expect(await store.getSnapshot(con, configuration.digest)).toBeUndefined();
    });

    it('refuses a snapshot that is not JSON, writing nothing', async () => {
      const { acc, con } = await seeded(store, 1);
      const before = await stateOf(store, con);
      await expect(
        store.recordProvisioned(provisionInput(acc.id, con, [], { snapshot: () => 1 })),
      ).rejects.toThrow(TypeError);
      expect(await stateOf(store, con)).toEqual(before);
    });
  });

  describe('updateConnection', () => {
    it('applies a change at the expected version: status, configuration, snapshot, version and events', async () => {
      const { con } = await provisioned();
      const state = configurationState('sha256-new', '2025-01-10T00:00:00.000Z');
      const snapshot = { SpaceCategories: [{ Id: 'b' }] };
      const change = update(con, 1, { configuration: { state, snapshot } });
      expect(await store.updateConnection(change)).toBe('applied');
      expect(await store.getConnection(con)).toMatchObject({
        status: 'provisioned',
        changedAt: '2025-01-10T00:00:00.000Z',
        configuration: state,
        version: 2,
      });
      expect(await store.getSnapshot(con, 'sha256-new')).toEqual(snapshot);
      expect(await store.getSnapshot(con, configuration.digest)).toBeDefined();
      expect((await store.listEventsFor(con)).map((e) => e.eventId)).toContain(change.events[0]?.eventId);
    });

    it('without a configuration keeps the stored one (deactivation, reactivation)', async () => {
      const { con } = await provisioned();
      expect(await store.updateConnection(update(con, 1, { status: 'deactivated' }))).toBe('applied');
      expect(await store.getConnection(con)).toMatchObject({
        status: 'deactivated',
        configuration,
        version: 2,
      });
      expect(await store.updateConnection(update(con, 2, { status: 'provisioned' }))).toBe('applied');
      expect(await store.getConnection(con)).toMatchObject({
        status: 'provisioned',
        configuration,
        version: 3,
      });
    });

    it('reactivates a removed connection at its version', async () => {
      const { con, members, version } = await listedBy(1, { provision: true });
      expect(await store.removeConnection(removal(con, version, members, 0))).toBe('applied');
      expect(await store.updateConnection(update(con, version + 1))).toBe('applied');
      expect(await store.getConnection(con)).toMatchObject({ status: 'provisioned', version: version + 2 });
    });

    it('a stale version (or a replay) writes nothing', async () => {
      const { con } = await provisioned();
      const change = update(con, 1, { status: 'deactivated' });
      expect(await store.updateConnection(change)).toBe('applied');
      const before = await stateOf(store, con);
      expect(await store.updateConnection(change)).toBe('stale');
      const state = configurationState('sha256-stale');
      expect(
        await store.updateConnection(update(con, 1, { configuration: { state, snapshot: { stale: true } } })),
      ).toBe('stale');
      expect(await store.updateConnection(update(con, 7))).toBe('stale');
      expect(await stateOf(store, con)).toEqual(before);
      expect(await store.getSnapshot(con, 'sha256-stale')).toBeUndefined();
    });

    it('an unknown connection is stale', async () => {
      const con = connectionId();
      expect(await store.updateConnection(update(con, 0))).toBe('stale');
      expect(await store.getConnection(con)).toBeUndefined();
    });

    it('concurrent changes from the same version: exactly one applies', async () => {
      const { con } = await provisioned();
      const results = await Promise.all([
        store.updateConnection(update(con, 1, { status: 'deactivated' })),
        store.updateConnection(update(con, 1)),
        store.updateConnection(update(con, 1, { status: 'deactivated' })),
      ]);
      expect(results.filter((r) => r === 'applied')).toHaveLength(1);
      expect((await store.getConnection(con))?.version).toBe(2);
      expect(await store.listEventsFor(con)).toHaveLength(2);
    });

    it('is atomic: an event id of another state change leaves connection and snapshots untouched', async () => {
      const { con } = await provisioned();
      const existing = event('elsewhere', '2025-01-01T00:00:00.000Z');
      await store.appendEvents([existing]);
      const before = await stateOf(store, con);
      const state = configurationState('sha256-dup');
      const change = update(con, 1, { configuration: { state, snapshot: {} }, events: [existing] });
      await expect(store.updateConnection(change)).rejects.toThrow(DuplicateEventError);
      expect(await stateOf(store, con)).toEqual(before);
      expect(await store.getSnapshot(con, 'sha256-dup')).toBeUndefined();
    });

    it('fits 98 events with connection and snapshot; 99 are refused before anything is written', async () => {
      const { con } = await provisioned();
      const state = configurationState('sha256-many');
      const before = await stateOf(store, con);
      await expect(
        store.updateConnection(
          update(con, 1, { configuration: { state, snapshot: {} }, events: events(con, 99) }),
        ),
      ).rejects.toThrow(RangeError);
      expect(await stateOf(store, con)).toEqual(before);
      expect(
        await store.updateConnection(
          update(con, 1, { configuration: { state, snapshot: {} }, events: events(con, 98) }),
        ),
      ).toBe('applied');
    }, 60_000);
  });

  describe('removeConnection', () => {
    it('removes it with every membership and its events, bumping the version', async () => {
      const { con, members, version } = await listedBy(2, { provision: true });
      const r = removal(con, version, members);
      expect(await store.removeConnection(r)).toBe('applied');
      expect(await store.getConnection(con)).toMatchObject({
        status: 'removed',
        version: version + 1,
        changedAt: r.at,
        configuration,
      });
      expect(await store.listMembershipsOf(con)).toEqual([]);
      for (const acc of members) expect(await store.getMembership(acc, con)).toBeUndefined();
      expect((await store.listEventsFor(con)).map((e) => e.eventId)).toEqual(r.events.map((e) => e.eventId));
    });

    it('a stale expectedVersion writes nothing', async () => {
      const { con, members, version } = await listedBy(2, { provision: true });
      const before = await stateOf(store, con);
      expect(await store.removeConnection(removal(con, version - 1, members))).toBe('stale');
      expect(await store.removeConnection(removal(con, version + 1, members))).toBe('stale');
      expect(await stateOf(store, con)).toEqual(before);
    });

    it('a replay is stale and writes nothing', async () => {
      const { con, members, version } = await listedBy(1, { provision: true });
      const r = removal(con, version, members);
      expect(await store.removeConnection(r)).toBe('applied');
      const before = await stateOf(store, con);
      expect(await store.removeConnection(r)).toBe('stale');
      expect(await stateOf(store, con)).toEqual(before);
    });

    it('is stale when a membership was added since the decision (another account lists it now)', async () => {
      const { con, members, version } = await listedBy(2, { provision: true });
      const newcomer = account();
      await store.addAccount(newcomer);
      await store.recordDiscoveries(newcomer.id, [discovery(con)], '2025-01-20T00:00:00.000Z');
      const before = await stateOf(store, con);
      expect(await store.removeConnection(removal(con, version, members))).toBe('stale');
      expect(await stateOf(store, con)).toEqual(before);
    });

    it('is stale when an added membership is confirmed missing too (the decision did not read it)', async () => {
      const { con, members, version } = await listedBy(2, { provision: true });
      const newcomer = account();
      await store.addAccount(newcomer);
      await store.recordDiscoveries(newcomer.id, [discovery(con)], '2025-01-20T00:00:00.000Z');
      await store.updateMissingPolls(newcomer.id, [{ connectionId: con, missingPolls: CONFIRMED }]);
      expect(await store.removeConnection(removal(con, version, members))).toBe('stale');
      expect(await store.listMembershipsOf(con)).toHaveLength(3);
    });

    it('is stale when a membership was listed again since the decision', async () => {
      const { con, members, version } = await listedBy(2, { provision: true });
      await store.updateMissingPolls(members[1] as AccountId, [{ connectionId: con, missingPolls: 0 }]);
      const before = await stateOf(store, con);
      expect(await store.removeConnection(removal(con, version, members))).toBe('stale');
      expect(await stateOf(store, con)).toEqual(before);
    });

    it('is stale when a membership is not confirmed missing yet', async () => {
      const { con, members, version } = await listedBy(2, { provision: true });
      await store.updateMissingPolls(members[0] as AccountId, [
        { connectionId: con, missingPolls: CONFIRMED - 1 },
      ]);
      expect(await store.removeConnection(removal(con, version, members))).toBe('stale');
      expect(await store.listMembershipsOf(con)).toHaveLength(2);
    });

    it('is stale when a membership it names has gone since the decision', async () => {
      const { con, members, version } = await listedBy(3, { provision: true });
      expect(await store.leaveConnection(members[2] as AccountId, con)).toBe('applied');
      const before = await stateOf(store, con);
      expect(await store.removeConnection(removal(con, version, members))).toBe('stale');
      expect(await stateOf(store, con)).toEqual(before);
      // the decision made again from what is there now applies
      expect(await store.removeConnection(removal(con, version, members.slice(0, 2)))).toBe('applied');
    });

    it('is stale when it leaves out a membership', async () => {
      const { con, members, version } = await listedBy(2, { provision: true });
      expect(await store.removeConnection(removal(con, version, [members[0] as AccountId]))).toBe('stale');
      expect(await store.listMembershipsOf(con)).toHaveLength(2);
    });

    it('an unknown connection is stale', async () => {
      const con = connectionId();
      expect(await store.removeConnection(removal(con, 0, []))).toBe('stale');
      expect(await store.getConnection(con)).toBeUndefined();
    });

    it('removes a connection never provisioned, quietly', async () => {
      const { con, members } = await listedBy(1);
      expect(await store.removeConnection(removal(con, 0, members, 0))).toBe('applied');
      expect(await store.getConnection(con)).toMatchObject({
        status: 'removed',
        version: 1,
        provisionedAt: null,
      });
      expect(await store.listEventsFor(con)).toEqual([]);
    });

    it('concurrent removals from the same decision: exactly one applies', async () => {
      const { con, members, version } = await listedBy(2, { provision: true });
      const results = await Promise.all(
        [1, 2, 3].map(() => store.removeConnection(removal(con, version, members))),
      );
      expect(results.filter((r) => r === 'applied')).toHaveLength(1);
      expect(await store.listEventsFor(con)).toHaveLength(1);
    });

    it('is atomic: an event id of another state change leaves connection and memberships untouched', async () => {
      const { con, members, version } = await listedBy(2, { provision: true });
      const existing = event('elsewhere', '2025-01-01T00:00:00.000Z');
      await store.appendEvents([existing]);
      const before = await stateOf(store, con);
      await expect(
        store.removeConnection({ ...removal(con, version, members), events: [existing] }),
      ).rejects.toThrow(DuplicateEventError);
      expect(await stateOf(store, con)).toEqual(before);
    });

    it('fits 97 events with the connection and two memberships; 98 are refused before anything is written', async () => {
      const { con, members, version } = await listedBy(2, { provision: true });
      const before = await stateOf(store, con);
      await expect(store.removeConnection(removal(con, version, members, 98))).rejects.toThrow(RangeError);
      expect(await stateOf(store, con)).toEqual(before);
      expect(await store.removeConnection(removal(con, version, members, 97))).toBe('applied');
      expect(await store.listEventsFor(con)).toHaveLength(97);
    }, 60_000);
  });

  describe('reportConnection', () => {
    const failed = (con: ConnectionId, time = '2025-01-02T00:00:01.000Z') =>
      event(con, time, { detailType: 'Connection Provisioning Failed' });

    it('writes the events at the expected version and changes nothing else', async () => {
      const { con } = await seeded(store);
      const before = await stateOf(store, con);
      const e = failed(con);
      expect(await store.reportConnection({ connectionId: con, expectedVersion: 0, events: [e] })).toBe(
        'applied',
      );
      expect(await stateOf(store, con)).toEqual({ ...before, outbox: [e] });
      expect((await store.getConnection(con))?.version).toBe(0);
    });

    it('is stale after a concurrent change (a provisioning), with nothing written', async () => {
      const { con, provisionedEvent } = await provisioned();
      const before = await stateOf(store, con);
      // decided from version 0, before the provisioning
      expect(
        await store.reportConnection({ connectionId: con, expectedVersion: 0, events: [failed(con)] }),
      ).toBe('stale');
      expect(await stateOf(store, con)).toEqual(before);
      expect(await store.listEventsFor(con)).toEqual([provisionedEvent]);
      const unknown = connectionId();
      expect(
        await store.reportConnection({
          connectionId: unknown,
          expectedVersion: 0,
          events: [failed(unknown)],
        }),
      ).toBe('stale');
      expect(await store.listEventsFor(unknown)).toEqual([]);
    });

    it('a replay at the same version (same event id) is applied and adds nothing; new ids beside it are written', async () => {
      const { acc, con } = await seeded(store);
      const e = failed(con);
      const report = { connectionId: con, expectedVersion: 0, events: [e] };
      expect(await store.reportConnection(report)).toBe('applied');
      expect(await store.reportConnection(report)).toBe('applied');
      expect(await store.listEventsFor(con)).toEqual([e]);
      const other = failed(con, '2025-01-02T00:00:02.000Z');
      expect(await store.reportConnection({ ...report, events: [e, other] })).toBe('applied');
      expect(await store.listEventsFor(con)).toEqual([e, other]);
      // replayed after the connection moved on: stale
      expect(await store.recordProvisioned(provisionInput(acc.id, con, []))).toBe('applied');
      expect(await store.reportConnection(report)).toBe('stale');
      expect(await store.listEventsFor(con)).toEqual([e, other]);
    });

    it('concurrent reports and a provisioning from the same version: the events are never written after it', async () => {
      const { acc, con } = await seeded(store);
      const results = await Promise.all([
        store.reportConnection({ connectionId: con, expectedVersion: 0, events: [failed(con)] }),
        store.recordProvisioned(provisionInput(acc.id, con, [event(con, '2025-01-02T00:00:05.000Z')])),
      ]);
      expect(results[1]).toBe('applied');
      const types = (await store.listEventsFor(con)).map((e) => e.detailType);
      expect(types).toEqual(
        results[0] === 'applied'
          ? ['Connection Provisioning Failed', 'Connection Provisioned']
          : ['Connection Provisioned'],
      );
    });

    it('refuses an event id twice in one report, writing nothing', async () => {
      const { con } = await seeded(store);
      const e = failed(con);
      await expect(
        store.reportConnection({ connectionId: con, expectedVersion: 0, events: [e, e] }),
      ).rejects.toThrow(/appears twice/);
      expect(await store.listEventsFor(con)).toEqual([]);
    });
  });

  describe('switchSecretRef', () => {
    const moved = (con: ConnectionId) =>
      event(con, '2025-03-01T00:00:00.000Z', { detailType: 'Connection Token Moved' });

    it('switches the reference at the expected version and from the expected reference, bumping the version, with its events', async () => {
      const { con, provisionedEvent } = await provisioned();
      const from = `arn:aws:secretsmanager:eu-west-1:123456789012:secret:mews/${con}`;
      const to = `/mews-provisioner/test/connections/${con}`;
      const e = moved(con);
      const change = (expectedVersion: number, ref = from) => ({
        connectionId: con,
        expectedVersion,
        from: ref,
        to,
        events: [e],
      });
      expect(await store.switchSecretRef(change(0))).toBe('stale');
      expect(await store.switchSecretRef(change(1, 'other'))).toBe('stale');
      expect((await store.getConnection(con))?.secretRef).toBe(from);
      // a stale switch writes no event
      expect(await store.listEventsFor(con)).toEqual([provisionedEvent]);
      expect(await store.switchSecretRef(change(1))).toBe('applied');
      expect(await store.getConnection(con)).toMatchObject({
        secretRef: to,
        version: 2,
        status: 'provisioned',
      });
      expect(await store.listEventsFor(con)).toEqual([provisionedEvent, e]);
      // a replay, or a provisioning decided from the old reference, is stale, and adds nothing
      expect(await store.switchSecretRef(change(1))).toBe('stale');
      expect(await store.listEventsFor(con)).toEqual([provisionedEvent, e]);
      const unknown = connectionId();
      expect(
        await store.switchSecretRef({
          connectionId: unknown,
          expectedVersion: 0,
          from,
          to,
          events: [moved(unknown)],
        }),
      ).toBe('stale');
      expect(await store.listEventsFor(unknown)).toEqual([]);
    });

    it('is atomic: an event id of another state change leaves the reference as it was', async () => {
      const { con } = await provisioned();
      const from = `arn:aws:secretsmanager:eu-west-1:123456789012:secret:mews/${con}`;
      const existing = event('elsewhere', '2025-01-01T00:00:00.000Z');
      await store.appendEvents([existing]);
      const before = await stateOf(store, con);
      await expect(
        store.switchSecretRef({
          connectionId: con,
          expectedVersion: 1,
          from,
          to: `/p/${con}`,
          events: [existing],
        }),
      ).rejects.toThrow(DuplicateEventError);
      expect(await stateOf(store, con)).toEqual(before);
      expect((await store.getConnection(con))?.secretRef).toBe(from);
    });

    it('a discovered connection: the switch makes a provisioning that read the old reference stale', async () => {
      const seed = await seeded(store);
      const from = `arn:aws:secretsmanager:eu-west-1:123456789012:secret:mews/${seed.con}`;
      const to = `/p/connections/${seed.con}`;
      expect(
        await store.switchSecretRef({ connectionId: seed.con, expectedVersion: 0, from, to, events: [] }),
      ).toBe('applied');
      expect(await store.recordProvisioned(provisionInput(seed.acc.id, seed.con, []))).toBe('stale');
      expect((await store.getConnection(seed.con))?.secretRef).toBe(to);
    });
  });

  describe('leaveConnection', () => {
    it("deletes the account's confirmed-missing membership only; the connection and others stay", async () => {
      const { con, members, version } = await listedBy(2, { provision: true, listed: 1 });
      const [listing, leaving] = members as [AccountId, AccountId];
      const connectionBefore = await store.getConnection(con);
      expect(await store.leaveConnection(leaving, con)).toBe('applied');
      expect(await store.getMembership(leaving, con)).toBeUndefined();
      expect(await store.getMembership(listing, con)).toBeDefined();
      expect(await store.getConnection(con)).toEqual(connectionBefore);
      expect((await store.getConnection(con))?.version).toBe(version);
    });

    it('is stale for a membership listed again (or never confirmed missing), which stays', async () => {
      const { con, members } = await listedBy(2, { provision: true, listed: 2 });
      const [a, b] = members as [AccountId, AccountId];
      expect(await store.leaveConnection(a, con)).toBe('stale');
      await store.updateMissingPolls(b, [{ connectionId: con, missingPolls: CONFIRMED - 1 }]);
      expect(await store.leaveConnection(b, con)).toBe('stale');
      expect(await store.listMembershipsOf(con)).toHaveLength(2);
    });

    it('a replay is stale; an unknown membership or connection is stale', async () => {
      const { con, members } = await listedBy(2, { provision: true, listed: 1 });
      const leaving = members[1] as AccountId;
      expect(await store.leaveConnection(leaving, con)).toBe('applied');
      expect(await store.leaveConnection(leaving, con)).toBe('stale');
      expect(await store.leaveConnection(accountId(), con)).toBe('stale');
      expect(await store.leaveConnection(leaving, connectionId())).toBe('stale');
      expect(await store.listMembershipsOf(con)).toHaveLength(1);
    });
  });

  describe('membership status', () => {
    it('marks a membership synced; an absent one stays absent', async () => {
      const { acc, con } = await seeded(store, 1);
      await store.markMembershipSynced(acc.id, con);
      expect((await store.getMembership(acc.id, con))?.status).toBe('synced');
      await store.markMembershipSynced(acc.id, con);
      expect((await store.getMembership(acc.id, con))?.status).toBe('synced');
      const ghost = accountId();
      await store.markMembershipSynced(ghost, con);
      expect(await store.getMembership(ghost, con)).toBeUndefined();
      expect((await store.getConnection(con))?.version).toBe(0);
    });

    it("marks every membership of the connection awaiting-token, and nobody else's", async () => {
      const { con, members } = await listedBy(3, { provision: true });
      const { acc: bystander, con: otherCon } = await seeded(store, 1);
      for (const acc of members) await store.markMembershipSynced(acc, con);
      await store.markMembershipSynced(bystander.id, otherCon);
      await store.markMembershipsAwaitingToken(con);
      expect((await store.listMembershipsOf(con)).map((m) => m.status)).toEqual([
        'awaiting-token',
        'awaiting-token',
        'awaiting-token',
      ]);
      expect((await store.getMembership(bystander.id, otherCon))?.status).toBe('synced');
      expect((await store.listMembershipsOf(con)).every((m) => m.missingPolls === CONFIRMED)).toBe(true);
      await store.markMembershipsAwaitingToken(connectionId());
    });
  });

  describe('version', () => {
    it('moves by exactly one per applied provisioning, update or removal, and for nothing else', async () => {
      const { con, members } = await listedBy(2);
      const [a, b] = members as [AccountId, AccountId];
      const version = async () => (await store.getConnection(con))?.version;
      expect(await version()).toBe(0);
      await store.recordDiscoveries(a, [discovery(con)], '2025-01-05T00:00:00.000Z');
      await store.updateMissingPolls(a, [{ connectionId: con, missingPolls: 0 }]);
      await store.markMembershipSynced(a, con);
      await store.markMembershipsAwaitingToken(con);
      expect(await version()).toBe(0);
      expect(await store.recordProvisioned(provisionInput(a, con, []))).toBe('applied');
      expect(await version()).toBe(1);
      expect(await store.updateConnection(update(con, 1, { status: 'deactivated', events: [] }))).toBe(
        'applied',
      );
      expect(await version()).toBe(2);
      expect(await store.updateConnection(update(con, 1, { events: [] }))).toBe('stale');
      expect(await version()).toBe(2);
      await store.updateMissingPolls(a, [{ connectionId: con, missingPolls: CONFIRMED }]);
      expect(await store.leaveConnection(b, con)).toBe('applied');
      expect(await version()).toBe(2);
      expect(await store.removeConnection(removal(con, 2, [a], 0))).toBe('applied');
      expect(await version()).toBe(3);
    });
  });
}
