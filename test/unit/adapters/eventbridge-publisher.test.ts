import 'aws-sdk-client-mock-vitest/extend';
import {
  EventBridgeClient,
  EventBridgeServiceException,
  PutEventsCommand,
  type PutEventsCommandInput,
  type PutEventsRequestEntry,
  type PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  EventBridgePublisher,
  toPutEventsEntry,
} from '../../../shared/adapters/aws/eventbridge-publisher.js';
import { diffConfigurations } from '../../../shared/domain/configuration-diff.js';
import { connectionConfigurationChanged } from '../../../shared/domain/events/connection-configuration-changed.event.js';
import {
  EVENTBRIDGE_ENTRY_LIMIT_BYTES as PUT_EVENTS_SIZE_LIMIT,
  putEventsEntrySize,
} from '../../../shared/domain/events/entry-size.js';
import type { OutboxEvent } from '../../../shared/domain/model.js';
import { WORST_CASE_CONNECTION, worstCaseViews } from '../../support/worst-case-property.js';

const client = new EventBridgeClient({ region: 'eu-west-1' });
const eb = mockClient(client);

const BUS = 'mews-provisioner-test';
const SOURCE = 'com.example.mews-provisioner';
const TIME = '2026-05-01T10:42:01.123Z';

let sleep: ReturnType<typeof vi.fn<(ms: number) => Promise<void>>>;
let publisher: EventBridgePublisher;

beforeEach(() => {
  eb.reset();
  sleep = vi.fn(async (_ms: number) => {});
  publisher = new EventBridgePublisher({
    client,
    eventBusName: BUS,
    source: SOURCE,
    sleep,
    maxAttempts: 3,
    baseDelayMs: 100,
    random: () => 0.5, // full jitter: half of each ceiling (100 ms, then 200 ms)
  });
});

function event(n: number, padBytes = 0): OutboxEvent {
  const eventId = `evt_${n.toString(16).padStart(32, '0')}`;
  return {
    eventId,
    detailType: 'Connection Provisioned',
    subject: `con_${n}`,
    time: TIME,
    detail: { schemaVersion: 1, eventId, pad: 'x'.repeat(padBytes) },
  };
}

/** A detail padding that makes the entry exactly `bytes` big. */
function eventOfSize(n: number, bytes: number): OutboxEvent {
  const base = event(n);
  const overhead = putEventsEntrySize({
    Source: SOURCE,
    DetailType: base.detailType,
    Detail: JSON.stringify(base.detail),
    Time: new Date(TIME),
  });
  const e = event(n, bytes - overhead);
  return e;
}

const okFor = (input: PutEventsCommandInput) => ({
  FailedEntryCount: 0,
  Entries: (input.Entries ?? []).map((_, i) => ({ EventId: `eb-${i}` })),
});

const sentBatches = () =>
  eb.commandCalls(PutEventsCommand).map((c) => (c.args[0].input.Entries ?? []).map(detailEventId));

function detailEventId(entry: PutEventsRequestEntry): string {
  return (JSON.parse(entry.Detail ?? '{}') as { eventId: string }).eventId;
}

const ids = (events: OutboxEvent[]) => events.map((e) => e.eventId);

describe('EventBridgePublisher: mapping and size', () => {
  it('maps an outbox event to exactly one PutEvents entry on the bus', async () => {
    eb.on(PutEventsCommand).callsFake(okFor);
    const e = event(1);

    await expect(publisher.publish([e])).resolves.toEqual({ failed: [] });

    expect(eb).toHaveReceivedCommandExactlyOnceWith(PutEventsCommand, {
      Entries: [
        {
          EventBusName: BUS,
          Source: SOURCE,
          DetailType: 'Connection Provisioned',
          Detail: JSON.stringify(e.detail),
          Time: new Date(TIME),
          Resources: [],
        },
      ],
    });
    expect(eb.commandCalls(PutEventsCommand)[0]?.args[0].input).toEqual({
      Entries: [
        {
          EventBusName: BUS,
          Source: SOURCE,
          DetailType: 'Connection Provisioned',
          Detail: JSON.stringify(e.detail),
          Time: new Date(TIME),
          Resources: [],
        },
      ],
    });
  });

  it('computes the entry size the way EventBridge documents it (UTF-8 bytes, 14 for Time)', () => {
    const entry: PutEventsRequestEntry = {
      EventBusName: 'not counted',
      Source: 'src', // 3
      DetailType: 'Hôtel', // 6 bytes in UTF-8
      Detail: '{"a":"ü"}', // 10 bytes
      Resources: ['arn:x', 'é'], // 5 + 2
      Time: new Date(TIME), // 14
    };
    expect(putEventsEntrySize(entry)).toBe(3 + 6 + 10 + 5 + 2 + 14);
    expect(putEventsEntrySize({ Source: 'src', DetailType: 'dt' })).toBe(5);
  });

  it('sends nothing for no events', async () => {
    await expect(publisher.publish([])).resolves.toEqual({ failed: [] });
    expect(eb).not.toHaveReceivedAnyCommand();
  });
});

describe('EventBridgePublisher: batching', () => {
  it('sends at most 10 entries per request, in order', async () => {
    eb.on(PutEventsCommand).callsFake(okFor);
    const events = Array.from({ length: 25 }, (_, i) => event(i));

    await expect(publisher.publish(events)).resolves.toEqual({ failed: [] });

    expect(eb).toHaveReceivedCommandTimes(PutEventsCommand, 3);
    expect(sentBatches()).toEqual([
      ids(events.slice(0, 10)),
      ids(events.slice(10, 20)),
      ids(events.slice(20)),
    ]);
  });

  it('splits requests so that each stays under 256 KB', async () => {
    eb.on(PutEventsCommand).callsFake(okFor);
    // 100 KB + 100 KB fit; a third would reach 300 KB.
    const large = Array.from({ length: 5 }, (_, i) => eventOfSize(i, 100 * 1024));
    const small = [event(100), event(101)];
    const events = [...large, ...small];

    await expect(publisher.publish(events)).resolves.toEqual({ failed: [] });

    expect(sentBatches()).toEqual([
      ids(large.slice(0, 2)),
      ids(large.slice(2, 4)),
      [...ids(large.slice(4)), ...ids(small)],
    ]);
    for (const call of eb.commandCalls(PutEventsCommand)) {
      const total = (call.args[0].input.Entries ?? []).reduce(
        (sum, entry) => sum + putEventsEntrySize(entry),
        0,
      );
      expect(total).toBeLessThan(PUT_EVENTS_SIZE_LIMIT);
    }
  });

  it('sends an entry just under the limit alone, and reports one at the limit failed without sending it', async () => {
    eb.on(PutEventsCommand).callsFake(okFor);
    const justUnder = eventOfSize(1, PUT_EVENTS_SIZE_LIMIT - 1);
    const atLimit = eventOfSize(2, PUT_EVENTS_SIZE_LIMIT);
    const huge = eventOfSize(3, 300 * 1024);
    const small = event(4);

    const result = await publisher.publish([small, justUnder, atLimit, huge]);

    expect(result.failed).toEqual([
      {
        eventId: atLimit.eventId,
        reason: `the entry is ${PUT_EVENTS_SIZE_LIMIT} bytes; EventBridge takes entries under 262144 bytes (256 KB): not sent`,
        permanent: true,
      },
      {
        eventId: huge.eventId,
        reason: `the entry is ${300 * 1024} bytes; EventBridge takes entries under 262144 bytes (256 KB): not sent`,
        permanent: true,
      },
    ]);
    expect(sentBatches()).toEqual([[small.eventId], [justUnder.eventId]]);
  });

  it('reports an event with an unparseable time failed, without sending it', async () => {
    eb.on(PutEventsCommand).callsFake(okFor);
    const bad = { ...event(1), time: 'yesterday' };
    const good = event(2);
    await expect(publisher.publish([bad, good])).resolves.toEqual({
      failed: [
        {
          eventId: bad.eventId,
          reason: 'time "yesterday" is not a valid timestamp; not sent',
          permanent: true,
        },
      ],
    });
    expect(sentBatches()).toEqual([[good.eventId]]);
  });
});

describe('EventBridgePublisher: failures', () => {
  it('retries only the entries a response reports failed, after a backoff', async () => {
    const events = Array.from({ length: 4 }, (_, i) => event(i));
    eb.on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 2,
        Entries: [
          { EventId: 'a' },
          { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' },
          { EventId: 'c' },
          { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal failure' },
        ],
      })
      .callsFake(okFor);

    await expect(publisher.publish(events)).resolves.toEqual({ failed: [] });

    expect(sentBatches()).toEqual([ids(events), [events[1]?.eventId, events[3]?.eventId]]);
    expect(eb).toHaveReceivedNthCommandWith(PutEventsCommand, 2, {
      Entries: [
        expect.objectContaining({ Detail: JSON.stringify(events[1]?.detail) }),
        expect.objectContaining({ Detail: JSON.stringify(events[3]?.detail) }),
      ],
    });
    expect(sleep.mock.calls).toEqual([[50]]);
  });

  it('gives up after maxAttempts and returns the still-failed entries with their reason', async () => {
    const events = Array.from({ length: 3 }, (_, i) => event(i));
    eb.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => ({
      FailedEntryCount: 1,
      Entries: (input.Entries ?? []).map(
        (entry): PutEventsResultEntry =>
          detailEventId(entry) === events[2]?.eventId
            ? { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal failure' }
            : { EventId: 'ok' },
      ),
    }));

    const result = await publisher.publish(events);

    expect(result.failed).toEqual([
      {
        eventId: events[2]?.eventId,
        reason: 'InternalFailure: Internal failure (after 3 attempts)',
        permanent: false,
      },
    ]);
    expect(eb).toHaveReceivedCommandTimes(PutEventsCommand, 3);
    expect(sentBatches()).toEqual([ids(events), [events[2]?.eventId], [events[2]?.eventId]]);
    expect(sleep.mock.calls).toEqual([[50], [100]]);
  });

  it('does not retry entries EventBridge rejects for good; only a fault of the entry itself is permanent', async () => {
    const events = Array.from({ length: 3 }, (_, i) => event(i));
    eb.on(PutEventsCommand).resolvesOnce({
      FailedEntryCount: 2,
      Entries: [
        { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
        { EventId: 'b' },
        { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' },
      ],
    });

    await expect(publisher.publish(events)).resolves.toEqual({
      failed: [
        { eventId: events[0]?.eventId, reason: 'MalformedDetail: Detail is malformed.', permanent: true },
        {
          eventId: events[2]?.eventId,
          reason: 'NotAuthorizedForSourceException: Not authorized for the source.',
          // Permissions can be fixed: the same entry goes through then.
          permanent: false,
        },
      ],
    });
    expect(eb).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    expect(sleep).not.toHaveBeenCalled();
  });

  it('marks a whole batch failed on a transport error and still sends (and reports) the other batches', async () => {
    const events = Array.from({ length: 15 }, (_, i) => event(i));
    eb.on(PutEventsCommand)
      .rejectsOnce(
        new EventBridgeServiceException({
          name: 'ThrottlingException',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
          message: 'Rate exceeded',
        }),
      )
      .callsFake(okFor);

    const result = await publisher.publish(events);

    expect(result.failed).toEqual(
      events.slice(0, 10).map((e) => ({
        eventId: e.eventId,
        reason: 'PutEvents request failed: ThrottlingException: Rate exceeded',
        permanent: false,
      })),
    );
    expect(sentBatches()).toEqual([ids(events.slice(0, 10)), ids(events.slice(10))]);
    expect(sleep).not.toHaveBeenCalled();
  });

  it('keeps the failed list in input order across batches and failure kinds', async () => {
    const events = [eventOfSize(0, 300 * 1024), ...Array.from({ length: 11 }, (_, i) => event(i + 1))];
    eb.on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 1,
        Entries: Array.from({ length: 10 }, (_, i) =>
          i === 9 ? { ErrorCode: 'InvalidArgument', ErrorMessage: 'bad' } : { EventId: `${i}` },
        ),
      })
      .rejectsOnce(new Error('socket hang up'));

    const result = await publisher.publish(events);
    expect(result.failed.map((f) => f.eventId)).toEqual(
      [events[0], events[10], events[11]].map((e) => e?.eventId),
    );
    expect(result.failed[2]?.reason).toBe('PutEvents request failed: Error: socket hang up');
    expect(result.failed.map((f) => f.permanent)).toEqual([true, true, false]);
  });
});

describe('EventBridgePublisher: never sends an entry EventBridge would refuse', () => {
  it('sends exactly the entries that fit; the oversized one comes back failed and permanent', async () => {
    eb.on(PutEventsCommand).callsFake(okFor);
    const small = event(1);
    const oversized = eventOfSize(2, PUT_EVENTS_SIZE_LIMIT + 1);
    const other = event(3);

    const result = await publisher.publish([small, oversized, other]);

    expect(result).toEqual({
      failed: [
        {
          eventId: oversized.eventId,
          reason: `the entry is ${PUT_EVENTS_SIZE_LIMIT + 1} bytes; EventBridge takes entries under 262144 bytes (256 KB): not sent`,
          permanent: true,
        },
      ],
    });
    expect(eb).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    expect(eb.commandCalls(PutEventsCommand).map((c) => c.args[0].input)).toEqual([
      { Entries: [toPutEventsEntry(small, SOURCE, BUS), toPutEventsEntry(other, SOURCE, BUS)] },
    ]);
  });

  it('sends nothing at all when every entry is oversized', async () => {
    eb.on(PutEventsCommand).callsFake(okFor);
    const result = await publisher.publish([
      eventOfSize(1, 300 * 1024),
      eventOfSize(2, PUT_EVENTS_SIZE_LIMIT),
    ]);
    expect(result.failed.map((f) => f.permanent)).toEqual([true, true]);
    expect(eb).not.toHaveReceivedAnyCommand();
  });

  it('sends the largest Connection Configuration Changed as one entry under 256 KB', async () => {
    eb.on(PutEventsCommand).callsFake(okFor);
    const { before, after } = worstCaseViews();
    const changed = connectionConfigurationChanged({
      connection: WORST_CASE_CONNECTION,
      previousDigest: `sha256:${'a'.repeat(64)}`,
      configuration: {
        digest: `sha256:${'b'.repeat(64)}`,
        summary: {
          spaceCategories: 250,
          synchronizedSpaceCategories: 214,
          ratePlans: 250,
          synchronizedRatePlans: 208,
          inventoryMappings: 62_502,
          products: 250,
          ageCategories: 250,
          companies: 0,
          travelAgencies: 0,
        },
        fetchedAt: TIME,
      },
      diff: diffConfigurations(before, after),
      environment: 'production',
      at: TIME,
    });

    await expect(publisher.publish([changed, event(1)])).resolves.toEqual({ failed: [] });

    // The change is about 200 KB: the small event still fits in the same request.
    const calls = eb.commandCalls(PutEventsCommand).map((c) => c.args[0].input);
    expect(calls).toEqual([
      { Entries: [toPutEventsEntry(changed, SOURCE, BUS), toPutEventsEntry(event(1), SOURCE, BUS)] },
    ]);
    const total = (calls[0]?.Entries ?? []).reduce((sum, entry) => sum + putEventsEntrySize(entry), 0);
    expect(total).toBeLessThan(PUT_EVENTS_SIZE_LIMIT);
    expect(JSON.parse(calls[0]?.Entries?.[0]?.Detail ?? '{}')).toMatchObject({ truncated: true });
  });
});
