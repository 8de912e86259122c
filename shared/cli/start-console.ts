import type { CycleReport } from '../local/run-cycle.js';
import { type Style, style } from './style.js';

/** Idle cycles print nothing; a non-terminal gets one heartbeat line per this many ms of quiet. */
export const HEARTBEAT_MS = 60_000;

interface ConsoleOptions {
  write: (text: string) => void;
  /** A terminal: the heartbeat is one line redrawn in place; otherwise a line per HEARTBEAT_MS. */
  tty: boolean;
  colour: boolean;
  now: () => number;
  startedAt: number;
  /** Shown when a cycle finds no account to poll (the simulator registers its own). */
  nothingToPoll: string;
}

/**
 * `npm start`'s console: a line per thing that happened (events, cycles that did something,
 * simulator steps); a quiet heartbeat instead of a line per idle cycle; a hint when there is
 * nothing to poll.
 */
export function startConsole(options: ConsoleOptions) {
  const s: Style = style(options.colour);
  let statusShown = false;
  let lastLineAt = options.startedAt;
  let quietSince: number | null = null;
  let quietCycles = 0;
  let lastFailing = -1;
  let hinted = false;

  const clearStatus = () => {
    if (statusShown) options.write('\r\x1b[K');
    statusShown = false;
  };
  const say = (line: string) => {
    clearStatus();
    options.write(`${line}\n`);
    lastLineAt = options.now();
  };
  const elapsed = (at = options.now()) => `+${((at - options.startedAt) / 1000).toFixed(1)}s`;

  return {
    style: s,
    say,
    event: (line: string) => say(`  ${s.cyan('event')}  ${line}`),
    warn: (line: string) => say(s.yellow(line)),
    /** After each cycle: a line when something happened, else the heartbeat. */
    cycle(n: number, report: CycleReport) {
      const failing = [...report.polls.values()].filter((p) => p.status === 'access-failed').length;
      const provisioned = report.syncs.filter((x) => x.status === 'provisioned').length;
      const eventful =
        n === 1 || report.published > 0 || report.deadLetters.length > 0 || failing !== lastFailing;
      lastFailing = failing;
      if (report.accounts === 0 && !hinted) {
        hinted = true;
        say(s.yellow(options.nothingToPoll));
      }
      if (report.accounts > 0) hinted = false;
      if (eventful) {
        quietSince = null;
        quietCycles = 0;
        say(
          `cycle ${n} at ${elapsed()}: ${report.accounts} accounts polled` +
            `${failing ? s.yellow(` (${failing} without access)`) : ''}` +
            `${provisioned ? `, ${provisioned} provisioned` : ''}, ${report.published} events published` +
            `${report.deadLetters.length ? s.red(`, ${report.deadLetters.length} messages dead-lettered`) : ''}`,
        );
        return;
      }
      quietSince ??= options.now();
      quietCycles++;
      const beat = `idle: ${quietCycles} quiet cycle(s) since ${elapsed(quietSince)}, last ${n}: ${report.accounts} accounts polled, nothing new`;
      if (options.tty) {
        clearStatus();
        options.write(s.dim(`· ${beat}`));
        statusShown = true;
      } else if (options.now() - lastLineAt >= HEARTBEAT_MS) {
        say(`· ${beat}`);
      }
    },
    /** Before exiting: ends a redrawn heartbeat line. */
    close: () => clearStatus(),
  };
}
