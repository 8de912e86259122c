import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { OutboxEvent } from '../../domain/model.js';
import { outboxEventFromItem } from './state-items.js';
import { EVENT_PREFIX, ITEM_TYPE, PARTITION_KEY } from './state-table.js';

export type StreamRecordOutcome =
  | { kind: 'event'; event: OutboxEvent }
  | { kind: 'skip'; reason: 'not-an-event-item' | 'removed' | 'already-published' | 'dead-lettered' };

/**
 * Reads a state-table stream record (NEW_IMAGE) as the outbox sees it: a pending outbox event,
 * or a record to skip (another item type, a removal, an event already published). Throws when
 * the record cannot be read (no new image, malformed event item): the caller reports it failed.
 *
 * The stack filters the stream to INSERTed event items; the checks here keep the relay correct
 * without that filter (a MODIFY that marks an event published or dead-lettered is skipped).
 */
export function outboxEventFromStreamRecord(record: DynamoDBRecord): StreamRecordOutcome {
  if (record.eventName === 'REMOVE') return { kind: 'skip', reason: 'removed' };
  const image = record.dynamodb?.NewImage;
  if (image === undefined) {
    throw new Error(
      `stream record ${record.dynamodb?.SequenceNumber ?? '(no sequence number)'} has no NewImage: ` +
        'the table stream must include new images (NEW_IMAGE or NEW_AND_OLD_IMAGES)',
    );
  }
  const pk = image[PARTITION_KEY]?.S;
  if (pk === undefined || !pk.startsWith(EVENT_PREFIX)) return { kind: 'skip', reason: 'not-an-event-item' };

  // The Lambda event's AttributeValue type and the SDK's describe the same JSON shape.
  const item = unmarshall(image as unknown as Record<string, AttributeValue>);
  if (item.type !== ITEM_TYPE.event) return { kind: 'skip', reason: 'not-an-event-item' };
  if (item.publishedAt !== undefined) return { kind: 'skip', reason: 'already-published' };
  if (item.deadLetteredAt !== undefined) return { kind: 'skip', reason: 'dead-lettered' };
  return { kind: 'event', event: outboxEventFromItem(item) };
}
