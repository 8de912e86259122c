import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoStateStore } from '../../shared/adapters/aws/dynamo-state-store.js';
import {
  type DynamoDbLocal,
  type DynamoDbLocalOptions,
  ensureTable,
  localDocumentClient,
  startDynamoDbLocal,
} from '../../shared/adapters/local/dynamodb-local.js';
import { FileTokenVault } from '../../shared/adapters/local/file-token-vault.js';
import { InProcessQueue } from '../../shared/adapters/local/in-process-queue.js';
import { JsonlEventSink } from '../../shared/adapters/local/jsonl-event-sink.js';
import { stderrLogger } from '../../shared/adapters/local/stderr-logger.js';
import { mapLimit } from '../../shared/lib/map-limit.js';
import {
  type CycleOptions,
  type CycleReport,
  type LocalPipeline,
  runCycle,
} from '../../shared/local/run-cycle.js';
import { ChannelManagerClient } from '../../shared/mews/channel-manager-client.js';
import { systemClock } from '../../shared/ports/clock.js';
import type { TokenVault } from '../../shared/ports/token-vault.js';
import type { PollAccountMessage, SyncConnectionMessage } from '../../shared/ports/work-queue.js';
import { type EnterpriseSpec, type MewsSimulator, startMewsSimulator } from '../../shared/simulator/index.js';
import { registerAccount } from '../../shared/use-cases/accounts.js';
import {
  Counters,
  CYCLE_STEPS,
  countingFetch,
  type DynamoCount,
  instrumentDynamo,
  instrumentPublisher,
  instrumentVault,
  type MemoryPeak,
  type Step,
  sampleMemory,
} from './instrument.js';

/**
 * One benchmark rig: a fresh table on the shared DynamoDB Local, a fresh in-process simulator,
 * a temporary vault and event file, and the local pipeline over them with every part counted.
 */

/** The simulator allows at most 100 connections per property. */
const PER_PROPERTY = 100;

export interface RigOptions {
  /** Options of the rig's own DynamoDB Local. */
  dynamo: DynamoDbLocalOptions;
  label: string;
  /** Mews' limit (simulator) and our client's budget, in requests per second; none when unset. */
  rateLimitRps?: number;
  /** Handlers in flight per step (the Lambda concurrency cap on AWS). */
  concurrency: number;
  /** Called every few seconds while a cycle runs. */
  progress: (line: string) => void;
  /** The token vault (default: a temporary local vault directory). */
  vault?: TokenVault;
}

export interface CycleMeasurement {
  wallMs: number;
  stepsMs: Record<string, number>;
  accountsScheduled: number;
  polls: Record<string, number>;
  discovered: number;
  syncs: Record<string, number>;
  deadLetters: number;
  mews: {
    getProperties: number;
    getConfiguration: number;
    total: number;
    refused429: number;
    /** Requests per second from the first request to the last, overall and within each step. */
    rate: { requests: number; spanMs: number; perSecond: number } | null;
    rateByStep: Record<string, { requests: number; spanMs: number; perSecond: number }>;
  };
  dynamo: {
    reads: number;
    writes: number;
    readUnits: number;
    writeUnits: number;
    byCommand: Record<string, DynamoCount>;
    byStep: Record<string, { reads: number; writes: number; commands: Record<string, number> }>;
  };
  vault: { puts: number; created: number; gets: number };
  events: { published: number; publishCalls: number; putEventsCalls: number };
  memory: MemoryPeak;
}

export class Rig {
  readonly counters = new Counters();
  readonly pipeline: LocalPipeline;
  #stepStarted = new Map<Step, number>();
  #stepMs = new Map<Step, number>();

  private constructor(
    readonly options: RigOptions,
    readonly sim: MewsSimulator,
    readonly tableName: string,
    readonly stateDir: string,
    private readonly client: ReturnType<typeof localDocumentClient>,
    private readonly dynamo: DynamoDbLocal,
  ) {
    const { counters } = this;
    const polls = new InProcessQueue<PollAccountMessage>();
    const syncs = new InProcessQueue<SyncConnectionMessage>();
    this.#timeStep(polls, 'poll', 'sync');
    this.#timeStep(syncs, 'sync', 'relay');

    const rps = options.rateLimitRps;
    this.pipeline = {
      store: new DynamoStateStore({ client: instrumentDynamo(client, counters), tableName }),
      mews: new ChannelManagerClient({
        platformAddress: sim.url,
        clientToken: sim.clientToken,
        fetch: countingFetch(counters),
        ...(rps ? { rateLimit: { requestsPerSecond: rps } } : {}),
      }),
      vault: instrumentVault(options.vault ?? new FileTokenVault({ dir: this.vaultDir }), counters),
      publisher: instrumentPublisher(
        new JsonlEventSink({ file: join(stateDir, 'events.jsonl'), source: 'bench.mews-provisioner' }),
        counters,
      ),
      polls,
      syncs,
      clock: systemClock,
      logger: stderrLogger('error'),
      environment: 'simulator',
    };
  }

  /**
   * A DynamoDB Local of its own: DynamoDB Local keeps the stream records of a deleted table and
   * then gets several times slower per write, so scenarios sharing one would slow each other down.
   */
  static async open(options: RigOptions): Promise<Rig> {
    const rps = options.rateLimitRps;
    const dynamo = await startDynamoDbLocal(options.dynamo);
    try {
      const sim = await startMewsSimulator(rps ? { rateLimit: { requestsPerSecond: rps } } : {});
      const stateDir = await mkdtemp(join(tmpdir(), `bench-${options.label}-`));
      const client = localDocumentClient(dynamo.endpoint);
      const tableName = `bench-${options.label}-${randomUUID().slice(0, 8)}`;
      await ensureTable(client, tableName);
      return new Rig(options, sim, tableName, stateDir, client, dynamo);
    } catch (error) {
      await dynamo.stop();
      throw error;
    }
  }

  /** Adds `accounts` enterprises to the simulator, each with one employee and `perAccount` connections. */
  addAccounts(prefix: string, accounts: number, perAccount: number): string[] {
    const emails: string[] = [];
    const specs: EnterpriseSpec[] = [];
    for (let i = 0; i < accounts; i++) {
      const email = `${prefix}-${i}@bench.example`;
      emails.push(email);
      specs.push({
        id: `${prefix}-enterprise-${i}`,
        accounts: [email],
        properties: propertiesFor(`${prefix}-${i}`, perAccount),
      });
    }
    for (let i = 0; i < specs.length; i += 500) this.sim.addEnterprises(specs.slice(i, i + 500));
    return emails;
  }

  async register(emails: string[]): Promise<void> {
    this.counters.step = 'setup';
    await mapLimit(emails, 16, (email) => registerAccount({ email }, this.pipeline));
  }

  get vaultDir(): string {
    return join(this.stateDir, 'secrets');
  }

  get endpoint(): string {
    return this.dynamo.endpoint;
  }

  /** One cycle (schedule, polls, syncs, relay) with everything counted; `schedule: false` works off what is queued. */
  async cycle(
    label: string,
    cycleOptions: Pick<CycleOptions, 'schedule' | 'refresh'> = {},
  ): Promise<CycleMeasurement> {
    const { counters, sim } = this;
    counters.reset();
    sim.clearCalls();
    this.#stepMs.clear();
    this.#stepStarted.clear();
    counters.step = 'schedule';
    const memory = sampleMemory();
    const started = performance.now();
    this.#stepStarted.set('schedule', started);
    const ticker = setInterval(() => this.options.progress(this.#progressLine(label, started)), 5_000);
    let report: CycleReport;
    try {
      report = await runCycle(this.pipeline, { concurrency: this.options.concurrency, ...cycleOptions });
    } finally {
      clearInterval(ticker);
    }
    const ended = performance.now();
    const relayStarted = this.#stepStarted.get('relay');
    if (relayStarted !== undefined) this.#stepMs.set('relay', ended - relayStarted);
    const pollStarted = this.#stepStarted.get('poll');
    if (pollStarted !== undefined) this.#stepMs.set('schedule', pollStarted - started);
    counters.step = 'setup';
    return this.#measurement(report, ended - started, memory.stop());
  }

  async close(): Promise<void> {
    this.client.destroy();
    await this.dynamo.stop();
    await this.sim.close();
    await rm(this.stateDir, { recursive: true, force: true });
  }

  /** Marks `step` while the queue drains, and `next` after it. */
  #timeStep<M extends PollAccountMessage | SyncConnectionMessage>(
    queue: InProcessQueue<M>,
    step: Step,
    next: Step,
  ) {
    const drain = queue.drain.bind(queue);
    queue.drain = async (handler, options) => {
      this.counters.step = step;
      const started = performance.now();
      this.#stepStarted.set(step, started);
      try {
        return await drain(handler, options);
      } finally {
        this.#stepMs.set(step, performance.now() - started);
        this.counters.step = next;
        this.#stepStarted.set(next, performance.now());
      }
    };
  }

  #progressLine(label: string, started: number): string {
    const calls = this.sim.calls();
    const { reads, writes } = this.counters.dynamoTotals();
    const seconds = (performance.now() - started) / 1000;
    const recent = this.counters.mewsSends.filter((s) => s.at > performance.now() - 5_000).length / 5;
    const rss = Math.round(process.memoryUsage().rss / 2 ** 20);
    return (
      `  ${label}: ${seconds.toFixed(0)} s, step ${this.counters.step}; Mews getProperties ${calls.getProperties}, ` +
      `getConfiguration ${calls.getConfiguration} (${recent.toFixed(1)}/s now); DynamoDB ${reads} reads, ` +
      `${writes} writes; ${this.counters.vault.created} secrets, ${this.counters.events.published} events; RSS ${rss} MB`
    );
  }

  #measurement(report: CycleReport, wallMs: number, memory: MemoryPeak): CycleMeasurement {
    const { counters, sim } = this;
    const calls = sim.calls();
    const polls: Record<string, number> = {};
    let discovered = 0;
    for (const outcome of report.polls.values()) {
      polls[outcome.status] = (polls[outcome.status] ?? 0) + 1;
      if (outcome.status === 'polled') discovered += outcome.discovered;
    }
    const syncs: Record<string, number> = {};
    for (const outcome of report.syncs) syncs[outcome.status] = (syncs[outcome.status] ?? 0) + 1;
    const totals = counters.dynamoTotals();
    const rateByStep: CycleMeasurement['mews']['rateByStep'] = {};
    for (const step of CYCLE_STEPS) {
      const rate = rateOf(counters.mewsSends.filter((s) => s.step === step).map((s) => s.at));
      if (rate) rateByStep[step] = rate;
    }
    return {
      wallMs,
      stepsMs: Object.fromEntries(CYCLE_STEPS.map((s) => [s, this.#stepMs.get(s) ?? 0])),
      accountsScheduled: report.accounts,
      polls,
      discovered,
      syncs,
      deadLetters: report.deadLetters.length,
      mews: {
        getProperties: calls.getProperties,
        getConfiguration: calls.getConfiguration,
        total: calls.getProperties + calls.getConfiguration + calls.getChannels,
        refused429: sim.rateLimitStatus().rejected,
        rate: rateOf(counters.mewsSends.map((s) => s.at)),
        rateByStep,
      },
      dynamo: {
        ...totals,
        byCommand: Object.fromEntries([...counters.dynamo.entries()].sort(([a], [b]) => a.localeCompare(b))),
        byStep: Object.fromEntries(counters.dynamoByStep),
      },
      vault: { ...counters.vault },
      events: { ...counters.events },
      memory,
    };
  }
}

function propertiesFor(prefix: string, connections: number): EnterpriseSpec['properties'] {
  const properties: NonNullable<EnterpriseSpec['properties']> = [];
  for (let j = 0; j * PER_PROPERTY < connections; j++) {
    properties.push({
      id: `${prefix}-property-${j}`,
      connections: Math.min(PER_PROPERTY, connections - j * PER_PROPERTY),
    });
  }
  return properties;
}

/** Requests per second between the first and the last request (n - 1 intervals). */
function rateOf(times: number[]): { requests: number; spanMs: number; perSecond: number } | null {
  if (times.length < 2) return null;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const t of times) {
    first = Math.min(first, t);
    last = Math.max(last, t);
  }
  const spanMs = last - first;
  return {
    requests: times.length,
    spanMs,
    perSecond: spanMs > 0 ? ((times.length - 1) * 1000) / spanMs : 0,
  };
}
