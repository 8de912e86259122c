import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CliIo } from '../../shared/cli/cli-io.js';
import { main } from '../../shared/cli/main.js';
import { ACCOUNT_ACCESS_FAILED } from '../../shared/domain/events/account-access.event.js';
import { CONNECTION_PROVISIONED } from '../../shared/domain/events/connection-provisioned.event.js';
import { CONNECTION_PROVISIONING_FAILED } from '../../shared/domain/events/connection-provisioning-failed.event.js';
import { accountIdFromEmail, connectionIdFromToken } from '../../shared/domain/identity.js';
import { runCycle } from '../../shared/local/run-cycle.js';
import {
  ChannelManagerClient,
  type ChannelManagerClientOptions,
} from '../../shared/mews/channel-manager-client.js';
import { TRANSPORT_DEFAULTS } from '../../shared/mews/http-transport.js';
import type { FaultSpec } from '../../shared/simulator/index.js';
import { registerAccount } from '../../shared/use-cases/accounts.js';
import { type BigBodyMode, startBigBodyServer } from '../support/big-body-server.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import {
  describeDiff,
  diffState,
  isUnchanged,
  markdownTable,
  type StateDiff,
  snapshotState,
} from '../support/state-snapshot.js';

/**
 * Bad input, from Mews and from the CLI: each gets a clear error naming what was wrong, and
 * leaves the state (every table item, every vault file) as it was. Mews' answers come from the
 * simulator's faults, or from a local server streaming huge bodies. The pipeline's Mews client is
 * the real one with the production retry bound and size cap; only its sleeps are shortened (and
 * recorded, to check Retry-After and the backoff) and, for the slow cases, its timeout.
 */

const RECEPTION = 'reception@sample-hostel.example';
const LAKESIDE = 'frontdesk@lakeside-hotel.example';
const RECEPTION_ID = accountIdFromEmail(RECEPTION);
const ACCOUNTS = 2;
/** Attempts per call: the first and the transport's retries. */
const CALLS_PER_DELIVERY = TRANSPORT_DEFAULTS.retries + 1;
const MB = 1024 * 1024;
/** How much more memory a huge answer may cost the process, at most. */
const MEMORY_BOUND_BYTES = 300 * MB;

const EMPTY_DIFF: StateDiff = {
  added: [],
  changed: [],
  removed: [],
  vaultAdded: [],
  vaultChanged: [],
  vaultRemoved: [],
};

let p: TestPipeline;
let sleeps: number[] = [];
const rows: { input: string; outcome: string; unchanged: string }[] = [];

const recordingSleep = async (ms: number) => {
  sleeps.push(ms);
  await delay(Math.min(ms, 2));
};

function mewsClient(options: Partial<ChannelManagerClientOptions> = {}): ChannelManagerClient {
  return new ChannelManagerClient({
    platformAddress: p.simulator.url,
    clientToken: p.simulator.clientToken,
    sleep: recordingSleep,
    ...options,
  });
}

const snapshot = () => snapshotState(p.table, `${p.stateDir}/secrets`);
const oneLine = (text: string, max = 150) => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

function record(input: string, outcome: string, diff: StateDiff, expectedChange?: string): void {
  const unchanged = isUnchanged(diff)
    ? 'yes'
    : `${expectedChange ? 'yes, apart from ' : 'NO: '}${expectedChange ?? describeDiff(diff)}`;
  rows.push({ input, outcome: oneLine(outcome), unchanged });
}

/** Whether the current test may have left faults or failing accounts behind. */
let dirty = false;

/** Back to normal: faults cleared, the normal client, cycles until nothing more happens. */
async function settle(): Promise<void> {
  p.simulator.clearFaults();
  p.services.mews = mewsClient();
  for (let i = 0; i < 4; i++) {
    const report = await runCycle(p.services);
    if (report.published === 0 && report.deadLetters.length === 0) {
      dirty = false;
      return;
    }
  }
  throw new Error('the pipeline did not settle after the bad input');
}

// Every test settles at its end; one that failed half way must not leave its fault to the next.
beforeEach(() => {
  dirty = true;
});
afterEach(async () => {
  if (dirty) await settle();
});

const errorOf = (event: { detail: Record<string, unknown> } | undefined) =>
  (event?.detail.error ?? { code: null, message: '' }) as { code: number | null; message: string };

/**
 * getProperties calls for RECEPTION since `mark()`: every call the simulator counted, less the
 * other account's (answered at once, so in the request log; a late answer is logged only once sent).
 */
const mark = () => ({
  count: p.simulator.calls().getProperties,
  // The log is in answer order: a late answer to an earlier request can come last.
  seq: Math.max(0, ...p.simulator.requests().map((r) => r.seq)),
});
const receptionCalls = (since: ReturnType<typeof mark>) =>
  p.simulator.calls().getProperties -
  since.count -
  p.simulator
    .requests()
    .filter((r) => r.seq > since.seq && r.operation === 'getProperties' && r.email !== RECEPTION).length;

beforeAll(async () => {
  p = await startPipeline('bad-input');
  p.services.mews = mewsClient();
  for (const email of [RECEPTION, LAKESIDE]) await registerAccount({ email }, p.services);
  const first = await runCycle(p.services);
  expect(first.deadLetters).toEqual([]);
  expect(p.eventsOf(CONNECTION_PROVISIONED)).toHaveLength(5);
}, 60_000);

afterAll(async () => {
  if (rows.length > 0) {
    const table = markdownTable(
      ['input', 'outcome', 'state unchanged'],
      rows.map((r) => [r.input, r.outcome, r.unchanged]),
    );
    console.log(`\nBad input\n\n${table}\n`);
  }
  await p?.close();
});

describe('getProperties answers that are not what Mews documents', () => {
  const answers: [string, Omit<FaultSpec, 'operation'>, RegExp][] = [
    ['HTML body with HTTP 200', { nonJson: true }, /getProperties failed: the answer is not JSON/],
    ['HTML error page with HTTP 502', { httpStatus: 502 }, /getProperties failed: HTTP 502/],
    ['`properties: "x"`', { jsonBody: { success: true, properties: 'x' } }, /properties: .*expected array/],
    [
      'wrong types inside a property (`id: 5, connections: "x"`)',
      { jsonBody: { success: true, properties: [{ id: 5, name: [], connections: 'x' }] } },
      /properties\[0\]\.id: property id is not a string; .*properties\[0\]\.connections/,
    ],
    [
      'a property without an id',
      { jsonBody: { success: true, properties: [{ name: 'No id' }] } },
      /properties\[0\]\.id: property has no id/,
    ],
    [
      'a connection without a token',
      { jsonBody: { success: true, properties: [{ id: 'p', connections: [{ name: 'x' }] }] } },
      /properties\[0\]\.connections\[0\]: connection has no token/,
    ],
    ['`success: true` without properties', { jsonBody: { success: true } }, /properties: .*expected array/],
    ['an empty answer `{}`', { jsonBody: {} }, /success: /],
    ['`null`', { jsonBody: null }, /\(root\): .*expected object/],
    ['an array `[]`', { jsonBody: [] }, /\(root\): .*expected object/],
    ['`success: false` without errors', { jsonBody: { success: false } }, /answered an error without a code/],
  ];

  it.each(answers)(
    '%s: every account dead-lettered with the reason, nothing changed',
    async (name, fault, reason) => {
      const before = await snapshot();
      const events = p.events.length;
      const since = mark();
      p.simulator.addFault({ operation: 'getProperties', ...fault });

      const report = await runCycle(p.services, { maxAttempts: 2 });

      // Every one of them, `success: false` without an error code included, is a garbled answer:
      // retried, then dead-lettered with the reason; no account is marked failing.
      const dead = report.deadLetters.filter((d) => d.message.kind === 'poll-account');
      expect(dead).toHaveLength(ACCOUNTS);
      for (const d of dead) expect(d.error).toMatch(reason);
      expect(p.events.length).toBe(events);
      const diff = diffState(before, await snapshot());
      const calls = receptionCalls(since);
      expect(diff).toEqual(EMPTY_DIFF);
      record(`getProperties: ${name}`, `dead-lettered after ${calls} calls: ${dead[0]?.error}`, diff);
      await settle();
    },
  );
});

describe('huge getProperties answers', () => {
  let big: Awaited<ReturnType<typeof startBigBodyServer>>;
  let mode: BigBodyMode = { kind: 'padded', paddingBytes: 0 };

  beforeAll(async () => {
    big = await startBigBodyServer({
      email: RECEPTION,
      mode: () => mode,
      fallback: async (path, body) => {
        const res = await fetch(`${p.simulator.url}${path}`, { method: 'POST', body });
        return { status: res.status, text: await res.text() };
      },
    });
  });
  afterAll(async () => {
    await big?.close();
  });

  /** Runs a cycle against the big-body server, sampling memory every 5 ms. */
  async function cycleMeasured() {
    p.services.mews = mewsClient({ platformAddress: big.url, timeoutMs: 30_000 });
    const base = process.memoryUsage();
    let peakRss = base.rss;
    let peakHeap = base.heapUsed;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 5);
    try {
      const report = await runCycle(p.services, { maxAttempts: 1 });
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
      return { report, rssDelta: peakRss - base.rss, heapDelta: peakHeap - base.heapUsed };
    } finally {
      clearInterval(sampler);
    }
  }
  const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;

  it('a valid 40 MB answer (20,000 padding properties) is read within bounded memory and changes nothing', async () => {
    const before = await snapshot();
    mode = { kind: 'padded', paddingBytes: 40 * MB };

    const { report, rssDelta, heapDelta } = await cycleMeasured();

    expect(report.deadLetters).toEqual([]);
    expect(big.last()).toMatchObject({ finished: true });
    expect(big.last()?.bytesSent).toBeGreaterThan(40 * MB);
    expect(report.polls.get(RECEPTION_ID)).toMatchObject({ status: 'polled', listed: 4, discovered: 0 });
    expect(rssDelta).toBeLessThan(MEMORY_BOUND_BYTES);
    const diff = diffState(before, await snapshot());
    expect(diff).toEqual(EMPTY_DIFF);
    record(
      `getProperties: ${mb(big.last()?.bytesSent ?? 0)} valid answer`,
      `accepted, 4 listed, nothing new; peak RSS +${mb(rssDelta)}, heap +${mb(heapDelta)} (bound ${mb(MEMORY_BOUND_BYTES)})`,
      diff,
    );
    await settle();
  }, 60_000);

  it('an endless chunked answer is abandoned at the 50 MB cap, not buffered', async () => {
    const before = await snapshot();
    mode = { kind: 'endless', limitBytes: 400 * MB };

    const { report, rssDelta } = await cycleMeasured();

    const dead = report.deadLetters.filter((d) => d.message.kind === 'poll-account');
    expect(dead).toHaveLength(1);
    expect(dead[0]?.error).toMatch(/getProperties failed: the answer exceeds the size cap/);
    // Stopped reading at the cap: what the server got out is the cap plus socket buffers, not 400 MB.
    await vi.waitFor(() => expect(big.last()).toMatchObject({ clientClosed: true, finished: false }), {
      timeout: 30_000,
    });
    const sent = big.last()?.bytesSent ?? 0;
    expect(sent).toBeLessThan(TRANSPORT_DEFAULTS.maxResponseBytes + 16 * MB);
    expect(rssDelta).toBeLessThan(MEMORY_BOUND_BYTES);
    const diff = diffState(before, await snapshot());
    expect(diff).toEqual(EMPTY_DIFF);
    record(
      'getProperties: endless chunked answer (would be 400 MB)',
      `abandoned after ${mb(sent)} sent (cap ${mb(TRANSPORT_DEFAULTS.maxResponseBytes)}), not retried, dead-lettered: ${dead[0]?.error}; peak RSS +${mb(rssDelta)}`,
      diff,
    );
    await settle();
  }, 60_000);

  it('an answer announcing 60 MB in Content-Length is refused before its body is read', async () => {
    const before = await snapshot();
    mode = { kind: 'declared', declaredBytes: 60 * MB };

    const { report, rssDelta } = await cycleMeasured();

    const dead = report.deadLetters.filter((d) => d.message.kind === 'poll-account');
    expect(dead).toHaveLength(1);
    expect(dead[0]?.error).toMatch(/exceeds the size cap/);
    expect(big.last()?.bytesSent).toBeLessThanOrEqual(MB);
    const diff = diffState(before, await snapshot());
    expect(diff).toEqual(EMPTY_DIFF);
    record(
      'getProperties: Content-Length 60 MB',
      `refused on the header (server got ${mb(big.last()?.bytesSent ?? 0)} out), dead-lettered: ${dead[0]?.error}; peak RSS +${mb(rssDelta)}`,
      diff,
    );
    await settle();
  }, 60_000);
});

describe('429 storms and slow answers', () => {
  it('a 429 storm with Retry-After: each call waits as asked, gives up after the retry bound', async () => {
    const before = await snapshot();
    const since = mark();
    sleeps = [];
    p.simulator.addFault({ operation: 'getProperties', email: RECEPTION, http429: { retryAfterSeconds: 2 } });

    const report = await runCycle(p.services, { maxAttempts: 2 });

    const dead = report.deadLetters;
    expect(dead).toHaveLength(1);
    expect(dead[0]?.error).toMatch(/getProperties failed: rate limited \(HTTP 429\)/);
    expect(receptionCalls(since)).toBe(2 * CALLS_PER_DELIVERY);
    expect(sleeps).toEqual(Array(2 * (CALLS_PER_DELIVERY - 1)).fill(2_000));
    const diff = diffState(before, await snapshot());
    expect(diff).toEqual(EMPTY_DIFF);
    record(
      'getProperties: 429 storm, Retry-After: 2',
      `${CALLS_PER_DELIVERY} calls per delivery, waits ${sleeps.length} x 2 s as asked, then dead-lettered: ${dead[0]?.error}`,
      diff,
    );
    await settle();
  });

  it('a 429 storm without Retry-After: jittered exponential backoff within its cap, then gives up', async () => {
    const before = await snapshot();
    const since = mark();
    sleeps = [];
    p.simulator.addFault({ operation: 'getProperties', email: RECEPTION, http429: {} });

    const report = await runCycle(p.services, { maxAttempts: 2 });

    expect(report.deadLetters).toHaveLength(1);
    expect(report.deadLetters[0]?.error).toMatch(/rate limited \(HTTP 429\)/);
    expect(receptionCalls(since)).toBe(2 * CALLS_PER_DELIVERY);
    expect(sleeps).toHaveLength(2 * (CALLS_PER_DELIVERY - 1));
    sleeps.forEach((ms, i) => {
      const retry = (i % (CALLS_PER_DELIVERY - 1)) + 1;
      expect(ms).toBeLessThanOrEqual(
        Math.min(TRANSPORT_DEFAULTS.backoffCapMs, TRANSPORT_DEFAULTS.backoffBaseMs * 2 ** (retry - 1)),
      );
    });
    const diff = diffState(before, await snapshot());
    expect(diff).toEqual(EMPTY_DIFF);
    record(
      'getProperties: 429 storm, no Retry-After',
      `${CALLS_PER_DELIVERY} calls per delivery, backoff ${sleeps.map((s) => `${s}`).join('/')} ms, then dead-lettered`,
      diff,
    );
    await settle();
  });

  it('three 429s with Retry-After, then an answer: honoured, and the poll succeeds', async () => {
    const before = await snapshot();
    sleeps = [];
    p.simulator.addFault({
      operation: 'getProperties',
      email: RECEPTION,
      http429: { retryAfterSeconds: 1 },
      times: 3,
    });

    const report = await runCycle(p.services);

    expect(report.deadLetters).toEqual([]);
    expect(sleeps).toEqual([1_000, 1_000, 1_000]);
    const diff = diffState(before, await snapshot());
    expect(diff).toEqual(EMPTY_DIFF);
    record(
      'getProperties: 3 x 429 (Retry-After: 1), then OK',
      'waited 3 x 1 s as asked, then polled: nothing new',
      diff,
    );
    await settle();
  });

  const TIMEOUT_MS = 300;
  const slow: [string, Omit<FaultSpec, 'operation'>][] = [
    ['an answer 1 s late (timeout 300 ms)', { latencyMs: 1_000 }],
    ['a request that never gets an answer', { hang: true }],
  ];

  it.each(slow)(
    '%s: every attempt times out, the call gives up after the retry bound and reports Mews unreachable',
    async (name, fault) => {
      p.services.mews = mewsClient({ timeoutMs: TIMEOUT_MS });
      const before = await snapshot();
      const since = mark();
      p.simulator.addFault({ operation: 'getProperties', email: RECEPTION, ...fault });
      const started = performance.now();

      const report = await runCycle(p.services, { maxAttempts: 1 });

      const took = performance.now() - started;
      // A Mews that does not answer is unreachable: the cycle stops there, nothing is dead-lettered.
      expect(report.deadLetters).toEqual([]);
      expect(report.unreachable?.error).toMatch(/getProperties failed: timed out/);
      expect(report.skipped.map((m) => m.kind)).toContain('poll-account');
      expect(receptionCalls(since)).toBe(CALLS_PER_DELIVERY);
      const diff = diffState(before, await snapshot());
      expect(diff).toEqual(EMPTY_DIFF);
      record(
        `getProperties: ${name}`,
        `${CALLS_PER_DELIVERY} attempts x ${TIMEOUT_MS} ms, gave up after ${Math.round(took)} ms: ${report.unreachable?.error}`,
        diff,
      );
      await settle();
    },
  );

  it('a slow answer within the timeout is simply slow', async () => {
    p.services.mews = mewsClient({ timeoutMs: TIMEOUT_MS });
    const before = await snapshot();
    p.simulator.addFault({ operation: 'getProperties', email: RECEPTION, latencyMs: 150 });

    const report = await runCycle(p.services);

    expect(report.deadLetters).toEqual([]);
    const diff = diffState(before, await snapshot());
    expect(diff).toEqual(EMPTY_DIFF);
    record('getProperties: an answer 150 ms late (timeout 300 ms)', 'polled: nothing new', diff);
    await settle();
  });
});

describe('Mews error codes', () => {
  const CODES = [1, 3, 6, 7, 8, 9, 42];

  it.each(CODES)(
    'getProperties code %i: transient ones retried, permanent ones mark the account failing once',
    async (code) => {
      const before = await snapshot();
      const events = p.events.length;
      const since = mark();
      p.simulator.addFault({ operation: 'getProperties', email: RECEPTION, mewsErrorCode: code });

      const report = await runCycle(p.services, { maxAttempts: 2 });
      await runCycle(p.services, { maxAttempts: 1 }); // a second cycle: still one event

      const diff = diffState(before, await snapshot());
      if (code === 1) {
        expect(report.deadLetters).toHaveLength(1);
        expect(report.deadLetters[0]?.error).toMatch(/getProperties answered code 1 \(transient/);
        expect(receptionCalls(since)).toBe(3 * CALLS_PER_DELIVERY);
        expect(p.events.length).toBe(events);
        expect(diff).toEqual(EMPTY_DIFF);
        record(
          `getProperties: Mews code ${code}`,
          `retried (${CALLS_PER_DELIVERY} calls per delivery), dead-lettered: ${report.deadLetters[0]?.error}`,
          diff,
        );
      } else {
        expect(report.deadLetters).toEqual([]);
        expect(report.polls.get(RECEPTION_ID)).toMatchObject({
          status: 'access-failed',
          code,
          newlyFailing: true,
        });
        expect(receptionCalls(since)).toBe(2); // one per cycle: never retried
        const failed = p.events.slice(events);
        expect(failed.map((e) => e['detail-type'])).toEqual([ACCOUNT_ACCESS_FAILED]);
        const error = failed[0]?.detail.error as { code: number; message: string };
        expect(error).toMatchObject({ code, message: expect.stringContaining(`code ${code} (permanent`) });
        expect(diff.changed).toEqual([`ACCOUNT#${RECEPTION_ID} | ACCOUNT`]);
        expect(diff.added).toEqual([expect.stringMatching(/^EVENT#evt_[0-9a-f]{32} \| EVENT$/)]);
        expect([diff.removed, diff.vaultAdded, diff.vaultChanged, diff.vaultRemoved].flat()).toEqual([]);
        record(
          `getProperties: Mews code ${code}`,
          `not retried; account failing, 1 Account Access Failed over 2 cycles: ${error.message}`,
          diff,
          'account access -> failing + its event (expected); connections untouched',
        );
      }
      await settle();
    },
  );

  let n = 0;
  it.each(CODES)(
    'getConfiguration code %i: transient ones retried, permanent ones reported once per code',
    async (code) => {
      const token = `fake-conn-bad-config-${++n}`;
      const id = connectionIdFromToken(token);
      p.simulator.addConnection('harbour-hostel-annex', { token, name: `Bad configuration ${n}` });
      p.simulator.addFault({ operation: 'getConfiguration', connectionToken: token, mewsErrorCode: code });
      const before = await snapshot();
      const events = p.events.length;

      const report = await runCycle(p.services, { maxAttempts: 2 });

      const diff = diffState(before, await snapshot());
      const discovery = [`ACCOUNT#${RECEPTION_ID} | CONNECTION#${id}`, `CONNECTION#${id} | CONNECTION`];
      expect((await p.services.store.getConnection(id))?.status).toBe('discovered');
      expect(diff.changed).toEqual([]);
      expect(diff.vaultAdded).toEqual([`${id}.json`]);
      if (code === 1) {
        expect(report.deadLetters.map((d) => d.message.kind)).toEqual(['sync-connection']);
        expect(report.deadLetters[0]?.error).toMatch(/getConfiguration answered code 1 \(transient/);
        expect(p.events.length).toBe(events);
        expect(diff.added).toEqual(discovery);
        record(
          `getConfiguration: Mews code ${code}`,
          `retried, dead-lettered: ${report.deadLetters[0]?.error}`,
          diff,
          'the discovery (connection discovered, membership pending, token in the vault)',
        );
      } else {
        expect(report.deadLetters).toEqual([]);
        expect(report.syncs).toContainEqual({ status: 'failed', code });
        const failed = p.events.slice(events);
        expect(failed.map((e) => e['detail-type'])).toEqual([CONNECTION_PROVISIONING_FAILED]);
        const error = failed[0]?.detail.error as { code: number; message: string };
        expect(error).toMatchObject({
          code,
          message: expect.stringContaining(`getConfiguration answered code ${code}`),
        });
        expect(diff.added).toEqual([...discovery, expect.stringMatching(/^EVENT#/)].sort());
        record(
          `getConfiguration: Mews code ${code}`,
          `not retried; connection stays discovered, 1 Connection Provisioning Failed: ${error.message}`,
          diff,
          'the discovery + the failure event (expected); no snapshot, nothing provisioned',
        );
      }
      await settle();
      expect((await p.services.store.getConnection(id))?.status).toBe('provisioned');
    },
  );

  const bodies: [string, Omit<FaultSpec, 'operation'>, RegExp][] = [
    ['HTML body', { nonJson: true }, /getConfiguration failed: the answer is not JSON/],
    [
      '`spaceCategories: 5`',
      { jsonBody: { success: true, property: { name: 'x' }, spaceCategories: 5 } },
      /spaceCategories: .*expected array/,
    ],
    ['no `property`', { jsonBody: { success: true, spaceCategories: [] } }, /property: .*expected object/],
    [
      'a rate plan without a code',
      { jsonBody: { success: true, property: {}, ratePlans: [{ name: 'No code' }] } },
      /ratePlans\[0\]\.code/,
    ],
    ['an empty answer `{}`', { jsonBody: {} }, /success: /],
  ];

  it.each(bodies)(
    'getConfiguration %s: retried, dead-lettered naming the field, nothing provisioned',
    async (name, fault, reason) => {
      const token = `fake-conn-bad-config-${++n}`;
      const id = connectionIdFromToken(token);
      p.simulator.addConnection('harbour-hostel-annex', { token, name: `Bad configuration ${n}` });
      p.simulator.addFault({ operation: 'getConfiguration', connectionToken: token, ...fault });
      const before = await snapshot();
      const events = p.events.length;

      const report = await runCycle(p.services, { maxAttempts: 2 });

      expect(report.deadLetters.map((d) => d.message.kind)).toEqual(['sync-connection']);
      expect(report.deadLetters[0]?.error).toMatch(reason);
      expect(p.events.length).toBe(events);
      const diff = diffState(before, await snapshot());
      expect(diff.added).toEqual([
        `ACCOUNT#${RECEPTION_ID} | CONNECTION#${id}`,
        `CONNECTION#${id} | CONNECTION`,
      ]);
      expect(diff.changed).toEqual([]);
      record(
        `getConfiguration: ${name}`,
        `dead-lettered: ${report.deadLetters[0]?.error}`,
        diff,
        'the discovery (connection discovered, membership pending, token in the vault)',
      );
      await settle();
    },
  );

  it('a client token that stopped working: every account failing once, one event each, no connection touched', async () => {
    const before = await snapshot();
    const events = p.events.length;
    p.services.mews = mewsClient({ clientToken: 'revoked-client-token' });

    const first = await runCycle(p.services);
    const second = await runCycle(p.services);

    for (const report of [first, second]) {
      expect(report.deadLetters).toEqual([]);
      expect([...report.polls.values()].map((o) => o.status)).toEqual(Array(ACCOUNTS).fill('access-failed'));
    }
    const failed = p.events.slice(events);
    expect(failed.map((e) => e['detail-type'])).toEqual(Array(ACCOUNTS).fill(ACCOUNT_ACCESS_FAILED));
    expect(failed.map((e) => (e.detail.error as { code: number }).code)).toEqual(Array(ACCOUNTS).fill(8));
    const diff = diffState(before, await snapshot());
    expect(diff.changed.sort()).toEqual(
      [RECEPTION, LAKESIDE].map((e) => `ACCOUNT#${accountIdFromEmail(e)} | ACCOUNT`).sort(),
    );
    expect(diff.added.every((k) => k.startsWith('EVENT#'))).toBe(true);
    expect([diff.removed, diff.vaultAdded, diff.vaultChanged, diff.vaultRemoved].flat()).toEqual([]);
    record(
      'client token revoked (code 8 for every account)',
      `${ACCOUNTS} accounts failing, ${failed.length} Account Access Failed over 2 cycles: ${errorOf(failed[0]).message}`,
      diff,
      'account access -> failing + 1 event per account (expected); no connection, membership or secret touched',
    );
    await settle();
  });
});

describe('CLI arguments', () => {
  async function cli(args: string[], env: Record<string, string | undefined> = {}) {
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      out: (t) => {
        stdout += t;
      },
      err: (t) => {
        stderr += t;
      },
      progress: () => {},
      env: {
        PROVISIONER_STATE_DIR: p.stateDir,
        PROVISIONER_TABLE_NAME: p.table.tableName,
        MEWS_PLATFORM_ADDRESS: p.simulator.url,
        MEWS_CLIENT_TOKEN: p.simulator.clientToken,
        ...env,
      },
    };
    const code = await main(args, io);
    return { code, stdout, stderr };
  }

  const endpointBefore = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  beforeAll(() => {
    process.env.AWS_ENDPOINT_URL_DYNAMODB = p.table.endpoint; // the CLI's DynamoDB (the SDK reads it)
  });
  afterAll(() => {
    if (endpointBefore === undefined) delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
    else process.env.AWS_ENDPOINT_URL_DYNAMODB = endpointBefore;
  });
  beforeEach(() => {
    dirty = false; // the CLI touches neither the simulator nor the pipeline
  });

  const cases: [string[], Record<string, string | undefined>, number, RegExp][] = [
    [['accounts', 'add', 'not-an-email'], {}, 2, /not a valid email address: give the Mews employee email/],
    [['accounts', 'add', 'reception@hostel'], {}, 2, /not a valid email address/],
    [['accounts', 'add', `${'x'.repeat(260)}@hotel.example`], {}, 2, /not a valid email address/],
    [['accounts', 'add'], {}, 2, /missing <email>/],
    [
      ['accounts', 'remove', 'nobody@nowhere.example'],
      {},
      1,
      /no such account: acc_[0-9a-f]{16} is not registered/,
    ],
    [['accounts', 'frob'], {}, 2, /unknown accounts command 'frob'/],
    [
      ['connections', 'show', 'con_000000000000000000000000'],
      {},
      1,
      /no connection con_000000000000000000000000/,
    ],
    [['connections', 'show', 'not-an-id'], {}, 2, /'not-an-id' is not a connection id/],
    [
      ['connections', 'show', 'con_0123456789ABCDEF01234567'],
      {},
      1,
      /no connection con_0123456789abcdef01234567/,
    ],
    [['connections', 'show'], {}, 2, /missing <id>/],
    [['frobnicate'], {}, 2, /unknown command 'frobnicate'/],
    [['connections', 'list', '--bogus'], {}, 2, /--bogus/],
    [['run'], {}, 2, /run needs --once/],
    [
      ['accounts', 'list'],
      { PROVISIONER_TABLE_NAME: 'no spaces!' },
      2,
      /PROVISIONER_TABLE_NAME="no spaces!" must be a DynamoDB table name/,
    ],
    [
      ['accounts', 'list'],
      { MEWS_PLATFORM_ADDRESS: 'not a url' },
      2,
      /MEWS_PLATFORM_ADDRESS="not a url" must be the Mews platform address/,
    ],
    [['accounts', 'list'], { MEWS_CLIENT_TOKEN: undefined }, 2, /MEWS_CLIENT_TOKEN is missing/],
    [['accounts', 'list'], { PROVISIONER_LOG_LEVEL: 'loud' }, 2, /PROVISIONER_LOG_LEVEL/],
  ];

  const commandLine = (args: string[], env: Record<string, string | undefined>) =>
    [
      ...Object.entries(env).map(([k, v]) => `${k}=${v ?? '(unset)'}`),
      'provisioner',
      ...args.map((a) => (a.length > 30 ? `${a.slice(0, 12)}…(${a.length} chars)` : a)),
    ].join(' ');

  it.each(
    cases.map(([args, env, exit, message]) => [commandLine(args, env), args, env, exit, message] as const),
  )(
    '%s: exit %i with a message naming the problem, nothing changed',
    async (line, args, env, exit, message) => {
      const before = await snapshot();

      const result = await cli(args, env);

      expect(result.code).toBe(exit);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
      const diff = diffState(before, await snapshot());
      expect(diff).toEqual(EMPTY_DIFF);
      record(`CLI: ${line}`, `exit ${result.code}: ${result.stderr.split('\n')[0]}`, diff);
    },
  );

  it('an unreachable state store: exit 1, naming the endpoint, the table and what to check', async () => {
    const before = await snapshot();
    process.env.AWS_ENDPOINT_URL_DYNAMODB = 'http://127.0.0.1:9';
    let result: Awaited<ReturnType<typeof cli>>;
    try {
      result = await cli(['accounts', 'list']);
    } finally {
      process.env.AWS_ENDPOINT_URL_DYNAMODB = p.table.endpoint;
    }

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /the state store \(DynamoDB at http:\/\/127\.0\.0\.1:9, table .*\) is unreachable/,
    );
    expect(result.stderr).toMatch(/AWS_ENDPOINT_URL_DYNAMODB/);
    const diff = diffState(before, await snapshot());
    expect(diff).toEqual(EMPTY_DIFF);
    record(
      'CLI: AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:9 provisioner accounts list',
      `exit 1: ${result.stderr.split('\n')[0]}`,
      diff,
    );
  }, 30_000);
});
