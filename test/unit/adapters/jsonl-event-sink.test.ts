import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type DeliveredEvent,
  formatEventLine,
  JsonlEventSink,
} from '../../../shared/adapters/local/jsonl-event-sink.js';
import {
  EVENTBRIDGE_ENTRY_LIMIT_BYTES,
  outboxEventEntrySize,
} from '../../../shared/domain/events/entry-size.js';
import type { OutboxEvent } from '../../../shared/domain/model.js';

const SOURCE = 'local.mews-provisioner';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SECRET_REF = 'local-vault:con_0123456789abcdef01234567';

const provisioned: OutboxEvent = {
  eventId: 'evt_00000000000000000000000000000001',
  detailType: 'Connection Provisioned',
  subject: 'con_0123456789abcdef01234567',
  time: '2026-05-01T10:42:01.123Z',
  detail: {
    schemaVersion: 1,
    eventId: 'evt_00000000000000000000000000000001',
    occurredAt: '2026-05-01T10:42:01.123Z',
    environment: 'simulator',
    connection: {
      id: 'con_0123456789abcdef01234567',
      name: 'Connection for dorms',
      propertyId: 'b8b2b4a1-0000-4000-8000-000000000001',
      propertyName: 'Sample Hostel',
      accountId: 'acc_0123456789abcdef',
      secretRef: SECRET_REF,
    },
  },
};

const accessFailed: OutboxEvent = {
  eventId: 'evt_00000000000000000000000000000002',
  detailType: 'Account Access Failed',
  subject: 'acc_0123456789abcdef',
  time: '2026-05-01T10:43:00Z',
  detail: {
    schemaVersion: 1,
    eventId: 'evt_00000000000000000000000000000002',
    account: { id: 'acc_0123456789abcdef', label: 'Front desk', maskedEmail: 'r*******@s*****.example' },
    error: { code: 8, message: 'Invalid client token.' },
  },
};

let root: string;
let file: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'jsonl-event-sink-'));
  file = join(root, 'state', 'events', 'events.jsonl');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const lines = async () =>
  (await readFile(file, 'utf8'))
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as DeliveredEvent);

describe('JsonlEventSink', () => {
  it("appends one line per event in EventBridge's delivered shape, creating the folder", async () => {
    const sink = new JsonlEventSink({ file, source: SOURCE });

    await expect(sink.publish([provisioned, accessFailed])).resolves.toEqual({ failed: [] });

    const text = await readFile(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const [first, second] = await lines();
    expect(Object.keys(first ?? {}).sort()).toEqual(
      ['account', 'detail', 'detail-type', 'id', 'region', 'resources', 'source', 'time', 'version'].sort(),
    );
    expect(first).toEqual({
      version: '0',
      id: expect.stringMatching(UUID),
      'detail-type': 'Connection Provisioned',
      source: SOURCE,
      account: '000000000000',
      time: '2026-05-01T10:42:01Z',
      region: 'local',
      resources: [],
      detail: provisioned.detail,
    });
    expect(second).toMatchObject({ 'detail-type': 'Account Access Failed', time: '2026-05-01T10:43:00Z' });
    expect(second?.id).not.toBe(first?.id);
  });

  it('keeps appending across calls, in publish order, with the configured region and account', async () => {
    const sink = new JsonlEventSink({ file, source: SOURCE, region: 'eu-west-1', account: '111122223333' });
    await Promise.all([
      sink.publish([provisioned]),
      sink.publish([accessFailed]),
      sink.publish([provisioned]),
    ]);

    const all = await lines();
    expect(all.map((l) => l['detail-type'])).toEqual([
      'Connection Provisioned',
      'Account Access Failed',
      'Connection Provisioned',
    ]);
    expect(new Set(all.map((l) => l.id)).size).toBe(3);
    expect(all.every((l) => l.region === 'eu-west-1' && l.account === '111122223333')).toBe(true);
  });

  it('hands each written event to onEvent, and an onEvent failure does not fail the publish', async () => {
    const onEvent = vi.fn((_d: DeliveredEvent) => {
      throw new Error('console closed');
    });
    const sink = new JsonlEventSink({ file, source: SOURCE, onEvent });

    await expect(sink.publish([provisioned, accessFailed])).resolves.toEqual({ failed: [] });

    expect(onEvent).toHaveBeenCalledTimes(2);
    expect(onEvent.mock.calls.map(([d]) => d)).toEqual(await lines());
  });

  it('reports an event with an unparseable time failed and writes the others', async () => {
    const sink = new JsonlEventSink({ file, source: SOURCE });
    const bad = { ...accessFailed, time: 'not a time' };
    await expect(sink.publish([bad, provisioned])).resolves.toEqual({
      failed: [
        { eventId: bad.eventId, reason: 'time "not a time" is not a valid timestamp', permanent: true },
      ],
    });
    expect((await lines()).map((l) => l['detail-type'])).toEqual(['Connection Provisioned']);
  });

  it('refuses an entry of 256 KB or more as EventBridge would (failed, permanent) and writes the others', async () => {
    const sink = new JsonlEventSink({ file, source: SOURCE });
    const withPad = (eventId: string, pad: number): OutboxEvent => ({
      ...provisioned,
      eventId,
      detail: { ...provisioned.detail, eventId, pad: 'x'.repeat(pad) },
    });
    // Pad the detail so the entry, measured with this sink's source, is exactly `bytes`.
    const ofSize = (eventId: string, bytes: number) =>
      withPad(eventId, bytes - outboxEventEntrySize(withPad(eventId, 0), SOURCE));
    const justUnder = ofSize('evt_00000000000000000000000000000011', EVENTBRIDGE_ENTRY_LIMIT_BYTES - 1);
    const atLimit = ofSize('evt_00000000000000000000000000000012', EVENTBRIDGE_ENTRY_LIMIT_BYTES);
    expect(outboxEventEntrySize(atLimit, SOURCE)).toBe(EVENTBRIDGE_ENTRY_LIMIT_BYTES);

    await expect(sink.publish([justUnder, atLimit, accessFailed])).resolves.toEqual({
      failed: [
        {
          eventId: atLimit.eventId,
          reason:
            'the entry is 262144 bytes; EventBridge takes entries under 262144 bytes (256 KB): not delivered',
          permanent: true,
        },
      ],
    });
    expect((await lines()).map((l) => l.detail.eventId)).toEqual([justUnder.eventId, accessFailed.eventId]);
  });

  it('reports every event failed when the file cannot be written', async () => {
    await mkdir(file, { recursive: true }); // a folder where the file should be
    const sink = new JsonlEventSink({ file, source: SOURCE });
    const result = await sink.publish([provisioned, accessFailed]);
    expect(result.failed.map((f) => f.eventId)).toEqual([provisioned.eventId, accessFailed.eventId]);
    expect(result.failed[0]?.reason).toMatch(/^could not append to .*events\.jsonl: EISDIR$/);
    // A file that cannot be written now may be writable later: the events stay pending.
    expect(result.failed.map((f) => f.permanent)).toEqual([false, false]);
  });
});

describe('formatEventLine', () => {
  const clock = (iso: string) => {
    const t = new Date(iso);
    return [t.getHours(), t.getMinutes(), t.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  };

  it('shows time, detail-type, short connection id, property and connection name', async () => {
    const delivered: string[] = [];
    const sink = new JsonlEventSink({
      file,
      source: SOURCE,
      onEvent: (d) => delivered.push(formatEventLine(d)),
    });
    await sink.publish([provisioned]);

    expect(delivered).toEqual([
      `${clock(provisioned.time)}  Connection Provisioned  con_0123…  Sample Hostel / Connection for dorms`,
    ]);
    expect(delivered[0]).not.toContain(SECRET_REF);
  });

  it('shows the account id and label for account events, never the email', async () => {
    const delivered: string[] = [];
    const sink = new JsonlEventSink({
      file,
      source: SOURCE,
      onEvent: (d) => delivered.push(formatEventLine(d)),
    });
    await sink.publish([accessFailed]);

    expect(delivered).toEqual([
      `${clock(accessFailed.time)}  Account Access Failed  acc_0123…  Front desk  Invalid client token.`,
    ]);
    expect(delivered[0]).not.toContain('@');
  });

  it('copes with a connection without a name and an unknown detail shape', () => {
    const base = {
      version: '0' as const,
      id: 'x',
      source: SOURCE,
      account: '000000000000',
      time: '2026-05-01T10:42:01Z',
      region: 'local',
      resources: [],
    };
    expect(
      formatEventLine({
        ...base,
        'detail-type': 'Connection Removed',
        detail: { connection: { id: 'con_ab12cd34ef', name: null, propertyName: 'Sample Hostel' } },
      }),
    ).toBe(`${clock(base.time)}  Connection Removed  con_ab12…  Sample Hostel`);
    expect(formatEventLine({ ...base, 'detail-type': 'Something Else', detail: {} })).toBe(
      `${clock(base.time)}  Something Else`,
    );
  });
});
