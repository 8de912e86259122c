import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { integrationProvisioned } from '../../shared/domain/events/integration-provisioned.event.js';
import {
  INTEGRATION_DISABLED,
  integrationStatusEvent,
} from '../../shared/domain/events/integration-status.event.js';
import { integrationIdFromMewsId } from '../../shared/domain/identity.js';
import type { Integration } from '../../shared/domain/model.js';
import type { IntegrationUpdate } from '../../shared/ports/integration-store.js';
import { DuplicateEventError } from '../../shared/ports/store-errors.js';
import { event, events, type StateStoreFactory, type StateStoreUnderTest } from './state-fixtures.js';

export function integration(overrides: Partial<Integration> = {}): Integration {
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
    secretRef: `prefix/integrations/${id}`,
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

/** IntegrationStore: what every implementation must do (the outbox part observes the events). */
export function integrationStoreContract(makeStore: StateStoreFactory): void {
  let store: StateStoreUnderTest;
  beforeAll(async () => {
    store = await makeStore();
  }, 120_000);

  const disable = (i: Integration, at = '2026-01-02T00:00:00.000Z'): IntegrationUpdate => ({
    id: i.id,
    expectedVersion: i.version,
    changes: { enabled: false },
    at,
    events: [
      integrationStatusEvent({
        type: INTEGRATION_DISABLED,
        integration: { ...i, enabled: false, version: i.version + 1, changedAt: at },
        environment: 'demo',
        at,
      }),
    ],
  });

  describe('recordIntegration, getIntegration, listIntegrations', () => {
    it('records an integration and its event once; the second record writes nothing', async () => {
      const i = integration({ service: { id: 's-1', name: 'Accommodation' } });
      expect(await store.recordIntegration(i, [provisioned(i)])).toBe('created');
      expect(await store.recordIntegration({ ...i, name: 'changed' }, [provisioned(i)])).toBe('exists');
      const other = event(i.id, '2026-01-01T00:00:09.000Z');
      expect(await store.recordIntegration({ ...i, name: 'changed' }, [other])).toBe('exists');

      expect(await store.getIntegration(i.id)).toEqual(i);
      expect((await store.listEventsFor(i.id)).map((e) => e.eventId)).toEqual([provisioned(i).eventId]);
      expect((await store.listPendingEvents(1000)).map((e) => e.eventId)).toContain(provisioned(i).eventId);
    });

    it('lists integrations; a null configuration and service round-trip', async () => {
      const a = integration({ enterpriseConfiguration: null });
      const b = integration();
      await store.recordIntegration(a, []);
      await store.recordIntegration(b, []);
      const listed = await store.listIntegrations();
      expect(listed).toEqual(expect.arrayContaining([a, b]));
      expect(listed.every((x) => x.id.startsWith('int_'))).toBe(true);
      expect(await store.getIntegration(a.id)).toMatchObject({
        enterpriseConfiguration: null,
        service: null,
      });
      expect(await store.getIntegration(integration().id)).toBeUndefined();
    });

    it('is atomic: an event id of another state change records nothing', async () => {
      const i = integration();
      const existing = event('elsewhere', '2026-01-01T00:00:00.000Z');
      await store.appendEvents([existing]);
      await expect(store.recordIntegration(i, [existing])).rejects.toThrow(DuplicateEventError);
      expect(await store.getIntegration(i.id)).toBeUndefined();
    });

    it('fits 99 events with the integration; 100 are refused before anything is written', async () => {
      const i = integration();
      await expect(store.recordIntegration(i, events(i.id, 100))).rejects.toThrow(RangeError);
      expect(await store.getIntegration(i.id)).toBeUndefined();
      expect(await store.recordIntegration(i, events(i.id, 99))).toBe('created');
      expect(await store.listEventsFor(i.id)).toHaveLength(99);
    }, 60_000);
  });

  describe('updateIntegration', () => {
    it('applies a change at the expected version with its event; a stale or replayed one writes nothing', async () => {
      const i = integration();
      await store.recordIntegration(i, []);
      const update = disable(i);
      const after = { ...i, enabled: false, version: 1, changedAt: update.at };

      expect(await store.updateIntegration(update)).toBe('applied');
      expect(await store.updateIntegration(update)).toBe('stale');
      expect(await store.updateIntegration({ ...disable(i), events: [] })).toBe('stale');
      expect(await store.getIntegration(i.id)).toEqual(after);
      expect((await store.listEventsFor(i.id)).map((e) => e.eventId)).toEqual([update.events[0]?.eventId]);

      const deleted = await store.updateIntegration({
        id: i.id,
        expectedVersion: 1,
        changes: { deletedAt: '2026-01-03T00:00:00Z', canceled: true },
        at: '2026-01-03T00:00:01.000Z',
        events: [],
      });
      expect(deleted).toBe('applied');
      expect(await store.getIntegration(i.id)).toEqual({
        ...after,
        version: 2,
        deletedAt: '2026-01-03T00:00:00Z',
        canceled: true,
        changedAt: '2026-01-03T00:00:01.000Z',
      });
    });

    it('switches secretRef (the token migration) without an event, at the expected version only', async () => {
      // Recorded by an earlier version: under the connection prefix, as the secret's ARN.
      const fresh = integration();
      const i = {
        ...fresh,
        secretRef: `arn:aws:secretsmanager:eu-west-1:111122223333:secret:prefix/connections/${fresh.id}-AbCdEf`,
      };
      await store.recordIntegration(i, []);
      const moved = `prefix/integrations/${i.id}`;
      const update = {
        id: i.id,
        expectedVersion: 0,
        changes: { secretRef: moved },
        at: '2026-01-04T00:00:00.000Z',
        events: [],
      };
      expect(await store.updateIntegration(update)).toBe('applied');
      expect(await store.updateIntegration(update)).toBe('stale');
      expect(await store.getIntegration(i.id)).toEqual({
        ...i,
        secretRef: moved,
        version: 1,
        changedAt: '2026-01-04T00:00:00.000Z',
      });
      expect(await store.listEventsFor(i.id)).toEqual([]);
    });

    it('an update of an integration that does not exist is stale', async () => {
      const i = integration();
      expect(await store.updateIntegration(disable(i))).toBe('stale');
      expect(await store.getIntegration(i.id)).toBeUndefined();
      expect(await store.listEventsFor(i.id)).toEqual([]);
    });

    it('concurrent updates from the same version: exactly one applies', async () => {
      const i = integration();
      await store.recordIntegration(i, []);
      const results = await Promise.all(
        ['2026-01-02T00:00:01.000Z', '2026-01-02T00:00:02.000Z'].map((at) =>
          store.updateIntegration(disable(i, at)),
        ),
      );
      expect(results.sort()).toEqual(['applied', 'stale']);
      expect((await store.getIntegration(i.id))?.version).toBe(1);
    });

    it('is atomic: an event id of another state change changes nothing', async () => {
      const i = integration();
      await store.recordIntegration(i, []);
      const existing = event('elsewhere', '2026-01-01T00:00:00.000Z');
      await store.appendEvents([existing]);
      await expect(store.updateIntegration({ ...disable(i), events: [existing] })).rejects.toThrow(
        DuplicateEventError,
      );
      expect(await store.getIntegration(i.id)).toEqual(i);
    });
  });
}
