import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONNECTION_CONFIGURATION_CHANGED } from '../../shared/domain/events/connection-configuration-changed.event.js';
import { CONNECTION_PROVISIONED } from '../../shared/domain/events/connection-provisioned.event.js';
import {
  CONNECTION_DEACTIVATED,
  CONNECTION_REACTIVATED,
  CONNECTION_REMOVED,
} from '../../shared/domain/events/connection-status.event.js';
import { parseEventDetail } from '../../shared/domain/events/registry.js';
import { accountIdFromEmail, connectionIdFromToken } from '../../shared/domain/identity.js';
import { registerAccount } from '../../shared/use-cases/accounts.js';
import { findLeaks, seedSecrets } from '../support/pipeline.js';
import {
  startWebhookPipeline,
  TEST_INTEGRATION_SECRET,
  type WebhookPipeline,
} from '../support/webhook-pipeline.js';

/**
 * Mews' change notifications, end to end on real parts: the simulator sends them over HTTP to the
 * local webhook endpoint, which queues polls and syncs; the drain they trigger runs the same use
 * cases as a cycle, against DynamoDB Local, and the events reach the JSON-lines sink. No cycle runs
 * unless a test says so.
 */
const RECEPTION = 'reception@sample-hostel.example';
const REVENUE = 'revenue@sample-hostel.example';
const DOCKS_TOKEN = 'fake-conn-harbour-docks';
const DOCKS = connectionIdFromToken(DOCKS_TOKEN);

let p: WebhookPipeline;
const tokens: string[] = [];

beforeEach(async () => {
  p = await startWebhookPipeline('notifications');
  for (const email of [RECEPTION, REVENUE]) await registerAccount({ email }, p.services);
  await p.runner.cycle();
  p.simulator.clearCalls();
});
afterEach(async () => {
  const leaks = await findLeaks(p, [...seedSecrets(), ...tokens, TEST_INTEGRATION_SECRET], {
    logs: p.logLines.join('\n'),
    events: JSON.stringify(p.events),
  });
  await p.close();
  expect(leaks).toEqual([]);
});

const about = (id: string) =>
  p.events.filter((e) => (e.detail.connection as { id?: string } | undefined)?.id === id);
const typesAbout = (id: string) => about(id).map((e) => e['detail-type']);
const statusOf = async (id: Parameters<typeof p.services.store.getConnection>[0]) =>
  (await p.services.store.getConnection(id))?.status;
const OK = { status: 200, body: { success: true } };

describe('a change notification is a hint that triggers a check against Mews', () => {
  it('created: the new connection is provisioned right away, without waiting for a cycle', async () => {
    const token = p.simulator.addConnection('harbour-hostel-annex', { name: 'Notified connection' });
    tokens.push(token);
    const id = connectionIdFromToken(token);

    const answer = await p.simulator.notify(token, 'created');
    await p.settled();

    expect(answer).toMatchObject(OK);
    expect(typesAbout(id)).toEqual([CONNECTION_PROVISIONED]);
    expect(await statusOf(id)).toBe('provisioned');
    // Discovery found it: one getProperties per registered account (both list it, so both may sync it).
    expect(p.simulator.calls().getProperties).toBe(2);
    expect(await p.services.vault.get(id)).toBe(token);
  });

  it('updated: a mapping change publishes one Connection Configuration Changed', async () => {
    p.simulator.updateConfiguration('harbour-hostel-docks', (c) => ({
      ...c,
      spaceCategories: [
        ...(c.spaceCategories ?? []),
        { code: 'DORM4', name: 'Bed in 4-bed dorm', isSynchronized: true, spaceCount: 8 },
      ],
      inventoryMappings: [...(c.inventoryMappings ?? []), { ratePlanCode: 'STD', spaceTypeCode: 'DORM4' }],
    }));

    expect(await p.simulator.notify(DOCKS_TOKEN, 'updated')).toMatchObject(OK);
    await p.settled();
    // A duplicate (Mews re-sends, or two changes notified at once) finds nothing new.
    expect(await p.simulator.notify(DOCKS_TOKEN, 'updated')).toMatchObject(OK);
    await p.settled();

    expect(typesAbout(DOCKS)).toEqual([CONNECTION_PROVISIONED, CONNECTION_CONFIGURATION_CHANGED]);
    const change = parseEventDetail(CONNECTION_CONFIGURATION_CHANGED, about(DOCKS)[1]?.detail);
    expect(change).toMatchObject({ diff: { spaceCategories: { added: ['DORM4'] } } });
    // Only the notified connection was checked; no account was polled.
    expect(p.simulator.calls()).toMatchObject({ getProperties: 0, getConfiguration: 2 });
  });

  it('deactivated then activated: one event each, duplicates change nothing', async () => {
    p.simulator.setConnectionEnabled(DOCKS_TOKEN, false);
    await p.simulator.notify(DOCKS_TOKEN, 'deactivated');
    await p.simulator.notify(DOCKS_TOKEN, 'deactivated');
    await p.settled();
    expect(typesAbout(DOCKS)).toEqual([CONNECTION_PROVISIONED, CONNECTION_DEACTIVATED]);
    expect(await statusOf(DOCKS)).toBe('deactivated');
    expect(parseEventDetail(CONNECTION_DEACTIVATED, about(DOCKS)[1]?.detail)).toMatchObject({ code: 3 });

    p.simulator.setConnectionEnabled(DOCKS_TOKEN, true);
    await p.simulator.notify(DOCKS_TOKEN, 'activated');
    await p.simulator.notify(DOCKS_TOKEN, 'activated');
    await p.settled();
    expect(typesAbout(DOCKS)).toEqual([
      CONNECTION_PROVISIONED,
      CONNECTION_DEACTIVATED,
      CONNECTION_REACTIVATED,
    ]);
    expect(about(DOCKS)[2]?.detail).toMatchObject({ reason: 'activated', previousStatus: 'deactivated' });
    expect(await statusOf(DOCKS)).toBe('provisioned');
  });

  it('deleted: the accounts listing it are polled at once; removal still needs its confirmed missing polls', async () => {
    p.simulator.removeConnection(DOCKS_TOKEN);

    expect(await p.simulator.notify(DOCKS_TOKEN, 'deleted')).toMatchObject(OK);
    await p.settled();
    // The sync asked Mews (code 8 for a removed token: never read as a deactivation), and each
    // account listing it was polled once: one of the two confirmations removal needs.
    expect(typesAbout(DOCKS)).toEqual([CONNECTION_PROVISIONED]);
    for (const email of [RECEPTION, REVENUE]) {
      expect(await p.services.store.getMembership(accountIdFromEmail(email), DOCKS)).toMatchObject({
        missingPolls: 1,
      });
    }
    expect(p.simulator.calls()).toMatchObject({ getProperties: 2, getConfiguration: 1 });

    await p.runner.cycle();
    expect(typesAbout(DOCKS)).toEqual([CONNECTION_PROVISIONED, CONNECTION_REMOVED]);
    expect(await statusOf(DOCKS)).toBe('removed');

    // Late duplicates of the deletion, and the next cycle, change nothing.
    await p.simulator.notify(DOCKS_TOKEN, 'deleted');
    await p.settled();
    await p.runner.cycle();
    expect(typesAbout(DOCKS)).toEqual([CONNECTION_PROVISIONED, CONNECTION_REMOVED]);
  });

  it('a connection not known yet is found by polling every account, whatever the type says', async () => {
    const token = p.simulator.addConnection('harbour-hostel-annex', { name: 'Updated before we knew it' });
    tokens.push(token);
    await p.simulator.notify(token, 'updated');
    await p.settled();
    expect(typesAbout(connectionIdFromToken(token))).toEqual([CONNECTION_PROVISIONED]);
  });

  it('a token Mews does not list stores nothing and publishes nothing', async () => {
    const token = 'fake-conn-never-listed-anywhere';
    tokens.push(token);
    expect(await p.simulator.notify(token, 'created')).toMatchObject(OK);
    await p.settled();
    const id = connectionIdFromToken(token);
    expect(await p.services.store.getConnection(id)).toBeUndefined();
    expect(await p.services.vault.get(id)).toBeUndefined();
    expect(typesAbout(id)).toEqual([]);
    expect(p.simulator.calls()).toMatchObject({ getProperties: 2, getConfiguration: 0 });
  });
});

describe('duplicates and reordering end in the state Mews reports, with no duplicate events', () => {
  it('created delivered three times at once: provisioned once', async () => {
    const token = p.simulator.addConnection('harbour-hostel-annex');
    tokens.push(token);
    const answers = await Promise.all([1, 2, 3].map(() => p.simulator.notify(token, 'created')));
    await p.settled();
    for (const a of answers) expect(a).toMatchObject(OK);
    expect(typesAbout(connectionIdFromToken(token))).toEqual([CONNECTION_PROVISIONED]);
  });

  it('deactivated then activated, delivered reversed: Mews says active, so nothing happened', async () => {
    p.simulator.setConnectionEnabled(DOCKS_TOKEN, false);
    p.simulator.setConnectionEnabled(DOCKS_TOKEN, true);

    await p.simulator.notify(DOCKS_TOKEN, 'activated');
    await p.settled();
    await p.simulator.notify(DOCKS_TOKEN, 'deactivated');
    await p.settled();

    expect(typesAbout(DOCKS)).toEqual([CONNECTION_PROVISIONED]);
    expect(await statusOf(DOCKS)).toBe('provisioned');
  });

  it('activated then deactivated (it ends disabled), delivered reversed: one Connection Deactivated', async () => {
    p.simulator.setConnectionEnabled(DOCKS_TOKEN, false);
    p.simulator.setConnectionEnabled(DOCKS_TOKEN, true);
    p.simulator.setConnectionEnabled(DOCKS_TOKEN, false);

    await p.simulator.notify(DOCKS_TOKEN, 'deactivated');
    await p.settled();
    await p.simulator.notify(DOCKS_TOKEN, 'activated');
    await p.settled();
    await p.simulator.notify(DOCKS_TOKEN, 'deactivated');
    await p.settled();

    expect(typesAbout(DOCKS)).toEqual([CONNECTION_PROVISIONED, CONNECTION_DEACTIVATED]);
    expect(await statusOf(DOCKS)).toBe('deactivated');
  });

  it('a burst of mixed notifications at once settles on Mews state', async () => {
    p.simulator.setConnectionEnabled(DOCKS_TOKEN, false);
    const types = ['updated', 'activated', 'deactivated', 'updated', 'deactivated', 'activated'] as const;
    await Promise.all(types.map((t) => p.simulator.notify(DOCKS_TOKEN, t)));
    await p.settled();

    expect(typesAbout(DOCKS)).toEqual([CONNECTION_PROVISIONED, CONNECTION_DEACTIVATED]);
    expect(await statusOf(DOCKS)).toBe('deactivated');
    const ids = p.events.map((e) => e.detail.eventId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('the endpoint', () => {
  const nothingHappened = async () => {
    await p.settled();
    expect(p.services.polls.size()).toBe(0);
    expect(p.services.syncs.size()).toBe(0);
    expect(p.simulator.calls()).toMatchObject({ getProperties: 0, getConfiguration: 0 });
    expect(typesAbout(DOCKS)).toEqual([CONNECTION_PROVISIONED]);
  };

  it('serves the documented path spelling too', async () => {
    p.simulator.setConnectionEnabled(DOCKS_TOKEN, false);
    const answer = await p.simulator.notify(DOCKS_TOKEN, 3, { path: '/changeNotificaton' });
    await p.settled();
    expect(answer).toMatchObject(OK);
    expect(typesAbout(DOCKS)).toEqual([CONNECTION_PROVISIONED, CONNECTION_DEACTIVATED]);
  });

  it('refuses a wrong client token with code 8, and queues nothing', async () => {
    p.simulator.setConnectionEnabled(DOCKS_TOKEN, false);
    for (const clientToken of ['fake-client-token-wrong', '', 'fake-client-token-simulato']) {
      const answer = await p.simulator.notify(DOCKS_TOKEN, 'deactivated', { clientToken });
      expect(answer).toMatchObject({ status: 200, body: { success: false, error: { code: 8 } } });
    }
    await nothingHappened();
  });

  it.each([
    ['not JSON', 6, '{"clientToken": "fake', undefined],
    ['an array', 6, '[]', undefined],
    ['no connection token', 6, { type: 1 }, 'connectionToken'],
    ['an empty connection token', 6, { connectionToken: ' ', type: 1 }, 'connectionToken'],
    ['a connection token that is not a string', 6, { connectionToken: 42, type: 1 }, 'connectionToken'],
    ['no type', 6, { connectionToken: DOCKS_TOKEN }, 'type'],
    ['an unknown type', 6, { connectionToken: DOCKS_TOKEN, type: 5 }, 'type'],
    ['a type that is a string', 6, { connectionToken: DOCKS_TOKEN, type: '3' }, 'type'],
    ['a fractional type', 6, { connectionToken: DOCKS_TOKEN, type: 1.5 }, 'type'],
  ])('refuses %s with code %i naming the field, and queues nothing', async (_what, code, body, field) => {
    const withToken =
      typeof body === 'string' ? body : { clientToken: p.simulator.clientToken, ...(body as object) };
    const answer = await p.simulator.postWebhook('/changeNotification', withToken);
    expect(answer).toMatchObject({ status: 200, body: { success: false, error: { code } } });
    if (field) expect((answer.body as { error: { message: string } }).error.message).toContain(`'${field}'`);
    await nothingHappened();
  });

  it('answers 404 elsewhere, 405 for another method, 413 for a huge body', async () => {
    expect((await p.simulator.postWebhook('/getProperties', {})).status).toBe(404);
    expect((await fetch(`${p.webhook.url}/changeNotification`)).status).toBe(405);
    const huge = JSON.stringify({ clientToken: p.simulator.clientToken, pad: 'x'.repeat(100_000) });
    expect((await p.simulator.postWebhook('/changeNotification', huge)).status).toBe(413);
    await nothingHappened();
  });

  it('logs the derived connection id, never the token', async () => {
    p.simulator.setConnectionEnabled(DOCKS_TOKEN, false);
    await p.simulator.notify(DOCKS_TOKEN, 'deactivated');
    await p.settled();
    const line = p.logLines.find((l) => l.includes('change notification accepted'));
    expect(line).toContain(DOCKS);
    expect(p.logLines.join('\n')).not.toContain(DOCKS_TOKEN);
  });
});
