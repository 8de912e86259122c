import { maskEmail } from '../domain/mask-email.js';
import type { Account } from '../domain/model.js';
import type { CycleReport } from '../local/run-cycle.js';

/**
 * A local cycle's report for `--json` (`run --once`, `connections resync`, `dlq redrive`): what
 * happened, per account (emails masked) and per connection, plus counts a script can check.
 * Every other field of the report (e.g. why Mews was unreachable) comes along as it is.
 */
export function cycleJson(report: CycleReport, accounts: Map<string, Account>): Record<string, unknown> {
  const { polls, syncs, deadLetters, ...rest } = report;
  return {
    ...rest,
    polls: [...polls].map(([accountId, outcome]) => ({
      accountId,
      email: maskEmail(accounts.get(accountId)?.email ?? ''),
      ...outcome,
    })),
    syncs,
    provisioned: syncs.filter((s) => s.status === 'provisioned').length,
    failed: syncs.filter((s) => s.status === 'failed').length,
    deadLetters: deadLetters.map((d) => ({
      kind: d.message.kind,
      id: d.message.kind === 'poll-account' ? d.message.accountId : d.message.connectionId,
      error: d.error,
      attempts: d.attempts,
      at: d.at,
    })),
  };
}
