import 'aws-sdk-client-mock-vitest/extend';
import { randomUUID } from 'node:crypto';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamApiRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../functions/relay-outbox/handler.js';
import { DynamoStateStore } from '../../shared/adapters/aws/dynamo-state-store.js';
import { keys, PENDING_OUTBOX_INDEX, TTL_ATTRIBUTE } from '../../shared/adapters/aws/state-table.js';
import { localLowLevelClient } from '../../shared/adapters/local/dynamodb-local.js';
import { resetServicesForTests } from '../../shared/composition/aws-services.js';
import { SWEEP_OUTBOX_INPUT } from '../../shared/config/function-inputs.js';
import { eventIdFor } from '../../shared/domain/identity.js';
import type { OutboxEvent } from '../../shared/domain/model.js';
import { systemClock } from '../../shared/ports/clock.js';
import { registerAccount } from '../../shared/use-cases/accounts.js';
import { freshTable, type TestTable } from '../support/dynamo.js';
import {
  type Captured,
  captureOutput,
  EVENT_BUS_NAME,
  EVENT_SOURCE,
  lambdaContext,
  stubFunctionEnv,
} from './lambda-harness.js';

let table: TestTable;
let store: DynamoStateStore;
let out: Captured;
const eventBridge = mockClient(EventBridgeClient);
const context = lambdaContext('mews-provisioner-test-relay-outbox');

const REFUSALS = {
  /** For good: the same entry is refused again on every attempt. */
  InvalidArgument: 'Parameter Detail is not valid.',
  /** For now: a later attempt may get through. */
  ThrottlingException: 'Rate exceeded',
} as const;

/**
 * EventBridge takes every entry, except those whose detail mentions an id in `refuse`, which it
 * refuses with the code given for that id.
 */
function acceptEvents(refuse: Record<string, keyof typeof REFUSALS> = {}) {
  eventBridge.reset();
  eventBridge.on(PutEventsCommand).callsFake((input: { Entries?: PutEventsRequestEntry[] }) => {
    const entries = (input.Entries ?? []).map((e) => {
      const code = Object.entries(refuse).find(([id]) => e.Detail?.includes(id))?.[1];
      return code ? { ErrorCode: code, ErrorMessage: REFUSALS[code] } : { EventId: randomUUID() };
    });
    return { FailedEntryCount: entries.filter((e) => 'ErrorCode' in e).length, Entries: entries };
  });
}

const sentEntries = () =>
  eventBridge.commandCalls(PutEventsCommand).flatMap((c) => c.args[0].input.Entries ?? []);

function outboxEvent(label: string): OutboxEvent {
  const connectionId = `con_${randomUUID().replaceAll('-', '').slice(0, 24)}`;
  const eventId = eventIdFor('Connection Provisioned', label, connectionId);
  return {
    eventId,
    detailType: 'Connection Provisioned',
    subject: connectionId,
    time: new Date().toISOString(),
    detail: { schemaVersion: 1, eventId, connection: { id: connectionId, name: label } },
  };
}

// ---- the table's real stream (DynamoDB Local), as Lambda delivers it ----

let streams: DynamoDBStreamsClient;
let streamArn: string;
const seen = new Set<string>();

/** Stream records written since the last call, in the shape of a Lambda DynamoDB event. */
async function newStreamRecords(): Promise<DynamoDBRecord[]> {
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const records: StreamApiRecord[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    let iterator = (
      await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      )
    ).ShardIterator;
    while (iterator) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      records.push(...(page.Records ?? []));
      if ((page.Records ?? []).length === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  const fresh = records.filter((r) => !seen.has(r.dynamodb?.SequenceNumber ?? ''));
  for (const r of fresh) seen.add(r.dynamodb?.SequenceNumber ?? '');
  // Lambda's JSON: epoch seconds for dates, base64 for binary; plus the stream's ARN.
  return fresh.map(
    (r) =>
      JSON.parse(
        JSON.stringify(
          { ...r, eventSourceARN: streamArn },
          function (this: Record<string, unknown>, key, value) {
            const raw = this[key];
            if (raw instanceof Date) return raw.getTime() / 1000;
            if (raw instanceof Uint8Array) return Buffer.from(raw).toString('base64');
            return value;
          },
        ),
      ) as DynamoDBRecord,
  );
}

const streamEvent = (records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });
const keyOf = (r: DynamoDBRecord) => r.dynamodb?.Keys?.pk?.S;
const seqOf = (records: DynamoDBRecord[], eventId: string) =>
  records.find((r) => keyOf(r) === keys.event(eventId).pk)?.dynamodb?.SequenceNumber;

async function eventItem(eventId: string) {
  return (await table.client.send(new GetCommand({ TableName: table.tableName, Key: keys.event(eventId) })))
    .Item;
}

beforeAll(async () => {
  table = await freshTable('relay-outbox');
  store = new DynamoStateStore({ client: table.client, tableName: table.tableName });
  const described = await localLowLevelClient(table.endpoint).send(
    new DescribeTableCommand({ TableName: table.tableName }),
  );
  streamArn = described.Table?.LatestStreamArn ?? '';
  expect(streamArn).toMatch(/\/stream\//);
  streams = new DynamoDBStreamsClient({
    endpoint: table.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}, 120_000);

beforeEach(() => {
  stubFunctionEnv({ tableName: table.tableName, dynamoEndpoint: table.endpoint });
  resetServicesForTests();
  acceptEvents();
  out = captureOutput();
  return () => out.restore();
});

afterAll(() => {
  eventBridge.restore();
  streams?.destroy();
  vi.unstubAllEnvs();
  resetServicesForTests();
});

describe('relay-outbox handler, invoked by the table stream', () => {
  it('publishes the inserted outbox events in one PutEvents and marks them published; skips other items', async () => {
    // Prepare: three events and an account item enter the table.
    const events = [outboxEvent('a'), outboxEvent('b'), outboxEvent('c')];
    await store.appendEvents(events);
    await registerAccount({ email: 'relay@hotel.example' }, { store, clock: systemClock });
    const records = await newStreamRecords();
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'INSERT', 'INSERT', 'INSERT']);

    // Act
    const response = await handler(streamEvent(records), context);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    // (appendEvents writes in parallel: the stream order is the write order, not the array's)
    expect(sentEntries()).toHaveLength(3);
    expect(sentEntries()).toEqual(
      expect.arrayContaining(
        events.map((e) => ({
          EventBusName: EVENT_BUS_NAME,
          Source: EVENT_SOURCE,
          DetailType: 'Connection Provisioned',
          Detail: JSON.stringify(e.detail),
          Time: new Date(e.time),
          Resources: [],
        })),
      ),
    );
    for (const e of events) {
      const item = await eventItem(e.eventId);
      expect(item?.publishedAt).toEqual(expect.any(String));
      expect(item?.[PENDING_OUTBOX_INDEX.partitionKey]).toBeUndefined();
    }
    expect(out.metric('EventsPublished')).toBe(3);
    expect(out.metric('EventsFailed')).toBe(0);

    // The stream then carries the publication marks (MODIFY): nothing to publish again.
    eventBridge.resetHistory();
    out.clear();
    const marks = await newStreamRecords();
    expect(marks.map((r) => r.eventName)).toEqual(['MODIFY', 'MODIFY', 'MODIFY']);
    expect(await handler(streamEvent(marks), context)).toEqual({ batchItemFailures: [] });
    expect(eventBridge).not.toHaveReceivedCommand(PutEventsCommand);
    expect(out.metric('EventsPublished')).toBe(0);
  });

  it('reports the record of an event the bus refused for now by its sequence number; the event stays pending', async () => {
    // Prepare
    const [refused, taken] = [outboxEvent('refused'), outboxEvent('taken')];
    await store.appendEvents([refused, taken]);
    const records = await newStreamRecords();
    acceptEvents({ [refused.eventId]: 'ThrottlingException' });

    // Act
    const response = await handler(streamEvent(records), context);

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: seqOf(records, refused.eventId) }] });
    expect((await eventItem(refused.eventId))?.publishedAt).toBeUndefined();
    expect((await eventItem(taken.eventId))?.publishedAt).toEqual(expect.any(String));
    expect(out.metric('EventsPublished')).toBe(1);
    expect(out.metric('EventsFailed')).toBe(1);
    expect(out.metric('EventsDeadLettered')).toBe(0);
    expect(out.logs().find((l) => l.message === 'event not published; it stays in the outbox')).toMatchObject(
      {
        eventId: refused.eventId,
        reason: expect.stringContaining('ThrottlingException'),
      },
    );
    expect((await store.listPendingEvents(1000)).map((e) => e.eventId)).toContain(refused.eventId);
  });

  it('a batch whose every event is refused is a partial response, not an invocation error; one line per event', async () => {
    // Prepare
    const [first, second] = [outboxEvent('refused-first'), outboxEvent('refused-second')];
    await store.appendEvents([first, second]);
    const records = await newStreamRecords();
    acceptEvents({ [first.eventId]: 'ThrottlingException', [second.eventId]: 'ThrottlingException' });

    // Act
    const response = await handler(streamEvent(records), context);

    // Assess
    expect(response).toEqual({
      batchItemFailures: [
        { itemIdentifier: seqOf(records, first.eventId) },
        { itemIdentifier: seqOf(records, second.eventId) },
      ],
    });
    expect(out.logs().filter((l) => l.level === 'ERROR')).toEqual([
      expect.objectContaining({
        message: 'event not published; it stays in the outbox',
        eventId: first.eventId,
      }),
      expect.objectContaining({
        message: 'event not published; it stays in the outbox',
        eventId: second.eventId,
      }),
    ]);
  });

  it('dead-letters an event the bus refuses for good: off the pending list, still replayable, alarmed, not retried', async () => {
    // Prepare
    const [refused, taken] = [outboxEvent('malformed'), outboxEvent('fine')];
    await store.appendEvents([refused, taken]);
    const records = await newStreamRecords();
    acceptEvents({ [refused.eventId]: 'InvalidArgument' });

    // Act
    const response = await handler(streamEvent(records), context);

    // Assess: nothing to retry; the event left the pending index and keeps why.
    expect(response).toEqual({ batchItemFailures: [] });
    const item = await eventItem(refused.eventId);
    expect(item).toMatchObject({
      deadLetteredAt: expect.any(String),
      deadLetterReason: 'InvalidArgument: Parameter Detail is not valid.',
    });
    expect(item?.publishedAt).toBeUndefined();
    expect(item?.[PENDING_OUTBOX_INDEX.partitionKey]).toBeUndefined();
    expect(item?.[PENDING_OUTBOX_INDEX.sortKey]).toBeUndefined();
    expect(item?.[TTL_ATTRIBUTE]).toBeUndefined(); // kept until someone looks
    expect((await store.listPendingEvents(1000)).map((e) => e.eventId)).not.toContain(refused.eventId);
    expect(await store.listEventsFor(refused.subject)).toEqual([refused]);
    expect((await eventItem(taken.eventId))?.publishedAt).toEqual(expect.any(String));
    expect(out.metric('EventsPublished')).toBe(1);
    expect(out.metric('EventsFailed')).toBe(0);
    expect(out.metric('EventsDeadLettered')).toBe(1);
    const lines = out.logs().filter((l) => String(l.message).startsWith('event dead-lettered'));
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        eventId: refused.eventId,
        detailType: 'Connection Provisioned',
        reason: 'InvalidArgument: Parameter Detail is not valid.',
      }),
    ]);
    expect(lines[0]).not.toHaveProperty('detail');
    expect(JSON.stringify(out.logs())).not.toContain('"name":"malformed"');

    // The dead-letter mark reaches the stream too (MODIFY): skipped, nothing sent again.
    eventBridge.resetHistory();
    const marks = await newStreamRecords();
    expect(await handler(streamEvent(marks), context)).toEqual({ batchItemFailures: [] });
    expect(eventBridge).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it('reports a malformed event item as failed and still publishes the rest of the batch', async () => {
    // Prepare: an event item whose detail is not JSON (kept out of the pending index, so the sweep ignores it).
    const badId = eventIdFor('Connection Provisioned', 'malformed', randomUUID());
    await table.client.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...keys.event(badId),
          type: 'Event',
          eventId: badId,
          detailType: 'Connection Provisioned',
          subject: 'con_000000000000000000000000',
          time: new Date().toISOString(),
          detail: '{"schemaVersion":1,',
        },
      }),
    );
    const good = outboxEvent('good');
    await store.appendEvents([good]);
    const records = await newStreamRecords();

    // Act
    const response = await handler(streamEvent(records), context);

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: seqOf(records, badId) }] });
    expect(sentEntries().map((e) => e.Detail)).toEqual([JSON.stringify(good.detail)]);
    expect(out.metric('EventsFailed')).toBe(1);
    expect(
      out.logs().find((l) => l.message === 'outbox stream record unreadable: reported failed'),
    ).toMatchObject({
      sequenceNumber: seqOf(records, badId),
      error: { message: expect.stringContaining('bad or missing "detail"') },
    });
  });
});

describe('relay-outbox handler, invoked by the scheduled sweep', () => {
  it.each([
    ['the stack input', SWEEP_OUTBOX_INPUT],
    ['{ "sweep": true }', { sweep: true }],
  ])('publishes every pending event (%s)', async (_, input) => {
    // Prepare: whatever the stream path left pending, and two more.
    const more = [outboxEvent('sweep-1'), outboxEvent('sweep-2')];
    await store.appendEvents(more);
    await newStreamRecords();
    const pending = await store.listPendingEvents(100);
    expect(pending.length).toBeGreaterThanOrEqual(2);

    // Act
    const result = await handler(input, context);

    // Assess
    expect(result).toEqual({ published: pending.length, failed: 0, deadLettered: 0 });
    expect(sentEntries().map((e) => e.Detail)).toEqual(pending.map((e) => JSON.stringify(e.detail)));
    expect(await store.listPendingEvents(100)).toEqual([]);
    expect(out.metric('EventsPublished')).toBe(pending.length);
  });

  it('never sends an entry over 256 KB: dead-letters it, publishes the rest, keeps a transient failure pending', async () => {
    // Prepare
    await handler(SWEEP_OUTBOX_INPUT, context); // whatever earlier tests left pending
    eventBridge.resetHistory();
    out.clear();
    const base = outboxEvent('oversized');
    const oversized = { ...base, detail: { ...base.detail, pad: 'x'.repeat(300 * 1024) } };
    const [throttled, fine] = [outboxEvent('throttled'), outboxEvent('fine')];
    await store.appendEvents([oversized, throttled, fine]);
    await newStreamRecords();
    acceptEvents({ [throttled.eventId]: 'ThrottlingException' });

    // Act
    const result = await handler(SWEEP_OUTBOX_INPUT, context);

    // Assess
    expect(result).toEqual({ published: 1, failed: 1, deadLettered: 1 });
    expect(sentEntries().some((e) => e.Detail?.includes(oversized.eventId))).toBe(false);
    const pending = (await store.listPendingEvents(1000)).map((e) => e.eventId);
    expect(pending).toEqual([throttled.eventId]);
    expect(await store.listEventsFor(oversized.subject)).toEqual([oversized]);
    expect((await eventItem(oversized.eventId))?.deadLetterReason).toMatch(
      /^the entry is \d+ bytes; EventBridge takes entries under 262144 bytes \(256 KB\): not sent$/,
    );
    expect(out.metric('EventsDeadLettered')).toBe(1);

    // The next sweep sends the throttled one again, never the dead-lettered one.
    eventBridge.resetHistory();
    acceptEvents();
    expect(await handler(SWEEP_OUTBOX_INPUT, context)).toEqual({ published: 1, failed: 0, deadLettered: 0 });
    expect(sentEntries().map((e) => e.Detail)).toEqual([JSON.stringify(throttled.detail)]);
  });

  it('rejects an input that is neither a stream batch nor a sweep, naming what it expects', async () => {
    await expect(handler({}, context)).rejects.toThrow(
      /expected \{"kind":"sweep-outbox"\} or \{"sweep":true\}/,
    );
    await expect(handler({ sweep: false }, context)).rejects.toThrow(/sweep: Invalid input: expected true/);
    expect(eventBridge).not.toHaveReceivedCommand(PutEventsCommand);
  });
});
