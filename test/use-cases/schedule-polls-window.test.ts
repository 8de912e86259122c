/**
 * schedule-polls' refresh window comes from the run's scheduled time, not from when it runs: Lambda
 * retries a failed run minutes or an hour later with the same input, and that retry must queue the
 * same configuration refreshes as the first attempt (not skip some and refresh others twice).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { registerAccount } from '../../shared/use-cases/accounts.js';
import { schedulePolls } from '../../shared/use-cases/schedule-polls.js';
import { cycle, MemoryPipeline } from './support.js';

const MINUTE = 60_000;
/** The production stage's refresh interval and poll rate. */
const refresh = { intervalMs: 360 * MINUTE, windowMs: 5 * MINUTE };
const CONNECTIONS = 300;
const scheduledTime = new Date('2026-05-04T12:05:00.000Z');

let p: MemoryPipeline;

beforeAll(async () => {
  p = new MemoryPipeline();
  const { world } = p.services;
  world.addEnterprise({ id: 'window-enterprise' });
  world.addProperty('window-enterprise', { id: 'window-property' });
  for (let i = 1; i <= CONNECTIONS; i++)
    world.addConnection('window-property', { token: `fake-window-${i}` });
  world.grantAccess('window@refresh.example', 'window-enterprise');
  await registerAccount({ email: 'window@refresh.example' }, p.deps);
  await cycle(p); // provisions every connection
});

/** The connections one schedule-polls run queued for a refresh, with the clock at `clockAt`. */
async function refreshedBy(run: { scheduledTime?: Date }, clockAt: Date): Promise<string[]> {
  const { clock, syncs, polls } = p.services;
  clock.set(clockAt);
  const before = syncs.sent().length;
  await schedulePolls({ ...p.deps, refresh }, run);
  while (polls.size() > 0) polls.take();
  return syncs
    .sent()
    .slice(before)
    .map((m) => m.connectionId)
    .sort();
}

describe('schedule-polls refresh window', () => {
  it('is the same for the first attempt and a retry an hour later (same scheduled time)', async () => {
    const first = await refreshedBy({ scheduledTime }, new Date(scheduledTime.getTime() + 2_000));
    const retry = await refreshedBy({ scheduledTime }, new Date(scheduledTime.getTime() + 60 * MINUTE));

    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(CONNECTIONS);
    expect(retry).toEqual(first);
  });

  it('falls back to the clock without a scheduled time (a manual run): an hour later is another window', async () => {
    const fromSchedule = await refreshedBy(
      { scheduledTime },
      new Date(scheduledTime.getTime() + 61 * MINUTE),
    );
    const fromClock = await refreshedBy({}, new Date(scheduledTime.getTime() + 62 * MINUTE));

    expect(fromClock.length).toBeGreaterThan(0);
    expect(fromClock).not.toEqual(fromSchedule);
  });

  it('tiles the refresh interval: consecutive scheduled times refresh every connection exactly once', async () => {
    const start = new Date('2026-05-05T00:00:00.000Z');
    const seen: string[] = [];
    for (let t = 0; t < refresh.intervalMs; t += refresh.windowMs) {
      const at = new Date(start.getTime() + t);
      // Each run a little late, by a different amount: the windows still meet exactly.
      seen.push(
        ...(await refreshedBy({ scheduledTime: at }, new Date(at.getTime() + ((t / MINUTE) % 7) * 1_000))),
      );
    }
    expect(seen).toHaveLength(CONNECTIONS);
    expect(new Set(seen).size).toBe(CONNECTIONS);
  });
});
