import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT_ANOMALY } from '../../shared/domain/events/account-anomaly.event.js';
import { CONNECTION_CONFIGURATION_CHANGED } from '../../shared/domain/events/connection-configuration-changed.event.js';
import { CONNECTION_PROVISIONED } from '../../shared/domain/events/connection-provisioned.event.js';
import {
  CONNECTION_DEACTIVATED,
  CONNECTION_REACTIVATED,
  CONNECTION_REMOVED,
} from '../../shared/domain/events/connection-status.event.js';
import { parseEventDetail } from '../../shared/domain/events/registry.js';
import { accountIdFromEmail, connectionIdFromToken } from '../../shared/domain/identity.js';
import { runCycle } from '../../shared/local/run-cycle.js';
import { registerAccount } from '../../shared/use-cases/accounts.js';
import { scheduleRefreshes } from '../../shared/use-cases/schedule-refreshes.js';
import { startPipeline, type TestPipeline, type TokenLayoutName } from '../support/pipeline.js';

const RECEPTION = 'reception@sample-hostel.example';
const REVENUE = 'revenue@sample-hostel.example';
const DOCKS_TOKEN = 'fake-conn-harbour-docks';
const DOCKS = connectionIdFromToken(DOCKS_TOKEN);

let p: TestPipeline;
/** Where tokens live: the file vault, except in the suites run for each layout. */
let tokens: TokenLayoutName = 'file';
beforeEach(async () => {
  p = await startPipeline('lifecycle', { tokens });
  await Promise.all([RECEPTION, REVENUE].map((email) => registerAccount({ email }, p.services)));
  await runCycle(p.services);
});
afterEach(async () => {
  await p.close();
});

const about = (id: string) =>
  p.events.filter((e) => (e.detail.connection as { id?: string } | undefined)?.id === id);
const typesAbout = (id: string) => about(id).map((e) => e['detail-type']);
/** Checks every provisioned connection now (the periodic refresh with a window covering all). */
const refreshAll = async () => {
  await scheduleRefreshes({ now: new Date(), intervalMs: 60_000, windowMs: 60_000 }, p.services);
  return runCycle(p.services);
};

describe.each(['file', 'parameter-store'] as const)('removal (tokens: %s)', (layout) => {
  beforeAll(() => {
    tokens = layout;
  });
  afterAll(() => {
    tokens = 'file';
  });

  it('needs two consecutive successful polls of every account that listed the connection', async () => {
    p.simulator.removeConnection(DOCKS_TOKEN);

    await runCycle(p.services);
    expect(typesAbout(DOCKS)).toEqual([CONNECTION_PROVISIONED]);
    expect((await p.services.store.getConnection(DOCKS))?.status).toBe('provisioned');

    await runCycle(p.services);
    expect(typesAbout(DOCKS)).toEqual([CONNECTION_PROVISIONED, CONNECTION_REMOVED]);
    const removed = about(DOCKS)[1];
    expect(() => parseEventDetail(CONNECTION_REMOVED, removed?.detail)).not.toThrow();
    expect(removed?.detail).toMatchObject({ secretRecoveryDays: 7 });
    expect((await p.services.store.getConnection(DOCKS))?.status).toBe('removed');
    expect(await p.services.store.listMembershipsOf(DOCKS)).toEqual([]);
    expect(await p.services.vault.get(DOCKS)).toBeUndefined();
    expect(await p.tokens.scheduledIds()).toEqual([DOCKS]);

    await runCycle(p.services);
    expect(typesAbout(DOCKS)).toEqual([CONNECTION_PROVISIONED, CONNECTION_REMOVED]);
  });

  it('an account whose poll fails proves nothing: removal waits for its successful polls', async () => {
    p.simulator.removeConnection(DOCKS_TOKEN);
    p.simulator.addFault({ operation: 'getProperties', email: REVENUE, httpStatus: 500 });

    for (let i = 0; i < 3; i++) await runCycle(p.services, { maxAttempts: 1 });
    expect(typesAbout(DOCKS)).toEqual([CONNECTION_PROVISIONED]);

    p.simulator.clearFaults();
    await runCycle(p.services);
    await runCycle(p.services);
    expect(typesAbout(DOCKS)).toEqual([CONNECTION_PROVISIONED, CONNECTION_REMOVED]);
  });

  it('one account losing sight of a connection another still lists removes nothing', async () => {
    const night = 'night-desk@sample-hostel.example';
    await registerAccount({ email: night }, p.services);
    await runCycle(p.services);
    p.simulator.removeAccount(night);
    p.simulator.addAccount('harbour-hostels', { email: night, propertyIds: ['harbour-hostel-central'] });

    for (let i = 0; i < 3; i++) await runCycle(p.services);

    expect(typesAbout(DOCKS)).toEqual([CONNECTION_PROVISIONED]);
    const members = (await p.services.store.listMembershipsOf(DOCKS)).map((m) => m.accountId).sort();
    expect(members).toEqual([accountIdFromEmail(RECEPTION), accountIdFromEmail(REVENUE)].sort());
  });

  it('a connection that comes back within the recovery window is restored, not provisioned twice', async () => {
    p.simulator.removeConnection(DOCKS_TOKEN);
    await runCycle(p.services);
    await runCycle(p.services);
    p.simulator.addConnection('harbour-hostel-docks', { token: DOCKS_TOKEN, name: 'Docks' });

    await runCycle(p.services);
    await runCycle(p.services);

    expect(typesAbout(DOCKS)).toEqual([CONNECTION_PROVISIONED, CONNECTION_REMOVED, CONNECTION_REACTIVATED]);
    expect(about(DOCKS)[2]?.detail).toMatchObject({ reason: 'returned', previousStatus: 'removed' });
    expect((await p.services.store.getConnection(DOCKS))?.status).toBe('provisioned');
    expect(await p.services.vault.get(DOCKS)).toBe(DOCKS_TOKEN);
    expect(await p.tokens.scheduledIds()).not.toContain(DOCKS);
  });
});

describe('a sudden mass disappearance', () => {
  const central = [
    'fake-conn-harbour-central-dorms',
    'fake-conn-harbour-central-private',
    'fake-conn-harbour-central-3',
  ];

  it('is held back and reported once, and removals wait for an operator release', async () => {
    for (const token of central) p.simulator.removeConnection(token);

    for (let i = 0; i < 3; i++) await runCycle(p.services);
    // The hold stops removals only: a connection added meanwhile is still provisioned.
    const added = p.simulator.addConnection('harbour-hostel-annex', { name: 'Added while held' });
    await runCycle(p.services);
    expect(typesAbout(connectionIdFromToken(added))).toEqual([CONNECTION_PROVISIONED]);

    expect(p.eventsOf(CONNECTION_REMOVED)).toEqual([]);
    const anomalies = p.eventsOf(ACCOUNT_ANOMALY);
    expect(anomalies).toHaveLength(2); // one per account, not one per cycle
    expect(anomalies[0]?.detail).toMatchObject({ missing: 3, known: 4, action: 'removals-held' });
    expect((await p.services.store.getAccount(accountIdFromEmail(RECEPTION)))?.hold).toMatchObject({
      missing: 3,
      released: false,
    });

    for (const email of [RECEPTION, REVENUE]) {
      expect(await p.services.store.releaseAccountHold(accountIdFromEmail(email))).toBe(true);
    }
    for (let i = 0; i < 3; i++) await runCycle(p.services);

    expect(p.eventsOf(CONNECTION_REMOVED)).toHaveLength(3);
    expect((await p.services.store.getAccount(accountIdFromEmail(RECEPTION)))?.hold).toBeNull();
  });

  it('lifts the hold by itself when the listing recovers', async () => {
    const [first, ...rest] = central;
    for (const token of central) p.simulator.removeConnection(token);
    await runCycle(p.services);
    for (const token of [first, ...rest]) {
      if (token) p.simulator.addConnection('harbour-hostel-central', { token });
    }

    await runCycle(p.services);
    await runCycle(p.services);

    expect((await p.services.store.getAccount(accountIdFromEmail(RECEPTION)))?.hold).toBeNull();
    expect(p.eventsOf(CONNECTION_REMOVED)).toEqual([]);
    expect(p.eventsOf(CONNECTION_PROVISIONED)).toHaveLength(4);
  });
});

describe('configuration changes', () => {
  it('publish one event with a structured diff for a mapping change, nothing for cosmetic noise', async () => {
    p.simulator.updateConfiguration('harbour-hostel-docks', (c) => ({
      ...c,
      spaceCategories: [...(c.spaceCategories ?? [])]
        .reverse()
        .map((s) => ({ ...s, description: 'New text' })),
      inventoryMappings: [...(c.inventoryMappings ?? [])].reverse(),
    }));
    await refreshAll();
    expect(typesAbout(DOCKS)).toEqual([CONNECTION_PROVISIONED]);

    p.simulator.updateConfiguration('harbour-hostel-docks', (c) => ({
      ...c,
      spaceCategories: [
        ...(c.spaceCategories ?? []).map((s) => (s.code === 'PRIV1' ? { ...s, name: 'Private single' } : s)),
        { code: 'DORM4', name: 'Bed in 4-bed dorm', isSynchronized: true, spaceCount: 8 },
      ],
      inventoryMappings: [...(c.inventoryMappings ?? []), { ratePlanCode: 'STD', spaceTypeCode: 'DORM4' }],
    }));
    await refreshAll();
    await refreshAll();

    const changes = about(DOCKS).filter((e) => e['detail-type'] === CONNECTION_CONFIGURATION_CHANGED);
    expect(changes).toHaveLength(1);
    const detail = parseEventDetail(CONNECTION_CONFIGURATION_CHANGED, changes[0]?.detail) as Record<
      string,
      unknown
    >;
    expect(detail).toMatchObject({
      diff: {
        spaceCategories: {
          added: ['DORM4'],
          removed: [],
          changed: [{ code: 'PRIV1', fields: { name: { from: 'Single room', to: 'Private single' } } }],
        },
        inventoryMappings: { added: ['STD/DORM4'], removed: [] },
        ratePlans: { counts: { added: 0, removed: 0, changed: 0 } },
      },
    });
    const connection = await p.services.store.getConnection(DOCKS);
    expect(connection?.configuration?.digest).toBe((detail.configuration as { digest: string }).digest);
    expect(await p.services.store.getSnapshot(DOCKS, connection?.configuration?.digest ?? '')).toBeDefined();
  });
});

describe('deactivation', () => {
  it('Mews code 3 deactivates; answering again reactivates; each once', async () => {
    const fault = p.simulator.addFault({
      operation: 'getConfiguration',
      connectionToken: DOCKS_TOKEN,
      mewsErrorCode: 3,
    });
    await refreshAll();
    await refreshAll();
    expect(typesAbout(DOCKS)).toEqual([CONNECTION_PROVISIONED, CONNECTION_DEACTIVATED]);
    expect((await p.services.store.getConnection(DOCKS))?.status).toBe('deactivated');

    p.simulator.removeFault(fault);
    await refreshAll();
    await refreshAll();
    expect(typesAbout(DOCKS)).toEqual([
      CONNECTION_PROVISIONED,
      CONNECTION_DEACTIVATED,
      CONNECTION_REACTIVATED,
    ]);
    expect(about(DOCKS)[2]?.detail).toMatchObject({ reason: 'activated', previousStatus: 'deactivated' });
  });

  it('code 8 (which also means a wrong client token) deactivates nothing', async () => {
    p.simulator.addFault({ operation: 'getConfiguration', mewsErrorCode: 8 });
    await refreshAll();
    expect(p.eventsOf(CONNECTION_DEACTIVATED)).toEqual([]);
    expect((await p.services.store.listConnections()).every((c) => c.status === 'provisioned')).toBe(true);
  });
});

describe('refresh scheduling', () => {
  it('spreads connections over the interval: each window takes its share, all windows take each once', async () => {
    const intervalMs = 4_000;
    const windows = [0, 1_000, 2_000, 3_000];
    let total = 0;
    for (const start of windows) {
      const { due } = await scheduleRefreshes(
        { now: new Date(start), intervalMs, windowMs: 1_000 },
        p.services,
      );
      total += due;
    }
    expect(total).toBe((await p.services.store.listConnections()).length);
  });
});
