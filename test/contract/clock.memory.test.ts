import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/adapters/memory/manual-clock.js';
import { systemClock } from '../../shared/ports/clock.js';
import { clockContract } from './clock.contract.js';

describe('Clock contract: manual clock', () => {
  clockContract(() => new ManualClock());
  clockContract(() => new ManualClock({ stepMs: 1 }));
});

describe('Clock contract: system clock', () => {
  clockContract(() => systemClock);
});

describe('ManualClock', () => {
  it('moves only when told to, or by its step per reading', () => {
    const clock = new ManualClock({ start: '2026-01-01T00:00:00.000Z' });
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(clock.advance(90_000).toISOString()).toBe('2026-01-01T00:01:30.000Z');
    expect(clock.set('2026-02-01T00:00:00.000Z').toISOString()).toBe('2026-02-01T00:00:00.000Z');
    expect(() => clock.set('2026-01-01T00:00:00.000Z')).toThrow(RangeError);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    const stepping = new ManualClock({ start: '2026-01-01T00:00:00.000Z', stepMs: 5 });
    expect([stepping.now(), stepping.now()].map((d) => d.toISOString())).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T00:00:00.005Z',
    ]);
    expect(stepping.peek().toISOString()).toBe('2026-01-01T00:00:00.010Z');
  });

  it('calls its hook on each reading: a throw is a crash; a hook that waits is refused', () => {
    let crash = false;
    const clock = new ManualClock({
      onCall: () => {
        if (crash) throw new Error('crash');
      },
    });
    clock.now();
    crash = true;
    expect(() => clock.now()).toThrow('crash');
    const waiting = new ManualClock({ onCall: async () => {} });
    expect(() => waiting.now()).toThrow(/cannot wait/);
  });
});
