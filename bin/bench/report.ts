import type { ChartInput } from './chart.js';
import type { CliTimings } from './cli.js';
import { type LatencyResults, spread } from './latency.js';
import type { PollProcessOutput } from './poll-process.js';
import type { CycleMeasurement } from './rig.js';

/** The benchmark's results (bench.json) and their markdown (bench.md). */

export interface BenchResults {
  generatedAt: string;
  size: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryMb: number;
    node: string;
    platform: string;
    gcExposed: boolean;
  };
  settings: {
    concurrency: number;
    limitedConcurrency: number;
    /** The Mews budget of the limited runs, and where it came from. */
    rateLimitRps: number;
    rateLimitChosen: 'auto' | 'BENCH_RATE_LIMIT_RPS';
    perAccount: number;
  };
  steady: { accounts: number; connections: number; provisioningWallMs: number; cycle: CycleMeasurement }[];
  backfills: {
    label: string;
    accounts: number;
    connections: number;
    rateLimitRps: number | null;
    /** Handlers in flight per step. */
    concurrency: number;
    cycle: CycleMeasurement;
  }[];
  bigAccount: {
    connections: number;
    first: IsolatedPoll;
    /** The rest of the first cycle: syncing the discovered connections, relaying the events. */
    firstRest: CycleMeasurement;
    steady: IsolatedPoll;
  } | null;
  /** Our Mews client alone against the simulator's limit (no DynamoDB in the way). */
  budget: {
    rateLimitRps: number;
    callers: number;
    requests: number;
    spanMs: number;
    perSecond: number;
    share: number;
    /** The most requests sent within any 1 s window. */
    maxInAnySecond: number;
    refused429: number;
  } | null;
  /** Change at the simulator to event in the sink (absent in results from before it was measured). */
  latency?: LatencyResults | null;
  /** The operator's CLI as a process, against `node -e 0` (absent in results from before it was measured). */
  cli?: CliTimings | null;
  /** Parts of the results kept from earlier runs (a BENCH_ONLY run), with the run they come from. */
  carriedOver?: { part: string; from: string; machine: string }[];
  totalMs: number;
}

/** One poll step run in a process of its own (bin/bench/poll-process.ts). */
export type IsolatedPoll = Omit<PollProcessOutput, 'syncs'> & { syncsQueued: number; mewsCalls: number };

export interface BundleRow {
  function: string;
  bytes: number;
  gzipBytes: number;
  sdkClients: string[];
  coldImportMs: number;
  bareBytes: number;
  bareColdImportMs: number;
  bytesRatio: number;
  importRatio: number;
}

/** The rows of bench/results/bundles.json (`npm run bundle-report`), or null if it holds none. */
export function bundleRows(file: unknown): BundleRow[] | null {
  const rows = file && typeof file === 'object' && 'functions' in file ? file.functions : null;
  return Array.isArray(rows) ? (rows as BundleRow[]) : null;
}

/** Change to event: by notification at most this; by poll at most one interval plus the slack. */
const LATENCY_NOTIFICATION_TARGET_MS = 2_000;
const LATENCY_POLL_SLACK_MS = 5_000;

/** The poll step's memory target for one big account. */
const POLL_MEMORY_TARGET_MB = 150;
const BUDGET_SHARE_TARGET = 0.9;

const MB = 2 ** 20;
const mb = (bytes: number) => `${Math.round(bytes / MB)} MB`;
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ratio = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const seconds = (ms: number) => (ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`);
const pct = (n: number) => `${(n * 100).toFixed(1)} %`;
const ms = (n: number) => (Number.isFinite(n) ? `${Math.round(n).toLocaleString('en-US')} ms` : '-');
const yes = (ok: boolean) => (ok ? 'yes' : '**no**');

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

const pollReads = (c: CycleMeasurement) => c.dynamo.byStep.poll?.reads ?? 0;
const vaultCalls = (c: CycleMeasurement) => c.vault.puts + c.vault.gets;
const transactions = (c: CycleMeasurement) => c.dynamo.byCommand.TransactWrite?.requests ?? 0;
/** The provisioning transactions (sync step) and the discovery ones (poll step: 50 discoveries each). */
const syncTransactions = (c: CycleMeasurement) => c.dynamo.byStep.sync?.commands.TransactWrite ?? 0;
const pollTransactions = (c: CycleMeasurement) => c.dynamo.byStep.poll?.commands.TransactWrite ?? 0;
const provisioned = (c: CycleMeasurement) => c.syncs.provisioned ?? 0;

/**
 * Share of the Mews budget used: in the sync step (getConfiguration for every new connection: the
 * Mews-bound phase), and from the first Mews request of the cycle to the last (the poll step
 * between them is bound by storing tokens and recording discoveries, not by Mews).
 */
function budgetShare(b: BenchResults['backfills'][number]): { overall: number; sync: number } | null {
  if (b.rateLimitRps === null) return null;
  return {
    overall: (b.cycle.mews.rate?.perSecond ?? 0) / b.rateLimitRps,
    sync: (b.cycle.mews.rateByStep.sync?.perSecond ?? 0) / b.rateLimitRps,
  };
}

interface Target {
  what: string;
  measured: string;
  met: boolean;
}

function targets(r: BenchResults): Target[] {
  const out: Target[] = [];
  const steady = r.steady;
  const list = (f: (s: BenchResults['steady'][number]) => string) =>
    steady.map((s) => `${f(s)} (${int(s.accounts)})`).join(', ');
  if (steady.length > 0) {
    out.push({
      what: 'steady: Mews calls per account = 1.0',
      measured: list((s) => ratio(s.cycle.mews.total / s.accounts)),
      met: steady.every((s) => s.cycle.mews.total === s.accounts),
    });
    out.push({
      what: 'steady: DynamoDB reads per account <= 1.0 (poll step)',
      measured: list((s) => ratio(pollReads(s.cycle) / s.accounts)),
      met: steady.every((s) => pollReads(s.cycle) <= s.accounts),
    });
    out.push({
      what: 'steady: DynamoDB reads per account <= 1.0 (whole cycle: + listing the accounts, + the outbox sweep)',
      measured: list((s) => ratio(s.cycle.dynamo.reads / s.accounts, 3)),
      met: steady.every((s) => s.cycle.dynamo.reads <= s.accounts),
    });
    out.push({
      what: 'steady: DynamoDB writes, events, vault calls = 0',
      measured: list((s) => `${s.cycle.dynamo.writes}/${s.cycle.events.published}/${vaultCalls(s.cycle)}`),
      met: steady.every(
        (s) => s.cycle.dynamo.writes === 0 && s.cycle.events.published === 0 && vaultCalls(s.cycle) === 0,
      ),
    });
  }
  for (const b of r.backfills) {
    const c = b.cycle;
    const n = b.connections;
    const tag = b.rateLimitRps === null ? 'backfill' : `backfill at ${b.rateLimitRps} rps`;
    out.push({
      what: `${tag}: every connection provisioned, none dead-lettered`,
      measured: `${int(provisioned(c))} of ${int(n)}, ${c.deadLetters} dead letters`,
      met: provisioned(c) === n && c.deadLetters === 0,
    });
    out.push({
      what: `${tag}: getConfiguration per new connection = 1.0`,
      measured: ratio(c.mews.getConfiguration / n, 3),
      met: c.mews.getConfiguration === n,
    });
    out.push({
      what: `${tag}: secret writes per new connection = 1.0`,
      measured: ratio(c.vault.puts / n, 3),
      met: c.vault.puts === n,
    });
    out.push({
      what: `${tag}: DynamoDB transactions per new connection = 1.0`,
      measured:
        `${ratio(transactions(c) / n, 3)}: ${ratio(syncTransactions(c) / n, 3)} provisioning + ` +
        `${ratio(pollTransactions(c) / n, 3)} recording the discoveries (one per account)`,
      met: transactions(c) <= n,
    });
    out.push({
      what: `${tag}: PutEvents per 10 new connections = 1.0`,
      measured: ratio(c.events.putEventsCalls / (n / 10), 3),
      met: c.events.putEventsCalls <= Math.ceil(n / 10),
    });
    const share = budgetShare(b);
    if (share) {
      out.push({
        what: `${tag}: share of the Mews budget used >= ${pct(BUDGET_SHARE_TARGET)} in the Mews-bound phase (sync step), no 429`,
        measured:
          `${pct(share.sync)} (${ratio(c.mews.rateByStep.sync?.perSecond ?? 0, 1)} requests/s); ` +
          `${c.mews.refused429} refused (429); whole cycle ${pct(share.overall)}`,
        met: share.sync >= BUDGET_SHARE_TARGET && c.mews.refused429 === 0,
      });
    }
  }
  const budget = r.budget;
  if (budget) {
    out.push({
      what: `Mews budget alone (${budget.rateLimitRps} rps, ${budget.callers} callers): >= ${pct(BUDGET_SHARE_TARGET)} used, never more than rate + burst in a second, no 429`,
      measured:
        `${pct(budget.share)} (${ratio(budget.perSecond, 1)} requests/s), at most ${budget.maxInAnySecond} in any second, ` +
        `${budget.refused429} refused`,
      met:
        budget.share >= BUDGET_SHARE_TARGET &&
        budget.maxInAnySecond <= Math.ceil(budget.rateLimitRps * 1.1) + 1 &&
        budget.refused429 === 0,
    });
  }
  const latency = r.latency;
  if (latency) {
    const max = (path: 'poll' | 'notification') =>
      Math.max(...latency.rows.filter((row) => row.path === path).flatMap((row) => row.samples));
    const medians = (path: 'poll' | 'notification') =>
      latency.rows
        .filter((row) => row.path === path)
        .map((row) => `${row.change} ${ms(spread(row.samples).median)}`)
        .join(', ');
    const pollBound = latency.intervalMs + LATENCY_POLL_SLACK_MS;
    out.push({
      what: `a change reaches the sink by the next poll within one interval + ${seconds(LATENCY_POLL_SLACK_MS)} (${seconds(pollBound)})`,
      measured: `at most ${ms(max('poll'))}; median ${medians('poll')}`,
      met: max('poll') <= pollBound,
    });
    out.push({
      what: `a change reaches the sink by a change notification within ${seconds(LATENCY_NOTIFICATION_TARGET_MS)}`,
      measured: `at most ${ms(max('notification'))}; medians: ${medians('notification')}`,
      met: max('notification') <= LATENCY_NOTIFICATION_TARGET_MS,
    });
  }
  const big = r.bigAccount;
  if (big) {
    for (const [name, poll] of [
      ['first poll', big.first],
      ['steady poll', big.steady],
    ] as const) {
      out.push({
        what: `one account of ${int(big.connections)}, ${name}: peak memory < ${POLL_MEMORY_TARGET_MB} MB (own process)`,
        measured: `${mb(poll.memory.maxRssBytes)} RSS (heap ${mb(poll.memory.peakHeapBytes)}), ${seconds(poll.ms)}`,
        met: poll.memory.maxRssBytes < POLL_MEMORY_TARGET_MB * MB,
      });
    }
  }
  return out;
}

function commandSummary(c: CycleMeasurement): string {
  return Object.entries(c.dynamo.byCommand)
    .filter(([, v]) => v.requests > 0)
    .sort(([, a], [, b]) => b.requests - a.requests)
    .map(([name, v]) => `${name} ${int(v.requests)}${v.failed ? ` (${v.failed} failed)` : ''}`)
    .join(', ');
}

function latencySummary(c: CycleMeasurement): string {
  return Object.entries(c.dynamo.byCommand)
    .filter(([, v]) => v.requests > 0)
    .sort(([, a], [, b]) => b.requests - a.requests)
    .map(([name, v]) => `${name} ${Math.round(v.ms / v.requests)} ms`)
    .join(', ');
}

/** "steady, backfills (2026-11-27 12:16 UTC, 2 cores (AMD EPYC))": the kept parts, by run. */
function carriedOverText(kept: NonNullable<BenchResults['carriedOver']>): string {
  const runs = new Map<string, string[]>();
  for (const c of kept) {
    const run = `${c.from.slice(0, 16).replace('T', ' ')} UTC${c.machine ? `, ${c.machine}` : ''}`;
    runs.set(run, [...(runs.get(run) ?? []), c.part]);
  }
  return [...runs].map(([run, parts]) => `${parts.join(', ')} (${run})`).join('; ');
}

export function renderMarkdown(r: BenchResults, bundles: BundleRow[] | null, chartFile: string): string {
  const parts: string[] = [];
  const m = r.machine;
  parts.push(
    '# Benchmark',
    '',
    `\`npm run bench\` (size ${r.size}), ${r.generatedAt.slice(0, 16).replace('T', ' ')} UTC, ${seconds(r.totalMs)} in all: ` +
      `${m.cpus} cores (${m.cpuModel}), ${Math.round(m.memoryMb / 1024)} GB, Node ${m.node}. ` +
      'The local pipeline (the same use cases as the Lambda functions) on DynamoDB Local in memory and the Mews ' +
      `simulator in-process; ${r.settings.concurrency} handlers in flight per step (the Lambda concurrency cap on AWS). ` +
      'Counted by wrapping the parts: Mews requests as the simulator received them, DynamoDB requests by command ' +
      'with the capacity units DynamoDB Local reports, vault calls (Secrets Manager on AWS), events published ' +
      '(PutEvents: 10 entries a request). Memory: RSS and heap of this one process (the simulator included), sampled.',
    '',
    `![benchmark](${chartFile})`,
    '',
    ...(r.carriedOver && r.carriedOver.length > 0
      ? [
          `This run measured only some parts (BENCH_ONLY); kept from earlier runs: ${carriedOverText(r.carriedOver)}.`,
          '',
        ]
      : []),
    '## Targets',
    '',
    table(
      ['target', 'measured', 'met'],
      targets(r).map((t) => [t.what, t.measured, yes(t.met)]),
    ),
  );

  if (r.steady.length > 0) {
    parts.push(
      '',
      '## (a) Steady cycle: nothing changed',
      '',
      `Each account lists ${r.settings.perAccount} connections; the first cycle provisions them, the second is measured. ` +
        'Floor: one getProperties and at most one DynamoDB read per account; no write, event or vault call.',
      '',
      table(
        [
          'accounts',
          'cycle (wall)',
          'per account',
          'Mews calls / account',
          'DynamoDB reads / account: poll step',
          'whole cycle',
          'read units / account',
          'writes',
          'events',
          'vault calls',
          'peak RSS',
          'DynamoDB requests',
        ],
        r.steady.map((s) => {
          const c = s.cycle;
          return [
            int(s.accounts),
            seconds(c.wallMs),
            `${(c.wallMs / s.accounts).toFixed(1)} ms`,
            ratio(c.mews.total / s.accounts),
            ratio(pollReads(c) / s.accounts),
            ratio(c.dynamo.reads / s.accounts, 3),
            ratio(c.dynamo.readUnits / s.accounts),
            String(c.dynamo.writes),
            String(c.events.published),
            String(vaultCalls(c)),
            mb(c.memory.peakRssBytes),
            commandSummary(c),
          ];
        }),
      ),
    );
  }

  if (r.backfills.length > 0) {
    parts.push(
      '',
      '## (b) Backfill: new connections',
      '',
      'Floor per new connection: one getConfiguration, one secret write, one DynamoDB transaction and a tenth of ' +
        'a PutEvents (plus one getProperties per account). With a limit, the simulator answers 429 beyond ' +
        `it (as Mews does) and our client holds itself to the same budget (\`rateLimit\`, a token bucket). ` +
        (r.settings.rateLimitChosen === 'auto'
          ? `The budget, ${r.settings.rateLimitRps} requests/s, is 70 % of the getConfiguration rate the unlimited ` +
            'backfill reached (what DynamoDB Local sustains here; in steps of 5, at most 50), so that Mews, not the ' +
            'emulator, bounds the limited run (BENCH_RATE_LIMIT_RPS sets it).'
          : `The budget, ${r.settings.rateLimitRps} requests/s, was set with BENCH_RATE_LIMIT_RPS.`),
      '',
      table(
        [
          'run',
          'wall',
          'connections / s',
          'Mews requests / s',
          'budget used',
          '429s',
          'getConfiguration / conn',
          'getProperties / account',
          'secret writes / conn',
          'secret reads / conn',
          'transactions / conn (provisioning + discovery)',
          'other writes / conn',
          'DynamoDB reads / conn',
          'write units / conn',
          'events / conn',
          'PutEvents / 10 conn',
          'peak RSS',
        ],
        r.backfills.map((b) => {
          const c = b.cycle;
          const n = b.connections;
          const share = budgetShare(b);
          return [
            `${b.label} (${b.concurrency} in flight)`,
            seconds(c.wallMs),
            ratio(provisioned(c) / (c.wallMs / 1000), 1),
            ratio(c.mews.rate?.perSecond ?? 0, 1),
            share ? `sync step ${pct(share.sync)}, cycle ${pct(share.overall)}` : 'no limit',
            String(c.mews.refused429),
            ratio(c.mews.getConfiguration / n, 3),
            ratio(c.mews.getProperties / b.accounts, 3),
            ratio(c.vault.puts / n, 3),
            ratio(c.vault.gets / n, 3),
            `${ratio(transactions(c) / n, 3)} (${ratio(syncTransactions(c) / n, 2)} + ${ratio(pollTransactions(c) / n, 2)})`,
            ratio((c.dynamo.writes - transactions(c)) / n, 3),
            ratio(c.dynamo.reads / n, 3),
            ratio(c.dynamo.writeUnits / n, 2),
            ratio(c.events.published / n, 3),
            ratio(c.events.putEventsCalls / (n / 10), 3),
            mb(c.memory.peakRssBytes),
          ];
        }),
      ),
      '',
      'Where the time goes (seconds per step; Mews requests per second within the step):',
      '',
      table(
        [
          'run',
          'schedule',
          'poll',
          'sync',
          'relay',
          'Mews / s in poll',
          'Mews / s in sync',
          'DynamoDB requests',
          'DynamoDB mean latency',
        ],
        r.backfills.map((b) => {
          const c = b.cycle;
          return [
            `${b.label} (${b.concurrency} in flight)`,
            seconds(c.stepsMs.schedule ?? 0),
            seconds(c.stepsMs.poll ?? 0),
            seconds(c.stepsMs.sync ?? 0),
            seconds(c.stepsMs.relay ?? 0),
            ratio(c.mews.rateByStep.poll?.perSecond ?? 0, 1),
            ratio(c.mews.rateByStep.sync?.perSecond ?? 0, 1),
            commandSummary(c),
            latencySummary(c),
          ];
        }),
      ),
    );
  }

  if (r.budget) {
    const b = r.budget;
    parts.push(
      '',
      `The Mews budget alone: our client (\`rateLimit: { requestsPerSecond: ${b.rateLimitRps} }\`, ${b.callers} ` +
        `callers at once) against the simulator's limit of ${b.rateLimitRps} requests/s, nothing else in the way: ` +
        `${int(b.requests)} requests in ${seconds(b.spanMs)}, ${ratio(b.perSecond, 1)} requests/s ` +
        `(${pct(b.share)} of the budget), at most ${b.maxInAnySecond} in any one second, ${b.refused429} refused (429).`,
    );
  }

  const big = r.bigAccount;
  if (big) {
    parts.push(
      '',
      `## (c) One account of ${int(big.connections)} connections`,
      '',
      'The poll step of that one account (getProperties, the listing diff, storing the new tokens, recording the ' +
        'discoveries, queueing the syncs) runs in a `node` process of its own, bundled with esbuild as the ' +
        'poll-account Lambda is, so the memory is that of a poll alone: peak RSS as the kernel counts it ' +
        '(getrusage; what Lambda reports as memory used), heap sampled every 5 ms. The first poll is the backfill; ' +
        'the syncs it queued then run in the bench process.',
      '',
      table(
        [
          'poll',
          'poll step',
          'peak RSS',
          'RSS before the poll',
          'peak heap (before)',
          'Mews calls',
          'secret writes',
          'syncs queued',
          'DynamoDB requests',
        ],
        [
          ['first (backfill)', big.first],
          ['steady', big.steady],
        ].map(([name, p]) => {
          const poll = p as IsolatedPoll;
          return [
            name as string,
            seconds(poll.ms),
            mb(poll.memory.maxRssBytes),
            mb(poll.memory.baseRssBytes),
            `${mb(poll.memory.peakHeapBytes)} (${mb(poll.memory.baseHeapBytes)})`,
            `${int(poll.mewsCalls)} getProperties`,
            int(poll.vault.puts),
            int(poll.syncsQueued),
            Object.entries(poll.dynamo)
              .map(([command, v]) => `${command} ${int(v.requests)}`)
              .join(', '),
          ];
        }),
      ),
      '',
      `Syncing the ${int(big.connections)} discovered connections and relaying their events took ` +
        `${seconds(big.firstRest.wallMs)} (${ratio(provisioned(big.firstRest) / (big.firstRest.wallMs / 1000), 1)} ` +
        `connections/s; ${int(big.firstRest.mews.getConfiguration)} getConfiguration, ` +
        `${commandSummary(big.firstRest)}).`,
    );
  }

  const latency = r.latency;
  if (latency) {
    parts.push(
      '',
      '## (d) Change to event: by poll and by notification',
      '',
      'From a change at the simulator to its event in the sink (events.jsonl), locally, as `npm start` runs: ' +
        `by poll, a new connection waits for the next cycle (one every ${seconds(latency.intervalMs)}, ` +
        'PROVISIONER_POLL_INTERVAL_SECONDS; changes at spread-out moments of the interval), so up to one interval ' +
        "plus the cycle's work; by notification, the simulator calls the webhook endpoint, which queues the check " +
        'and drains it at once (no cycle runs). "webhook answer": how long the endpoint took to answer the ' +
        'notification (Mews waits at most 5 s).',
      '',
      table(
        ['path', 'change', 'samples', 'min', 'median', 'max', 'webhook answer (median)'],
        latency.rows.map((row) => {
          const s = spread(row.samples);
          return [
            row.path,
            row.change,
            String(row.samples.length),
            ms(s.min),
            ms(s.median),
            ms(s.max),
            row.answerSamples.length > 0 ? ms(spread(row.answerSamples).median) : '-',
          ];
        }),
      ),
    );
  }

  const cli = r.cli;
  if (cli) {
    parts.push(
      '',
      '## (e) The CLI as a process',
      '',
      'The compiled CLI (`dist/provisioner.js`, what `npm ci` builds and `bin` installs), from spawn to exit, ' +
        `median of ${cli.samples} runs (cold reads: fewer, each on a fresh state directory), and as a multiple of ` +
        '`node -e 0` on the same machine. "Nothing running": no `npm start`; the command starts DynamoDB Local ' +
        'and leaves it up for the next ones (it stops after PROVISIONER_DYNAMODB_IDLE_SECONDS, 300 s by default).',
      '',
      table(
        ['command', 'runs', 'median', 'x node -e 0'],
        cli.rows.map((row) => [row.label, String(row.samples.length), ms(row.medianMs), ratio(row.ratio, 1)]),
      ),
    );
  }

  if (bundles && bundles.length > 0) {
    parts.push(
      '',
      '## Lambda bundles',
      '',
      'From `npm run bundle-report` (bench/results/bundles.json): each bundle as the stack builds it, and its cold ' +
        '`import()` time next to a bare bundle of the same AWS SDK clients (the floor): the size and import ' +
        'ratios are to that floor.',
      '',
      table(
        [
          'function',
          'size',
          'gzip',
          'SDK clients',
          'cold import',
          'bare bundle',
          'bare import',
          'size ratio',
          'import ratio',
        ],
        bundles.map((b) => [
          b.function,
          `${Math.round(b.bytes / 1024)} KB`,
          `${Math.round(b.gzipBytes / 1024)} KB`,
          b.sdkClients.map((c) => c.replace('client-', '')).join(', '),
          `${Math.round(b.coldImportMs)} ms`,
          `${Math.round(b.bareBytes / 1024)} KB`,
          `${Math.round(b.bareColdImportMs)} ms`,
          ratio(b.bytesRatio),
          ratio(b.importRatio),
        ]),
      ),
    );
  }

  parts.push(
    '',
    '## Reading it',
    '',
    '- DynamoDB Local, not DynamoDB, bounds the backfill without a limit: on this machine it takes several ' +
      'milliseconds a write and shares the 2 cores with the pipeline and the simulator. The request counts carry ' +
      'over to AWS; the times do not.',
    "- Each scenario runs on a DynamoDB Local of its own (with the table's stream on, as deployed): DynamoDB " +
      'Local keeps the stream records of a deleted table and then takes several times longer per write.',
    '- Capacity units are as DynamoDB Local reports them; DynamoDB on AWS bills a transactional write twice.',
    '- "secret reads": sync-connection reads the token back from the vault before getConfiguration (a ' +
      'Secrets Manager GetSecretValue on AWS). Discovery transactions: a poll records its new connections and ' +
      'memberships atomically, 50 a transaction, so one per account of 10. "other writes": marking each ' +
      'relayed event published (one UpdateItem per event).',
    '- The client-side Mews budget (`rateLimit` on the Mews client, `MEWS_RATE_LIMIT_RPS` locally) is per client ' +
      'instance. On AWS each Lambda instance has its own, so there the SQS maximum concurrency of the Mews callers ' +
      '(`mewsConcurrency`) caps the request rate, and the transport backs off on 429 with Retry-After.',
    '',
  );
  return parts.join('\n');
}

export function chartInput(r: BenchResults): ChartInput {
  return {
    heading: `Mews connection provisioner: benchmark (${r.size}, ${r.machine.cpus} cores, DynamoDB Local)`,
    steady: r.steady.map((s) => ({
      accounts: s.accounts,
      wallMs: s.cycle.wallMs,
      mewsPerAccount: s.cycle.mews.total / s.accounts,
      readsPerAccount: s.cycle.dynamo.reads / s.accounts,
      writesPerAccount: s.cycle.dynamo.writes / s.accounts,
    })),
    backfillTitle: `BACKFILL OF ${int(r.backfills[0]?.connections ?? 0)}`,
    backfills: r.backfills.map((b) => ({
      label: b.rateLimitRps === null ? 'no limit' : `${b.rateLimitRps} rps limit`,
      connectionsPerSecond: provisioned(b.cycle) / (b.cycle.wallMs / 1000),
      mewsPerSecond: b.cycle.mews.rateByStep.sync?.perSecond ?? 0,
      budget: b.rateLimitRps,
    })),
  };
}
