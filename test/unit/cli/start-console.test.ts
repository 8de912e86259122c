import { describe, expect, it } from 'vitest';
import { stderrLogger } from '../../../shared/adapters/local/stderr-logger.js';
import { HEARTBEAT_MS, startConsole } from '../../../shared/cli/start-console.js';
import { colourEnabled } from '../../../shared/cli/style.js';
import { table } from '../../../shared/cli/table.js';
import type { CycleReport } from '../../../shared/local/run-cycle.js';

/** npm start's console, on a fake clock: a line per thing that happened, a quiet heartbeat otherwise. */
function harness(tty: boolean) {
  let now = 0;
  let written = '';
  const console = startConsole({
    write: (t) => {
      written += t;
    },
    tty,
    colour: false,
    now: () => now,
    startedAt: 0,
    nothingToPoll: 'nothing to poll: register an account',
  });
  return {
    console,
    output: () => written,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const report = (over: Partial<CycleReport> = {}): CycleReport => ({
  accounts: 2,
  polls: new Map(),
  syncs: [],
  published: 0,
  deadLetters: [],
  unreachable: null,
  skipped: [],
  ...over,
});

describe('npm start console', () => {
  it('prints eventful cycles, and no line per idle cycle: one heartbeat a minute when not a terminal', () => {
    const h = harness(false);
    h.console.cycle(1, report({ published: 3 }));
    expect(h.output()).toMatch(/^cycle 1 at \+0\.0s: 2 accounts polled, 3 events published\n$/);
    for (let n = 2; n <= 11; n++) {
      h.advance(5_000);
      h.console.cycle(n, report());
    }
    expect(h.output().split('\n').filter(Boolean)).toHaveLength(1);
    h.advance(HEARTBEAT_MS);
    h.console.cycle(12, report());
    expect(h.output()).toMatch(
      /· idle: 11 quiet cycle\(s\) since \+5\.0s, last 12: 2 accounts polled, nothing new\n$/,
    );
    h.console.cycle(13, report({ published: 1 }));
    expect(h.output()).toMatch(/cycle 13 at .*1 events published\n$/);
  });

  it('on a terminal the heartbeat is one line redrawn in place, cleared before the next line', () => {
    const h = harness(true);
    h.console.cycle(1, report({ published: 1 }));
    h.console.cycle(2, report());
    h.console.cycle(3, report());
    expect(h.output().split('\n')).toHaveLength(2);
    h.console.say('simulator: something');
    expect(h.output().endsWith('nothing new\r\u001b[Ksimulator: something\n')).toBe(true);
  });

  it('hints once when there is nothing to poll, again after accounts came and went', () => {
    const h = harness(false);
    h.console.cycle(1, report({ accounts: 0 }));
    h.console.cycle(2, report({ accounts: 0 }));
    expect(h.output().match(/nothing to poll/g)).toHaveLength(1);
    h.console.cycle(3, report({ accounts: 1, published: 1 }));
    h.console.cycle(4, report({ accounts: 0, published: 1 }));
    expect(h.output().match(/nothing to poll/g)).toHaveLength(2);
  });

  it('colour: on a terminal, never with NO_COLOR, a pipe or TERM=dumb; FORCE_COLOR forces it', () => {
    expect(colourEnabled({ isTTY: true }, {})).toBe(true);
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled({ isTTY: false }, {})).toBe(false);
    expect(colourEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(colourEnabled({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
  });

  it('warnings for people: level, message and fields on one line, no JSON', () => {
    const lines: string[] = [];
    const logger = stderrLogger('warn', (l) => lines.push(l), { format: 'text' });
    logger.info('not shown');
    logger.warn('account access failed', { accountId: 'acc_1', code: 8 });
    expect(lines).toEqual(['warn   account access failed  accountId=acc_1 code=8\n']);
  });
});

describe('tables', () => {
  it('fit a width: the widest column is cut with …, no line is longer, none wraps', () => {
    const rows = [['con_0123', 'provisioned', 'A very long property name that goes on', 'x\ny']];
    const text = table(['ID', 'STATUS', 'PROPERTY', 'NAME'], rows, 50);
    for (const line of text.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(50);
    expect(text).toContain('…');
    expect(text.trimEnd().split('\n')).toHaveLength(2);
    expect(table(['ID', 'STATUS', 'PROPERTY', 'NAME'], rows)).toContain('goes on');
  });
});
