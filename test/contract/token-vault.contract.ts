import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/adapters/memory/manual-clock.js';
import type { ConnectionId, IntegrationId } from '../../shared/domain/model.js';
import type { ExpiredTokenSweep, IntegrationTokenVault, TokenVault } from '../../shared/ports/token-vault.js';

export type VaultUnderTest = TokenVault & IntegrationTokenVault;

/** Returns a new, empty vault each time it is called. */
export type VaultFactory = () => Promise<VaultUnderTest>;

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const con = (): ConnectionId => `con_${hex(12)}`;
const int = (): IntegrationId => `int_${hex(12)}`;
const token = (label = 'conn') => `FAKE-${label}-token-${hex(8)}`;

/** TokenVault and IntegrationTokenVault: what every implementation must do. */
export function tokenVaultContract(makeVault: VaultFactory): void {
  describe('connection tokens', () => {
    it('stores a token under the ref it announced, and reads it back', async () => {
      const vault = await makeVault();
      const id = con();
      const t = token();
      const ref = vault.refFor(id);
      expect(ref).toEqual(expect.any(String));
      expect(ref).not.toContain(t);
      expect(await vault.put(id, t)).toEqual({ ref, created: true });
      expect(await vault.get(id)).toBe(t);
      expect(vault.refFor(id)).toBe(ref);
    });

    it('storing twice stores once: a second put keeps the first token', async () => {
      const vault = await makeVault();
      const id = con();
      const first = token();
      await vault.put(id, first);
      expect(await vault.put(id, token())).toEqual({ ref: vault.refFor(id), created: false });
      expect(await vault.put(id, first)).toEqual({ ref: vault.refFor(id), created: false });
      expect(await vault.get(id)).toBe(first);
    });

    it('concurrent puts of one connection: exactly one creates it, and one token is kept', async () => {
      const vault = await makeVault();
      const id = con();
      const tokens = [token(), token(), token(), token()];
      const results = await Promise.all(tokens.map((t) => vault.put(id, t)));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(tokens).toContain(await vault.get(id));
    });

    it('answers undefined for an unknown connection; connections are kept apart', async () => {
      const vault = await makeVault();
      const [a, b] = [con(), con()];
      await vault.put(a, token());
      expect(await vault.get(b)).toBeUndefined();
    });

    it('refuses an empty token, storing nothing', async () => {
      const vault = await makeVault();
      const id = con();
      await expect(vault.put(id, '')).rejects.toThrow(/empty/);
      expect(await vault.get(id)).toBeUndefined();
      expect((await vault.put(id, token())).created).toBe(true);
    });

    it('a scheduled deletion hides the secret; scheduling again, or something absent, is not an error', async () => {
      const vault = await makeVault();
      const id = con();
      await vault.put(id, token());
      await vault.scheduleDeletion(id, 7);
      expect(await vault.get(id)).toBeUndefined();
      await vault.scheduleDeletion(id, 7);
      await vault.scheduleDeletion(con(), 7);
      expect(await vault.get(id)).toBeUndefined();
    });

    it('a put within the recovery window restores the secret with the token given (created: false)', async () => {
      const vault = await makeVault();
      const id = con();
      await vault.put(id, token());
      await vault.scheduleDeletion(id, 7);
      const again = token();
      expect(await vault.put(id, again)).toEqual({ ref: vault.refFor(id), created: false });
      expect(await vault.get(id)).toBe(again);
      // restored for good: a later put keeps it
      expect(await vault.put(id, token())).toEqual({ ref: vault.refFor(id), created: false });
      expect(await vault.get(id)).toBe(again);
    });

    it('cancelDeletion keeps a secret scheduled for deletion, token and all', async () => {
      const vault = await makeVault();
      const id = con();
      const t = token();
      await vault.put(id, t);
      await vault.scheduleDeletion(id, 7);
      await vault.cancelDeletion(id);
      expect(await vault.get(id)).toBe(t);
      await vault.cancelDeletion(id);
      expect(await vault.get(id)).toBe(t);
      expect(await vault.put(id, token())).toEqual({ ref: vault.refFor(id), created: false });
      expect(await vault.get(id)).toBe(t);
      // and it can be scheduled (and cancelled) again
      await vault.scheduleDeletion(id, 7);
      expect(await vault.get(id)).toBeUndefined();
      await vault.cancelDeletion(id);
      expect(await vault.get(id)).toBe(t);
    });

    it('cancelDeletion of a secret never stored, or not scheduled, is not an error and stores nothing', async () => {
      const vault = await makeVault();
      const id = con();
      await vault.cancelDeletion(id);
      expect(await vault.get(id)).toBeUndefined();
      expect((await vault.put(id, token())).created).toBe(true);
    });

    it('a scheduled deletion and its cancellation racing a put leave the token readable', async () => {
      const vault = await makeVault();
      const id = con();
      const t = token();
      await vault.put(id, t);
      await vault.scheduleDeletion(id, 7);
      await Promise.all([vault.cancelDeletion(id), vault.put(id, t)]);
      expect(await vault.get(id)).toBe(t);
    });
  });

  integrationTokenVaultContract(makeVault);

  describe('integration and connection tokens', () => {
    it('are kept apart: the same hex under the other kind is another token', async () => {
      const vault = await makeVault();
      const suffix = hex(12);
      await vault.put(`con_${suffix}`, token());
      expect(await vault.getIntegrationToken(`int_${suffix}`)).toBeUndefined();
      await vault.putIntegrationToken(`int_${suffix}`, token('access'));
      await vault.scheduleIntegrationTokenDeletion(`int_${suffix}`, 7);
      expect(await vault.get(`con_${suffix}`)).toEqual(expect.any(String));
    });
  });
}

/** IntegrationTokenVault alone (the Secrets Manager layout has a vault of its own for it). */
export function integrationTokenVaultContract(makeVault: () => Promise<IntegrationTokenVault>): void {
  describe('integration access tokens', () => {
    it('stores, reads back, and keeps the same token without a new version', async () => {
      const vault = await makeVault();
      const id = int();
      const t = token('access');
      const stored = await vault.putIntegrationToken(id, t);
      expect(stored).toEqual({ ref: expect.any(String), created: true });
      expect(stored.ref).not.toContain(t);
      expect(await vault.getIntegrationToken(id)).toBe(t);
      expect(await vault.putIntegrationToken(id, t)).toEqual({ ref: stored.ref, created: false });
      expect(await vault.getIntegrationToken(int())).toBeUndefined();
    });

    it('replaces the token when Mews regenerated it', async () => {
      const vault = await makeVault();
      const id = int();
      await vault.putIntegrationToken(id, token('access'));
      const regenerated = token('access');
      expect((await vault.putIntegrationToken(id, regenerated)).created).toBe(false);
      expect(await vault.getIntegrationToken(id)).toBe(regenerated);
    });

    it('a scheduled deletion hides it; a put restores it with the token given', async () => {
      const vault = await makeVault();
      const id = int();
      await vault.putIntegrationToken(id, token('access'));
      await vault.scheduleIntegrationTokenDeletion(id, 7);
      expect(await vault.getIntegrationToken(id)).toBeUndefined();
      await vault.scheduleIntegrationTokenDeletion(id, 7);
      await vault.scheduleIntegrationTokenDeletion(int(), 7);
      const again = token('access');
      expect((await vault.putIntegrationToken(id, again)).created).toBe(false);
      expect(await vault.getIntegrationToken(id)).toBe(again);
    });

    it('refuses an empty token, storing nothing', async () => {
      const vault = await makeVault();
      const id = int();
      await expect(vault.putIntegrationToken(id, '')).rejects.toThrow(/empty/);
      expect(await vault.getIntegrationToken(id)).toBeUndefined();
    });
  });
}

/** Returns a new, empty vault that schedules deletions by `clock`. */
export type SweepableVaultFactory = (clock: ManualClock) => Promise<VaultUnderTest & ExpiredTokenSweep>;

const DAY = 86_400_000;

/** Every page of a sweep at `now`: the ids deleted, and what is still within its window. */
async function sweepAll(vault: ExpiredTokenSweep, now: Date) {
  const deleted: string[] = [];
  let pending = 0;
  let cursor: string | undefined;
  do {
    const page = await vault.deleteExpired(now, cursor);
    deleted.push(...page.deleted);
    pending += page.pending;
    cursor = page.cursor;
  } while (cursor);
  return { deleted: deleted.sort(), pending };
}

/** ExpiredTokenSweep: a vault that carries out its own recovery window (Parameter Store, the twin). */
export function tokenSweepContract(makeVault: SweepableVaultFactory): void {
  describe('the sweep of expired tokens', () => {
    it('deletes a scheduled token once its window has passed, not before, and only once', async () => {
      const clock = new ManualClock();
      const vault = await makeVault(clock);
      const [gone, kept, live] = [con(), con(), con()];
      const integration = int();
      for (const id of [gone, kept, live]) await vault.put(id, token());
      await vault.putIntegrationToken(integration, token('access'));
      await vault.scheduleDeletion(gone, 7);
      await vault.scheduleIntegrationTokenDeletion(integration, 7);
      clock.advance(2 * DAY);
      await vault.scheduleDeletion(kept, 7);

      expect(await sweepAll(vault, new Date(clock.peek().getTime() + 4 * DAY))).toEqual({
        deleted: [],
        pending: 3,
      });
      const after = new Date(clock.peek().getTime() + 5 * DAY + 1);
      expect(await sweepAll(vault, after)).toEqual({ deleted: [gone, integration].sort(), pending: 1 });
      expect(await sweepAll(vault, after)).toEqual({ deleted: [], pending: 1 });
      // gone for good: a put stores it anew; cancelling brings nothing back
      await vault.cancelDeletion(gone);
      expect(await vault.get(gone)).toBeUndefined();
      expect((await vault.put(gone, token())).created).toBe(true);
      expect(await vault.getIntegrationToken(integration)).toBeUndefined();
      expect((await vault.putIntegrationToken(integration, token('access'))).created).toBe(true);
      expect(await vault.get(live)).toEqual(expect.any(String));
    });

    it('a token restored within its window (put or cancelDeletion) survives every later sweep', async () => {
      const clock = new ManualClock();
      const vault = await makeVault(clock);
      const [byPut, byCancel] = [con(), con()];
      const [first, second] = [token(), token()];
      await vault.put(byPut, token());
      await vault.put(byCancel, first);
      await vault.scheduleDeletion(byPut, 7);
      await vault.scheduleDeletion(byCancel, 7);
      await vault.put(byPut, second);
      await vault.cancelDeletion(byCancel);
      await sweepAll(vault, new Date(clock.peek().getTime() + 30 * DAY));
      expect(await vault.get(byPut)).toBe(second);
      expect(await vault.get(byCancel)).toBe(first);
      // and scheduled again later, the new window counts
      clock.advance(30 * DAY);
      await vault.scheduleDeletion(byPut, 7);
      expect((await sweepAll(vault, new Date(clock.peek().getTime() + 6 * DAY))).deleted).toEqual([]);
      expect((await sweepAll(vault, new Date(clock.peek().getTime() + 7 * DAY))).deleted).toEqual([byPut]);
      expect(await vault.get(byCancel)).toBe(first);
    });

    it('follows the pages to the end: every due token of a large batch goes', async () => {
      const clock = new ManualClock();
      const vault = await makeVault(clock);
      const ids = Array.from({ length: 61 }, con);
      for (const id of ids) {
        await vault.put(id, token());
        await vault.scheduleDeletion(id, 1);
      }
      const result = await sweepAll(vault, new Date(clock.peek().getTime() + DAY));
      expect(result).toEqual({ deleted: [...ids].sort(), pending: 0 });
      for (const id of ids) expect((await vault.put(id, token())).created).toBe(true);
    });
  });
}
