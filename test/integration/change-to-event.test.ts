import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DeliveredEvent } from '../../shared/adapters/local/jsonl-event-sink.js';
import { connectionIdFromToken } from '../../shared/domain/identity.js';
import type { ConnectionId } from '../../shared/domain/model.js';
import { registerAccount } from '../../shared/use-cases/accounts.js';
import { startWebhookPipeline, type WebhookPipeline } from '../support/webhook-pipeline.js';

/**
 * A change at the simulator reaches the event sink, locally, as `npm start` runs: (a) by poll,
 * with cycles running on their own while changes happen at any moment; (b) by change
 * notification, with no cycle at all. Each change yields its event once, with the right content.
 * How long that takes is a figure of `npm run bench` (part "latency"), not asserted here.
 */

/** Generous: a poll-path event waits for the next cycle; everything here takes well under a second. */
const ARRIVAL = { timeout: 60_000, interval: 50 };
const POLL_CHANGES = 3;
const NOTIFY_CHANGES = 3;
const DOCKS_TOKEN = 'fake-conn-harbour-docks';

let p: WebhookPipeline;

beforeAll(async () => {
  p = await startWebhookPipeline('change-to-event');
  for (const email of ['reception@sample-hostel.example', 'revenue@sample-hostel.example']) {
    await registerAccount({ email }, p.services);
  }
  await p.runner.cycle();
}, 120_000);

afterAll(async () => {
  await p?.close();
});

const about = (id: string, detailType?: string) =>
  p.events.filter(
    (e) =>
      (e.detail.connection as { id?: string } | undefined)?.id === id &&
      (detailType === undefined || e['detail-type'] === detailType),
  );

/** Waits (polling) until the sink holds an event of `detailType` about `id`; returns them all. */
async function arrivalOf(detailType: string, id: string): Promise<DeliveredEvent[]> {
  await vi.waitFor(() => expect(about(id, detailType)).not.toHaveLength(0), ARRIVAL);
  return about(id, detailType);
}

function expectNoDuplicateEventIds(): void {
  const ids = p.events.map((e) => String(e.detail.eventId));
  expect(ids.length).toBe(new Set(ids).size);
}

describe('a change at the simulator reaches the sink', () => {
  it('(a) by poll: cycles running on their own find each new connection, once', async () => {
    let running = true;
    const loop = (async () => {
      while (running) {
        await p.runner.cycle();
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    const added: { id: ConnectionId; name: string }[] = [];
    try {
      for (let i = 0; i < POLL_CHANGES; i++) {
        const name = `Polled ${i}`;
        const token = p.simulator.addConnection('harbour-hostel-annex', { name });
        added.push({ id: connectionIdFromToken(token), name });
        await arrivalOf('Connection Provisioned', connectionIdFromToken(token));
      }
    } finally {
      running = false;
      await loop;
    }
    await p.settled();

    for (const { id, name } of added) {
      const provisioned = about(id, 'Connection Provisioned');
      expect(provisioned).toHaveLength(1);
      expect(provisioned[0]?.detail.connection).toMatchObject({
        id,
        name,
        propertyId: 'harbour-hostel-annex',
      });
      expect(about(id).map((e) => e['detail-type'])).toEqual(['Connection Provisioned']);
      expect(await p.services.vault.get(id)).toBeDefined();
    }
    expectNoDuplicateEventIds();
  }, 120_000);

  it('(b) by notification, no cycle: created, deactivated, activated, updated, each once', async () => {
    const docks = connectionIdFromToken(DOCKS_TOKEN);
    const changesBefore = about(docks, 'Connection Configuration Changed').length;
    const notified: string[] = [];
    for (let i = 0; i < NOTIFY_CHANGES; i++) {
      const token = p.simulator.addConnection('harbour-hostel-annex', { name: `Notified ${i}` });
      const id = connectionIdFromToken(token);
      notified.push(id);

      expect(await p.simulator.notify(token, 'created')).toMatchObject({ status: 200 });
      await arrivalOf('Connection Provisioned', id);

      p.simulator.setConnectionEnabled(token, false);
      expect(await p.simulator.notify(token, 'deactivated')).toMatchObject({ status: 200 });
      await arrivalOf('Connection Deactivated', id);

      p.simulator.setConnectionEnabled(token, true);
      expect(await p.simulator.notify(token, 'activated')).toMatchObject({ status: 200 });
      await arrivalOf('Connection Reactivated', id);

      p.simulator.updateConfiguration('harbour-hostel-docks', (c) => ({
        ...c,
        ratePlans: [
          ...(c.ratePlans ?? []),
          { code: `NOTE${i}`, name: `Notified rate ${i}`, isSynchronized: true },
        ],
      }));
      expect(await p.simulator.notify(DOCKS_TOKEN, 'updated')).toMatchObject({ status: 200 });
      await vi.waitFor(
        () => expect(about(docks, 'Connection Configuration Changed')).toHaveLength(changesBefore + i + 1),
        ARRIVAL,
      );
    }
    await p.settled();

    for (const id of notified) {
      expect(about(id).map((e) => e['detail-type'])).toEqual([
        'Connection Provisioned',
        'Connection Deactivated',
        'Connection Reactivated',
      ]);
    }
    const changes = about(docks, 'Connection Configuration Changed').slice(changesBefore);
    expect(changes).toHaveLength(NOTIFY_CHANGES);
    changes.forEach((e, i) => {
      expect(JSON.stringify(e.detail)).toContain(`NOTE${i}`);
    });
    expectNoDuplicateEventIds();
  }, 120_000);
});
