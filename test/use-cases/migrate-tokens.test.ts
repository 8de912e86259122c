import { describe, expect, it } from 'vitest';
import { parseEventDetail } from '../../packages/events/src/index.js';
import { ManualClock } from '../../shared/adapters/memory/manual-clock.js';
import { MemoryStateStore } from '../../shared/adapters/memory/memory-state-store.js';
import type { OnPortCall } from '../../shared/adapters/memory/port-call.js';
import { eventIdFor } from '../../shared/domain/identity.js';
import type { ConnectionId, IntegrationId } from '../../shared/domain/model.js';
import {
  type MigrateTokensDeps,
  migrateTokens,
  planTokenMigration,
  type TokenLayout,
} from '../../shared/use-cases/migrate-tokens.js';
import {
  memoryLayout,
  populateDeployment,
  type TokenDeployment,
  unreadableTokens,
} from '../support/token-deployment.js';

/** A populated deployment in Secrets Manager (twin), the Parameter Store twin beside it, one hook for every port. */
async function world() {
  const hooks: { onCall?: OnPortCall } = {};
  const onCall: OnPortCall = (call) => hooks.onCall?.(call);
  const clock = new ManualClock({ start: '2026-03-01T00:00:00.000Z' });
  const store = new MemoryStateStore({ onCall });
  const sm = memoryLayout('secrets-manager', onCall, clock);
  const ssm = memoryLayout('parameter-store', onCall, clock);
  const deployment = await populateDeployment(store, sm);
  const deps = (from: TokenLayout, to: TokenLayout): MigrateTokensDeps => ({
    store,
    from,
    to,
    recoveryDays: 7,
    environment: 'demo',
    clock,
  });
  return { hooks, store, sm, ssm, deployment, deps };
}

type World = Awaited<ReturnType<typeof world>>;

/** Counts the port calls a clean migration makes (to crash at each of them). */
async function callsOfCleanRun(
  prepare: (w: World) => Promise<void>,
  direction: (w: World) => MigrateTokensDeps,
) {
  const w = await world();
  await prepare(w);
  let calls = 0;
  w.hooks.onCall = () => {
    calls += 1;
  };
  const report = await migrateTokens(direction(w));
  expect(report.complete).toBe(true);
  return calls;
}

/** After a complete migration to `to`: every live token readable through its ref in `to`, and the old ones scheduled. */
async function expectMovedTo(w: World, to: TokenLayout, from: TokenLayout, deployment: TokenDeployment) {
  expect(await unreadableTokens(w.store, [to], deployment)).toEqual([]);
  for (const id of deployment.live.keys()) {
    const old = id.startsWith('int_')
      ? await from.integrations.getIntegrationToken(id as IntegrationId)
      : await from.vault.get(id as `con_${string}`);
    expect(old, `${id}'s old token is scheduled for deletion`).toBeUndefined();
  }
  for (const c of await w.store.listConnections()) if (c.secretRef) expect(to.holds(c.secretRef)).toBe(true);
  for (const i of await w.store.listIntegrations()) expect(to.holds(i.secretRef)).toBe(true);
}

const MOVED = { connection: 'Connection Token Moved', integration: 'Integration Token Moved' } as const;

/** Every token reference in the state, with the id its move's event must carry (keyed by the version the switch makes). */
async function movesExpected(w: World) {
  const connections = (await w.store.listConnections()).filter((c) => c.secretRef);
  const integrations = await w.store.listIntegrations();
  return new Map<string, { eventId: string; from: string }>([
    ...connections.map(
      (c) =>
        [
          c.id,
          { eventId: eventIdFor(MOVED.connection, c.id, c.version + 1), from: c.secretRef as string },
        ] as const,
    ),
    ...integrations.map(
      (i) =>
        [i.id, { eventId: eventIdFor(MOVED.integration, i.id, i.version + 1), from: i.secretRef }] as const,
    ),
  ]);
}

/** The token-moved events in the outbox, per subject. */
async function movedEvents(w: World, ids: Iterable<string>) {
  const bySubject = new Map<string, { eventId: string; detail: unknown; detailType: string }[]>();
  for (const id of ids) {
    const events = await w.store.listEventsFor(id);
    bySubject.set(
      id,
      events.filter((e) => e.detailType === MOVED.connection || e.detailType === MOVED.integration),
    );
  }
  return bySubject;
}

/** Each reference moved is announced once, with the expected id, naming the old and the new place. */
async function expectAnnouncedOnce(
  w: World,
  expected: Awaited<ReturnType<typeof movesExpected>>,
  to: TokenLayout,
  from: TokenLayout,
  context = '',
) {
  const moved = await movedEvents(w, expected.keys());
  for (const [id, { eventId, from: oldRef }] of expected) {
    const events = (moved.get(id) ?? []).filter((e) => {
      const detail = e.detail as { previous: { secretStore: string } };
      return detail.previous.secretStore === from.name;
    });
    expect(
      events.map((e) => e.eventId),
      `${id}'s move ${context}`,
    ).toEqual([eventId]);
    const [event] = events as [(typeof events)[number]];
    // a valid event of its type, as subscribers parse it
    parseEventDetail(event.detailType, event.detail);
    const detail = event.detail as {
      connection?: { id: string; secretRef: string; secretStore: string };
      integration?: { id: string; secretRef: string; secretStore: string };
      previous: unknown;
    };
    const current = id.startsWith('int_')
      ? await w.store.getIntegration(id as IntegrationId)
      : await w.store.getConnection(id as ConnectionId);
    expect(detail.connection ?? detail.integration).toMatchObject({
      id,
      secretRef: current?.secretRef,
      secretStore: to.name,
    });
    expect(detail.previous).toEqual({
      secretRef: oldRef,
      secretStore: from.name,
      deletedAfter: expect.stringMatching(/Z$/),
    });
  }
}

const forward = (w: World) => w.deps(w.sm, w.ssm);
const backward = (w: World) => w.deps(w.ssm, w.sm);
const none = async () => {};
const migratedForward = async (w: World) => {
  expect((await migrateTokens(forward(w))).complete).toBe(true);
};

describe('migrateTokens over the in-memory twins', () => {
  it('moves a populated deployment to Parameter Store and back, each outcome named', async () => {
    const w = await world();
    const expected = await movesExpected(w);
    const there = await migrateTokens(forward(w));
    expect(there).toMatchObject({
      from: 'secrets-manager',
      to: 'parameter-store',
      complete: true,
      scheduled: 9,
    });
    const outcomes = there.results.map((r) => r.outcome).sort();
    expect(outcomes).toEqual([...Array(6).fill('copied'), 'no-token', 'no-token', 'no-token'].sort());
    await expectMovedTo(w, w.ssm, w.sm, w.deployment);
    await expectAnnouncedOnce(w, expected, w.ssm, w.sm);

    const again = await migrateTokens(forward(w));
    expect(again.results.every((r) => r.outcome === 'already')).toBe(true);
    await expectAnnouncedOnce(w, expected, w.ssm, w.sm, 'after a second run');

    const expectedBack = await movesExpected(w);
    const back = await migrateTokens(backward(w));
    expect(back).toMatchObject({ complete: true, scheduled: 9 });
    await expectMovedTo(w, w.sm, w.ssm, w.deployment);
    await expectAnnouncedOnce(w, expectedBack, w.sm, w.ssm);
    // the move back has ids of its own
    const ids = [...expected.values(), ...expectedBack.values()].map((e) => e.eventId);
    expect(new Set(ids).size).toBe(18);
  });

  for (const [label, prepare, direction, to, from] of [
    ['to Parameter Store', none, forward, 'ssm', 'sm'],
    ['back to Secrets Manager', migratedForward, backward, 'sm', 'ssm'],
  ] as const) {
    it(`${label}: a crash before each port call loses no token, and running it again finishes`, async () => {
      const total = await callsOfCleanRun(prepare, direction);
      expect(total).toBeGreaterThan(40);
      for (let crashAt = 1; crashAt <= total; crashAt++) {
        const w = await world();
        await prepare(w);
        const expected = await movesExpected(w);
        let calls = 0;
        // The process dies at that call: it and everything after it fail, nothing takes effect.
        w.hooks.onCall = () => {
          if (++calls >= crashAt) throw new Error(`crash at call ${crashAt}`);
        };
        await migrateTokens(direction(w)).catch(() => undefined);
        w.hooks.onCall = undefined;
        expect(
          await unreadableTokens(w.store, [w.sm, w.ssm], w.deployment),
          `after a crash at call ${crashAt}`,
        ).toEqual([]);
        // announced exactly when switched: the event and the switch are one write
        const announced = await movedEvents(w, expected.keys());
        for (const id of expected.keys()) {
          const ref = id.startsWith('int_')
            ? (await w.store.getIntegration(id as IntegrationId))?.secretRef
            : (await w.store.getConnection(id as ConnectionId))?.secretRef;
          const ofThisMove = (announced.get(id) ?? []).filter((e) => e.eventId === expected.get(id)?.eventId);
          expect(ofThisMove.length, `${id} after a crash at call ${crashAt}`).toBe(
            w[to].holds(ref ?? '') ? 1 : 0,
          );
        }

        const resumed = await migrateTokens(direction(w));
        expect(resumed.complete, `resumed after a crash at call ${crashAt}`).toBe(true);
        expect(resumed.results.filter((r) => r.outcome === 'failed')).toEqual([]);
        await expectMovedTo(w, w[to], w[from], w.deployment);
        await expectAnnouncedOnce(w, expected, w[to], w[from], `after a crash at call ${crashAt}`);
      }
    });
  }

  it('a reference switched concurrently (the version moved on) is read again and switched', async () => {
    const w = await world();
    let bumped = false;
    w.hooks.onCall = async ({ method, args }) => {
      if (method === 'switchSecretRef' && !bumped) {
        bumped = true;
        // another writer got there first: its change bumps the version
        const change = args[0] as { connectionId: `con_${string}` };
        const c = await w.store.getConnection(change.connectionId);
        if (c?.secretRef) {
          await w.store.switchSecretRef({
            connectionId: c.id,
            expectedVersion: c.version,
            from: c.secretRef,
            to: c.secretRef,
            events: [],
          });
        }
      }
    };
    const report = await migrateTokens(forward(w));
    expect(bumped).toBe(true);
    expect(report.complete).toBe(true);
    expect(await unreadableTokens(w.store, [w.ssm], w.deployment)).toEqual([]);
  });

  it('a copy that does not read back equal fails that token, switches nothing of it, and schedules no deletion', async () => {
    const w = await world();
    const [victim] = [...w.deployment.live.keys()].filter((id) => id.startsWith('con_'));
    // Parameter Store already holds another token under that name, and it is not the one read.
    const original = w.ssm.vault.get.bind(w.ssm.vault);
    let reads = 0;
    w.ssm.vault.get = async (id) => (id === victim && ++reads > 1 ? 'FAKE-corrupted' : original(id));
    const report = await migrateTokens(forward(w));
    expect(report.complete).toBe(false);
    expect(report.scheduled).toBe(0);
    expect(report.results.find((r) => r.id === victim)).toMatchObject({
      outcome: 'failed',
      reason: expect.stringContaining('does not read back equal'),
    });
    expect(JSON.stringify(report)).not.toContain('FAKE-');
    expect(await unreadableTokens(w.store, [w.sm, w.ssm], w.deployment)).toEqual([]);
    // every old token is still live
    for (const [id, token] of w.deployment.live) {
      const old = id.startsWith('int_')
        ? await w.sm.integrations.getIntegrationToken(id as IntegrationId)
        : await w.sm.vault.get(id as `con_${string}`);
      expect(old).toBe(token);
    }
  });

  it('refuses to migrate a store onto itself', async () => {
    const w = await world();
    await expect(migrateTokens(w.deps(w.sm, w.sm))).rejects.toThrow(/in secrets-manager already/);
  });
});

describe('planTokenMigration (the dry run)', () => {
  it('counts what would move from the state alone and prices it', async () => {
    const w = await world();
    let vaultCalls = 0;
    w.hooks.onCall = ({ port }) => {
      if (port.includes('TokenVault')) vaultCalls += 1;
    };
    const plan = await planTokenMigration(forward(w), { tier: 'Intelligent-Tiering' });
    expect(vaultCalls).toBe(0);
    expect(plan).toMatchObject({
      from: 'secrets-manager',
      to: 'parameter-store',
      connections: { toMove: 6, already: 0, elsewhere: 0 },
      integrations: { toMove: 3, already: 0, elsewhere: 0 },
      // 5 live connections' and 2 integrations' refs (removed and deleted ones are not billed)
      monthly: { before: 2.8, after: 0, saving: 2.8 },
    });
    const advanced = await planTokenMigration(forward(w), { tier: 'Advanced' });
    expect(advanced.monthly).toMatchObject({ before: 2.8, after: 0.35, saving: 2.45 });
    const back = await planTokenMigration(backward(w), { tier: 'Intelligent-Tiering' });
    expect(back.connections).toEqual({ toMove: 0, already: 6, elsewhere: 0 });
  });
});
