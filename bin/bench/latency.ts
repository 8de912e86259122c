import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DynamoDbLocalOptions, startDynamoDbLocal } from '../../shared/adapters/local/dynamodb-local.js';
import type { DeliveredEvent } from '../../shared/adapters/local/jsonl-event-sink.js';
import { stderrLogger } from '../../shared/adapters/local/stderr-logger.js';
import { loadLocalConfig } from '../../shared/config/local-config.js';
import { connectionIdFromToken } from '../../shared/domain/identity.js';
import { secretMatcher } from '../../shared/lib/secret-matcher.js';
import { createLocalRunner } from '../../shared/local/local-runner.js';
import { openLocalServices } from '../../shared/local/local-services.js';
import { startLocalWebhookServer } from '../../shared/local/webhook-server.js';
import { startMewsSimulator } from '../../shared/simulator/index.js';
import { registerAccount } from '../../shared/use-cases/accounts.js';

/**
 * How long, locally, from a change at the simulator to its event in the sink (as `npm start` runs):
 * - by poll: the change waits for the next cycle, run every `intervalMs`, so it takes up to one
 *   interval plus the cycle's work;
 * - by notification: the simulator notifies the webhook endpoint, which queues work and drains it
 *   at once; also how long the endpoint took to answer (Mews waits at most 5 s).
 */

interface LatencyRow {
  path: 'poll' | 'notification';
  change: string;
  /** Change to event in the sink, in ms. */
  samples: number[];
  /** The webhook endpoint's answer time (notifications only), in ms. */
  answerSamples: number[];
}

export interface LatencyResults {
  intervalMs: number;
  rows: LatencyRow[];
}

export interface LatencyOptions {
  dynamo: DynamoDbLocalOptions;
  intervalMs: number;
  pollSamples: number;
  notifySamples: number;
  progress: (line: string) => void;
}

const ANNEX = 'harbour-hostel-annex';
const DOCKS = 'harbour-hostel-docks';
const DOCKS_TOKEN = 'fake-conn-harbour-docks';
const ACCOUNTS = ['reception@sample-hostel.example', 'revenue@sample-hostel.example'];
/** No event may take longer than this; past it the bench fails rather than waiting forever. */
const GIVE_UP_MS = 120_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function measureLatency(options: LatencyOptions): Promise<LatencyResults> {
  const dynamo = await startDynamoDbLocal(options.dynamo);
  const sim = await startMewsSimulator();
  const stateDir = await mkdtemp(join(tmpdir(), 'bench-latency-'));
  const waiters: { match: (e: DeliveredEvent) => boolean; resolve: (at: number) => void }[] = [];
  const onEvent = (event: DeliveredEvent) => {
    const at = performance.now();
    for (const w of waiters.filter((x) => x.match(event))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(at);
    }
  };
  const config = loadLocalConfig({
    PROVISIONER_STATE_DIR: stateDir,
    PROVISIONER_TABLE_NAME: `bench-latency-${randomUUID().slice(0, 8)}`,
  });
  const services = await openLocalServices(config, {
    dynamodbEndpoint: dynamo.endpoint,
    mews: { platformAddress: sim.url, clientToken: sim.clientToken, environment: 'simulator' },
    onEvent,
    logger: stderrLogger('error'),
  });
  const runner = createLocalRunner(services, {
    onError: (error) => options.progress(`  drain failed: ${String(error)}`),
  });
  const integrationSecret = randomBytes(24).toString('base64url');
  const webhook = await startLocalWebhookServer({
    deps: {
      notifications: services,
      integrations: {
        integrations: services.integrations,
        vault: services.integrationVault,
        connector: services.connector,
        clock: services.clock,
        logger: services.logger,
        environment: services.environment,
        secretMatches: secretMatcher(integrationSecret),
      },
      logger: services.logger,
    },
    onWork: () => runner.drainSoon(),
  });
  sim.setWebhookTarget({ url: webhook.url, integrationSecret });

  /** Resolves with the moment the first matching event reaches the sink. */
  const eventFor = (detailType: string, connectionId: string): Promise<number> => {
    const arrival = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${detailType} for ${connectionId} within ${GIVE_UP_MS} ms`)),
        GIVE_UP_MS,
      );
      waiters.push({
        match: (e) =>
          e['detail-type'] === detailType &&
          (e.detail.connection as { id?: string } | undefined)?.id === connectionId,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      });
    });
    arrival.catch(() => {}); // awaited by the caller; a failure before that must not go unhandled
    return arrival;
  };

  try {
    for (const email of ACCOUNTS) await registerAccount({ email }, services);
    await runner.cycle();
    const rows: LatencyRow[] = [];

    // (a) by poll: cycles every intervalMs; changes at spread-out moments of the interval.
    options.progress(
      `  by poll: ${options.pollSamples} new connections, a cycle every ${options.intervalMs} ms`,
    );
    let running = true;
    const loop = (async () => {
      while (running) {
        await runner.cycle();
        await sleep(options.intervalMs);
      }
    })();
    const polled: number[] = [];
    try {
      for (let i = 0; i < options.pollSamples; i++) {
        await sleep(Math.floor(((i + 0.5) / options.pollSamples) * options.intervalMs));
        const token = sim.addConnection(ANNEX, { name: `Polled ${i}` });
        const arrived = eventFor('Connection Provisioned', connectionIdFromToken(token));
        const started = performance.now();
        polled.push((await arrived) - started);
      }
    } finally {
      running = false;
      await loop;
    }
    rows.push({ path: 'poll', change: 'new connection', samples: polled, answerSamples: [] });

    // (b) by notification: no cycle runs; each notification's drain publishes the event.
    options.progress(`  by notification: ${options.notifySamples} of each`);
    const created = row('created (polls every account)');
    const deactivated = row('deactivated');
    const activated = row('activated');
    const updated = row('updated (configuration change)');
    const notify = async (
      into: LatencyRow,
      token: string,
      type: Parameters<typeof sim.notify>[1],
      detailType: string,
    ) => {
      const arrived = eventFor(detailType, connectionIdFromToken(token));
      const started = performance.now();
      const answer = await sim.notify(token, type);
      if (answer.status !== 200) throw new Error(`the webhook answered ${type} with HTTP ${answer.status}`);
      into.answerSamples.push(answer.durationMs);
      into.samples.push((await arrived) - started);
      await runner.idle();
    };
    for (let i = 0; i < options.notifySamples; i++) {
      const token = sim.addConnection(ANNEX, { name: `Notified ${i}` });
      await notify(created, token, 'created', 'Connection Provisioned');
      sim.setConnectionEnabled(token, false);
      await notify(deactivated, token, 'deactivated', 'Connection Deactivated');
      sim.setConnectionEnabled(token, true);
      await notify(activated, token, 'activated', 'Connection Reactivated');
      sim.updateConfiguration(DOCKS, (c) => ({
        ...c,
        ratePlans: [
          ...(c.ratePlans ?? []),
          { code: `LAT${i}`, name: `Latency rate ${i}`, isSynchronized: true },
        ],
      }));
      await notify(updated, DOCKS_TOKEN, 'updated', 'Connection Configuration Changed');
    }
    rows.push(created, updated, deactivated, activated);
    return { intervalMs: options.intervalMs, rows };
  } finally {
    await webhook.close();
    await runner.idle();
    await services.close();
    await sim.close();
    await dynamo.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
}

function row(change: string): LatencyRow {
  return { path: 'notification', change, samples: [], answerSamples: [] };
}

/** min, median and max of `samples` (NaN when there are none). */
export function spread(samples: number[]): { min: number; median: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  if (s.length === 0) return { min: Number.NaN, median: Number.NaN, max: Number.NaN };
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  return { min: s[0] as number, median, max: s.at(-1) as number };
}
