import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type {
  Account,
  AccountAccess,
  AccountHold,
  AccountId,
  ConnectionId,
  Membership,
  OutboxEvent,
} from '../../domain/model.js';
import { mapLimit } from '../../lib/map-limit.js';
import type { AccountStore, AccountView } from '../../ports/account-store.js';
import { MAX_TRANSACTION_ITEMS } from '../../ports/store-errors.js';
import { listAccounts } from './dynamo-state-reads.js';
import {
  CHUNK_CONCURRENCY,
  type DynamoTable,
  EXISTS,
  isConditionalCheckFailed,
  NOT_EXISTS,
} from './dynamo-table.js';
import { accountFromItem, accountToItem, membershipFromItem } from './state-items.js';
import { ITEM_TYPE, keys } from './state-table.js';

/** AccountStore on the state table: the account item, and its memberships when it is removed. */
export class DynamoAccountStore implements AccountStore {
  readonly #table: DynamoTable;

  constructor(options: { table: DynamoTable }) {
    this.#table = options.table;
  }

  async addAccount(account: Account): Promise<'created' | 'exists'> {
    try {
      await this.#table.client.send(
        new PutCommand({
          TableName: this.#table.name,
          Item: accountToItem(account),
          ConditionExpression: NOT_EXISTS,
        }),
      );
      return 'created';
    } catch (error) {
      if (isConditionalCheckFailed(error)) return 'exists';
      throw error;
    }
  }

  /** Deletes the account and its memberships (connections stay: other accounts may list them). */
  async removeAccount(id: AccountId): Promise<boolean> {
    // Memberships first: if this stops halfway, the account is still there and a retry finishes.
    // Each goes with the account's place in its connection's `members`, in one transaction.
    const memberships = (await this.#table.queryAll({
      TableName: this.#table.name,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': keys.account(id).pk, ':sk': keys.membership(id, '').sk },
      ProjectionExpression: 'connectionId',
      ConsistentRead: true,
    })) as { connectionId: ConnectionId }[];
    const pairs = MAX_TRANSACTION_ITEMS / 2;
    const chunks: ConnectionId[][] = [];
    for (let i = 0; i < memberships.length; i += pairs) {
      chunks.push(memberships.slice(i, i + pairs).map((m) => m.connectionId));
    }
    await mapLimit(chunks, CHUNK_CONCURRENCY, async (chunk) => {
      const result = await this.#table.transact(
        chunk.flatMap((connectionId) => [
          { Delete: { TableName: this.#table.name, Key: keys.membership(id, connectionId) } },
          { Update: this.#table.membersChange('DELETE', id, connectionId) },
        ]),
      );
      if (!result.ok) throw result.error;
    });
    try {
      await this.#table.client.send(
        new DeleteCommand({
          TableName: this.#table.name,
          Key: keys.account(id),
          ConditionExpression: EXISTS,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async getAccount(id: AccountId): Promise<Account | undefined> {
    const item = await this.#table.get(keys.account(id));
    return item ? accountFromItem(item) : undefined;
  }

  listAccounts(): Promise<Account[]> {
    return listAccounts(this.#table);
  }

  async getAccountView(id: AccountId): Promise<AccountView | undefined> {
    const items = await this.#table.queryAll({
      TableName: this.#table.name,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.account(id).pk },
      ConsistentRead: true,
    });
    let account: Account | undefined;
    const memberships: Membership[] = [];
    for (const item of items) {
      if (item.type === ITEM_TYPE.account) account = accountFromItem(item);
      else if (item.type === ITEM_TYPE.membership) memberships.push(membershipFromItem(item));
    }
    return account ? { account, memberships } : undefined;
  }

  async changeAccountAccess(
    id: AccountId,
    access: AccountAccess,
    expectedVersion: number,
    events: OutboxEvent[],
  ): Promise<boolean> {
    this.#table.checkEvents(events, 1);
    const result = await this.#table.transact([
      {
        Update: {
          TableName: this.#table.name,
          Key: keys.account(id),
          UpdateExpression: 'SET #access = :access, accessVersion = :next',
          ConditionExpression: `${EXISTS} AND accessVersion = :expected`,
          ExpressionAttributeNames: { '#access': 'access' },
          ExpressionAttributeValues: {
            ':access': access,
            ':next': expectedVersion + 1,
            ':expected': expectedVersion,
          },
        },
      },
      ...this.#table.eventPuts(events),
    ]);
    if (result.ok) return true;
    // The version moved on (another writer, or this very change replayed): nothing written.
    if (result.reasons[0]?.Code === 'ConditionalCheckFailed') return false;
    throw this.#table.cancellationError(result, events, 1);
  }

  async placeAccountHold(id: AccountId, hold: AccountHold, events: OutboxEvent[]): Promise<boolean> {
    this.#table.checkEvents(events, 1);
    const result = await this.#table.transact([
      {
        Update: {
          TableName: this.#table.name,
          Key: keys.account(id),
          UpdateExpression: 'SET #hold = :hold',
          ConditionExpression: `${EXISTS} AND (attribute_not_exists(#hold) OR #hold = :null)`,
          ExpressionAttributeNames: { '#hold': 'hold' },
          ExpressionAttributeValues: { ':hold': hold, ':null': null },
        },
      },
      ...this.#table.eventPuts(events),
    ]);
    if (result.ok) return true;
    if (result.reasons[0]?.Code === 'ConditionalCheckFailed') return false;
    throw this.#table.cancellationError(result, events, 1);
  }

  setAccountLabel(id: AccountId, label: string | null): Promise<boolean> {
    return this.#table.updateIfExists({
      TableName: this.#table.name,
      Key: keys.account(id),
      UpdateExpression: 'SET #label = :label',
      ConditionExpression: EXISTS,
      ExpressionAttributeNames: { '#label': 'label' },
      ExpressionAttributeValues: { ':label': label },
    });
  }

  releaseAccountHold(id: AccountId): Promise<boolean> {
    return this.#table.updateIfExists({
      TableName: this.#table.name,
      Key: keys.account(id),
      UpdateExpression: 'SET #hold.released = :true',
      ConditionExpression: `${EXISTS} AND attribute_type(#hold, :map)`,
      ExpressionAttributeNames: { '#hold': 'hold' },
      ExpressionAttributeValues: { ':true': true, ':map': 'M' },
    });
  }

  async clearAccountHold(id: AccountId): Promise<void> {
    await this.#table.updateIfExists({
      TableName: this.#table.name,
      Key: keys.account(id),
      UpdateExpression: 'SET #hold = :null',
      ConditionExpression: EXISTS,
      ExpressionAttributeNames: { '#hold': 'hold' },
      ExpressionAttributeValues: { ':null': null },
    });
  }
}
