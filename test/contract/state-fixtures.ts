import { randomUUID } from 'node:crypto';
import type {
  Account,
  AccountId,
  ConfigurationState,
  ConnectionId,
  Discovery,
  OutboxEvent,
} from '../../shared/domain/model.js';
import type { ProvisionInput } from '../../shared/ports/connection-store.js';
import type { IntegrationStore } from '../../shared/ports/integration-store.js';
import type { StateStore } from '../../shared/ports/state-store.js';

/** What the state contract suites run against: one table's worth of every state port. */
export type StateStoreUnderTest = StateStore & IntegrationStore;

/** Returns a store over a new, empty table each time it is called. */
export type StateStoreFactory = () => Promise<StateStoreUnderTest>;

export const uid = () => randomUUID().replaceAll('-', '').slice(0, 12);
export const accountId = (): AccountId => `acc_${uid()}`;
export const connectionId = (): ConnectionId => `con_${uid()}`;

export function account(overrides: Partial<Account> = {}): Account {
  const id = overrides.id ?? accountId();
  return {
    id,
    email: `${id}@hotel.example`,
    label: 'Front desk',
    createdAt: '2025-01-01T00:00:00.000Z',
    registration: `reg_${uid()}`,
    access: { status: 'ok' },
    accessVersion: 0,
    hold: null,
    ...overrides,
  };
}

export function discovery(id: ConnectionId = connectionId(), n = 1): Discovery {
  return {
    connectionId: id,
    propertyId: `prop-${n}`,
    propertyName: `Hotel ${n}`,
    connectionName: n % 2 ? `Channel ${n}` : null,
    secretRef: `arn:aws:secretsmanager:eu-west-1:123456789012:secret:mews/${id}`,
  };
}

export function event(subject: string, time: string, overrides: Partial<OutboxEvent> = {}): OutboxEvent {
  return {
    eventId: `evt_${uid()}`,
    detailType: 'Connection Provisioned',
    subject,
    time,
    detail: { schemaVersion: 1, subject, nested: { list: [1, 'two', null, { three: true }] }, z: 1, a: 2 },
    ...overrides,
  };
}

/** `count` events about `subject`, a millisecond apart. */
export function events(subject: string, count: number): OutboxEvent[] {
  return Array.from({ length: count }, (_, i) =>
    event(subject, new Date(Date.UTC(2025, 0, 1, 0, 0, 0, i)).toISOString()),
  );
}

export function configurationState(
  digest = 'sha256-abc',
  fetchedAt = '2025-01-02T00:00:00.000Z',
): ConfigurationState {
  return {
    digest,
    summary: {
      spaceCategories: 3,
      synchronizedSpaceCategories: 2,
      ratePlans: 4,
      synchronizedRatePlans: 4,
      inventoryMappings: 5,
      products: 1,
      ageCategories: 2,
      companies: 0,
      travelAgencies: 0,
    },
    fetchedAt,
  };
}

export const configuration = configurationState();

export function provisionInput(
  acc: AccountId,
  con: ConnectionId,
  eventsToWrite: OutboxEvent[],
  options: { expectedVersion?: number; snapshot?: unknown; at?: string } = {},
): ProvisionInput {
  return {
    connectionId: con,
    expectedVersion: options.expectedVersion ?? 0,
    accountId: acc,
    secretRef: `arn:aws:secretsmanager:eu-west-1:123456789012:secret:mews/${con}`,
    configuration,
    snapshot: options.snapshot ?? { SpaceCategories: [], RatePlans: [] },
    at: options.at ?? '2025-01-02T00:00:01.000Z',
    events: eventsToWrite,
  };
}

/** An account (added) with `count` discovered connections. */
export async function seeded(store: StateStoreUnderTest, count = 1) {
  const acc = account();
  await store.addAccount(acc);
  const discoveries = Array.from({ length: count }, (_, i) => discovery(connectionId(), i + 1));
  await store.recordDiscoveries(acc.id, discoveries, '2025-01-01T10:00:00.000Z');
  return { acc, discoveries, con: (discoveries[0] as Discovery).connectionId };
}

/** What a call wrote, to compare before and after a call that must write nothing. */
export async function stateOf(store: StateStoreUnderTest, con: ConnectionId) {
  const [connection, memberships, outbox] = await Promise.all([
    store.getConnection(con),
    store.listMembershipsOf(con),
    store.listEventsFor(con),
  ]);
  return {
    connection,
    memberships: [...memberships].sort((a, b) => a.accountId.localeCompare(b.accountId)),
    outbox,
  };
}
