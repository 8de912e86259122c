import fc from 'fast-check';
import { expect, test } from 'vitest';
import { historyArbitrary } from './commands.js';
import { Sim } from './sim-system.js';

/**
 * The deterministic simulation of the whole service (DESIGN.md, "Where the rules live"): the real
 * use cases over the in-memory adapters, through random histories of changes in Mews' world, the
 * service's work delivered late, twice, out of order and interleaved at every port call, faults,
 * crashes and dead letters; the invariants are checked after every step, and at the end, once
 * faults stop and a few clean cycles ran, the state must be Mews' truth.
 *
 * SIM_SEED replays a run (`npm run test:sim -- --seed S`), SIM_RUNS sets how many histories
 * (`--runs N`), SIM_PATH jumps straight to a reported shrunk history.
 */

const DEFAULT_RUNS = 400;
const runs = Number(process.env.SIM_RUNS ?? DEFAULT_RUNS);
/** `npm test` runs the same histories every time (a red CI is a finding, not luck); `npm run test:sim` draws a new seed unless given one. */
const DEFAULT_SEED = 20261201;
const seed = process.env.SIM_SEED === undefined ? DEFAULT_SEED : Number(process.env.SIM_SEED);
/**
 * Findings not fixed yet, tolerated unless SIM_TOLERATE says otherwise (`SIM_TOLERATE=` checks
 * everything): webhook-order: integration webhooks are applied as facts, so a reordered
 * IntegrationCanceled/Reinstated pair can leave the integration in the older state (seed
 * 895132732 with `SIM_TOLERATE=`).
 */
const KNOWN_UNFIXED = ['webhook-order'];
const path = process.env.SIM_PATH;
const replayPath = process.env.SIM_REPLAY;

/** Initially registered: both employees of ent0, one of ent1 and ent2. */
const INITIAL_ACCOUNTS = [0, 1, 2, 4];

const progressEvery = Number(process.env.SIM_PROGRESS ?? 0);
let ran = 0;

async function history(cmds: Iterable<fc.AsyncCommand<Record<string, never>, Sim>>): Promise<void> {
  ran++;
  if (progressEvery > 0 && ran % progressEvery === 0)
    process.stderr.write(`simulation: ${ran} histories run\n`);
  const sim = new Sim({
    tolerate:
      process.env.SIM_TOLERATE === undefined
        ? KNOWN_UNFIXED
        : process.env.SIM_TOLERATE.split(',').filter((name) => name !== ''),
  });
  for (const i of INITIAL_ACCOUNTS) await sim.register(i);
  try {
    await fc.asyncModelRun(() => ({ model: {}, real: sim }), cmds);
    await sim.settle();
    sim.checkConverged();
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('invariant violated')) throw error;
    throw new Error(`${error instanceof Error ? error.stack : String(error)}\n\n${sim.report()}`);
  }
}

test(`simulation: ${runs} random histories of the whole service (seed ${seed})`, {
  timeout: Math.max(60_000, runs * 2_000),
}, async () => {
  const details = await fc.check(fc.asyncProperty(historyArbitrary(replayPath), history), {
    seed,
    numRuns: runs,
    ...(path ? { path } : {}),
  });
  if (!details.failed) return;
  const shrunk = details.counterexample
    ? [...(details.counterexample[0] as Iterable<{ hasRan?: boolean; toString(): string }>)]
        .filter((c) => c.hasRan !== false)
        .map((c, i) => `  ${String(i + 1).padStart(3)}. ${c.toString()}`)
        .join('\n')
    : '(none)';
  const replay = /replayPath=("(?:[^"\\]|\\.)*")/.exec(String(details.counterexample?.[0] ?? ''))?.[1];
  const error =
    details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  expect.fail(
    [
      `The simulation found a history that breaks the service (after ${details.numRuns} histories, shrunk ${details.numShrinks} times).`,
      `Replay: npm run test:sim -- --seed ${seed} --runs ${runs}`,
      `Just the shrunk history: SIM_PATH='${details.counterexamplePath}' SIM_REPLAY='${replay ? JSON.parse(replay) : ''}' npm run test:sim -- --seed ${seed}`,
      '',
      'The shrunk history (commands):',
      shrunk,
      '',
      error,
    ].join('\n'),
  );
});
