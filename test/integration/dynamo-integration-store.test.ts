import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoStateStore } from '../../shared/adapters/aws/dynamo-state-store.js';
import { keys } from '../../shared/adapters/aws/state-table.js';
import { integrationProvisioned } from '../../shared/domain/events/integration-provisioned.event.js';
import {
  INTEGRATION_DISABLED,
  integrationStatusEvent,
} from '../../shared/domain/events/integration-status.event.js';
import { integrationIdFromMewsId } from '../../shared/domain/identity.js';
import type { Integration } from '../../shared/domain/model.js';
import { freshTable, type TestTable } from '../support/dynamo.js';

/** The integration items of the state table (IntegrationStore), against DynamoDB Local. */
let table: TestTable;
let store: DynamoStateStore;

beforeAll(async () => {
  table = await freshTable('integration-store');
  store = new DynamoStateStore({ client: table.client, tableName: table.tableName });
}, 120_000);

function integration(overrides: Partial<Integration> = {}): Integration {
  const mewsId = randomUUID();
  const id = integrationIdFromMewsId(mewsId);
  return {
    id,
    mewsId,
    name: 'Channel sync',
    enterprise: { id: 'ent-1', name: 'Sample Hostel' },
    service: null,
    enabled: true,
    canceled: false,
    deletedAt: null,
    version: 0,
    createdUtc: '2026-01-01T00:00:00Z',
    recordedAt: '2026-01-01T00:00:01.000Z',
    changedAt: null,
    secretRef: `arn:aws:secretsmanager:eu-west-1:111122223333:secret:prefix/${id}-AbCdEf`,
    enterpriseConfiguration: {
      id: 'ent-1',
      name: 'Sample Hostel',
      chainId: null,
      timeZoneIdentifier: 'Europe/Prague',
      defaultLanguageCode: 'cs-CZ',
      legalEnvironmentCode: 'CZ',
      pricing: 'Gross',
      countryCode: 'CZ',
      currencies: [{ currency: 'CZK', isDefault: true, isEnabled: true }],
    },
    ...overrides,
  };
}

const provisioned = (i: Integration) =>
  integrationProvisioned({ integration: i, requestor: null, environment: 'demo', at: i.recordedAt });

describe('DynamoStateStore as IntegrationStore', () => {
  it('records an integration and its event once; the second record writes nothing', async () => {
    const i = integration({ service: { id: 's-1', name: 'Accommodation' } });
    expect(await store.recordIntegration(i, [provisioned(i)])).toBe('created');
    expect(await store.recordIntegration({ ...i, name: 'changed' }, [provisioned(i)])).toBe('exists');

    expect(await store.getIntegration(i.id)).toEqual(i);
    expect(await store.listEventsFor(i.id)).toHaveLength(1);
    expect((await store.listPendingEvents(100)).map((e) => e.eventId)).toContain(provisioned(i).eventId);
    const item = await table.client.send(
      new GetCommand({ TableName: table.tableName, Key: keys.integration(i.id) }),
    );
    expect(item.Item).toMatchObject({ type: 'Integration', gsi3pk: 'INTEGRATIONS', gsi3sk: i.id });
  });

  it('lists integrations by type, without a scan', async () => {
    const a = integration({ enterpriseConfiguration: null });
    const b = integration();
    await store.recordIntegration(a, []);
    await store.recordIntegration(b, []);
    const ids = (await store.listIntegrations()).map((x) => x.id);
    expect(ids).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(await store.getIntegration(a.id)).toMatchObject({ enterpriseConfiguration: null });
  });

  it('applies a change at the expected version with its event; a stale or replayed one writes nothing', async () => {
    const i = integration();
    await store.recordIntegration(i, []);
    const at = '2026-01-02T00:00:00.000Z';
    const after = { ...i, enabled: false, version: 1, changedAt: at };
    const event = integrationStatusEvent({
      type: INTEGRATION_DISABLED,
      integration: after,
      environment: 'demo',
      at,
    });
    const update = { id: i.id, expectedVersion: 0, changes: { enabled: false }, at, events: [event] };

    expect(await store.updateIntegration(update)).toBe('applied');
    expect(await store.updateIntegration(update)).toBe('stale');
    expect(await store.getIntegration(i.id)).toEqual(after);
    expect((await store.listEventsFor(i.id)).map((e) => e.eventId)).toEqual([event.eventId]);

    const deleted = await store.updateIntegration({
      id: i.id,
      expectedVersion: 1,
      changes: { deletedAt: '2026-01-03T00:00:00Z' },
      at,
      events: [],
    });
    expect(deleted).toBe('applied');
    expect(await store.getIntegration(i.id)).toMatchObject({ version: 2, deletedAt: '2026-01-03T00:00:00Z' });
  });

  it('an update of an integration that does not exist is stale', async () => {
    const i = integration();
    expect(
      await store.updateIntegration({
        id: i.id,
        expectedVersion: 0,
        changes: { enabled: false },
        at: i.recordedAt,
        events: [],
      }),
    ).toBe('stale');
    expect(await store.getIntegration(i.id)).toBeUndefined();
  });
});
