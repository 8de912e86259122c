import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AccountId, ConnectionId, OutboxEvent } from '../../domain/model.js';
import { RetryPolicy } from '../../lib/retry-policy.js';
import { DuplicateEventError, MAX_TRANSACTION_ITEMS } from '../../ports/store-errors.js';
import { eventToItem, type Item } from './state-items.js';
import { BY_TYPE_INDEX, keys, PUBLISHED_EVENT_TTL_DAYS } from './state-table.js';

export interface DynamoTableOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** How long a published event stays readable for replay (TTL). Default 30 days. */
  publishedEventTtlDays?: number;
  /** Parallel single-item writes (missing polls, publication marks, appended events). Default 10. */
  writeConcurrency?: number;
}

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
interface CancellationReason {
  Code?: string;
  Message?: string;
}
type TransactResult = { ok: true } | { ok: false; reasons: CancellationReason[]; error: Error };

const RETRYABLE_CANCELLATION_CODES = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
  'RequestLimitExceeded',
]);
/** A transaction cancelled only by conflicts or throttling: 5 attempts, full jitter from 50 ms. */
const TRANSACTION_RETRY = new RetryPolicy({ attempts: 5, baseMs: 50, capMs: 400 });
/** BatchWriteItem's unprocessed deletes: 8 attempts, full jitter from 200 ms. */
const BATCH_DELETE_RETRY = new RetryPolicy({ attempts: 8, baseMs: 200, capMs: 12_800 });
const BATCH_WRITE_SIZE = 25;

/** Transactions run at once when a call is split into chunks (discoveries, an account's memberships). */
export const CHUNK_CONCURRENCY = 4;

export const NOT_EXISTS = 'attribute_not_exists(pk)';
export const EXISTS = 'attribute_exists(pk)';

export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

export function uniqueEventIds(events: OutboxEvent[]): void {
  const seen = new Set<string>();
  for (const event of events) {
    if (seen.has(event.eventId)) throw new Error(`event ${event.eventId} appears twice in one write`);
    seen.add(event.eventId);
  }
}

/** An UpdateItem that writes `item`'s attributes only where they are absent: creates, never changes. */
export function insertOnly(tableName: string, item: Item): NonNullable<TransactItem['Update']> {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  let i = 0;
  for (const [name, value] of Object.entries(item)) {
    if (name === 'pk' || name === 'sk' || value === undefined) continue;
    names[`#a${i}`] = name;
    values[`:a${i}`] = value;
    sets.push(`#a${i} = if_not_exists(#a${i}, :a${i})`);
    i++;
  }
  return {
    TableName: tableName,
    Key: { pk: item.pk, sk: item.sk },
    UpdateExpression: `SET ${sets.join(', ')}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** Adds `accountId` to the connection's `members` set beside an insert-only update. */
export function withMember(update: NonNullable<TransactItem['Update']>, accountId: AccountId) {
  return {
    ...update,
    UpdateExpression: `${update.UpdateExpression} ADD #members :member`,
    ExpressionAttributeNames: { ...update.ExpressionAttributeNames, '#members': 'members' },
    ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':member': new Set([accountId]) },
  };
}

/** `version = expected` (items written before versions existed count as version 0); sets `:next`. */
export function versionCondition(expected: number) {
  return {
    expression:
      expected === 0
        ? '(attribute_not_exists(#version) OR #version = :expectedVersion)'
        : '#version = :expectedVersion',
    values: { ':expectedVersion': expected, ':next': expected + 1 },
  };
}

/**
 * The state table (layout: state-table.ts) the DynamoDB AccountStore, ConnectionStore,
 * OutboxStore and IntegrationStore share: the client, the table's name, the options, and the
 * reads and writes they all make. State changes and their outbox events share one
 * TransactWriteItems (`transact` with `eventPuts`); every event Put is conditioned on the event
 * not existing, and `cancellationError` tells a duplicate event from any other cancellation.
 */
export class DynamoTable {
  readonly client: DynamoDBDocumentClient;
  readonly name: string;
  /** How long a published event stays readable, in seconds. */
  readonly ttlSeconds: number;
  /** Parallel single-item writes. */
  readonly concurrency: number;

  constructor(options: DynamoTableOptions) {
    this.client = options.client;
    this.name = options.tableName;
    this.ttlSeconds = (options.publishedEventTtlDays ?? PUBLISHED_EVENT_TTL_DAYS) * 86_400;
    this.concurrency = options.writeConcurrency ?? 10;
  }

  /**
   * Adds the account to, or deletes it from, the connection's `members` (idempotent set
   * operations): every write that adds or deletes a membership changes it in the same transaction.
   */
  membersChange(op: 'ADD' | 'DELETE', accountId: AccountId, connectionId: ConnectionId) {
    return {
      TableName: this.name,
      Key: keys.connection(connectionId),
      UpdateExpression: `${op} #members :account`,
      ConditionExpression: EXISTS,
      ExpressionAttributeNames: { '#members': 'members' },
      ExpressionAttributeValues: { ':account': new Set([accountId]) },
    };
  }

  eventPuts(events: OutboxEvent[]): TransactItem[] {
    return events.map((event) => ({
      Put: { TableName: this.name, Item: eventToItem(event), ConditionExpression: NOT_EXISTS },
    }));
  }

  checkEvents(events: OutboxEvent[], stateItems: number): void {
    uniqueEventIds(events);
    if (events.length + stateItems > MAX_TRANSACTION_ITEMS) {
      throw new RangeError(
        `${events.length} events do not fit one transaction with its state change ` +
          `(at most ${MAX_TRANSACTION_ITEMS - stateItems})`,
      );
    }
  }

  /** Why a transaction whose state condition held was still cancelled. */
  cancellationError(
    result: { reasons: CancellationReason[]; error: Error },
    events: OutboxEvent[],
    offset: number,
  ) {
    const duplicates = events
      .filter((_, i) => result.reasons[offset + i]?.Code === 'ConditionalCheckFailed')
      .map((e) => e.eventId);
    return duplicates.length > 0 ? new DuplicateEventError(duplicates) : result.error;
  }

  /**
   * TransactWriteItems, retried a few times when it was cancelled only by conflicts with
   * concurrent writes or throttling. Any other cancellation comes back with its reasons.
   */
  async transact(items: TransactItem[]): Promise<TransactResult> {
    const outcome = await TRANSACTION_RETRY.attempt<
      undefined,
      { reasons: CancellationReason[]; error: Error }
    >(async () => {
      try {
        await this.client.send(new TransactWriteCommand({ TransactItems: items }));
        return { ok: true, value: undefined };
      } catch (error) {
        if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') throw error;
        const reasons = (
          (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? []
        ).map((r) => ({ Code: r.Code, Message: r.Message }));
        const retryable =
          reasons.some((r) => r.Code && RETRYABLE_CANCELLATION_CODES.has(r.Code)) &&
          reasons.every((r) => !r.Code || r.Code === 'None' || RETRYABLE_CANCELLATION_CODES.has(r.Code));
        return { ok: false, failure: { reasons, error }, retryable };
      }
    });
    return outcome.ok ? { ok: true } : { ok: false, ...outcome.failure };
  }

  async updateIfExists(input: ConstructorParameters<typeof UpdateCommand>[0]): Promise<boolean> {
    try {
      await this.client.send(new UpdateCommand(input));
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async get(key: { pk: string; sk: string }): Promise<Item | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.name, Key: key, ConsistentRead: true }),
    );
    return result.Item;
  }

  async queryAll(input: QueryCommandInput): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  queryByType(partition: string): Promise<Item[]> {
    return this.queryAll({
      TableName: this.name,
      IndexName: BY_TYPE_INDEX.indexName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': BY_TYPE_INDEX.partitionKey },
      ExpressionAttributeValues: { ':pk': partition },
    });
  }

  async batchDelete(itemKeys: { pk: string; sk: string }[]): Promise<void> {
    for (let i = 0; i < itemKeys.length; i += BATCH_WRITE_SIZE) {
      let requests: { DeleteRequest: { Key: Record<string, unknown> } }[] = itemKeys
        .slice(i, i + BATCH_WRITE_SIZE)
        .map((key) => ({ DeleteRequest: { Key: { pk: key.pk, sk: key.sk } } }));
      const outcome = await BATCH_DELETE_RETRY.attempt<undefined, number>(async () => {
        const result = await this.client.send(
          new BatchWriteCommand({ RequestItems: { [this.name]: requests } }),
        );
        requests = (result.UnprocessedItems?.[this.name] ?? []) as typeof requests;
        return requests.length === 0
          ? { ok: true, value: undefined }
          : { ok: false, failure: requests.length, retryable: true };
      });
      if (!outcome.ok) {
        throw new Error(`could not delete ${outcome.failure} items after ${outcome.attempts} attempts`);
      }
    }
  }
}
