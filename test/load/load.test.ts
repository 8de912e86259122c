import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoStateStore } from '../../shared/adapters/aws/dynamo-state-store.js';
import { JsonlEventSink } from '../../shared/adapters/local/jsonl-event-sink.js';
import { accountIdFromEmail } from '../../shared/domain/identity.js';
import type { AccountId } from '../../shared/domain/model.js';
import { mapLimit } from '../../shared/lib/map-limit.js';
import { type CycleReport, runCycle } from '../../shared/local/run-cycle.js';
import { ChannelManagerClient } from '../../shared/mews/channel-manager-client.js';
import type { EventPublisher } from '../../shared/ports/event-publisher.js';
import { silentLogger } from '../../shared/ports/logger.js';
import type { TokenVault } from '../../shared/ports/token-vault.js';
import type { EnterpriseSpec } from '../../shared/simulator/index.js';
import { registerAccount } from '../../shared/use-cases/accounts.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import { markdownTable } from '../support/state-snapshot.js';

/**
 * The local pipeline under load: LOAD_ACCOUNTS accounts of 10 connections each, then one account
 * of LOAD_BIG_ACCOUNT_CONNECTIONS connections, then a steady-state cycle. Prints, per phase, the
 * wall time, the calls per service (Mews from the simulator's counters, DynamoDB per command from
 * the document client, vault puts, events published) and the peak memory, and for the big
 * account the peak memory of its poll step alone.
 *
 * `npm test` runs a small size (DynamoDB Local manages ~10 ms a write on a 2-core machine);
 * `npm run test:load:full` runs 1,000 accounts x 10 and one account of 5,000.
 */

const ACCOUNTS = sizeFromEnv('LOAD_ACCOUNTS', 30);
const PER_ACCOUNT = 10;
const BIG = sizeFromEnv('LOAD_BIG_ACCOUNT_CONNECTIONS', 300);
/** Mews allows at most 100 connections per simulated property. */
const PER_PROPERTY = 100;
const BIG_EMAIL = 'big-chain@load.example';
const MB = 1024 * 1024;
/** Generous: about 100 ms per connection (30-50 ms measured on a busy 2-core machine), plus start-up. */
const timeoutFor = (connections: number) => 60_000 + connections * 100;

function sizeFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

interface Counters {
  dynamo: Map<string, number>;
  vaultPuts: number;
  vaultCreated: number;
  events: number;
}

interface PhaseResult {
  phase: string;
  report: CycleReport;
  wallMs: number;
  mews: { getProperties: number; getConfiguration: number };
  dynamo: Map<string, number>;
  vaultPuts: number;
  vaultCreated: number;
  events: number;
  peakRss: number;
  peakHeap: number;
  baseRss: number;
}

let p: TestPipeline;
let counters: Counters;
const phases: PhaseResult[] = [];
/** Each poll of the big account: the first discovers everything, later ones find nothing new. */
const bigPolls: {
  phase: string;
  ms: number;
  peakRss: number;
  peakHeap: number;
  baseRss: number;
  baseHeap: number;
}[] = [];

beforeAll(async () => {
  p = await startPipeline('load');
  counters = { dynamo: new Map(), vaultPuts: 0, vaultCreated: 0, events: 0 };
  const services = p.services;
  // Quiet, counted versions of the parts: no debug log kept in memory, no event list kept.
  services.logger = silentLogger;
  services.mews = new ChannelManagerClient({
    platformAddress: p.simulator.url,
    clientToken: p.simulator.clientToken,
  });
  services.store = new DynamoStateStore({
    client: countCommands(p.table.client, counters.dynamo),
    tableName: p.table.tableName,
  });
  services.vault = countVault(services.vault, counters);
  services.publisher = countEvents(
    new JsonlEventSink({ file: join(p.stateDir, 'events.jsonl'), source: 'load.mews-provisioner' }),
    counters,
  );

  const enterprises: EnterpriseSpec[] = Array.from({ length: ACCOUNTS }, (_, i) => ({
    id: `load-enterprise-${i}`,
    accounts: [`account-${i}@load.example`],
    properties: [{ id: `load-property-${i}`, connections: PER_ACCOUNT }],
  }));
  enterprises.push({
    id: 'load-big-chain',
    accounts: [BIG_EMAIL],
    properties: Array.from({ length: Math.ceil(BIG / PER_PROPERTY) }, (_, j) => ({
      id: `load-big-property-${j}`,
      connections: Math.min(PER_PROPERTY, BIG - j * PER_PROPERTY),
    })),
  });
  p.simulator.addEnterprises(enterprises);
}, 120_000);

afterAll(async () => {
  if (phases.length > 0) {
    const table = markdownTable(
      [
        'phase',
        'wall',
        'Mews getProperties',
        'Mews getConfiguration',
        'DynamoDB calls',
        'vault puts (created)',
        'events published',
        'peak RSS (start)',
        'peak heap',
      ],
      phases.map((r) => [
        r.phase,
        `${(r.wallMs / 1000).toFixed(1)} s`,
        String(r.mews.getProperties),
        String(r.mews.getConfiguration),
        describeCounts(r.dynamo),
        `${r.vaultPuts} (${r.vaultCreated})`,
        String(r.events),
        `${mb(r.peakRss)} (${mb(r.baseRss)})`,
        mb(r.peakHeap),
      ]),
    );
    const big = bigPolls
      .map(
        (b) =>
          `Poll step of the big account (${BIG} connections) in "${b.phase}": ${(b.ms / 1000).toFixed(2)} s, ` +
          `peak RSS ${mb(b.peakRss)} (+${mb(b.peakRss - b.baseRss)}), ` +
          `peak heap ${mb(b.peakHeap)} (+${mb(b.peakHeap - b.baseHeap)})`,
      )
      .join('\n');
    console.log(
      `\nLoad: ${ACCOUNTS} accounts x ${PER_ACCOUNT} connections, one account of ${BIG}\n\n${table}\n${big}`,
    );
  }
  await p?.close();
});

describe(`load: ${ACCOUNTS} accounts x ${PER_ACCOUNT} connections, one account of ${BIG}`, () => {
  it(`first cycle: ${ACCOUNTS} accounts of ${PER_ACCOUNT} connections, every connection provisioned once`, {
    timeout: timeoutFor(ACCOUNTS * PER_ACCOUNT),
  }, async () => {
    // A few at a time, as the CLI would (a thousand parallel puts overrun DynamoDB Local's sockets).
    await mapLimit(
      Array.from({ length: ACCOUNTS }, (_, i) => `account-${i}@load.example`),
      16,
      (email) => registerAccount({ email }, p.services),
    );

    const r = await phase(`first cycle, ${ACCOUNTS} x ${PER_ACCOUNT}`);

    const expected = ACCOUNTS * PER_ACCOUNT;
    expect(r.report.deadLetters).toEqual([]);
    expect(r.report.accounts).toBe(ACCOUNTS);
    expect(r.mews).toEqual({ getProperties: ACCOUNTS, getConfiguration: expected });
    expect(r).toMatchObject({ vaultCreated: expected, events: expected });
    await expectAllProvisioned(expected);
  });

  it(`the account of ${BIG} connections (and the others, unchanged)`, {
    timeout: timeoutFor(BIG),
  }, async () => {
    const bigId = accountIdFromEmail(BIG_EMAIL);
    await registerAccount({ email: BIG_EMAIL }, p.services);
    measureBigPoll(bigId);

    const r = await phase(`big account, ${BIG} connections`);

    expect(r.report.deadLetters).toEqual([]);
    expect(r.report.polls.get(bigId)).toMatchObject({ status: 'polled', listed: BIG, discovered: BIG });
    expect(r.mews).toEqual({ getProperties: ACCOUNTS + 1, getConfiguration: BIG });
    expect(r).toMatchObject({ vaultCreated: BIG, events: BIG });
    expect(bigPolls).toHaveLength(1);
    await expectAllProvisioned(ACCOUNTS * PER_ACCOUNT + BIG);
  });

  it('steady state: one getProperties and one query per account, no write, no secret, no event', async () => {
    const r = await phase('steady state, nothing new');

    expect(r.report.deadLetters).toEqual([]);
    expect(r.mews).toEqual({ getProperties: ACCOUNTS + 1, getConfiguration: 0 });
    expect(r).toMatchObject({ vaultPuts: 0, events: 0 });
    const writes = [...r.dynamo.keys()].filter((c) => !/^(Query|Get|Scan|BatchGet)/.test(c));
    expect(writes).toEqual([]);
  }, 120_000);
});

/** One cycle with everything counted and memory sampled. */
let currentPhase = '';

async function phase(name: string): Promise<PhaseResult> {
  currentPhase = name;
  p.simulator.clearCalls();
  counters.dynamo.clear();
  counters.vaultPuts = 0;
  counters.vaultCreated = 0;
  counters.events = 0;
  const sampler = sampleMemory();
  const started = performance.now();
  const report = await runCycle(p.services);
  const wallMs = performance.now() - started;
  const memory = sampler.stop();
  const calls = p.simulator.calls();
  const result: PhaseResult = {
    phase: name,
    report,
    wallMs,
    mews: { getProperties: calls.getProperties, getConfiguration: calls.getConfiguration },
    dynamo: new Map(counters.dynamo),
    vaultPuts: counters.vaultPuts,
    vaultCreated: counters.vaultCreated,
    events: counters.events,
    ...memory,
  };
  phases.push(result);
  return result;
}

/** Samples memory while the big account's poll handler runs (the polls queue's drain is wrapped). */
function measureBigPoll(bigId: AccountId): void {
  const queue = p.services.polls;
  const drain = queue.drain.bind(queue);
  queue.drain = (handler, options) =>
    drain(async (message) => {
      if (message.accountId !== bigId) return handler(message);
      const sampler = sampleMemory();
      const started = performance.now();
      try {
        await handler(message);
      } finally {
        bigPolls.push({ phase: currentPhase, ms: performance.now() - started, ...sampler.stop() });
      }
    }, options);
}

function sampleMemory() {
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  const take = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(take, 20);
  return {
    stop() {
      take();
      clearInterval(timer);
      return { peakRss, peakHeap, baseRss: base.rss, baseHeap: base.heapUsed };
    },
  };
}

async function expectAllProvisioned(count: number): Promise<void> {
  const connections = await p.services.store.listConnections();
  expect(connections).toHaveLength(count);
  expect(connections.filter((c) => c.status !== 'provisioned')).toEqual([]);
  expect(await p.services.store.listPendingEvents(10)).toEqual([]);
  const secrets = (await readdir(join(p.stateDir, 'secrets'))).filter((n) => n.endsWith('.json'));
  expect(secrets).toHaveLength(count);
}

/** Counts the document client's commands by name (GetCommand, TransactWriteCommand...). */
function countCommands(client: DynamoDBDocumentClient, counts: Map<string, number>): DynamoDBDocumentClient {
  const send = client.send.bind(client) as (command: object, ...rest: unknown[]) => Promise<unknown>;
  const counted = (command: object, ...rest: unknown[]) => {
    const name = command.constructor.name.replace(/Command$/, '');
    counts.set(name, (counts.get(name) ?? 0) + 1);
    return send(command, ...rest);
  };
  return new Proxy(client, {
    get: (target, key, receiver) => (key === 'send' ? counted : Reflect.get(target, key, receiver)),
  });
}

function countVault<V extends TokenVault>(vault: V, c: Counters): V {
  return new Proxy(vault, {
    get: (target, key, receiver) => {
      const value = Reflect.get(target, key, receiver);
      if (key !== 'put' || typeof value !== 'function') {
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return async (...args: Parameters<TokenVault['put']>) => {
        c.vaultPuts++;
        const result = await target.put(...args);
        if (result.created) c.vaultCreated++;
        return result;
      };
    },
  });
}

function countEvents(publisher: EventPublisher, c: Counters): EventPublisher {
  return {
    async publish(events) {
      const result = await publisher.publish(events);
      c.events += events.length - result.failed.length;
      return result;
    },
  };
}

function describeCounts(counts: Map<string, number>): string {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const parts = [...counts.entries()].sort(([, a], [, b]) => b - a).map(([name, n]) => `${name} ${n}`);
  return `${total}: ${parts.join(', ')}`;
}

const mb = (bytes: number) => `${Math.round(bytes / MB)} MB`;
