import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/adapters/memory/manual-clock.js';
import { MemoryTokenVault } from '../../shared/adapters/memory/memory-token-vault.js';
import { tokenSweepContract, tokenVaultContract } from './token-vault.contract.js';

describe('TokenVault contract: in memory', () => {
  tokenVaultContract(async () => new MemoryTokenVault());
});

describe('MemoryTokenVault inspection', () => {
  it('lists what it holds and what is scheduled, and purges deletions once their window ends', async () => {
    const clock = new ManualClock({ start: '2025-01-01T00:00:00.000Z' });
    const vault = new MemoryTokenVault({ clock });
    await vault.put('con_a', 'FAKE-a');
    await vault.put('con_b', 'FAKE-b');
    await vault.putIntegrationToken('int_c', 'FAKE-c');
    await vault.scheduleDeletion('con_b', 7);
    expect(vault.contents()).toEqual({
      live: [
        { id: 'con_a', kind: 'connection', token: 'FAKE-a', ref: 'memory-vault:con_a' },
        { id: 'int_c', kind: 'integration', token: 'FAKE-c', ref: 'memory-vault:int_c' },
      ],
      scheduled: [
        {
          id: 'con_b',
          kind: 'connection',
          token: 'FAKE-b',
          ref: 'memory-vault:con_b',
          scheduledAt: '2025-01-01T00:00:00.000Z',
          recoveryDays: 7,
          deleteAfter: '2025-01-08T00:00:00.000Z',
        },
      ],
    });
    clock.advance(6 * 86_400_000);
    expect(vault.purgeDue()).toEqual([]);
    clock.advance(86_400_000);
    expect(vault.purgeDue()).toEqual(['con_b']);
    expect(vault.contents().scheduled).toEqual([]);
    // gone for good: a put creates it anew
    expect(await vault.put('con_b', 'FAKE-b2')).toEqual({ ref: 'memory-vault:con_b', created: true });
  });

  it('calls the hook before every port call; a throwing hook stops the call before it has any effect', async () => {
    const calls: string[] = [];
    let crash = false;
    const vault = new MemoryTokenVault({
      onCall: ({ port, method }) => {
        calls.push(`${port}.${method}`);
        if (crash) throw new Error('crash');
      },
    });
    await vault.put('con_a', 'FAKE-a');
    crash = true;
    await expect(vault.scheduleDeletion('con_a', 7)).rejects.toThrow('crash');
    crash = false;
    expect(await vault.get('con_a')).toBe('FAKE-a');
    await vault.getIntegrationToken('int_x');
    expect(calls).toEqual([
      'TokenVault.put',
      'TokenVault.scheduleDeletion',
      'TokenVault.get',
      'IntegrationTokenVault.getIntegrationToken',
    ]);
  });
});

describe('ExpiredTokenSweep contract: in memory', () => {
  tokenSweepContract(async (clock) => new MemoryTokenVault({ clock }));
});
