import { systemClock } from '../ports/clock.js';
import { scheduleRefreshes } from './schedule-refreshes.js';
import type { StoreSlice, UseCaseDeps } from './use-case-deps.js';

type Deps = StoreSlice<'polls' | 'logger', 'listAccounts' | 'listConnections'> &
  Partial<Pick<UseCaseDeps, 'syncs' | 'clock'>> & {
    /** Also queue this cycle's share of configuration refreshes (needs `syncs`). */
    refresh?: { intervalMs: number; windowMs: number } | undefined;
  };

export interface SchedulePollsInput {
  /**
   * The time this cycle stands for (the schedule's scheduled time). The refresh window starts
   * there, so a retry of the same cycle queues the same refreshes however late it runs. Absent
   * (a manual run), the window starts at the clock's now.
   */
  scheduledTime?: Date | undefined;
}

/** Starts a cycle: one poll message per registered account, so each account is its own small job. */
export async function schedulePolls(
  deps: Deps,
  input: SchedulePollsInput = {},
): Promise<{ accounts: number; refreshes: number }> {
  const accounts = await deps.store.listAccounts();
  await deps.polls.send(accounts.map((a) => ({ kind: 'poll-account', accountId: a.id })));
  let refreshes = 0;
  if (deps.refresh && deps.syncs) {
    const now = input.scheduledTime ?? (deps.clock ?? systemClock).now();
    refreshes = (await scheduleRefreshes({ now, ...deps.refresh }, { ...deps, syncs: deps.syncs })).due;
  }
  deps.logger.info('poll cycle scheduled', {
    accounts: accounts.length,
    refreshes,
    windowFrom: input.scheduledTime ? 'scheduled time' : 'clock',
  });
  return { accounts: accounts.length, refreshes };
}
