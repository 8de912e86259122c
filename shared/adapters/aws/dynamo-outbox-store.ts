import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { OutboxEvent } from '../../domain/model.js';
import { mapLimit } from '../../lib/map-limit.js';
import type { OutboxStore } from '../../ports/outbox-store.js';
import {
  type DynamoTable,
  EXISTS,
  isConditionalCheckFailed,
  NOT_EXISTS,
  uniqueEventIds,
} from './dynamo-table.js';
import { eventToItem, outboxEventFromItem } from './state-items.js';
import {
  EVENTS_BY_SUBJECT_INDEX,
  keys,
  PENDING_OUTBOX_INDEX,
  PENDING_OUTBOX_PARTITION,
  TTL_ATTRIBUTE,
} from './state-table.js';

/**
 * OutboxStore on the state table: event items, pending on the sparse pending-outbox index until
 * published (then they expire after the table's TTL) or dead-lettered; replayable by subject.
 */
export class DynamoOutboxStore implements OutboxStore {
  readonly #table: DynamoTable;

  constructor(options: { table: DynamoTable }) {
    this.#table = options.table;
  }

  async appendEvents(events: OutboxEvent[]): Promise<number> {
    uniqueEventIds(events);
    const written = await mapLimit(events, this.#table.concurrency, async (event) => {
      try {
        await this.#table.client.send(
          new PutCommand({
            TableName: this.#table.name,
            Item: eventToItem(event),
            ConditionExpression: NOT_EXISTS,
          }),
        );
        return 1;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return 0;
        throw error;
      }
    });
    return written.reduce<number>((sum, n) => sum + n, 0);
  }

  async listPendingEvents(limit: number): Promise<OutboxEvent[]> {
    const events: OutboxEvent[] = [];
    let startKey: Record<string, unknown> | undefined;
    while (events.length < limit) {
      const page = await this.#table.client.send(
        new QueryCommand({
          TableName: this.#table.name,
          IndexName: PENDING_OUTBOX_INDEX.indexName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': PENDING_OUTBOX_INDEX.partitionKey },
          ExpressionAttributeValues: { ':pk': PENDING_OUTBOX_PARTITION },
          ScanIndexForward: true,
          Limit: limit - events.length,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) events.push(outboxEventFromItem(item));
      startKey = page.LastEvaluatedKey;
      if (!startKey) break;
    }
    return events;
  }

  /** Takes the events off the pending index and lets them expire later; repeats change nothing. */
  async markEventsPublished(eventIds: string[], at: string): Promise<void> {
    const publishedAt = Date.parse(at);
    if (Number.isNaN(publishedAt)) throw new Error(`markEventsPublished: "${at}" is not an ISO timestamp`);
    const expiresAt = Math.floor(publishedAt / 1000) + this.#table.ttlSeconds;
    await mapLimit([...new Set(eventIds)], this.#table.concurrency, (eventId) =>
      this.#table.updateIfExists({
        TableName: this.#table.name,
        Key: keys.event(eventId),
        UpdateExpression: 'SET publishedAt = :at, #ttl = :ttl REMOVE #gpk, #gsk',
        ConditionExpression: `${EXISTS} AND attribute_not_exists(publishedAt)`,
        ExpressionAttributeNames: {
          '#ttl': TTL_ATTRIBUTE,
          '#gpk': PENDING_OUTBOX_INDEX.partitionKey,
          '#gsk': PENDING_OUTBOX_INDEX.sortKey,
        },
        ExpressionAttributeValues: { ':at': at, ':ttl': expiresAt },
      }),
    );
  }

  /**
   * Takes the events off the pending index with `deadLetteredAt` and `deadLetterReason`, and no
   * TTL (they wait for an operator; listEventsFor still finds them). Published or already
   * dead-lettered events and unknown ids are left as they are.
   */
  async markEventsDeadLettered(entries: { eventId: string; reason: string }[], at: string): Promise<void> {
    if (Number.isNaN(Date.parse(at)))
      throw new Error(`markEventsDeadLettered: "${at}" is not an ISO timestamp`);
    const reasons = new Map(entries.map((e) => [e.eventId, e.reason]));
    await mapLimit([...reasons], this.#table.concurrency, ([eventId, reason]) =>
      this.#table.updateIfExists({
        TableName: this.#table.name,
        Key: keys.event(eventId),
        UpdateExpression: 'SET deadLetteredAt = :at, deadLetterReason = :reason REMOVE #gpk, #gsk',
        ConditionExpression: `${EXISTS} AND attribute_not_exists(publishedAt) AND attribute_not_exists(deadLetteredAt)`,
        ExpressionAttributeNames: {
          '#gpk': PENDING_OUTBOX_INDEX.partitionKey,
          '#gsk': PENDING_OUTBOX_INDEX.sortKey,
        },
        ExpressionAttributeValues: { ':at': at, ':reason': reason },
      }),
    );
  }

  async listEventsFor(subject: string): Promise<OutboxEvent[]> {
    const items = await this.#table.queryAll({
      TableName: this.#table.name,
      IndexName: EVENTS_BY_SUBJECT_INDEX.indexName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': EVENTS_BY_SUBJECT_INDEX.partitionKey },
      ExpressionAttributeValues: { ':pk': keys.subject(subject) },
      ScanIndexForward: true,
    });
    return items.map(outboxEventFromItem);
  }
}
