import { beforeAll, describe, expect, it } from 'vitest';
import type { Account, AccountHold } from '../../shared/domain/model.js';
import { DuplicateEventError } from '../../shared/ports/store-errors.js';
import {
  account,
  accountId,
  discovery,
  event,
  events,
  type StateStoreFactory,
  type StateStoreUnderTest,
  seeded,
} from './state-fixtures.js';

const failing = {
  status: 'failing',
  code: 401,
  reason: 'AccessToken invalid',
  since: '2025-01-03T00:00:00.000Z',
} satisfies Account['access'];

const hold: AccountHold = { since: '2025-01-04T00:00:00.000Z', missing: 6, known: 8, released: false };

/** AccountStore: what every implementation must do (the outbox and connection parts observe it). */
export function accountStoreContract(makeStore: StateStoreFactory): void {
  let store: StateStoreUnderTest;
  beforeAll(async () => {
    store = await makeStore();
  }, 120_000);

  describe('addAccount, getAccount, listAccounts', () => {
    it('adds an account once; a second add reports exists and changes nothing', async () => {
      const acc = account();
      expect(await store.addAccount(acc)).toBe('created');
      expect(await store.addAccount({ ...acc, label: 'changed' })).toBe('exists');
      expect(await store.getAccount(acc.id)).toEqual(acc);
      expect(await store.getAccount(accountId())).toBeUndefined();
    });

    it('keeps its own copy: changing the object passed in or read back changes nothing stored', async () => {
      const acc = account();
      await store.addAccount(acc);
      acc.label = 'mutated after add';
      const read = await store.getAccount(acc.id);
      expect(read?.label).toBe('Front desk');
      if (read) read.access = failing;
      expect((await store.getAccount(acc.id))?.access).toEqual({ status: 'ok' });
    });

    it('lists accounts (and only accounts)', async () => {
      const a = account();
      const b = account({
        label: null,
        access: { status: 'failing', code: 401, reason: 'denied', since: 'x' },
      });
      await store.addAccount(a);
      await store.addAccount(b);
      await store.recordDiscoveries(a.id, [discovery()], '2025-01-01T00:00:00.000Z');
      const listed = await store.listAccounts();
      expect(listed).toEqual(expect.arrayContaining([a, b]));
      expect(listed.every((x) => x.id.startsWith('acc_'))).toBe(true);
    });
  });

  describe('getAccountView', () => {
    it('returns the account and exactly its memberships', async () => {
      const { acc, discoveries } = await seeded(store, 3);
      const other = account();
      await store.addAccount(other);
      await store.recordDiscoveries(other.id, [discovery()], '2025-01-01T00:00:00.000Z');
      const view = await store.getAccountView(acc.id);
      expect(view?.account).toEqual(acc);
      expect(view?.memberships.map((m) => m.connectionId).sort()).toEqual(
        discoveries.map((d) => d.connectionId).sort(),
      );
      expect(view?.memberships[0]).toMatchObject({ accountId: acc.id, status: 'pending', missingPolls: 0 });
    });

    it('is undefined for an unknown account, and for an account with no account item', async () => {
      expect(await store.getAccountView(accountId())).toBeUndefined();
      const ghost = accountId();
      await store.recordDiscoveries(ghost, [discovery()], '2025-01-01T00:00:00.000Z');
      expect(await store.getAccountView(ghost)).toBeUndefined();
    });

    it('an account without memberships has an empty list', async () => {
      const acc = account();
      await store.addAccount(acc);
      expect(await store.getAccountView(acc.id)).toEqual({ account: acc, memberships: [] });
    });
  });

  describe('removeAccount', () => {
    it('removes the account with its memberships, keeping the connections and other accounts', async () => {
      const { acc, con, discoveries } = await seeded(store, 2);
      const other = account();
      await store.addAccount(other);
      await store.recordDiscoveries(other.id, discoveries, '2025-01-02T00:00:00.000Z');
      expect(await store.removeAccount(acc.id)).toBe(true);
      expect(await store.removeAccount(acc.id)).toBe(false);
      expect(await store.getAccount(acc.id)).toBeUndefined();
      expect(await store.getAccountView(acc.id)).toBeUndefined();
      expect(await store.getMembership(acc.id, con)).toBeUndefined();
      expect(await store.getConnection(con)).toBeDefined();
      expect((await store.listMembershipsOf(con)).map((m) => m.accountId)).toEqual([other.id]);
      expect((await store.getAccountView(other.id))?.memberships).toHaveLength(2);
    });

    it('is false for an unknown account', async () => {
      expect(await store.removeAccount(accountId())).toBe(false);
    });
  });

  describe('changeAccountAccess', () => {
    it('moves the access and bumps the version, with its event in the same transaction', async () => {
      const acc = account();
      await store.addAccount(acc);
      const e = event(acc.id, '2025-01-03T00:00:00.000Z', { detailType: 'Account Access Failed' });
      expect(await store.changeAccountAccess(acc.id, failing, 0, [e])).toBe(true);
      expect(await store.getAccount(acc.id)).toMatchObject({ access: failing, accessVersion: 1 });
      expect(await store.listEventsFor(acc.id)).toEqual([e]);
      expect(await store.changeAccountAccess(acc.id, { status: 'ok' }, 1, [])).toBe(true);
      expect(await store.getAccount(acc.id)).toMatchObject({ access: { status: 'ok' }, accessVersion: 2 });
    });

    it('a stale version (or a replay) returns false and writes no event', async () => {
      const acc = account();
      await store.addAccount(acc);
      const first = event(acc.id, '2025-01-03T00:00:00.000Z');
      expect(await store.changeAccountAccess(acc.id, failing, 0, [first])).toBe(true);
      // the very same change replayed
      expect(await store.changeAccountAccess(acc.id, failing, 0, [first])).toBe(false);
      // another writer's stale view
      const stale = event(acc.id, '2025-01-03T00:00:01.000Z');
      expect(await store.changeAccountAccess(acc.id, { status: 'ok' }, 0, [stale])).toBe(false);
      expect(await store.getAccount(acc.id)).toMatchObject({ access: failing, accessVersion: 1 });
      expect((await store.listEventsFor(acc.id)).map((e) => e.eventId)).toEqual([first.eventId]);
      expect(await store.changeAccountAccess(accountId(), { status: 'ok' }, 0, [])).toBe(false);
    });

    it('two concurrent changes from the same version: exactly one applies', async () => {
      const acc = account();
      await store.addAccount(acc);
      const results = await Promise.all(
        [1, 2, 3].map((n) =>
          store.changeAccountAccess(acc.id, { ...failing, code: n }, 0, [
            event(acc.id, `2025-01-03T00:00:0${n}.000Z`),
          ]),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.listEventsFor(acc.id)).toHaveLength(1);
      expect((await store.getAccount(acc.id))?.accessVersion).toBe(1);
    });

    it('is atomic: an event id already in the outbox (another state change) cancels the change too', async () => {
      const acc = account();
      await store.addAccount(acc);
      const existing = event('elsewhere', '2025-01-01T00:00:00.000Z');
      expect(await store.appendEvents([existing])).toBe(1);
      const fresh = event(acc.id, '2025-01-03T00:00:00.000Z');
      const error = await store
        .changeAccountAccess(acc.id, failing, 0, [fresh, { ...existing, subject: acc.id }])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DuplicateEventError);
      expect(error).toMatchObject({ eventIds: [existing.eventId] });
      expect(await store.getAccount(acc.id)).toEqual(acc);
      expect(await store.listEventsFor(acc.id)).toEqual([]);
    });

    it('refuses one event id twice in one write, writing nothing', async () => {
      const acc = account();
      await store.addAccount(acc);
      const e = event(acc.id, '2025-01-03T00:00:00.000Z');
      await expect(store.changeAccountAccess(acc.id, failing, 0, [e, e])).rejects.toThrow(/appears twice/);
      expect(await store.getAccount(acc.id)).toEqual(acc);
      expect(await store.listEventsFor(acc.id)).toEqual([]);
    });

    it('fits 99 events with the account in one transaction; 100 are refused before anything is written', async () => {
      const acc = account();
      await store.addAccount(acc);
      await expect(store.changeAccountAccess(acc.id, failing, 0, events(acc.id, 100))).rejects.toThrow(
        RangeError,
      );
      expect(await store.getAccount(acc.id)).toEqual(acc);
      expect(await store.listEventsFor(acc.id)).toEqual([]);
      const fits = events(acc.id, 99);
      expect(await store.changeAccountAccess(acc.id, failing, 0, fits)).toBe(true);
      expect(await store.listEventsFor(acc.id)).toHaveLength(99);
    }, 60_000);
  });

  describe('account holds', () => {
    it('places a hold once, with its events; a second placement is false and writes nothing', async () => {
      const acc = account();
      await store.addAccount(acc);
      const e = event(acc.id, '2025-01-04T00:00:00.000Z', { detailType: 'Account Connections Disappeared' });
      expect(await store.placeAccountHold(acc.id, hold, [e])).toBe(true);
      expect((await store.getAccount(acc.id))?.hold).toEqual(hold);
      const again = event(acc.id, '2025-01-04T00:00:01.000Z');
      expect(await store.placeAccountHold(acc.id, { ...hold, missing: 7 }, [again])).toBe(false);
      expect((await store.getAccount(acc.id))?.hold).toEqual(hold);
      expect(await store.listEventsFor(acc.id)).toEqual([e]);
      expect(await store.placeAccountHold(accountId(), hold, [])).toBe(false);
    });

    it('a hold whose event id is already stored is not placed', async () => {
      const acc = account();
      await store.addAccount(acc);
      const existing = event('elsewhere', '2025-01-01T00:00:00.000Z');
      await store.appendEvents([existing]);
      await expect(store.placeAccountHold(acc.id, hold, [existing])).rejects.toThrow(DuplicateEventError);
      expect((await store.getAccount(acc.id))?.hold).toBeNull();
    });

    it('releases a hold (an operator confirmed it), false when there is none', async () => {
      const acc = account();
      await store.addAccount(acc);
      expect(await store.releaseAccountHold(acc.id)).toBe(false);
      expect((await store.getAccount(acc.id))?.hold).toBeNull();
      await store.placeAccountHold(acc.id, hold, []);
      expect(await store.releaseAccountHold(acc.id)).toBe(true);
      expect((await store.getAccount(acc.id))?.hold).toEqual({ ...hold, released: true });
      expect(await store.releaseAccountHold(acc.id)).toBe(true);
      expect(await store.releaseAccountHold(accountId())).toBe(false);
    });

    it('sets and clears a label; an unknown account is false', async () => {
      const acc = account();
      await store.addAccount(acc);
      expect(await store.setAccountLabel(acc.id, 'Front desk')).toBe(true);
      expect((await store.getAccount(acc.id))?.label).toBe('Front desk');
      expect(await store.setAccountLabel(acc.id, null)).toBe(true);
      expect((await store.getAccount(acc.id))?.label).toBeNull();
      expect(await store.setAccountLabel(accountId(), 'x')).toBe(false);
    });

    it('clears a hold, after which a new one can be placed; clearing nothing is harmless', async () => {
      const acc = account();
      await store.addAccount(acc);
      await store.placeAccountHold(acc.id, hold, []);
      await store.clearAccountHold(acc.id);
      expect((await store.getAccount(acc.id))?.hold).toBeNull();
      await store.clearAccountHold(acc.id);
      expect(await store.placeAccountHold(acc.id, hold, [])).toBe(true);
      const unknown = accountId();
      await store.clearAccountHold(unknown);
      expect(await store.getAccount(unknown)).toBeUndefined();
    });
  });
}
