import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorClient } from '../../shared/adapters/mews-connector/connector-client.js';
import { INTEGRATION_PROVISIONED } from '../../shared/domain/events/integration-provisioned.event.js';
import {
  INTEGRATION_CANCELED,
  INTEGRATION_DELETED,
  INTEGRATION_DISABLED,
  INTEGRATION_ENABLED,
  INTEGRATION_REINSTATED,
} from '../../shared/domain/events/integration-status.event.js';
import { parseEventDetail } from '../../shared/domain/events/registry.js';
import { integrationIdFromMewsId } from '../../shared/domain/identity.js';
import { findLeaks, seedSecrets } from '../support/pipeline.js';
import {
  startWebhookPipeline,
  TEST_INTEGRATION_SECRET,
  type WebhookPipeline,
} from '../support/webhook-pipeline.js';

/**
 * Connector API integration webhooks, end to end: the simulator creates an integration (with a fake
 * access token) and sends the documented webhooks to the local endpoint; the endpoint stores the
 * token in the vault, calls the simulator's `configuration/get`, records the integration in
 * DynamoDB Local and publishes through the outbox.
 */
let p: WebhookPipeline;
const accessTokens: string[] = [];

beforeEach(async () => {
  p = await startWebhookPipeline('integrations');
});
afterEach(async () => {
  const leaks = await findLeaks(p, [...seedSecrets(), ...accessTokens, TEST_INTEGRATION_SECRET], {
    logs: p.logLines.join('\n'),
    events: JSON.stringify(p.events),
  });
  await p.close();
  expect(leaks).toEqual([]);
});

function addIntegration(spec: Partial<Parameters<typeof p.simulator.addIntegration>[0]> = {}) {
  const added = p.simulator.addIntegration({
    enterpriseId: 'harbour-hostels',
    name: 'Harbour channel sync',
    requestor: { name: 'Ada Example', email: 'ada.example@sample-hostel.example' },
    ...spec,
  });
  accessTokens.push(added.accessToken);
  return { ...added, id: integrationIdFromMewsId(added.integrationId) };
}

const send = async (action: string, data: string | Record<string, unknown>) => {
  const answer = await p.simulator.sendIntegrationWebhook(action, data);
  await p.settled();
  return answer;
};
const typesAbout = (id: string) =>
  p.events
    .filter((e) => (e.detail.integration as { id?: string } | undefined)?.id === id)
    .map((e) => e['detail-type']);

describe('IntegrationCreated', () => {
  it('stores the access token, reads configuration/get with our Client name, records and publishes once', async () => {
    const { integrationId, accessToken, id } = addIntegration();

    const answer = await send('IntegrationCreated', integrationId);
    const again = await send('IntegrationCreated', integrationId);

    expect(answer).toMatchObject({ status: 200, body: { Result: 'provisioned' } });
    expect(again).toMatchObject({ status: 200, body: { Result: 'already-provisioned' } });
    expect(typesAbout(id)).toEqual([INTEGRATION_PROVISIONED]);
    expect(await p.services.store.listEventsFor(id)).toHaveLength(1);

    const detail = parseEventDetail(INTEGRATION_PROVISIONED, p.events.at(-1)?.detail);
    expect(detail).toMatchObject({
      integration: {
        id,
        mewsId: integrationId,
        name: 'Harbour channel sync',
        secretRef: `local-vault:${id}`,
      },
      enterprise: { id: 'harbour-hostels', name: 'Harbour Hostels' },
      service: { id: 'accommodation', name: 'Accommodation' },
      requestor: { name: 'Ada Example', maskedEmail: 'a***@s***.example' },
      enabled: true,
      enterpriseConfiguration: {
        id: 'harbour-hostels',
        timeZoneIdentifier: 'Europe/London',
        countryCode: 'GB',
        currencies: [{ currency: 'GBP', isDefault: true, isEnabled: true }],
      },
    });
    expect(await p.services.integrationVault.getIntegrationToken(id)).toBe(accessToken);
    expect(await p.services.integrations.getIntegration(id)).toMatchObject({ enabled: true, version: 0 });
    expect(p.simulator.connectorRequests()).toEqual([
      expect.objectContaining({
        operation: 'configuration/get',
        client: 'Mews Connection Provisioner 0.1.0',
        httpStatus: 200,
        integrationId,
      }),
    ]);
  });

  it('an integration created disabled (configuration/get refused) is recorded without the configuration', async () => {
    const { integrationId, id } = addIntegration({ enabled: false, requestor: null });
    const answer = await send('IntegrationCreated', integrationId);
    expect(answer).toMatchObject({ status: 200, body: { Result: 'provisioned' } });
    expect(p.events.at(-1)?.detail).toMatchObject({
      enabled: false,
      requestor: null,
      enterpriseConfiguration: null,
    });
    expect(p.simulator.connectorRequests()[0]).toMatchObject({ httpStatus: 403 });
    expect(typesAbout(id)).toEqual([INTEGRATION_PROVISIONED]);
  });

  it('Mews unreachable: answered 503 so Mews re-sends; the re-send provisions', async () => {
    const { integrationId, id } = addIntegration();
    const dead = new ConnectorClient({
      platformAddress: 'http://127.0.0.1:9',
      clientToken: p.simulator.clientToken,
      retries: 0,
    });
    await withConnector(dead, async () => {
      const answer = await send('IntegrationCreated', integrationId);
      expect(answer).toMatchObject({ status: 503 });
    });
    expect(typesAbout(id)).toEqual([]);
    expect(await p.services.integrations.getIntegration(id)).toBeUndefined();

    const resent = await send('IntegrationCreated', integrationId);
    expect(resent).toMatchObject({ status: 200, body: { Result: 'provisioned' } });
    expect(typesAbout(id)).toEqual([INTEGRATION_PROVISIONED]);
  });
});

describe('the other actions', () => {
  it('Disabled, Enabled, Canceled, Reinstated, Deleted: one event each; repeats and later actions change nothing', async () => {
    const { integrationId, id } = addIntegration();
    await send('IntegrationCreated', integrationId);

    const steps: [string, 'enabled' | 'disabled' | 'canceled' | 'deleted', string][] = [
      ['IntegrationDisabled', 'disabled', INTEGRATION_DISABLED],
      ['IntegrationEnabled', 'enabled', INTEGRATION_ENABLED],
      ['IntegrationCanceled', 'canceled', INTEGRATION_CANCELED],
      ['IntegrationReinstated', 'enabled', INTEGRATION_REINSTATED],
      ['IntegrationDeleted', 'deleted', INTEGRATION_DELETED],
    ];
    for (const [action, status] of steps) {
      p.simulator.setIntegrationStatus(integrationId, status);
      expect(await send(action, integrationId)).toMatchObject({ status: 200, body: { Result: 'changed' } });
      expect(await send(action, integrationId)).toMatchObject({ status: 200, body: { Result: 'unchanged' } });
    }
    expect(await send('IntegrationEnabled', integrationId)).toMatchObject({ body: { Result: 'unchanged' } });

    expect(typesAbout(id)).toEqual([INTEGRATION_PROVISIONED, ...steps.map(([, , event]) => event)]);
    const events = p.events.filter((e) => typesAbout(id).includes(e['detail-type']));
    for (const e of events) expect(() => parseEventDetail(e['detail-type'], e.detail)).not.toThrow();
    expect(events.at(-1)?.detail).toMatchObject({ enabled: true, canceled: false, secretRecoveryDays: 7 });
    expect(await p.services.store.listEventsFor(id)).toHaveLength(6);
    expect(await p.services.integrations.getIntegration(id)).toMatchObject({ version: 5 });
    expect(await p.services.integrationVault.getIntegrationToken(id)).toBeUndefined();
  });

  it('the same webhook delivered twice at once: one event, one outbox item', async () => {
    const { integrationId, id } = addIntegration();
    await send('IntegrationCreated', integrationId);
    const answers = await Promise.all(
      [1, 2, 3].map(() => p.simulator.sendIntegrationWebhook('IntegrationDisabled', integrationId)),
    );
    await p.settled();
    for (const a of answers) expect(a.status).toBe(200);
    expect(typesAbout(id)).toEqual([INTEGRATION_PROVISIONED, INTEGRATION_DISABLED]);
    expect(await p.services.store.listEventsFor(id)).toHaveLength(2);
  });

  it('a change of an integration not recorded yet gets 409, so Mews re-sends it after IntegrationCreated', async () => {
    const { integrationId, id } = addIntegration();
    p.simulator.setIntegrationStatus(integrationId, 'disabled');
    expect(await send('IntegrationDisabled', integrationId)).toMatchObject({ status: 409 });
    expect(typesAbout(id)).toEqual([]);

    p.simulator.setIntegrationStatus(integrationId, 'enabled');
    await send('IntegrationCreated', integrationId);
    p.simulator.setIntegrationStatus(integrationId, 'disabled');
    expect(await send('IntegrationDisabled', integrationId)).toMatchObject({ status: 200 });
    expect(typesAbout(id)).toEqual([INTEGRATION_PROVISIONED, INTEGRATION_DISABLED]);
  });

  it('IntegrationApiKeyCreated replaces the stored access token', async () => {
    const { integrationId, id } = addIntegration();
    await send('IntegrationCreated', integrationId);
    const rotated = p.simulator.rotateIntegrationAccessToken(integrationId);
    accessTokens.push(rotated);
    expect(await send('IntegrationApiKeyCreated', integrationId)).toMatchObject({
      status: 200,
      body: { Result: 'token-rotated' },
    });
    expect(await p.services.integrationVault.getIntegrationToken(id)).toBe(rotated);
    expect(typesAbout(id)).toEqual([INTEGRATION_PROVISIONED]);
  });

  it('an action this service does not know is acknowledged and ignored', async () => {
    expect(await send('IntegrationRenamed', { Integration: { Id: 'x', Name: 'y' } })).toMatchObject({
      status: 200,
      body: { Result: 'ignored' },
    });
  });
});

describe('authentication and bad bodies', () => {
  it('a wrong URL secret gets 401 and nothing is stored', async () => {
    const { integrationId, id } = addIntegration();
    for (const secret of ['fake-integration-webhook-secret-wrong', 'x', `${TEST_INTEGRATION_SECRET}x`]) {
      const answer = await p.simulator.sendIntegrationWebhook('IntegrationCreated', integrationId, {
        secret,
      });
      expect(answer).toMatchObject({ status: 401, body: { Message: 'Unauthorized.' } });
    }
    expect((await p.simulator.postWebhook('/integrations/', {})).status).toBe(404);
    await p.settled();
    expect(await p.services.integrations.getIntegration(id)).toBeUndefined();
    expect(await p.services.integrationVault.getIntegrationToken(id)).toBeUndefined();
    expect(p.simulator.connectorRequests()).toEqual([]);
    expect(p.events).toEqual([]);
  });

  it.each([
    ['not JSON', '{"Action":'],
    ['no Action', { Data: {} }],
    ['no Data', { Action: 'IntegrationCreated' }],
    [
      'Data without the access token',
      { Action: 'IntegrationCreated', Data: { Integration: { Id: 'a', Name: 'b' } } },
    ],
    [
      'an integration id that is not a string',
      { Action: 'IntegrationDisabled', Data: { Integration: { Id: 7 } } },
    ],
  ])('refuses %s with 400 and changes nothing', async (_what, body) => {
    const answer = await p.simulator.postWebhook(`/integrations/${TEST_INTEGRATION_SECRET}`, body);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ Message: expect.stringMatching(/^Invalid/) });
    await p.settled();
    expect(p.events).toEqual([]);
    expect(await p.services.integrations.listIntegrations()).toEqual([]);
  });
});

/** Runs `fn` with the webhook's Connector API client swapped (the deps object is shared by reference). */
async function withConnector(connector: ConnectorClient, fn: () => Promise<void>) {
  const deps = p.webhookDeps.integrations;
  if (!deps) throw new Error('no integration deps');
  const original = deps.connector;
  deps.connector = connector;
  try {
    await fn();
  } finally {
    deps.connector = original;
  }
}
