import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stderrLogger } from '../adapters/local/stderr-logger.js';
import type { LocalConfig } from '../config/local-config.js';
import { packBatches } from '../lib/batches.js';
import { recordCycle } from '../local/cycle-record.js';
import { appendDeadLetters, readDeadLetters, replaceDeadLetters } from '../local/dead-letter-file.js';
import { openLocalServices } from '../local/local-services.js';
import { type CycleReport, runCycle } from '../local/run-cycle.js';
import {
  checkStateEnvironment,
  claimStateEnvironment,
  refuseSeedAccounts,
} from '../local/state-environment.js';
import type { PollAccountMessage, SyncConnectionMessage } from '../ports/work-queue.js';
import { CommandFailure } from './command-failure.js';
import { cliMewsTransport, describeUnreachable, mewsTimeoutMs } from './mews-budget.js';
import type { Operations } from './operations.js';
import { formatCycleReport } from './run-command.js';

/** Events published per progress step of a replay (one PutEvents). */
const REPLAY_BATCH = 10;

export interface LocalOperationsOptions {
  /** The environment (MEWS_TIMEOUT_SECONDS). Default process.env. */
  env?: Record<string, string | undefined>;
  /** Progress lines while Mews is retried. */
  progress?: (text: string) => void;
}

/** The CLI on this machine: the same pipeline `npm start` runs, one step at a time. */
export async function openLocalOperations(
  config: LocalConfig,
  options: LocalOperationsOptions = {},
): Promise<Operations> {
  const env = options.env ?? process.env;
  const timeoutMs = mewsTimeoutMs(env);
  const dir = config.stateDir;
  const platformAddress = config.mews?.platformAddress;
  // Refused before anything starts: this state directory belongs to another Mews environment.
  await checkStateEnvironment(dir, platformAddress);
  const services = await openLocalServices(config, {
    mewsTransport: cliMewsTransport(env, options.progress ?? (() => {})),
    // JSON lines on stderr; PROVISIONER_LOG_FORMAT=text for lines a person reads.
    logger: stderrLogger(config.logLevel, undefined, { format: config.logFormat ?? 'json' }),
  });
  try {
    const emails = (await services.store.listAccounts()).map((a) => a.email);
    refuseSeedAccounts(dir, platformAddress, emails);
    await claimStateEnvironment(dir, platformAddress);
  } catch (error) {
    await services.close();
    throw error;
  }
  const unreachable = (report: CycleReport) => {
    if (!report.unreachable) return null;
    options.progress?.(''); // clears the last retry line before the reason is printed
    return describeUnreachable(report.unreachable, timeoutMs);
  };

  let lastReport: CycleReport | null = null;
  /** A cycle, or just the queued work when `schedule` is false; dead letters are kept on disk. */
  const work = async (schedule: boolean): Promise<CycleReport> => {
    const report = await runCycle(services, { schedule });
    lastReport = report;
    await recordCycle(dir, report, services.clock.now(), schedule);
    return report;
  };

  return {
    where: `local (${dir})`,
    store: services.store,
    clock: services.clock,
    lastReport: () => lastReport,
    async runCycle() {
      const accounts = new Map((await services.store.listAccounts()).map((a) => [a.id as string, a]));
      const report = await work(true);
      const output = formatCycleReport(report, accounts);
      const why = unreachable(report);
      if (why) {
        const skipped = report.skipped.filter((m) => m.kind === 'poll-account').length;
        throw new CommandFailure(
          `${why} ${skipped} poll(s) not attempted this cycle; nothing was dead-lettered.`,
          output,
        );
      }
      return output;
    },
    async resync(connectionId, accountId) {
      await services.syncs.send([{ kind: 'sync-connection', connectionId, accountId, reason: 'refresh' }]);
      const report = await work(false);
      const why = unreachable(report);
      if (why) throw new CommandFailure(`${connectionId} not checked: ${why}`);
      const outcome = report.syncs[0];
      const dead = report.deadLetters[0];
      if (!outcome || outcome.status === 'failed') {
        const reason = dead
          ? dead.error
          : outcome?.status === 'failed'
            ? `Mews refused its configuration (code ${outcome.code ?? '-'})`
            : 'no outcome';
        throw new CommandFailure(`${connectionId} could not be checked: ${reason}`);
      }
      return `checked ${connectionId}: ${outcome.status}${report.published ? `, ${report.published} event(s) published` : ''}`;
    },
    async replay(connectionId, since, onProgress) {
      const events = (await services.store.listEventsFor(connectionId)).filter(
        (e) => !since || Date.parse(e.time) >= since.getTime(),
      );
      let done = 0;
      for (const batch of packBatches(events, { maxCount: REPLAY_BATCH })) {
        const { failed } = await services.publisher.publish(batch);
        if (failed.length > 0) throw new Error(`replay stopped: ${failed.map((f) => f.reason).join('; ')}`);
        done += batch.length;
        onProgress(done, events.length);
      }
      return events.length;
    },
    async queueDepths() {
      // In-process queues are empty between commands: what is left is the dead letters.
      const dead = await readDeadLetters(dir);
      const count = (kind: string) => dead.filter((d) => d.message.kind === kind).length;
      return [
        { queue: 'account-polls', waiting: 0, inFlight: 0 },
        { queue: 'account-polls-dlq', waiting: count('poll-account'), inFlight: 0 },
        { queue: 'connection-syncs', waiting: 0, inFlight: 0 },
        { queue: 'connection-syncs-dlq', waiting: count('sync-connection'), inFlight: 0 },
      ];
    },
    async deadLetters() {
      return (await readDeadLetters(dir)).map((d) => ({
        queue: d.message.kind === 'poll-account' ? 'account-polls' : 'connection-syncs',
        message: d.message,
        reason: d.error,
        attempts: d.attempts,
        at: d.at,
      }));
    },
    async redrive() {
      const dead = await readDeadLetters(dir);
      if (dead.length === 0) return 'nothing to redrive';
      await replaceDeadLetters(dir, []);
      await services.polls.send(
        dead.map((d) => d.message).filter((m): m is PollAccountMessage => m.kind === 'poll-account'),
      );
      await services.syncs.send(
        dead.map((d) => d.message).filter((m): m is SyncConnectionMessage => m.kind === 'sync-connection'),
      );
      const report = await work(false);
      // Not attempted (Mews unreachable): back in the dead letters, as they were.
      const notAttempted = new Set(report.skipped.map((m) => JSON.stringify(m)));
      const keep = dead.filter((d) => notAttempted.has(JSON.stringify(d.message)));
      if (keep.length > 0) await appendDeadLetters(dir, keep);
      const failedAgain = report.deadLetters.length;
      const done = dead.length - failedAgain - keep.length;
      const summary = `redrove ${dead.length} message(s): ${done} done, ${failedAgain} failed again${keep.length ? `, ${keep.length} not attempted` : ''}`;
      const why = unreachable(report);
      if (why) {
        throw new CommandFailure(
          `${why} ${keep.length} message(s) left in the dead letters.`,
          `${summary}\n`,
        );
      }
      if (failedAgain > 0) {
        throw new CommandFailure(
          `${failedAgain} message(s) failed again and are back in the dead letters (see \`provisioner dlq list\`)`,
          `${summary}\n`,
        );
      }
      return summary;
    },
    async lastCycle() {
      try {
        return JSON.parse(await readFile(join(dir, 'last-cycle.json'), 'utf8'));
      } catch {
        return null;
      }
    },
    close: () => services.close(),
  };
}
