import { maskEmail } from '../domain/mask-email.js';
import type { Account } from '../domain/model.js';
import type { CycleReport } from '../local/run-cycle.js';

export const RUN_HELP = `Usage:
  provisioner run --once     one cycle: poll every account, provision new connections, publish, exit

Locally the cycle runs to the end here; against a stack (--stack) its polls are queued and the
stack's functions run them. A failing account is reported and recorded and does not stop the
others. Exit code 1 when the cycle could not run: bad configuration, the state store unreachable,
or Mews unreachable (refused, DNS, TLS, no answer within MEWS_TIMEOUT_SECONDS, default 20): then
it says so once, naming the address, and the remaining polls are not attempted (nor dead-lettered).
`;

/** A local cycle's report, one line per account (emails masked). */
export function formatCycleReport(report: CycleReport, accounts: Map<string, Account>): string {
  const lines = [
    report.unreachable
      ? `polled ${report.polls.size} of ${report.accounts} account(s)`
      : `polled ${report.accounts} account(s)`,
  ];
  for (const [accountId, outcome] of report.polls) {
    const who = `${accountId} (${maskEmail(accounts.get(accountId)?.email ?? '')})`;
    if (outcome.status === 'polled') {
      lines.push(`  ${who}: ${outcome.listed} connection(s) listed, ${outcome.discovered} new`);
    } else if (outcome.status === 'access-failed') {
      lines.push(
        `  ${who}: access failed (Mews code ${outcome.code ?? '-'})${outcome.newlyFailing ? '' : ', still'}`,
      );
    } else if (outcome.status === 'held') {
      lines.push(
        `  ${who}: ${outcome.missing} of ${outcome.known} connections missing at once: removals held`,
      );
    }
  }
  const provisioned = report.syncs.filter((s) => s.status === 'provisioned').length;
  const failed = report.syncs.filter((s) => s.status === 'failed').length;
  lines.push(`provisioned ${provisioned} connection(s)${failed ? `, ${failed} failed` : ''}`);
  lines.push(`published ${report.published} event(s)`);
  if (report.unreachable) {
    const u = report.unreachable;
    lines.push(
      `  Mews at ${u.address ?? '?'} cannot be reached (${u.cause}): ${report.skipped.length} message(s) not attempted`,
    );
  }
  for (const dead of report.deadLetters) {
    const about = dead.message.kind === 'poll-account' ? dead.message.accountId : dead.message.connectionId;
    lines.push(`  gave up on ${dead.message.kind} ${about}: ${dead.error}`);
  }
  return `${lines.join('\n')}\n`;
}
