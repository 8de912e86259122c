import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { DynamoDbLocalOptions } from '../../shared/adapters/local/dynamodb-local.js';
import { accountIdFromEmail } from '../../shared/domain/identity.js';
import { mapLimit } from '../../shared/lib/map-limit.js';
import { ChannelManagerClient } from '../../shared/mews/channel-manager-client.js';
import { startMewsSimulator } from '../../shared/simulator/index.js';
import { renderChart } from './chart.js';
import { measureCli } from './cli.js';
import { renderTokenCalls } from './cost-model.js';
import { bundlePollProcess, runIsolatedPoll } from './isolated-poll.js';
import { measureLatency, spread } from './latency.js';
import { type BenchResults, bundleRows, chartInput, type IsolatedPoll, renderMarkdown } from './report.js';
import { Rig } from './rig.js';
import { measureTokenCalls } from './token-calls.js';

/**
 * `npm run bench`: the local pipeline on DynamoDB Local (in memory) and the in-process Mews
 * simulator, counted per service. BENCH_SIZE=small runs in about a minute; the default (full)
 * takes a quarter of an hour on 2 cores, most of it DynamoDB Local writing.
 */

const SIZES = {
  small: {
    steady: [10],
    backfillAccounts: 30,
    bigAccount: 300,
    budgetSeconds: 5,
    latency: { pollSamples: 3, notifySamples: 5 },
  },
  full: {
    steady: [10, 100],
    backfillAccounts: 1000,
    bigAccount: 5000,
    budgetSeconds: 30,
    latency: { pollSamples: 6, notifySamples: 20 },
  },
} as const;
/** Every part, in the order they run; BENCH_ONLY picks some. */
const PARTS = ['big', 'steady', 'backfill', 'budget', 'limited', 'latency', 'cli', 'tokens'] as const;
type Part = (typeof PARTS)[number];
/** Which parts produce each part of the results (the others are carried over from the last run). */
const PRODUCERS: Record<'steady' | 'backfills' | 'bigAccount' | 'budget' | 'latency' | 'cli', Part[]> = {
  steady: ['steady', 'backfill'],
  backfills: ['backfill', 'limited'],
  bigAccount: ['big'],
  budget: ['budget'],
  latency: ['latency'],
  cli: ['cli'],
};
const PER_ACCOUNT = 10;

const root = join(import.meta.dirname, '..', '..');
const resultsDir = join(root, 'bench', 'results');

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!(Number.isFinite(n) && n > 0)) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return n;
}

export async function main(): Promise<void> {
  const sizeName = process.env.BENCH_SIZE ?? 'full';
  if (sizeName !== 'small' && sizeName !== 'full') {
    throw new Error(`BENCH_SIZE must be small or full, got "${sizeName}"`);
  }
  const size = SIZES[sizeName];
  // The Mews budget of the limited runs. Unset: chosen after the unlimited backfill (see budgetFor).
  const fixedRps = process.env.BENCH_RATE_LIMIT_RPS ? envNumber('BENCH_RATE_LIMIT_RPS', 50) : undefined;
  let rateLimitRps = fixedRps ?? FALLBACK_RPS;
  const concurrency = Math.round(envNumber('BENCH_CONCURRENCY', 4));
  // Enough handlers in flight that Mews' budget, not DynamoDB Local, bounds the limited backfill.
  const limitedConcurrency = Math.round(envNumber('BENCH_LIMITED_CONCURRENCY', 16));
  const only = new Set((process.env.BENCH_ONLY ?? PARTS.join(',')).split(',').map((s) => s.trim()));
  const unknown = [...only].filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length > 0)
    throw new Error(`BENCH_ONLY: unknown part(s) ${unknown.join(', ')}; known: ${PARTS.join(', ')}`);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const benchStarted = performance.now();
  const elapsed = () => `${((performance.now() - benchStarted) / 1000).toFixed(0)} s`;

  say(`bench (${sizeName}): each scenario on a DynamoDB Local of its own (in memory) and a fresh simulator`);
  // BENCH_JVM_ARGS: JVM options for DynamoDB Local (space-separated; "-" for none), else its defaults.
  const jvmArgs = process.env.BENCH_JVM_ARGS?.trim();
  const dynamoOptions = jvmArgs ? { jvmArgs: jvmArgs === '-' ? [] : jvmArgs.split(/\s+/) } : {};

  const results: BenchResults = {
    generatedAt: new Date().toISOString(),
    size: sizeName,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryMb: Math.round(totalmem() / 2 ** 20),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
    },
    settings: {
      concurrency,
      limitedConcurrency,
      rateLimitRps,
      rateLimitChosen: fixedRps === undefined ? 'auto' : 'BENCH_RATE_LIMIT_RPS',
      perAccount: PER_ACCOUNT,
    },
    steady: [],
    backfills: [],
    bigAccount: null,
    budget: null,
    latency: null,
    cli: null,
    totalMs: 0,
  };
  const rigOptions = (label: string, limited = false) => ({
    dynamo: dynamoOptions,
    label,
    concurrency: limited ? limitedConcurrency : concurrency,
    progress: say,
    ...(limited ? { rateLimitRps } : {}),
  });

  if (only.has('big')) {
    const n = size.bigAccount;
    say(`\n[${elapsed()}] (c) one account of ${n.toLocaleString('en-US')} connections`);
    const rig = await Rig.open(rigOptions('big'));
    const bundle = await bundlePollProcess();
    try {
      const [email] = rig.addAccounts('big', 1, n);
      if (!email) throw new Error('no account');
      await rig.register([email]);
      const accountId = accountIdFromEmail(email);
      // The poll step runs in a process of its own (bundled like the Lambda), so its memory is its own.
      const poll = async (label: string): Promise<IsolatedPoll> => {
        rig.sim.clearCalls();
        const started = performance.now();
        const ticker = setInterval(() => {
          readdir(rig.vaultDir)
            .catch(() => [])
            .then((files) => {
              const stored = files.filter((f) => f.endsWith('.json')).length;
              say(
                `  ${label}: ${((performance.now() - started) / 1000).toFixed(0)} s, ${stored} secrets in the vault`,
              );
            });
        }, 5_000);
        const out = await runIsolatedPoll(bundle.file, {
          endpoint: rig.endpoint,
          tableName: rig.tableName,
          platformAddress: rig.sim.url,
          clientToken: rig.sim.clientToken,
          vaultDir: rig.vaultDir,
          accountId,
        }).finally(() => clearInterval(ticker));
        await rig.pipeline.syncs.send(out.syncs);
        const { syncs, ...rest } = out;
        say(
          `  ${label}: poll step ${sec(out.ms)}, peak RSS ${Math.round(out.memory.maxRssBytes / 2 ** 20)} MB, ` +
            `${syncs.length} syncs queued`,
        );
        return { ...rest, syncsQueued: syncs.length, mewsCalls: rig.sim.calls().getProperties };
      };
      const first = await poll('first poll (backfill)');
      const firstRest = await rig.cycle('big account, syncs', { schedule: false });
      say(`  syncs and relay ${(firstRest.wallMs / 1000).toFixed(1)} s`);
      const steady = await poll('steady poll');
      results.bigAccount = { connections: n, first, firstRest, steady };
    } finally {
      await bundle.dispose();
      await rig.close();
    }
  }

  if (only.has('steady')) {
    for (const accounts of size.steady) {
      say(`\n[${elapsed()}] (a) steady cycle at ${accounts} accounts x ${PER_ACCOUNT}`);
      const rig = await Rig.open(rigOptions(`steady-${accounts}`));
      try {
        await rig.register(rig.addAccounts(`steady${accounts}`, accounts, PER_ACCOUNT));
        const provisioning = await rig.cycle(`${accounts} accounts, provisioning`);
        const cycle = await rig.cycle(`${accounts} accounts, steady`);
        say(
          `  provisioning ${(provisioning.wallMs / 1000).toFixed(1)} s, steady cycle ${(cycle.wallMs / 1000).toFixed(2)} s`,
        );
        results.steady.push({
          accounts,
          connections: accounts * PER_ACCOUNT,
          provisioningWallMs: provisioning.wallMs,
          cycle,
        });
      } finally {
        await rig.close();
      }
    }
  }

  const backfill = async (limited: boolean) => {
    const accounts = size.backfillAccounts;
    const connections = accounts * PER_ACCOUNT;
    const label = `${connections.toLocaleString('en-US')} new connections${limited ? `, Mews limited to ${rateLimitRps} rps` : ''}`;
    say(`\n[${elapsed()}] (b) backfill of ${label} (${accounts} accounts x ${PER_ACCOUNT})`);
    const rig = await Rig.open(rigOptions(limited ? 'limited' : 'backfill', limited));
    try {
      await rig.register(rig.addAccounts(limited ? 'limited' : 'backfill', accounts, PER_ACCOUNT));
      const cycle = await rig.cycle(`backfill${limited ? ' (limited)' : ''}`);
      say(
        `  backfill ${(cycle.wallMs / 1000).toFixed(1)} s: ${cycle.syncs.provisioned ?? 0} provisioned, ` +
          `Mews ${cycle.mews.rate?.perSecond.toFixed(1) ?? '-'} requests/s, ${cycle.mews.refused429} refused (429)`,
      );
      results.backfills.push({
        label,
        accounts,
        connections,
        rateLimitRps: limited ? rateLimitRps : null,
        concurrency: limited ? limitedConcurrency : concurrency,
        cycle,
      });
      if (!limited) {
        const steady = await rig.cycle(`${accounts} accounts, steady`);
        say(`  steady cycle at ${accounts} accounts ${(steady.wallMs / 1000).toFixed(2)} s`);
        results.steady.push({ accounts, connections, provisioningWallMs: cycle.wallMs, cycle: steady });
        if (fixedRps === undefined) {
          rateLimitRps = budgetFor(cycle.mews.rateByStep.sync?.perSecond);
          results.settings.rateLimitRps = rateLimitRps;
          say(`  Mews budget for the limited runs: ${rateLimitRps} requests/s`);
        }
      }
    } finally {
      await rig.close();
    }
  };

  if (only.has('backfill')) await backfill(false);
  if (only.has('budget')) {
    const seconds = size.budgetSeconds;
    say(
      `\n[${elapsed()}] Mews budget alone: ${rateLimitRps} rps for ${seconds} s, ${limitedConcurrency} callers`,
    );
    results.budget = await measureBudget(rateLimitRps, limitedConcurrency, seconds);
    say(
      `  ${results.budget.perSecond.toFixed(1)} requests/s (${(results.budget.share * 100).toFixed(1)} % of the budget), ` +
        `${results.budget.refused429} refused`,
    );
  }
  if (only.has('limited')) await backfill(true);

  if (only.has('latency')) {
    const intervalMs = envNumber('PROVISIONER_POLL_INTERVAL_SECONDS', 5) * 1000;
    say(`\n[${elapsed()}] (d) change at the simulator to event in the sink, by poll and by notification`);
    results.latency = await measureLatency({
      dynamo: dynamoOptions,
      intervalMs,
      ...size.latency,
      progress: say,
    });
    for (const row of results.latency.rows) {
      const { median } = spread(row.samples);
      say(`  ${row.path} / ${row.change}: median ${median.toFixed(0)} ms (${row.samples.length} samples)`);
    }
  }

  if (only.has('cli')) {
    say(
      `\n[${elapsed()}] (e) the CLI as a process: --help, a read with nothing running, with npm start running`,
    );
    results.cli = await measureCli({
      samples: sizeName === 'small' ? 5 : 11,
      coldSamples: sizeName === 'small' ? 3 : 5,
      progress: say,
    });
    for (const row of results.cli.rows) {
      say(`  ${row.label}: median ${row.medianMs.toFixed(0)} ms, ${row.ratio.toFixed(1)} x node -e 0`);
    }
  }

  if (only.has('tokens')) {
    say(`\n[${elapsed()}] (f) token store calls, both layouts, and the monthly cost from them`);
    await writeTokenCalls(sizeName === 'small' ? 5 : 20, dynamoOptions, say);
    // Nothing else run: bench.{json,md,svg} stay as they are.
    if (only.size === 1) return;
  }

  results.steady.sort((a, b) => a.accounts - b.accounts);
  results.totalMs = performance.now() - benchStarted;
  const base = sizeName === 'full' ? 'bench' : `bench-${sizeName}`;
  await carryOver(results, only, base, say);
  await writeResults(results, base, say);
  say(`\ndone in ${elapsed()}`);
}

/**
 * Our client against the simulator's limit with nothing else in the way (no DynamoDB): how much
 * of the budget its token bucket uses, and whether Mews ever has to refuse it.
 */
async function measureBudget(
  rps: number,
  callers: number,
  seconds: number,
): Promise<NonNullable<BenchResults['budget']>> {
  const sim = await startMewsSimulator({ rateLimit: { requestsPerSecond: rps } });
  try {
    const [email] = sim.addEnterprise({
      accounts: ['budget@bench.example'],
      properties: [{ connections: 1 }],
    }).accounts;
    if (!email) throw new Error('no account');
    const sent: number[] = [];
    const client = new ChannelManagerClient({
      platformAddress: sim.url,
      clientToken: sim.clientToken,
      rateLimit: { requestsPerSecond: rps },
      fetch: (input, init) => {
        sent.push(performance.now());
        return fetch(input, init);
      },
    });
    const requests = Math.round(rps * seconds) + 1;
    await mapLimit(Array.from({ length: requests }), callers, () => client.getProperties(email));
    const spanMs = Math.max(...sent) - Math.min(...sent);
    const perSecond = ((sent.length - 1) * 1000) / spanMs;
    return {
      rateLimitRps: rps,
      callers,
      requests: sent.length,
      spanMs,
      perSecond,
      share: perSecond / rps,
      maxInAnySecond: maxInWindow(sent, 1000),
      refused429: sim.rateLimitStatus().rejected,
    };
  } finally {
    await sim.close();
  }
}

function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= windowMs) start++;
    max = Math.max(max, end - start + 1);
  }
  return max;
}

/** Without BENCH_RATE_LIMIT_RPS and without an unlimited run to go by. */
const FALLBACK_RPS = 25;

/**
 * A budget the pipeline can fill here: 70 % of the getConfiguration rate the unlimited backfill
 * reached (what DynamoDB Local sustains on this machine), in steps of 5, between 5 and 50. At 50
 * the limited backfill would be bound by DynamoDB Local, not by Mews, and would say nothing about
 * how well the client uses its budget.
 */
function budgetFor(unlimitedSyncRate: number | undefined): number {
  if (!unlimitedSyncRate) return FALLBACK_RPS;
  return Math.min(50, Math.max(5, Math.floor((unlimitedSyncRate * 0.7) / 5) * 5));
}

function sec(ms: number | undefined): string {
  return ms === undefined ? '-' : `${(ms / 1000).toFixed(2)} s`;
}

/**
 * A run of some parts (BENCH_ONLY) keeps the last run's results of the parts it did not run, so
 * the tables stay whole; bench.md says which parts come from which run.
 */
async function carryOver(
  results: BenchResults,
  only: Set<string>,
  base: string,
  say: (line: string) => void,
): Promise<void> {
  const file = join(resultsDir, `${base}.json`);
  if (!existsSync(file)) return;
  const previous = JSON.parse(await readFile(file, 'utf8')) as Partial<BenchResults>;
  const kept: NonNullable<BenchResults['carriedOver']> = [];
  for (const [key, producers] of Object.entries(PRODUCERS) as [keyof typeof PRODUCERS, Part[]][]) {
    if (producers.some((p) => only.has(p))) continue;
    const value = previous[key];
    if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) continue;
    (results as unknown as Record<string, unknown>)[key] = value;
    const earlier = previous.carriedOver?.find((c) => c.part === key);
    const from = earlier?.from ?? previous.generatedAt;
    const machine =
      earlier?.machine ??
      (previous.machine ? `${previous.machine.cpus} cores (${previous.machine.cpuModel})` : '');
    if (from) kept.push({ part: key, from, machine });
  }
  if (kept.length === 0) return;
  // The limited backfill's budget is the one its run chose.
  if (kept.some((k) => k.part === 'backfills') && previous.settings) {
    results.settings.rateLimitRps = previous.settings.rateLimitRps;
    results.settings.rateLimitChosen = previous.settings.rateLimitChosen;
    results.settings.limitedConcurrency = previous.settings.limitedConcurrency;
  }
  results.carriedOver = kept;
  say(`kept from earlier runs: ${kept.map((k) => `${k.part} (${k.from})`).join(', ')}`);
}

/** bench/results/token-store-calls.{json,md}, on their own (the other parts' files are not touched). */
async function writeTokenCalls(
  accounts: number,
  dynamo: DynamoDbLocalOptions,
  say: (line: string) => void,
): Promise<void> {
  const benchFile = join(resultsDir, 'bench.json');
  const bench = existsSync(benchFile)
    ? (JSON.parse(await readFile(benchFile, 'utf8')) as Partial<BenchResults>)
    : undefined;
  const unlimited = bench?.backfills?.find((b) => b.rateLimitRps === null);
  const limited = bench?.backfills?.find((b) => b.rateLimitRps !== null);
  const perSecond = (n: number | undefined, ms: number | undefined) => (n && ms ? (n * 1000) / ms : 0);
  const backfill = unlimited
    ? {
        connections: unlimited.connections,
        putsPerSecond: perSecond(unlimited.cycle.vault.puts, unlimited.cycle.stepsMs.poll),
        getsPerSecond: perSecond(unlimited.cycle.vault.gets, unlimited.cycle.stepsMs.sync),
        limitedGetsPerSecond: perSecond(limited?.cycle.vault.gets, limited?.cycle.stepsMs.sync),
      }
    : null;
  const results = await measureTokenCalls({
    accounts,
    perAccount: PER_ACCOUNT,
    dynamo,
    progress: say,
    backfill,
  });
  await mkdir(resultsDir, { recursive: true });
  await writeFile(join(resultsDir, 'token-store-calls.json'), `${JSON.stringify(results, null, 2)}\n`);
  const markdown = renderTokenCalls(results);
  await writeFile(join(resultsDir, 'token-store-calls.md'), markdown);
  say(`\n${markdown}\nwrote bench/results/token-store-calls.json and token-store-calls.md`);
}

async function writeResults(results: BenchResults, base: string, say: (line: string) => void): Promise<void> {
  await mkdir(resultsDir, { recursive: true });
  const bundlesFile = join(resultsDir, 'bundles.json');
  const bundles = existsSync(bundlesFile)
    ? (JSON.parse(await readFile(bundlesFile, 'utf8')) as unknown)
    : null;
  const markdown = renderMarkdown(results, bundleRows(bundles), `${base}.svg`);
  await writeFile(join(resultsDir, `${base}.json`), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(join(resultsDir, `${base}.md`), markdown);
  await writeFile(join(resultsDir, `${base}.svg`), await renderChart(chartInput(results)));
  say(`\n${markdown}`);
  say(`wrote bench/results/${base}.json, ${base}.md and ${base}.svg`);
}
