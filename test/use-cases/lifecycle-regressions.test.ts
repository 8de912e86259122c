/**
 * Issue 9's six lifecycle defects, the same histories as test/integration/lifecycle-regressions.test.ts,
 * driven through the real use cases over the in-memory ports (createMemoryServices): no Java, no
 * HTTP. Interleavings are made at the same port call, the one between a removal's read and its
 * write (the token's scheduled deletion), through the adapters' onCall hook.
 *
 * Where the simulator keys a configuration by property, MemoryMewsWorld keys it by token and
 * forgets it when the connection goes: a connection that comes back is given the configuration
 * it had.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT_ACCESS_FAILED } from '../../shared/domain/events/account-access.event.js';
import { CONNECTION_CONFIGURATION_CHANGED } from '../../shared/domain/events/connection-configuration-changed.event.js';
import { CONNECTION_PROVISIONED } from '../../shared/domain/events/connection-provisioned.event.js';
import { CONNECTION_PROVISIONING_FAILED } from '../../shared/domain/events/connection-provisioning-failed.event.js';
import {
  CONNECTION_REACTIVATED,
  CONNECTION_REMOVED,
} from '../../shared/domain/events/connection-status.event.js';
import {
  EVENTBRIDGE_ENTRY_LIMIT_BYTES,
  outboxEventEntrySize,
} from '../../shared/domain/events/entry-size.js';
import { accountIdFromEmail, connectionIdFromToken } from '../../shared/domain/identity.js';
import type { ConnectionId } from '../../shared/domain/model.js';
import type { Configuration } from '../../shared/mews/configuration.schema.js';
import { generateConfiguration } from '../../shared/simulator/large-property.js';
import { registerAccount, unregisterAccount } from '../../shared/use-cases/accounts.js';
import { pollAccount } from '../../shared/use-cases/poll-account.js';
import { syncConnection } from '../../shared/use-cases/sync-connection.js';
import {
  type CycleReport,
  cycle,
  deliverSyncs,
  MemoryPipeline,
  publishedAbout,
  refreshAll,
} from './support.js';

let p: MemoryPipeline;
beforeEach(() => {
  p = new MemoryPipeline();
});

const typesAbout = (id: string) => publishedAbout(p, id).map((e) => e.detailType);

/** Nothing failed for good: no message dead-lettered, no event the bus refused. */
function expectNoDeadLetters(report: CycleReport) {
  expect(report.deadLetters).toEqual([]);
  expect(report.relay.deadLettered).toEqual([]);
}

/**
 * Runs `during` once, at the first scheduled deletion of a token: before the vault schedules it,
 * or (`after`) once it has, before the invocation's next port call (the removal's write).
 */
function onFirstScheduledDeletion(
  during: () => Promise<void>,
  when: 'before' | 'after' = 'before',
): { fired: () => boolean } {
  let state: 'waiting' | 'scheduling' | 'done' = 'waiting';
  p.hook = async (call) => {
    if (state === 'scheduling') {
      state = 'done';
      await during();
      return;
    }
    if (state !== 'waiting' || call.port !== 'TokenVault' || call.method !== 'scheduleDeletion') return;
    if (when === 'after') {
      state = 'scheduling';
      return;
    }
    state = 'done';
    await during();
  };
  return { fired: () => state === 'done' };
}

/** A fresh enterprise with one account that sees one property of `connections` connections. */
async function enterpriseOf(label: string, connections: number) {
  const { world } = p.services;
  const email = `${label}@regression.example`;
  const enterpriseId = `${label}-enterprise`;
  const propertyId = `${label}-property`;
  world.addEnterprise({ id: enterpriseId });
  world.addProperty(enterpriseId, { id: propertyId });
  const tokens = Array.from({ length: connections }, (_, i) =>
    world.addConnection(propertyId, { token: `fake-${label}-${i + 1}` }),
  );
  world.grantAccess(email, enterpriseId);
  await registerAccount({ email }, p.deps);
  return { email, propertyId, tokens };
}

describe('issue 9 regressions', () => {
  it('1: a connection removed before it was ever provisioned is never announced removed; when it comes back it is provisioned', async () => {
    const { world, mews, store, vault } = p.services;
    const { propertyId, tokens } = await enterpriseOf('never-provisioned', 1);
    const token = tokens[0] as string;
    const id = connectionIdFromToken(token);
    const fault = mews.failCalls({
      operation: 'getConfiguration',
      token,
      fault: { kind: 'refused', code: 3 },
    });

    await cycle(p);
    expect(typesAbout(id)).toEqual([CONNECTION_PROVISIONING_FAILED]);
    world.removeConnection(token);
    await cycle(p);
    await cycle(p);
    expect((await store.getConnection(id))?.status).toBe('removed');

    mews.removeFault(fault);
    world.addConnection(propertyId, { token });
    await cycle(p);
    await cycle(p);
    expect(typesAbout(id)).toEqual([CONNECTION_PROVISIONING_FAILED, CONNECTION_PROVISIONED]);
    expect((await store.getConnection(id))?.status).toBe('provisioned');
    expect(await vault.get(id)).toBe(token);
  });

  it('2: a connection listed again by a held poll needs two new consecutive misses before it is removed', async () => {
    const { world, store } = p.services;
    const { propertyId, tokens } = await enterpriseOf('held-relisted', 6);
    const [x, ...others] = tokens as [string, ...string[]];
    const id = connectionIdFromToken(x);
    await cycle(p);

    world.removeConnection(x); // poll 1: X missing
    await cycle(p);
    world.addConnection(propertyId, { token: x }); // poll 2: X back, four others gone: held
    const gone = others.slice(0, 4);
    for (const t of gone) world.removeConnection(t);
    const held = await cycle(p);
    expect([...held.polls.values()][0]).toMatchObject({ status: 'held' });
    for (const t of gone) world.addConnection(propertyId, { token: t }); // poll 3: all back but X
    world.removeConnection(x);
    await cycle(p);

    expect(typesAbout(id)).toEqual([CONNECTION_PROVISIONED]);
    expect((await store.getConnection(id))?.status).toBe('provisioned');
    await cycle(p); // the second consecutive miss
    expect(typesAbout(id)).toEqual([CONNECTION_PROVISIONED, CONNECTION_REMOVED]);
  });

  it('3: a property moving to another account while its removal is being settled stays provisioned, with its token', async () => {
    const { world, store, vault } = p.services;
    const from = 'move-from@regression.example';
    const to = 'move-to@regression.example';
    world.addEnterprise({ id: 'move-enterprise' });
    world.addProperty('move-enterprise', { id: 'move-a' });
    world.addProperty('move-enterprise', { id: 'move-b' });
    const token = world.addConnection('move-a', { token: 'fake-move-a-1' });
    world.addConnection('move-b', { token: 'fake-move-b-1' });
    world.grantAccess(from, 'move-enterprise', { propertyIds: ['move-a'] });
    world.grantAccess(to, 'move-enterprise', { propertyIds: ['move-b'] });
    const id = connectionIdFromToken(token);
    await Promise.all([from, to].map((email) => registerAccount({ email }, p.deps)));
    await cycle(p);

    // The old account stops seeing the property; it misses it twice.
    world.grantAccess(from, 'move-enterprise', { propertyIds: ['move-b'] });
    await cycle(p);
    // While the old account settles the removal, the new one lists it, and its sync runs.
    const race = onFirstScheduledDeletion(async () => {
      world.grantAccess(to, 'move-enterprise', { propertyIds: ['move-a', 'move-b'] });
      await pollAccount({ accountId: accountIdFromEmail(to) }, p.deps);
      await deliverSyncs(p);
    });
    await cycle(p);
    expect(race.fired()).toBe(true);
    await cycle(p);
    await cycle(p);

    expect(typesAbout(id)).toEqual([CONNECTION_PROVISIONED]);
    expect((await store.getConnection(id))?.status).toBe('provisioned');
    expect((await store.listMembershipsOf(id)).map((m) => m.accountId)).toEqual([accountIdFromEmail(to)]);
    expect(await vault.get(id)).toBe(token);
  });

  it('4a: a connection that returns after its removal died past the token deletion has its token again', async () => {
    const { world, store, vault } = p.services;
    const { propertyId, tokens } = await enterpriseOf('cut-removal', 3);
    const token = tokens[0] as string;
    const id: ConnectionId = connectionIdFromToken(token);
    await cycle(p);

    world.removeConnection(token);
    await cycle(p);
    const crash = onFirstScheduledDeletion(async () => {
      throw new Error('the invocation died after scheduling the deletion');
    }, 'after');
    const cut = await cycle(p);
    expect(crash.fired()).toBe(true);
    expect(cut.deadLetters).toHaveLength(1);
    expect(await vault.get(id)).toBeUndefined();

    world.addConnection(propertyId, { token });
    await cycle(p);
    const refreshed = await refreshAll(p);
    expectNoDeadLetters(refreshed);
    expect(await vault.get(id)).toBe(token);
    expect((await store.getConnection(id))?.status).toBe('provisioned');
    expect(typesAbout(id)).toEqual([CONNECTION_PROVISIONED]);
  });

  it('4b: a removal that loses a race to a concurrent refresh is decided again; the connection returns with its token', async () => {
    const { world, store, vault } = p.services;
    const { propertyId, tokens } = await enterpriseOf('refresh-race', 3);
    const token = tokens[0] as string;
    const id = connectionIdFromToken(token);
    await cycle(p);
    const configuration = world.configurationOf(token);
    const changed = {
      ...configuration,
      spaceCategories: [
        ...configuration.spaceCategories,
        { code: 'ADDED', name: 'Added during the removal', isSynchronized: true, spaceCount: 1 },
      ],
    };

    world.removeConnection(token);
    await cycle(p);
    const race = onFirstScheduledDeletion(async () => {
      // The refresh read the connection (and its token) before the removal began.
      const connection = await store.getConnection(id);
      if (!connection) throw new Error('no connection');
      world.addConnection(propertyId, { token, configuration: changed });
      await syncConnection(
        { connectionId: id, accountId: connection.discoveredBy, reason: 'refresh' },
        p.deps,
      );
      world.removeConnection(token);
    });
    await cycle(p);
    expect(race.fired()).toBe(true);
    // Decided again from the refreshed state: still confirmed missing, so removed, after the change.
    expect(typesAbout(id)).toEqual([
      CONNECTION_PROVISIONED,
      CONNECTION_CONFIGURATION_CHANGED,
      CONNECTION_REMOVED,
    ]);

    world.addConnection(propertyId, { token, configuration: changed });
    await cycle(p);
    const refreshed = await refreshAll(p);
    expectNoDeadLetters(refreshed);
    expect(await vault.get(id)).toBe(token);
    expect((await store.getConnection(id))?.status).toBe('provisioned');
    expect(typesAbout(id)).toEqual([
      CONNECTION_PROVISIONED,
      CONNECTION_CONFIGURATION_CHANGED,
      CONNECTION_REMOVED,
      CONNECTION_REACTIVATED,
    ]);
  });

  it('6: a change to every name and mapping of a property with 250 space categories, rate plans and products is announced within 256 KB', async () => {
    const { world, store, publisher } = p.services;
    const email = 'huge@regression.example';
    const size = {
      spaceCategories: 250,
      ratePlans: 250,
      products: 250,
      ageCategories: 100,
      companies: 0,
      travelAgencies: 0,
    };
    world.addEnterprise({ id: 'huge-enterprise' });
    world.addProperty('huge-enterprise', { id: 'huge-property' });
    // The generator maps every rate on every category (62,502 mappings, seconds of work in memory);
    // here each rate is on two categories. The changed names alone are well over one entry.
    const generated = generateConfiguration('Property huge-property', size);
    const categories = generated.spaceCategories.map((x) => x.code);
    const configuration: Configuration = {
      success: true,
      ...generated,
      inventoryMappings: generated.ratePlans.flatMap((r, i) =>
        [i, i + 1].map((k) => ({
          ratePlanCode: r.code,
          spaceTypeCode: categories[k % categories.length] ?? '',
        })),
      ),
    };
    const token = world.addConnection('huge-property', { token: 'fake-huge-1', configuration });
    world.grantAccess(email, 'huge-enterprise');
    const id = connectionIdFromToken(token);
    await registerAccount({ email }, p.deps);
    await cycle(p);

    const renamed = (name: unknown) =>
      `${String(name)} – chambre supérieure rénovée avec vue sur la mer, petit-déjeuner inclus, annulation gratuite jusqu’à 48 h avant l’arrivée, accès au spa et au parking souterrain (saison 2027)`;
    const c = configuration;
    world.setConfiguration(token, {
      ...c,
      spaceCategories: c.spaceCategories.map((x) => ({
        ...x,
        name: renamed(x.name),
        isSynchronized: !x.isSynchronized,
      })),
      ratePlans: c.ratePlans.map((x) => ({ ...x, name: renamed(x.name), isSynchronized: !x.isSynchronized })),
      products: c.products.map((x) => ({ ...x, name: renamed(x.name) })),
      ageCategories: c.ageCategories.map((x) => ({ ...x, name: renamed(x.name) })),
      inventoryMappings: c.inventoryMappings.map((m) => ({ ...m, spaceTypeCode: `${m.spaceTypeCode}-B` })),
    });
    const report = await refreshAll(p);

    expectNoDeadLetters(report);
    const changed = publisher
      .entries()
      .filter((e) => e.event.detailType === CONNECTION_CONFIGURATION_CHANGED);
    expect(changed).toHaveLength(1);
    const [entry] = changed;
    if (!entry) throw new Error('no change published');
    expect(outboxEventEntrySize(entry.event, entry.source)).toBeLessThan(EVENTBRIDGE_ENTRY_LIMIT_BYTES);
    expect((entry.event.detail.connection as { id: string }).id).toBe(id);
    expect((entry.event.detail as { truncated?: boolean }).truncated).toBe(true);
    // Every item changed, and the counts say so exactly, whatever the lists could carry.
    expect(entry.event.detail.diff).toMatchObject({
      spaceCategories: { counts: { changed: 250 }, truncated: true },
      ratePlans: { counts: { changed: 250 }, truncated: true },
      products: { counts: { changed: 250 } },
      ageCategories: { counts: { changed: 100 } },
      inventoryMappings: { counts: { added: 500, removed: 500 } },
    });
    expect(await store.listPendingEvents(10)).toEqual([]);
  });

  it('5: an account removed and registered again is announced failing again', async () => {
    const { store, publisher } = p.services;
    const email = 'former-manager@sample-hostel.example';
    await registerAccount({ email }, p.deps);
    await cycle(p);
    await unregisterAccount({ email }, p.deps);
    await registerAccount({ email }, p.deps);
    const report = await cycle(p);

    expectNoDeadLetters(report);
    const failed = publisher.published().filter((e) => e.detailType === ACCOUNT_ACCESS_FAILED);
    expect(failed).toHaveLength(2);
    expect(new Set(failed.map((e) => e.detail.eventId)).size).toBe(2);
    expect((await store.getAccount(accountIdFromEmail(email)))?.access.status).toBe('failing');
  });
});

describe('a refused sync racing a provisioning (simulation finding failed-after-provisioned)', () => {
  /** A discovered connection whose getConfiguration Mews refuses (code 8) until the fault goes. */
  async function discoveredAndRefused(label: string) {
    const { mews } = p.services;
    const { email, tokens } = await enterpriseOf(label, 1);
    const token = tokens[0] as string;
    const accountId = accountIdFromEmail(email);
    await pollAccount({ accountId }, p.deps);
    const fault = mews.failCalls({
      operation: 'getConfiguration',
      token,
      fault: { kind: 'refused', code: 8 },
    });
    return { id: connectionIdFromToken(token), accountId, fault };
  }

  it('a sync that Mews refused reports nothing once a concurrent sync provisioned the connection between its read and its write', async () => {
    const { mews, store } = p.services;
    const { id, accountId, fault } = await discoveredAndRefused('refused-race');
    let other: Awaited<ReturnType<typeof syncConnection>> | undefined;
    let state: 'waiting' | 'racing' | 'done' = 'waiting';
    p.hook = async (call) => {
      if (state !== 'waiting' || call.port !== 'ConnectionStore' || call.method !== 'reportConnection')
        return;
      // A has its refusal and decided to report it; B, which Mews answers, provisions first.
      state = 'racing';
      mews.removeFault(fault);
      other = await syncConnection({ connectionId: id, accountId, reason: 'retry' }, p.deps);
      state = 'done';
    };

    const outcome = await syncConnection({ connectionId: id, accountId, reason: 'discovered' }, p.deps);

    expect(state).toBe('done');
    expect(other).toMatchObject({ status: 'provisioned' });
    // decided again from the provisioned connection: nothing to report, nothing to ask Mews
    expect(outcome).toEqual({ status: 'already-provisioned' });
    expect((await store.listEventsFor(id)).map((e) => e.detailType)).toEqual([CONNECTION_PROVISIONED]);
    expect((await store.getConnection(id))?.status).toBe('provisioned');
  });

  it('a refusal repeated at the same version reports it once', async () => {
    const { store } = p.services;
    const { id, accountId } = await discoveredAndRefused('refused-twice');
    for (let i = 0; i < 2; i++) {
      expect(await syncConnection({ connectionId: id, accountId, reason: 'retry' }, p.deps)).toEqual({
        status: 'failed',
        code: 8,
      });
    }
    expect((await store.listEventsFor(id)).map((e) => e.detailType)).toEqual([
      CONNECTION_PROVISIONING_FAILED,
    ]);
  });
});
