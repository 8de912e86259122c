import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { appendDeadLetters } from './dead-letter-file.js';
import type { CycleReport } from './run-cycle.js';

/**
 * What a local cycle leaves for the CLI: `<state dir>/last-cycle.json` (for `status`) and its
 * dead letters appended to `dead-letters.jsonl` (for `dlq list / redrive`).
 */
export async function recordCycle(
  stateDir: string,
  report: CycleReport,
  at: Date,
  scheduled = true,
): Promise<void> {
  await appendDeadLetters(
    stateDir,
    report.deadLetters.map((d) => ({ message: d.message, error: d.error, attempts: d.attempts, at: d.at })),
  );
  if (scheduled) {
    await writeFile(
      join(stateDir, 'last-cycle.json'),
      `${JSON.stringify({ at: at.toISOString(), summary: describeCycle(report) })}\n`,
    );
  }
}

/** One line: accounts polled, provisioned, published, dead-lettered. */
function describeCycle(report: CycleReport): string {
  const polls = [...report.polls.values()];
  const ok = polls.filter((p) => p.status === 'polled').length;
  const failing = polls.filter((p) => p.status === 'access-failed').length;
  const held = polls.filter((p) => p.status === 'held').length;
  const provisioned = report.syncs.filter((s) => s.status === 'provisioned').length;
  return [
    `${report.accounts} account(s) polled: ${ok} ok`,
    failing ? `, ${failing} without access` : '',
    held ? `, ${held} held` : '',
    `; ${provisioned} connection(s) provisioned; ${report.published} event(s) published`,
    report.deadLetters.length ? `; ${report.deadLetters.length} message(s) dead-lettered` : '',
  ].join('');
}
