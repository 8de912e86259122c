import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ACCOUNT_ACCESS_FAILED,
  ACCOUNT_ACCESS_RESTORED,
} from '../../shared/domain/events/account-access.event.js';
import { CONNECTION_PROVISIONED } from '../../shared/domain/events/connection-provisioned.event.js';
import { parseEventDetail } from '../../shared/domain/events/registry.js';
import { accountIdFromEmail, connectionIdFromToken } from '../../shared/domain/identity.js';
import { runCycle } from '../../shared/local/run-cycle.js';
import type { FaultSpec } from '../../shared/simulator/index.js';
import { registerAccount } from '../../shared/use-cases/accounts.js';
import {
  findLeaks,
  seedSecrets,
  startPipeline,
  type TestPipeline,
  type TokenLayoutName,
} from '../support/pipeline.js';

const RECEPTION = 'reception@sample-hostel.example';
const REVENUE = 'revenue@sample-hostel.example';
const LOCKED_OUT = 'former-manager@sample-hostel.example';
/** The harbour-hostels enterprise lists four connections to both RECEPTION and REVENUE. */
const HARBOUR_CONNECTIONS = 4;

let p: TestPipeline;
/** Where tokens live: the file vault, except in the suites run for each layout. */
let tokens: TokenLayoutName = 'file';
beforeEach(async () => {
  p = await startPipeline('pipeline', { tokens });
});
afterEach(async () => {
  await p.close();
});

const register = (...emails: string[]) =>
  Promise.all(emails.map((email) => registerAccount({ email }, p.services)));
const provisionedIds = () =>
  p.eventsOf(CONNECTION_PROVISIONED).map((e) => (e.detail.connection as { id: string }).id);

/** Records the name of every state-changing store call from now on. */
function countWrites(pipeline: TestPipeline): string[] {
  const writes: string[] = [];
  const store = pipeline.services.store;
  pipeline.services.store = new Proxy(store, {
    get(target, key) {
      const value = Reflect.get(target, key);
      if (typeof value !== 'function') return value;
      const name = String(key);
      const isRead = /^(get|list)/.test(name);
      return (...args: unknown[]) => {
        if (!isRead) writes.push(name);
        return value.apply(target, args);
      };
    },
  });
  return writes;
}

describe('first run', () => {
  it('provisions every connection exactly once, also when two accounts of one enterprise list it', async () => {
    await register(RECEPTION, REVENUE);

    const report = await runCycle(p.services);

    const ids = provisionedIds();
    expect(ids).toHaveLength(HARBOUR_CONNECTIONS);
    expect(new Set(ids).size).toBe(HARBOUR_CONNECTIONS);
    expect(report.deadLetters).toEqual([]);
    // Both accounts may sync one connection at once; only one provisions it (the events above).
    expect(p.simulator.calls().getConfiguration).toBeGreaterThanOrEqual(HARBOUR_CONNECTIONS);
    const connections = await p.services.store.listConnections();
    expect(connections.map((c) => c.status)).toEqual(Array(HARBOUR_CONNECTIONS).fill('provisioned'));
    for (const email of [RECEPTION, REVENUE]) {
      const view = await p.services.store.getAccountView(accountIdFromEmail(email));
      expect(view?.memberships.map((m) => m.status).sort()).toEqual(
        Array(HARBOUR_CONNECTIONS).fill('synced'),
      );
    }
    for (const id of ids) {
      expect(await p.services.vault.get(id as `con_${string}`)).toMatch(/^fake-/);
    }
  });

  it('publishes events that match their schema, in the EventBridge delivery shape, with the connection details', async () => {
    await register(RECEPTION);
    await runCycle(p.services);

    const lines = (await readFile(join(p.stateDir, 'events.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(HARBOUR_CONNECTIONS);
    for (const line of lines) {
      const event = JSON.parse(line);
      expect(Object.keys(event).sort()).toEqual(
        ['account', 'detail', 'detail-type', 'id', 'region', 'resources', 'source', 'time', 'version'].sort(),
      );
      expect(event.source).toBe('local.mews-provisioner');
      expect(() => parseEventDetail(event['detail-type'], event.detail)).not.toThrow();
    }
    const dorms = p
      .eventsOf(CONNECTION_PROVISIONED)
      .find((e) => (e.detail.connection as { name: string | null }).name === 'Connection for dorm beds');
    expect(dorms?.detail).toMatchObject({
      schemaVersion: 1,
      environment: 'simulator',
      connection: {
        id: connectionIdFromToken('fake-conn-harbour-central-dorms'),
        propertyId: 'harbour-hostel-central',
        propertyName: 'Harbour Hostel Central',
        accountId: accountIdFromEmail(RECEPTION),
        secretRef: `local-vault:${connectionIdFromToken('fake-conn-harbour-central-dorms')}`,
      },
      configuration: { digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) },
    });
  });
});

describe('later runs', () => {
  it('publish nothing and write nothing when nothing changed', async () => {
    await register(RECEPTION, REVENUE);
    await runCycle(p.services);
    const before = p.events.length;
    p.simulator.clearCalls();
    const writes = countWrites(p);

    const report = await runCycle(p.services);

    expect(writes).toEqual([]);
    expect(p.events.length).toBe(before);
    expect(report.published).toBe(0);
    expect(p.simulator.calls()).toMatchObject({ getProperties: 2, getConfiguration: 0 });
  });

  it('publish exactly one event for a connection added in Mews', async () => {
    await register(RECEPTION, REVENUE);
    await runCycle(p.services);
    const token = p.simulator.addConnection('harbour-hostel-annex', { name: 'New channel' });

    await runCycle(p.services);
    await runCycle(p.services);

    const added = p
      .eventsOf(CONNECTION_PROVISIONED)
      .filter((e) => (e.detail.connection as { id: string }).id === connectionIdFromToken(token));
    expect(added).toHaveLength(1);
    expect(added[0]?.detail.connection).toMatchObject({
      propertyName: 'Harbour Hostel Annex',
      name: 'New channel',
    });
    expect(p.eventsOf(CONNECTION_PROVISIONED)).toHaveLength(HARBOUR_CONNECTIONS + 1);
  });
});

describe('transient Mews faults', () => {
  const faults: [string, Omit<FaultSpec, 'operation'>][] = [
    ['429 with Retry-After', { http429: { retryAfterSeconds: 1 }, times: 2 }],
    ['429 without Retry-After', { http429: {}, times: 2 }],
    ['HTTP 503', { httpStatus: 503, times: 2 }],
    ['a body that is not JSON', { nonJson: true, times: 2 }],
    ['Mews code 1', { mewsErrorCode: 1, times: 2 }],
  ];

  it.each(faults)('%s on every operation is retried and ends fully provisioned', async (_name, fault) => {
    await register(RECEPTION);
    p.simulator.addFault({ operation: 'getProperties', ...fault });
    p.simulator.addFault({ operation: 'getConfiguration', ...fault });

    const report = await runCycle(p.services);

    expect(report.deadLetters).toEqual([]);
    expect(provisionedIds()).toHaveLength(HARBOUR_CONNECTIONS);
    expect(p.eventsOf(ACCOUNT_ACCESS_FAILED)).toEqual([]);
    expect(p.simulator.calls().getProperties).toBe(3);
    expect(p.simulator.calls().getConfiguration).toBe(HARBOUR_CONNECTIONS + 2);
  });
});

describe('permanent Mews faults', () => {
  it('code 8 marks the account failing and emits one Account Access Failed, not one per cycle', async () => {
    await register(LOCKED_OUT, RECEPTION);

    for (let i = 0; i < 3; i++) await runCycle(p.services);

    const failed = p.eventsOf(ACCOUNT_ACCESS_FAILED);
    expect(failed).toHaveLength(1);
    expect(failed[0]?.detail).toMatchObject({
      account: { id: accountIdFromEmail(LOCKED_OUT), maskedEmail: 'f***@s***.example' },
      error: { code: 8 },
    });
    const account = await p.services.store.getAccount(accountIdFromEmail(LOCKED_OUT));
    expect(account?.access).toMatchObject({ status: 'failing', code: 8 });
    expect(provisionedIds()).toHaveLength(HARBOUR_CONNECTIONS);

    p.simulator.setAccountLocked(LOCKED_OUT, false);
    await runCycle(p.services);
    await runCycle(p.services);
    expect(p.eventsOf(ACCOUNT_ACCESS_RESTORED)).toHaveLength(1);
    expect((await p.services.store.getAccount(accountIdFromEmail(LOCKED_OUT)))?.access.status).toBe('ok');
    expect(provisionedIds()).toHaveLength(HARBOUR_CONNECTIONS);
  });
});

describe('a failed or malformed getProperties answer', () => {
  const broken: [string, Omit<FaultSpec, 'operation'>][] = [
    ['HTTP 500 on every attempt', { httpStatus: 500 }],
    ['a property without an id', { jsonBody: { success: true, properties: [{ name: 'No id' }] } }],
    [
      'a connection without a token',
      { jsonBody: { success: true, properties: [{ id: 'x', connections: [{}] }] } },
    ],
    ['success without properties', { jsonBody: { success: true } }],
  ];

  it.each(broken)('%s never marks connections as gone and publishes nothing', async (_name, fault) => {
    await register(RECEPTION);
    await runCycle(p.services);
    const before = await p.services.store.getAccountView(accountIdFromEmail(RECEPTION));
    const published = p.events.length;
    p.simulator.addFault({ operation: 'getProperties', ...fault });

    const report = await runCycle(p.services, { maxAttempts: 2 });

    expect(report.deadLetters).toHaveLength(1);
    expect(report.deadLetters[0]?.error).toMatch(/getProperties/);
    expect(p.events.length).toBe(published);
    const after = await p.services.store.getAccountView(accountIdFromEmail(RECEPTION));
    expect(after).toEqual(before);
    expect(after?.memberships.every((m) => m.missingPolls === 0)).toBe(true);
  });
});

describe.each(['file', 'parameter-store'] as const)('secrets (tokens: %s)', (layout) => {
  beforeAll(() => {
    tokens = layout;
  });
  afterAll(() => {
    tokens = 'file';
  });

  it('leave no token anywhere under the state directory outside secrets/, in the table, events or logs', async () => {
    await register(
      RECEPTION,
      REVENUE,
      LOCKED_OUT,
      'frontdesk@lakeside-hotel.example',
      'distribution@grand-resort.example',
    );
    const added = p.simulator.addConnection('harbour-hostel-annex', {
      token: 'fake-recognizable-token-7f3a9c',
    });
    p.simulator.addFault({ operation: 'getConfiguration', httpStatus: 503, times: 1 });

    await runCycle(p.services);
    await runCycle(p.services);

    expect(provisionedIds().length).toBeGreaterThanOrEqual(HARBOUR_CONNECTIONS + 3);
    const secrets = [...seedSecrets(), added];
    const leaks = await findLeaks(p, secrets, {
      logs: p.logLines.join('\n'),
      events: JSON.stringify(p.events),
    });
    expect(leaks).toEqual([]);
    expect(p.logLines.length).toBeGreaterThan(0);
    // and they are where the layout keeps them
    expect(await p.tokens.liveIds()).toEqual(expect.arrayContaining(provisionedIds()));
  });
});
