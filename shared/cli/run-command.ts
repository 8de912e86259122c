import { maskEmail } from '../domain/mask-email.js';
import { type CycleReport, type LocalPipeline, runCycle } from '../local/run-cycle.js';
import { type CliIo, EXIT } from './cli-io.js';

export const RUN_HELP = `Usage:
  provisioner run --once     one cycle: poll every account, provision new connections, publish, exit

A failing account is reported and recorded and does not stop the others. Exit code 1 only
when the cycle could not run (bad configuration, state store unreachable).
`;

export async function runOnceCommand(pipeline: LocalPipeline, io: CliIo): Promise<number> {
  const accounts = new Map((await pipeline.store.listAccounts()).map((a) => [a.id, a]));
  const report = await runCycle(pipeline);
  io.out(summary(report, (id) => maskEmail(accounts.get(id as never)?.email ?? '')));
  return EXIT.ok;
}

function summary(report: CycleReport, emailOf: (accountId: string) => string): string {
  const lines = [`polled ${report.accounts} account(s)`];
  for (const [accountId, outcome] of report.polls) {
    const who = `${accountId} (${emailOf(accountId)})`;
    if (outcome.status === 'polled') {
      lines.push(`  ${who}: ${outcome.listed} connection(s) listed, ${outcome.discovered} new`);
    } else if (outcome.status === 'access-failed') {
      lines.push(
        `  ${who}: access failed (Mews code ${outcome.code ?? '-'})${outcome.newlyFailing ? '' : ', still'}`,
      );
    }
  }
  const provisioned = report.syncs.filter((s) => s.status === 'provisioned').length;
  const failed = report.syncs.filter((s) => s.status === 'failed').length;
  lines.push(`provisioned ${provisioned} connection(s)${failed ? `, ${failed} failed` : ''}`);
  lines.push(`published ${report.published} event(s)`);
  for (const dead of report.deadLetters) {
    const about = dead.message.kind === 'poll-account' ? dead.message.accountId : dead.message.connectionId;
    lines.push(`  gave up on ${dead.message.kind} ${about}: ${dead.error}`);
  }
  return `${lines.join('\n')}\n`;
}
