import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveredEvent } from '../../shared/adapters/local/jsonl-event-sink.js';
import { connectionIdFromToken } from '../../shared/domain/identity.js';
import { registerAccount } from '../../shared/use-cases/accounts.js';
import { startWebhookPipeline, type WebhookPipeline } from '../support/webhook-pipeline.js';

/**
 * How long, locally, from a change at the simulator to its event in the sink:
 * (a) by poll: the change waits for the next cycle, run every PROVISIONER_POLL_INTERVAL_SECONDS
 *     (default 5, as `npm start`), so it takes up to one interval plus the cycle's work;
 * (b) by notification: the simulator notifies the webhook endpoint, which queues work and drains
 *     it at once.
 * Prints a table; asserts only what must hold on any machine.
 */
const INTERVAL_MS = Number(process.env.PROVISIONER_POLL_INTERVAL_SECONDS ?? 5) * 1000;
const POLL_SAMPLES = 3;
const NOTIFY_SAMPLES = 10;

let p: WebhookPipeline;
const arrivals = new Map<string, number>();
const waiters: { match: (e: DeliveredEvent) => boolean; resolve: (t: number) => void }[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const rows: { path: string; change: string; samples: number[] }[] = [];

beforeAll(async () => {
  p = await startWebhookPipeline('latency');
  for (const email of ['reception@sample-hostel.example', 'revenue@sample-hostel.example']) {
    await registerAccount({ email }, p.services);
  }
  await p.runner.cycle();
  // Timestamp each event as the sink delivers it.
  const push = p.events.push.bind(p.events);
  p.events.push = (...items: DeliveredEvent[]) => {
    const now = performance.now();
    for (const e of items) {
      arrivals.set(String(e.detail.eventId), now);
      for (const w of waiters.filter((x) => x.match(e))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(now);
      }
    }
    return push(...items);
  };
}, 120_000);

afterAll(async () => {
  await p.close();
  const stat = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
    return { min: s[0] ?? Number.NaN, median: at(0.5), max: s.at(-1) ?? Number.NaN };
  };
  const lines = [
    `change -> event in the sink, locally (cycle interval ${INTERVAL_MS / 1000} s)`,
    `${'path'.padEnd(14)}${'change'.padEnd(34)}${'n'.padStart(3)}${'min ms'.padStart(9)}${'median'.padStart(9)}${'max ms'.padStart(9)}`,
    ...rows.map((r) => {
      const s = stat(r.samples);
      return `${r.path.padEnd(14)}${r.change.padEnd(34)}${String(r.samples.length).padStart(3)}${s.min.toFixed(0).padStart(9)}${s.median.toFixed(0).padStart(9)}${s.max.toFixed(0).padStart(9)}`;
    }),
  ];
  console.log(lines.join('\n'));
});

function eventFor(detailType: string, connectionId: string): Promise<number> {
  return new Promise((resolve) =>
    waiters.push({
      match: (e) =>
        e['detail-type'] === detailType &&
        (e.detail.connection as { id?: string } | undefined)?.id === connectionId,
      resolve,
    }),
  );
}

describe('latency from a change at the simulator to the event in the sink', () => {
  it('(a) by poll: the next cycle finds a new connection', async () => {
    let running = true;
    const loop = (async () => {
      while (running) {
        await p.runner.cycle();
        await sleep(INTERVAL_MS);
      }
    })();
    const samples: number[] = [];
    try {
      for (let i = 0; i < POLL_SAMPLES; i++) {
        // A change at an arbitrary moment of the cycle.
        await sleep(Math.floor(((i + 0.5) / POLL_SAMPLES) * INTERVAL_MS));
        const token = p.simulator.addConnection('harbour-hostel-annex', { name: `Polled ${i}` });
        const id = connectionIdFromToken(token);
        const started = performance.now();
        samples.push((await eventFor('Connection Provisioned', id)) - started);
      }
    } finally {
      running = false;
      await loop;
    }
    rows.push({ path: 'poll', change: 'new connection', samples });
    expect(Math.max(...samples)).toBeLessThan(INTERVAL_MS + 5_000);
  }, 120_000);

  it('(b) by notification: created, updated, deactivated, activated', async () => {
    const created: number[] = [];
    const updated: number[] = [];
    const deactivated: number[] = [];
    const activated: number[] = [];
    for (let i = 0; i < NOTIFY_SAMPLES; i++) {
      const token = p.simulator.addConnection('harbour-hostel-annex', { name: `Notified ${i}` });
      const id = connectionIdFromToken(token);
      let started = performance.now();
      const provisioned = eventFor('Connection Provisioned', id);
      await p.simulator.notify(token, 'created');
      created.push((await provisioned) - started);

      p.simulator.setConnectionEnabled(token, false);
      started = performance.now();
      const off = eventFor('Connection Deactivated', id);
      await p.simulator.notify(token, 'deactivated');
      deactivated.push((await off) - started);

      p.simulator.setConnectionEnabled(token, true);
      started = performance.now();
      const on = eventFor('Connection Reactivated', id);
      await p.simulator.notify(token, 'activated');
      activated.push((await on) - started);
    }
    for (let i = 0; i < NOTIFY_SAMPLES; i++) {
      p.simulator.updateConfiguration('harbour-hostel-docks', (c) => ({
        ...c,
        ratePlans: [
          ...(c.ratePlans ?? []),
          { code: `LAT${i}`, name: `Latency rate ${i}`, isSynchronized: true },
        ],
      }));
      const started = performance.now();
      const changed = eventFor(
        'Connection Configuration Changed',
        connectionIdFromToken('fake-conn-harbour-docks'),
      );
      await p.simulator.notify('fake-conn-harbour-docks', 'updated');
      updated.push((await changed) - started);
    }
    rows.push(
      { path: 'notification', change: 'created (polls all accounts)', samples: created },
      { path: 'notification', change: 'updated (configuration change)', samples: updated },
      { path: 'notification', change: 'deactivated', samples: deactivated },
      { path: 'notification', change: 'activated', samples: activated },
    );
    for (const samples of [created, updated, deactivated, activated]) {
      expect(Math.max(...samples)).toBeLessThan(2_000);
    }
  }, 120_000);
});
