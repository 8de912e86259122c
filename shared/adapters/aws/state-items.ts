/**
 * Domain records <-> state-table items (see state-table.ts for the layout). Plain objects in
 * the DynamoDB document shape (as `DynamoDBDocumentClient` reads and writes them, or as a
 * stream image looks after `unmarshall`); no AWS SDK import.
 */
import type {
  Account,
  AccountId,
  Connection,
  ConnectionId,
  ConnectionStatus,
  Discovery,
  Integration,
  IntegrationId,
  Membership,
  OutboxEvent,
} from '../../domain/model.js';
import {
  ACCOUNTS_PARTITION,
  BY_TYPE_INDEX,
  CONNECTIONS_PARTITION,
  EVENTS_BY_SUBJECT_INDEX,
  INTEGRATIONS_PARTITION,
  ITEM_TYPE,
  keys,
  PENDING_OUTBOX_INDEX,
  PENDING_OUTBOX_PARTITION,
} from './state-table.js';

export type Item = Record<string, unknown>;

/** Thrown when an item read from the table does not have the shape this code writes. */
class MalformedItemError extends Error {
  constructor(what: string, item: Item, field: string) {
    super(`malformed ${what} item (pk=${String(item.pk)}, sk=${String(item.sk)}): bad or missing "${field}"`);
    this.name = 'MalformedItemError';
  }
}

function str(item: Item, what: string, field: string): string {
  const value = item[field];
  if (typeof value !== 'string') throw new MalformedItemError(what, item, field);
  return value;
}

function strOrNull(item: Item, what: string, field: string): string | null {
  const value = item[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new MalformedItemError(what, item, field);
  return value;
}

function num(item: Item, what: string, field: string): number {
  const value = item[field];
  if (typeof value !== 'number') throw new MalformedItemError(what, item, field);
  return value;
}

export function accountToItem(account: Account): Item {
  return {
    ...keys.account(account.id),
    type: ITEM_TYPE.account,
    [BY_TYPE_INDEX.partitionKey]: ACCOUNTS_PARTITION,
    [BY_TYPE_INDEX.sortKey]: account.id,
    id: account.id,
    email: account.email,
    label: account.label,
    createdAt: account.createdAt,
    registration: account.registration,
    access: account.access,
    accessVersion: account.accessVersion,
    hold: account.hold,
  };
}

export function accountFromItem(item: Item): Account {
  const what = ITEM_TYPE.account;
  const access = item.access as Account['access'] | undefined;
  if (!access || typeof access !== 'object' || (access.status !== 'ok' && access.status !== 'failing')) {
    throw new MalformedItemError(what, item, 'access');
  }
  return {
    id: str(item, what, 'id') as AccountId,
    email: str(item, what, 'email'),
    label: strOrNull(item, what, 'label'),
    createdAt: str(item, what, 'createdAt'),
    // Accounts registered before registrations had ids: their creation time tells them apart.
    registration:
      item.registration === undefined ? str(item, what, 'createdAt') : str(item, what, 'registration'),
    access,
    accessVersion: num(item, what, 'accessVersion'),
    hold: (item.hold ?? null) as Account['hold'],
  };
}

/** The membership a discovery creates (written only if absent). */
export function newMembershipItem(accountId: AccountId, discovery: Discovery, at: string): Item {
  return {
    ...keys.membership(accountId, discovery.connectionId),
    type: ITEM_TYPE.membership,
    accountId,
    connectionId: discovery.connectionId,
    status: 'pending',
    propertyId: discovery.propertyId,
    propertyName: discovery.propertyName,
    connectionName: discovery.connectionName,
    firstSeenAt: at,
    missingPolls: 0,
    // Overloads the by-subject index: who lists a connection, for removal decisions.
    [EVENTS_BY_SUBJECT_INDEX.partitionKey]: keys.membersOf(discovery.connectionId),
    [EVENTS_BY_SUBJECT_INDEX.sortKey]: accountId,
  };
}

export function membershipFromItem(item: Item): Membership {
  const what = ITEM_TYPE.membership;
  const status = str(item, what, 'status');
  if (status !== 'pending' && status !== 'awaiting-token' && status !== 'synced')
    throw new MalformedItemError(what, item, 'status');
  return {
    accountId: str(item, what, 'accountId') as AccountId,
    connectionId: str(item, what, 'connectionId') as ConnectionId,
    status,
    propertyId: str(item, what, 'propertyId'),
    propertyName: str(item, what, 'propertyName'),
    connectionName: strOrNull(item, what, 'connectionName'),
    firstSeenAt: str(item, what, 'firstSeenAt'),
    missingPolls: num(item, what, 'missingPolls'),
  };
}

/** The connection a discovery creates (written only if absent). */
export function newConnectionItem(accountId: AccountId, discovery: Discovery, at: string): Item {
  return {
    ...keys.connection(discovery.connectionId),
    type: ITEM_TYPE.connection,
    [BY_TYPE_INDEX.partitionKey]: CONNECTIONS_PARTITION,
    [BY_TYPE_INDEX.sortKey]: discovery.connectionId,
    id: discovery.connectionId,
    status: 'discovered',
    propertyId: discovery.propertyId,
    propertyName: discovery.propertyName,
    name: discovery.connectionName,
    discoveredBy: accountId,
    discoveredAt: at,
    provisionedAt: null,
    secretRef: discovery.secretRef,
    configuration: null,
    version: 0,
  };
}

const CONNECTION_STATUSES = new Set<string>([
  'discovered',
  'provisioned',
  'deactivated',
  'removed',
] satisfies ConnectionStatus[]);

export function connectionFromItem(item: Item): Connection {
  const what = ITEM_TYPE.connection;
  const status = str(item, what, 'status');
  if (!CONNECTION_STATUSES.has(status)) throw new MalformedItemError(what, item, 'status');
  const configuration = item.configuration ?? null;
  if (configuration !== null && typeof configuration !== 'object') {
    throw new MalformedItemError(what, item, 'configuration');
  }
  return {
    id: str(item, what, 'id') as ConnectionId,
    status: status as ConnectionStatus,
    propertyId: str(item, what, 'propertyId'),
    propertyName: str(item, what, 'propertyName'),
    name: strOrNull(item, what, 'name'),
    discoveredBy: str(item, what, 'discoveredBy') as AccountId,
    discoveredAt: str(item, what, 'discoveredAt'),
    provisionedAt: strOrNull(item, what, 'provisionedAt'),
    changedAt: strOrNull(item, what, 'changedAt'),
    secretRef: strOrNull(item, what, 'secretRef'),
    configuration: configuration as Connection['configuration'],
    // Items written before versions existed are version 0.
    version: item.version === undefined ? 0 : num(item, what, 'version'),
  };
}

/**
 * A pending outbox event. `detail` is stored as its JSON text: it round-trips exactly (key
 * order, numbers, nesting depth) and is what EventBridge's `Detail` wants anyway.
 */
export function eventToItem(event: OutboxEvent): Item {
  const order = keys.eventOrder(event.time, event.eventId);
  return {
    ...keys.event(event.eventId),
    type: ITEM_TYPE.event,
    [PENDING_OUTBOX_INDEX.partitionKey]: PENDING_OUTBOX_PARTITION,
    [PENDING_OUTBOX_INDEX.sortKey]: order,
    [EVENTS_BY_SUBJECT_INDEX.partitionKey]: keys.subject(event.subject),
    [EVENTS_BY_SUBJECT_INDEX.sortKey]: order,
    eventId: event.eventId,
    detailType: event.detailType,
    subject: event.subject,
    time: event.time,
    detail: JSON.stringify(event.detail),
  };
}

/** Also for the stream relay: pass the unmarshalled NewImage of an inserted event item. */
export function outboxEventFromItem(item: Item): OutboxEvent {
  const what = ITEM_TYPE.event;
  let detail: unknown;
  try {
    detail = JSON.parse(str(item, what, 'detail'));
  } catch {
    throw new MalformedItemError(what, item, 'detail');
  }
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) {
    throw new MalformedItemError(what, item, 'detail');
  }
  return {
    eventId: str(item, what, 'eventId'),
    detailType: str(item, what, 'detailType'),
    subject: str(item, what, 'subject'),
    time: str(item, what, 'time'),
    detail: detail as Record<string, unknown>,
  };
}

export function integrationToItem(integration: Integration): Item {
  return {
    ...keys.integration(integration.id),
    type: ITEM_TYPE.integration,
    [BY_TYPE_INDEX.partitionKey]: INTEGRATIONS_PARTITION,
    [BY_TYPE_INDEX.sortKey]: integration.id,
    id: integration.id,
    mewsId: integration.mewsId,
    name: integration.name,
    enterprise: integration.enterprise,
    service: integration.service,
    enabled: integration.enabled,
    canceled: integration.canceled,
    deletedAt: integration.deletedAt,
    version: integration.version,
    createdUtc: integration.createdUtc,
    recordedAt: integration.recordedAt,
    changedAt: integration.changedAt,
    secretRef: integration.secretRef,
    enterpriseConfiguration: integration.enterpriseConfiguration,
  };
}

function namedRef(item: Item, what: string, field: string): { id: string; name: string } {
  const value = item[field] as { id?: unknown; name?: unknown } | null | undefined;
  if (!value || typeof value.id !== 'string' || typeof value.name !== 'string') {
    throw new MalformedItemError(what, item, field);
  }
  return { id: value.id, name: value.name };
}

function bool(item: Item, what: string, field: string): boolean {
  const value = item[field];
  if (typeof value !== 'boolean') throw new MalformedItemError(what, item, field);
  return value;
}

export function integrationFromItem(item: Item): Integration {
  const what = ITEM_TYPE.integration;
  const configuration = item.enterpriseConfiguration ?? null;
  if (configuration !== null && typeof configuration !== 'object') {
    throw new MalformedItemError(what, item, 'enterpriseConfiguration');
  }
  return {
    id: str(item, what, 'id') as IntegrationId,
    mewsId: str(item, what, 'mewsId'),
    name: str(item, what, 'name'),
    enterprise: namedRef(item, what, 'enterprise'),
    service: item.service == null ? null : namedRef(item, what, 'service'),
    enabled: bool(item, what, 'enabled'),
    canceled: bool(item, what, 'canceled'),
    deletedAt: strOrNull(item, what, 'deletedAt'),
    version: num(item, what, 'version'),
    createdUtc: str(item, what, 'createdUtc'),
    recordedAt: str(item, what, 'recordedAt'),
    changedAt: strOrNull(item, what, 'changedAt'),
    secretRef: str(item, what, 'secretRef'),
    enterpriseConfiguration: configuration as Integration['enterpriseConfiguration'],
  };
}
