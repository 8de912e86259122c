import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoStateStore } from '../../shared/adapters/aws/dynamo-state-store.js';
import { keys, PENDING_OUTBOX_INDEX } from '../../shared/adapters/aws/state-table.js';
import { eventIdFor } from '../../shared/domain/identity.js';
import type { OutboxEvent } from '../../shared/domain/model.js';
import { freshTable, type TestTable } from '../support/dynamo.js';

let table: TestTable;
let store: DynamoStateStore;

beforeAll(async () => {
  table = await freshTable('outbox-dead-letters');
  store = new DynamoStateStore({ client: table.client, tableName: table.tableName });
}, 120_000);

const SUBJECT = 'con_0123456789abcdef01234567';

function event(n: number): OutboxEvent {
  const eventId = eventIdFor('Connection Provisioned', 'dead-letters', n);
  return {
    eventId,
    detailType: 'Connection Provisioned',
    subject: SUBJECT,
    time: `2026-01-0${n}T00:00:00.000Z`,
    detail: { schemaVersion: 1, eventId },
  };
}

const item = async (eventId: string) =>
  (await table.client.send(new GetCommand({ TableName: table.tableName, Key: keys.event(eventId) }))).Item;

describe('DynamoStateStore.markEventsDeadLettered', () => {
  it('takes events off the pending list with the time and reason; replay still reads them; repeats change nothing', async () => {
    const [dead, published, waiting] = [event(1), event(2), event(3)];
    await store.appendEvents([dead, published, waiting]);
    await store.markEventsPublished([published.eventId], '2026-02-01T00:00:00.000Z');

    await store.markEventsDeadLettered(
      [
        { eventId: dead.eventId, reason: 'the entry is 300000 bytes' },
        { eventId: published.eventId, reason: 'too late: already published' },
        { eventId: eventIdFor('Connection Provisioned', 'unknown'), reason: 'no such event' },
      ],
      '2026-02-02T00:00:00.000Z',
    );
    await store.markEventsDeadLettered(
      [{ eventId: dead.eventId, reason: 'a second opinion' }],
      '2026-02-03T00:00:00.000Z',
    );

    expect(await store.listPendingEvents(10)).toEqual([waiting]);
    expect(await store.listEventsFor(SUBJECT)).toEqual([dead, published, waiting]);
    const deadItem = await item(dead.eventId);
    expect(deadItem).toMatchObject({
      deadLetteredAt: '2026-02-02T00:00:00.000Z',
      deadLetterReason: 'the entry is 300000 bytes',
    });
    expect(deadItem?.[PENDING_OUTBOX_INDEX.partitionKey]).toBeUndefined();
    const publishedItem = await item(published.eventId);
    expect(publishedItem?.deadLetteredAt).toBeUndefined();
    expect(publishedItem?.publishedAt).toBe('2026-02-01T00:00:00.000Z');
    expect(await item(eventIdFor('Connection Provisioned', 'unknown'))).toBeUndefined();
  });

  it('refuses a time that is not ISO 8601', async () => {
    await expect(
      store.markEventsDeadLettered([{ eventId: event(1).eventId, reason: 'x' }], 'soon'),
    ).rejects.toThrow('markEventsDeadLettered: "soon" is not an ISO timestamp');
  });
});
