import type { UseCaseDeps } from './use-case-deps.js';

type Deps = Pick<UseCaseDeps, 'store' | 'polls' | 'logger'>;

/** Starts a cycle: one poll message per registered account, so each account is its own small job. */
export async function schedulePolls(deps: Deps): Promise<{ accounts: number }> {
  const accounts = await deps.store.listAccounts();
  await deps.polls.send(accounts.map((a) => ({ kind: 'poll-account', accountId: a.id })));
  deps.logger.info('poll cycle scheduled', { accounts: accounts.length });
  return { accounts: accounts.length };
}
