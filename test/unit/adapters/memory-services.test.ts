import { describe, expect, it } from 'vitest';
import {
  createMemoryServices,
  type MemoryServices,
} from '../../../shared/adapters/memory/memory-services.js';
import type { PortCall } from '../../../shared/adapters/memory/port-call.js';
import { connectionIdFromToken } from '../../../shared/domain/identity.js';
import { account, discovery, event, provisionInput } from '../../contract/state-fixtures.js';

/** How a simulation drives the in-memory ports: interleave, crash, inspect. */
describe('in-memory services', () => {
  it('interleaves two callers between port calls: the second decision made from a stale read is stale', async () => {
    const gates = new Map<string, () => void>();
    const hold = (key: string) => new Promise<void>((resolve) => gates.set(key, resolve));
    let holdNextProvisioning: Promise<void> | undefined;
    const services = createMemoryServices({
      onCall: async (call: PortCall) => {
        if (call.method === 'recordProvisioned' && holdNextProvisioning) {
          const gate = holdNextProvisioning;
          holdNextProvisioning = undefined;
          await gate;
        }
      },
    });
    const { store } = services;
    const acc = account();
    await store.addAccount(acc);
    const d = discovery();
    await store.recordDiscoveries(acc.id, [d], '2025-01-01T00:00:00.000Z');

    // A reads version 0 and is held just before its write; B reads version 0 and writes first.
    holdNextProvisioning = hold('A');
    const a = store.recordProvisioned(
      provisionInput(acc.id, d.connectionId, [event(d.connectionId, '2025-01-01T00:00:01.000Z')]),
    );
    const b = await store.recordProvisioned(
      provisionInput(acc.id, d.connectionId, [event(d.connectionId, '2025-01-01T00:00:02.000Z')]),
    );
    gates.get('A')?.();
    expect([await a, b]).toEqual(['stale', 'applied']);
    expect(store.dump().events).toHaveLength(1);
  });

  it('crashes a caller before a chosen call: nothing of that call happens, what came before stays', async () => {
    let crashAt: string | undefined;
    const services: MemoryServices = createMemoryServices({
      onCall: ({ port, method }) => {
        if (`${port}.${method}` === crashAt) throw new Error(`crash before ${crashAt}`);
      },
    });
    const { store, vault, world, mews } = services;
    world.addEnterprise({ id: 'ent' });
    world.addProperty('ent', { id: 'p1', name: 'Hostel' });
    world.addConnection('p1', { token: 'FAKE-conn-1' });
    world.grantAccess('a@hotel.example', 'ent');
    const acc = account({ email: 'a@hotel.example' });
    await store.addAccount(acc);

    // a poll: getProperties, store the token, record the discovery (crashing just before it)
    crashAt = 'ConnectionStore.recordDiscoveries';
    const poll = async () => {
      const listed = await mews.getProperties(acc.email);
      const token = listed.properties[0]?.connections[0]?.token ?? '';
      const id = connectionIdFromToken(token);
      const { ref } = await vault.put(id, token);
      await store.recordDiscoveries(
        acc.id,
        [{ ...discovery(id), secretRef: ref }],
        '2025-01-01T00:00:00.000Z',
      );
      return id;
    };
    await expect(poll()).rejects.toThrow('crash before ConnectionStore.recordDiscoveries');
    expect(vault.contents().live.map((s) => s.token)).toEqual(['FAKE-conn-1']);
    expect(store.dump().connections).toEqual([]);

    // the retried poll finishes; the vault still holds one secret
    crashAt = undefined;
    const id = await poll();
    expect(store.dump().connections.map((c) => c.id)).toEqual([id]);
    expect(vault.contents().live).toHaveLength(1);
    // an invariant a simulation checks: no token anywhere in the state
    expect(JSON.stringify(store.dump())).not.toContain('FAKE-conn-1');
    expect(mews.calls().map((c) => c.outcome)).toEqual(['ok', 'ok']);
  });
});
