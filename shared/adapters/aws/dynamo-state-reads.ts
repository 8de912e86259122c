import type { Account, Connection, ConnectionId, Membership } from '../../domain/model.js';
import type { DynamoTable } from './dynamo-table.js';
import { accountFromItem, connectionFromItem, membershipFromItem } from './state-items.js';
import { ACCOUNTS_PARTITION, CONNECTIONS_PARTITION, EVENTS_BY_SUBJECT_INDEX, keys } from './state-table.js';

/**
 * The state table's plain reads, on their own: the account and connection stores answer with
 * these, and a function that only reads (schedule-polls, the change-notification webhook) is
 * composed of them without carrying the stores' writes.
 */

export async function listAccounts(table: DynamoTable): Promise<Account[]> {
  return (await table.queryByType(ACCOUNTS_PARTITION)).map(accountFromItem);
}

export async function listConnections(table: DynamoTable): Promise<Connection[]> {
  return (await table.queryByType(CONNECTIONS_PARTITION)).map(connectionFromItem);
}

export async function getConnection(table: DynamoTable, id: ConnectionId): Promise<Connection | undefined> {
  const item = await table.get(keys.connection(id));
  return item ? connectionFromItem(item) : undefined;
}

export async function listMembershipsOf(
  table: DynamoTable,
  connectionId: ConnectionId,
): Promise<Membership[]> {
  const items = await table.queryAll({
    TableName: table.name,
    IndexName: EVENTS_BY_SUBJECT_INDEX.indexName,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': EVENTS_BY_SUBJECT_INDEX.partitionKey },
    ExpressionAttributeValues: { ':pk': keys.membersOf(connectionId) },
  });
  return items.map(membershipFromItem);
}
