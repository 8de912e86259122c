/**
 * Issue 9's six lifecycle defects, each as the history that broke it, run on the real local
 * pipeline (DynamoDB Local, the Mews simulator over HTTP, the file vault, the JSON-lines sink).
 * Interleavings are made at the one port call that sits between a removal's read and its write
 * (the token's scheduled deletion), so each history runs the same on the code before the fix.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ACCOUNT_ACCESS_FAILED } from '../../shared/domain/events/account-access.event.js';
import { CONNECTION_CONFIGURATION_CHANGED } from '../../shared/domain/events/connection-configuration-changed.event.js';
import { CONNECTION_PROVISIONED } from '../../shared/domain/events/connection-provisioned.event.js';
import { CONNECTION_PROVISIONING_FAILED } from '../../shared/domain/events/connection-provisioning-failed.event.js';
import {
  CONNECTION_REACTIVATED,
  CONNECTION_REMOVED,
} from '../../shared/domain/events/connection-status.event.js';
import { outboxEventEntrySize } from '../../shared/domain/events/entry-size.js';
import { accountIdFromEmail, connectionIdFromToken } from '../../shared/domain/identity.js';
import type { ConnectionId } from '../../shared/domain/model.js';
import { runCycle } from '../../shared/local/run-cycle.js';
import { registerAccount, unregisterAccount } from '../../shared/use-cases/accounts.js';
import { pollAccount } from '../../shared/use-cases/poll-account.js';
import { scheduleRefreshes } from '../../shared/use-cases/schedule-refreshes.js';
import { syncConnection } from '../../shared/use-cases/sync-connection.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';

let p: TestPipeline;
afterEach(async () => {
  await p?.close();
});

const typesAbout = (id: string) =>
  p.events
    .filter((e) => (e.detail.connection as { id?: string } | undefined)?.id === id)
    .map((e) => e['detail-type']);
const cycle = () => runCycle(p.services, { maxAttempts: 1 });
const refreshAll = async () => {
  await scheduleRefreshes({ now: new Date(), intervalMs: 60_000, windowMs: 60_000 }, p.services);
  return cycle();
};

/** Runs `during` once, the first time the vault schedules a deletion, before (or after) it does. */
function onFirstScheduledDeletion(during: () => Promise<void>, when: 'before' | 'after' = 'before') {
  const vault = p.services.vault;
  const original = vault.scheduleDeletion.bind(vault);
  let fired = false;
  vault.scheduleDeletion = async (id, days) => {
    if (fired) return original(id, days);
    fired = true;
    if (when === 'before') await during();
    await original(id, days);
    if (when === 'after') await during();
  };
}

/** A fresh enterprise with one account that sees one property of `connections` connections. */
async function enterpriseOf(label: string, connections: number) {
  p = await startPipeline(label);
  const email = `${label}@regression.example`;
  const { properties } = p.simulator.addEnterprise({
    id: `${label}-enterprise`,
    accounts: [email],
    properties: [{ id: `${label}-property`, connections }],
  });
  const tokens = properties[0]?.connectionTokens ?? [];
  await registerAccount({ email }, p.services);
  return { email, propertyId: `${label}-property`, tokens };
}

describe('issue 9 regressions', () => {
  it('1: a connection removed before it was ever provisioned is never announced removed; when it comes back it is provisioned', async () => {
    const { propertyId, tokens } = await enterpriseOf('never-provisioned', 1);
    const token = tokens[0] as string;
    const id = connectionIdFromToken(token);
    const fault = p.simulator.addFault({
      operation: 'getConfiguration',
      connectionToken: token,
      mewsErrorCode: 3,
    });

    await cycle();
    expect(typesAbout(id)).toEqual([CONNECTION_PROVISIONING_FAILED]);
    p.simulator.removeConnection(token);
    await cycle();
    await cycle();
    expect((await p.services.store.getConnection(id))?.status).toBe('removed');

    p.simulator.removeFault(fault);
    p.simulator.addConnection(propertyId, { token });
    await cycle();
    await cycle();
    expect(typesAbout(id)).toEqual([CONNECTION_PROVISIONING_FAILED, CONNECTION_PROVISIONED]);
    expect((await p.services.store.getConnection(id))?.status).toBe('provisioned');
    expect(await p.services.vault.get(id)).toBe(token);
  });

  it('2: a connection listed again by a held poll needs two new consecutive misses before it is removed', async () => {
    const { propertyId, tokens } = await enterpriseOf('held-relisted', 6);
    const [x, ...others] = tokens as [string, ...string[]];
    const id = connectionIdFromToken(x);
    await cycle();

    p.simulator.removeConnection(x); // poll 1: X missing
    await cycle();
    p.simulator.addConnection(propertyId, { token: x }); // poll 2: X back, four others gone: held
    const gone = others.slice(0, 4);
    for (const t of gone) p.simulator.removeConnection(t);
    const held = await cycle();
    expect([...held.polls.values()][0]).toMatchObject({ status: 'held' });
    for (const t of gone) p.simulator.addConnection(propertyId, { token: t }); // poll 3: all back but X
    p.simulator.removeConnection(x);
    await cycle();

    expect(typesAbout(id)).toEqual([CONNECTION_PROVISIONED]);
    expect((await p.services.store.getConnection(id))?.status).toBe('provisioned');
    await cycle(); // the second consecutive miss
    expect(typesAbout(id)).toEqual([CONNECTION_PROVISIONED, CONNECTION_REMOVED]);
  });

  it('3: a property moving to another account while its removal is being settled stays provisioned, with its token', async () => {
    p = await startPipeline('move-race');
    const from = 'move-from@regression.example';
    const to = 'move-to@regression.example';
    const { properties } = p.simulator.addEnterprise({
      id: 'move-enterprise',
      accounts: [
        { email: from, propertyIds: ['move-a'] },
        { email: to, propertyIds: ['move-b'] },
      ],
      properties: [
        { id: 'move-a', connections: 1 },
        { id: 'move-b', connections: 1 },
      ],
    });
    const token = properties[0]?.connectionTokens[0] as string;
    const id = connectionIdFromToken(token);
    await Promise.all([from, to].map((email) => registerAccount({ email }, p.services)));
    await cycle();

    // The old account stops seeing the property; it misses it twice.
    p.simulator.removeAccount(from);
    p.simulator.addAccount('move-enterprise', { email: from, propertyIds: ['move-b'] });
    await cycle();
    // While the old account settles the removal, the new one lists it, and its sync runs.
    onFirstScheduledDeletion(async () => {
      p.simulator.removeAccount(to);
      p.simulator.addAccount('move-enterprise', { email: to, propertyIds: ['move-a', 'move-b'] });
      await pollAccount({ accountId: accountIdFromEmail(to) }, p.services);
      await p.services.syncs.drain((m) => syncConnection(m, p.services).then(() => undefined));
    });
    await cycle();
    await cycle();
    await cycle();

    expect(typesAbout(id)).toEqual([CONNECTION_PROVISIONED]);
    expect((await p.services.store.getConnection(id))?.status).toBe('provisioned');
    expect((await p.services.store.listMembershipsOf(id)).map((m) => m.accountId)).toEqual([
      accountIdFromEmail(to),
    ]);
    expect(await p.services.vault.get(id)).toBe(token);
  });

  it('4a: a connection that returns after its removal died past the token deletion has its token again', async () => {
    const { propertyId, tokens } = await enterpriseOf('cut-removal', 3);
    const token = tokens[0] as string;
    const id: ConnectionId = connectionIdFromToken(token);
    await cycle();

    p.simulator.removeConnection(token);
    await cycle();
    onFirstScheduledDeletion(async () => {
      throw new Error('the invocation died after scheduling the deletion');
    }, 'after');
    const cut = await cycle();
    expect(cut.deadLetters).toHaveLength(1);
    expect(await p.services.vault.get(id)).toBeUndefined();

    p.simulator.addConnection(propertyId, { token });
    await cycle();
    const refreshed = await refreshAll();
    expect(refreshed.deadLetters).toEqual([]);
    expect(await p.services.vault.get(id)).toBe(token);
    expect((await p.services.store.getConnection(id))?.status).toBe('provisioned');
    expect(typesAbout(id)).toEqual([CONNECTION_PROVISIONED]);
  });

  it('4b: a removal that loses a race to a concurrent refresh is decided again; the connection returns with its token', async () => {
    const { propertyId, tokens } = await enterpriseOf('refresh-race', 3);
    const token = tokens[0] as string;
    const id = connectionIdFromToken(token);
    await cycle();

    p.simulator.removeConnection(token);
    await cycle();
    onFirstScheduledDeletion(async () => {
      // The refresh read the connection (and its token) before the removal began.
      p.simulator.updateConfiguration(propertyId, (c) => ({
        ...c,
        spaceCategories: [
          ...(c.spaceCategories ?? []),
          { code: 'ADDED', name: 'Added during the removal', isSynchronized: true, spaceCount: 1 },
        ],
      }));
      const connection = await p.services.store.getConnection(id);
      if (!connection) throw new Error('no connection');
      p.simulator.addConnection(propertyId, { token });
      await syncConnection(
        { connectionId: id, accountId: connection.discoveredBy, reason: 'refresh' },
        p.services,
      );
      p.simulator.removeConnection(token);
    });
    await cycle();
    // Decided again from the refreshed state: still confirmed missing, so removed, after the change.
    expect(typesAbout(id)).toEqual([
      CONNECTION_PROVISIONED,
      CONNECTION_CONFIGURATION_CHANGED,
      CONNECTION_REMOVED,
    ]);

    p.simulator.addConnection(propertyId, { token });
    await cycle();
    const refreshed = await refreshAll();
    expect(refreshed.deadLetters).toEqual([]);
    expect(await p.services.vault.get(id)).toBe(token);
    expect((await p.services.store.getConnection(id))?.status).toBe('provisioned');
    expect(typesAbout(id)).toEqual([
      CONNECTION_PROVISIONED,
      CONNECTION_CONFIGURATION_CHANGED,
      CONNECTION_REMOVED,
      CONNECTION_REACTIVATED,
    ]);
  });

  it('6: a change to every name and mapping of a property with 250 space categories, rate plans and products is announced within 256 KB', async () => {
    p = await startPipeline('huge-change');
    const email = 'huge@regression.example';
    const size = {
      spaceCategories: 250,
      ratePlans: 250,
      products: 250,
      ageCategories: 100,
      companies: 0,
      travelAgencies: 0,
    };
    const { properties } = p.simulator.addEnterprise({
      id: 'huge-enterprise',
      accounts: [email],
      properties: [{ id: 'huge-property', connections: 1, generatedConfiguration: size }],
    });
    const id = connectionIdFromToken(properties[0]?.connectionTokens[0] as string);
    await registerAccount({ email }, p.services);
    await cycle();

    const renamed = (name: unknown) =>
      `${String(name)} – chambre supérieure rénovée avec vue sur la mer, petit-déjeuner inclus, annulation gratuite jusqu’à 48 h avant l’arrivée, accès au spa et au parking souterrain (saison 2027)`;
    p.simulator.updateConfiguration('huge-property', (c) => ({
      ...c,
      spaceCategories: c.spaceCategories.map((x) => ({
        ...x,
        name: renamed(x.name),
        isSynchronized: !x.isSynchronized,
      })),
      ratePlans: c.ratePlans.map((x) => ({ ...x, name: renamed(x.name), isSynchronized: !x.isSynchronized })),
      products: (c.products ?? []).map((x) => ({ ...x, name: renamed(x.name) })),
      ageCategories: (c.ageCategories ?? []).map((x) => ({ ...x, name: renamed(x.name) })),
      inventoryMappings: (c.inventoryMappings ?? []).map((m) => ({
        ...m,
        spaceTypeCode: `${m.spaceTypeCode}-B`,
      })),
    }));
    const report = await refreshAll();

    expect(report.deadLetters).toEqual([]);
    const changed = p.eventsOf(CONNECTION_CONFIGURATION_CHANGED);
    expect(changed).toHaveLength(1);
    const [event] = changed;
    if (!event) throw new Error('no Connection Configuration Changed');
    const entry = { detailType: CONNECTION_CONFIGURATION_CHANGED, detail: event.detail };
    expect(outboxEventEntrySize(entry, String(event.source))).toBeLessThan(256 * 1024);
    expect(event.detail).toMatchObject({ truncated: true, connection: { id } });
    expect(await p.services.store.listPendingEvents(10)).toEqual([]);
  });

  it('5: an account removed and registered again is announced failing again', async () => {
    p = await startPipeline('registered-again');
    const email = 'former-manager@sample-hostel.example';
    await registerAccount({ email }, p.services);
    await cycle();
    await unregisterAccount({ email }, p.services);
    await registerAccount({ email }, p.services);
    const report = await cycle();

    expect(report.deadLetters).toEqual([]);
    const failed = p.eventsOf(ACCOUNT_ACCESS_FAILED);
    expect(failed).toHaveLength(2);
    expect(new Set(failed.map((e) => e.detail.eventId)).size).toBe(2);
    expect((await p.services.store.getAccount(accountIdFromEmail(email)))?.access.status).toBe('failing');
  });
});

describe('a refused sync racing a provisioning (simulation finding failed-after-provisioned)', () => {
  it('the refused sync writes no Provisioning Failed after the concurrent provisioning', async () => {
    const { email, tokens } = await enterpriseOf('refused-race', 1);
    const token = tokens[0] as string;
    const id = connectionIdFromToken(token);
    const accountId = accountIdFromEmail(email);
    await pollAccount({ accountId }, p.services);
    const fault = p.simulator.addFault({
      operation: 'getConfiguration',
      connectionToken: token,
      mewsErrorCode: 8,
    });
    // Between the refused sync's read and its report, a sync Mews answers provisions it.
    const store = p.services.store;
    const original = store.reportConnection.bind(store);
    let other: Awaited<ReturnType<typeof syncConnection>> | undefined;
    store.reportConnection = async (report) => {
      if (other === undefined) {
        p.simulator.removeFault(fault);
        other = await syncConnection({ connectionId: id, accountId, reason: 'retry' }, p.services);
      }
      return original(report);
    };

    const outcome = await syncConnection({ connectionId: id, accountId, reason: 'discovered' }, p.services);

    expect(other).toMatchObject({ status: 'provisioned' });
    expect(outcome).toEqual({ status: 'already-provisioned' });
    expect((await store.listEventsFor(id)).map((e) => e.detailType)).toEqual([CONNECTION_PROVISIONED]);
  });
});
