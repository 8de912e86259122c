import fc from 'fast-check';
import { expect, test } from 'vitest';
import { historyArbitrary } from './commands.js';
import { Sim } from './sim-system.js';

/**
 * The deterministic simulation of the whole service (DESIGN.md, "Where the rules live"): the real
 * use cases over the in-memory adapters (shared/adapters/memory/), through random histories of
 * changes in Mews' world (connections added, removed, reconnected, moved between the accounts of an
 * enterprise and between enterprises, disabled and enabled, configurations changed a little or
 * hugely, tokens revoked, employees locked out and their access changed, integrations installed
 * and changed), the service's work (polls, syncs, refreshes, relays, change notifications,
 * integration webhooks) delivered late, twice, out of order and interleaved at every port call,
 * faults (transient, permanent, malformed and odd Mews answers, EventBridge throttling), crashes at
 * any port call, dead letters and redrives, and operators (accounts registered, removed and
 * registered again, holds released, events replayed).
 *
 * Checked after every step (sim-system.ts): each connection's, account's and integration's events
 * follow its state machine, and the state says what its events said; a removal only after every
 * account that listed the connection missed it on its two latest successful polls the service
 * acted on, and never while one of its accounts is held; one event id is one fact (content and,
 * once published, detail-type and subject); every event matches its schema and fits a 256 KB
 * EventBridge entry; no token, access token or client token outside the vault (state writes, queue
 * messages, published events, log lines); no use case fails with anything but a crash or a
 * transient Mews failure. At the end, once faults stop and clean cycles ran: the state is Mews'
 * truth (sim-system.ts, checkConverged), nothing pending, dead-lettered or orphaned.
 *
 * Knobs (environment): SIM_SEED replays a run (`npm run test:sim -- --seed S`), SIM_RUNS sets how
 * many histories (`--runs N`); a failure prints SIM_PATH and SIM_REPLAY, which run just its shrunk
 * history. SIM_PROGRESS=N reports every N histories. SIM_TOLERATE=key,... stops reporting a known
 * bug while exploring for others (keys in sim-system.ts: lost-miss-update, orphan-token,
 * webhook-order, integration-token-after-delete).
 */

const DEFAULT_RUNS = 400;
const runs = Number(process.env.SIM_RUNS ?? DEFAULT_RUNS);
/** `npm test` runs the same histories every time (a red CI is a finding, not luck); `npm run test:sim` draws a new seed unless given one. */
const DEFAULT_SEED = 20261201;
const seed = process.env.SIM_SEED === undefined ? DEFAULT_SEED : Number(process.env.SIM_SEED);
/**
 * Findings not fixed yet (KNOWN_BUGS in sim-system.ts says what each is), tolerated unless
 * SIM_TOLERATE says otherwise (`SIM_TOLERATE=` checks everything). Remove an entry with its fix.
 * Each shows with the other three tolerated, e.g. for lost-miss-update:
 * `SIM_TOLERATE=orphan-token,webhook-order,integration-token-after-delete
 * npm run test:sim -- --seed 41 --runs 100`. Seed and runs per finding: lost-miss-update 41 / 100,
 * orphan-token 42 / 1900, webhook-order 44 / 200, integration-token-after-delete 45 / 3400.
 * (failed-after-provisioned, 43 / 10600, is fixed: a refused sync's report is conditional on the
 * connection's version, ConnectionStore.reportConnection.)
 */
const KNOWN_UNFIXED = ['webhook-order', 'lost-miss-update', 'orphan-token', 'integration-token-after-delete'];
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
  const tolerance =
    process.env.SIM_TOLERATE === undefined ? '' : `SIM_TOLERATE='${process.env.SIM_TOLERATE}' `;
  const replay = /replayPath=("(?:[^"\\]|\\.)*")/.exec(String(details.counterexample?.[0] ?? ''))?.[1];
  const error =
    details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  expect.fail(
    [
      `The simulation found a history that breaks the service (after ${details.numRuns} histories, shrunk ${details.numShrinks} times).`,
      `Replay: ${tolerance}npm run test:sim -- --seed ${seed} --runs ${runs}`,
      `Just the shrunk history: ${tolerance}SIM_PATH='${details.counterexamplePath}' SIM_REPLAY='${replay ? JSON.parse(replay) : ''}' npm run test:sim -- --seed ${seed}`,
      '',
      'The shrunk history (commands):',
      shrunk,
      '',
      error,
    ].join('\n'),
  );
});
