import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MewsSimulator, startMewsSimulator } from '../../../shared/simulator/index.js';
import { admin, CENTRAL_DORMS, mewsJson } from './simulator-http.js';

/**
 * The simulator's side of Mews' push channels: connections disabled in Mews, the Connector API's
 * configuration/get, and change notifications and integration webhooks sent to a target (here a
 * bare HTTP server recording what arrives).
 */
let sim: MewsSimulator;
let target: { url: string; close: () => Promise<void> };
const received: { path: string; body: unknown }[] = [];
let answerStatus = 200;

beforeAll(async () => {
  sim = await startMewsSimulator();
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    received.push({
      path: req.url ?? '',
      body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'),
    });
    res.writeHead(answerStatus, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ success: true }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  target = {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
});
afterAll(async () => {
  await sim.close();
  await target.close();
});
beforeEach(() => {
  sim.reset();
  received.length = 0;
  answerStatus = 200;
  sim.setWebhookTarget({ url: `${target.url}/`, integrationSecret: 'fake-secret-in-url' });
});

const configuration = (connectionToken: string) =>
  mewsJson(sim, 'getConfiguration', { clientToken: sim.clientToken, connectionToken });

const connectorGet = (body: unknown) =>
  fetch(`${sim.url}/api/connector/v1/configuration/get`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('a connection disabled in Mews', () => {
  it('stays listed, answers getConfiguration with code 3 until enabled again', async () => {
    sim.setConnectionEnabled(CENTRAL_DORMS, false);
    expect(await configuration(CENTRAL_DORMS)).toMatchObject({ success: false, errors: [{ code: 3 }] });
    expect(JSON.stringify(sim.state())).toContain(CENTRAL_DORMS);

    expect((await admin(sim, 'setConnectionEnabled', { token: CENTRAL_DORMS, enabled: true })).status).toBe(
      200,
    );
    expect(await configuration(CENTRAL_DORMS)).toMatchObject({ success: true });
    expect(() => sim.setConnectionEnabled('fake-conn-unknown', false)).toThrow(/no such connection/);
  });
});

describe('change notifications', () => {
  it('POSTs the documented body with the client token, by code or name, to the path asked', async () => {
    const first = await sim.notify(CENTRAL_DORMS, 'deactivated');
    await sim.notify(CENTRAL_DORMS, 4, { path: '/changeNotificaton', clientToken: 'fake-other' });

    expect(first).toMatchObject({ status: 200, body: { success: true } });
    expect(received).toEqual([
      {
        path: '/changeNotification',
        body: { clientToken: sim.clientToken, connectionToken: CENTRAL_DORMS, type: 3 },
      },
      {
        path: '/changeNotificaton',
        body: { clientToken: 'fake-other', connectionToken: CENTRAL_DORMS, type: 4 },
      },
    ]);
    expect(sim.sentWebhooks().map((w) => [w.kind, w.what, w.status])).toEqual([
      ['changeNotification', 'deactivated', 200],
      ['changeNotification', 'deleted', 200],
    ]);
    expect(JSON.stringify(sim.sentWebhooks())).not.toContain(CENTRAL_DORMS);
  });

  it('over the admin API too; an unreachable target is an answer without a status, not an error', async () => {
    const sent = await admin(sim, 'notify', { connectionToken: CENTRAL_DORMS, type: 'updated' });
    expect(sent).toMatchObject({ status: 200, json: { status: 200, body: { success: true } } });
    expect((await admin(sim, 'notify', { connectionToken: CENTRAL_DORMS, type: 9 })).status).toBe(400);

    sim.setWebhookTarget({ url: 'http://127.0.0.1:9' });
    expect(await sim.notify(CENTRAL_DORMS, 1)).toMatchObject({ status: null, error: expect.any(String) });
  });
});

describe('Connector API and integration webhooks', () => {
  it('configuration/get answers for a known access token, with the Client name recorded', async () => {
    const added = sim.addIntegration({ enterpriseId: 'harbour-hostels' });
    const ok = await connectorGet({
      ClientToken: sim.clientToken,
      AccessToken: added.accessToken,
      Client: 'Test 1.0',
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      Enterprise: { Id: 'harbour-hostels', Name: 'Harbour Hostels', Currencies: [{ Currency: 'GBP' }] },
      Service: { Name: 'Accommodation' },
    });
    expect(sim.connectorRequests()).toEqual([
      expect.objectContaining({ client: 'Test 1.0', httpStatus: 200, integrationId: added.integrationId }),
    ]);
  });

  it.each([
    ['not JSON', '{', 400],
    ['no Client', { ClientToken: 'fake-client-token-simulator', AccessToken: 'fake-access-0001' }, 400],
    ['a wrong client token', { ClientToken: 'fake-x', AccessToken: 'fake-access-0001', Client: 'T 1' }, 401],
    [
      'an unknown access token',
      { ClientToken: 'fake-client-token-simulator', AccessToken: 'fake-x', Client: 'T 1' },
      401,
    ],
  ])('configuration/get refuses %s with %i', async (_what, body, status) => {
    sim.addIntegration({ enterpriseId: 'harbour-hostels' });
    const response = await connectorGet(body);
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ Message: expect.any(String) });
  });

  it('a disabled integration gets 403, a deleted one 401, a rotated key only works new', async () => {
    const { integrationId, accessToken } = sim.addIntegration({ enterpriseId: 'harbour-hostels' });
    const get = (token: string) =>
      connectorGet({ ClientToken: sim.clientToken, AccessToken: token, Client: 'T 1' });
    sim.setIntegrationStatus(integrationId, 'disabled');
    expect((await get(accessToken)).status).toBe(403);
    sim.setIntegrationStatus(integrationId, 'enabled');
    const rotated = sim.rotateIntegrationAccessToken(integrationId);
    expect((await get(accessToken)).status).toBe(401);
    expect((await get(rotated)).status).toBe(200);
    sim.setIntegrationStatus(integrationId, 'deleted');
    expect((await get(rotated)).status).toBe(401);
  });

  it('sends the documented webhook bodies to /integrations/<secret>', async () => {
    const { integrationId, accessToken } = sim.addIntegration({
      enterpriseId: 'harbour-hostels',
      name: 'Sync',
      requestor: { name: 'Ada', email: 'ada@sample-hostel.example' },
    });
    await sim.sendIntegrationWebhook('IntegrationCreated', integrationId);
    sim.setIntegrationStatus(integrationId, 'deleted');
    await sim.sendIntegrationWebhook('IntegrationDeleted', integrationId);
    await admin(sim, 'sendIntegrationWebhook', {
      action: 'IntegrationEnabled',
      data: { Integration: { Id: 'x' } },
    });

    expect(received.map((r) => r.path)).toEqual([
      '/integrations/fake-secret-in-url',
      '/integrations/fake-secret-in-url',
      '/integrations/fake-secret-in-url',
    ]);
    expect(received[0]?.body).toEqual({
      Action: 'IntegrationCreated',
      Data: {
        Enterprise: { Id: 'harbour-hostels', Name: 'Harbour Hostels' },
        Service: { Id: 'accommodation', Name: 'Accommodation' },
        Requestor: { Name: 'Ada', Email: 'ada@sample-hostel.example' },
        AccessToken: accessToken,
        CreatedUtc: expect.stringMatching(/Z$/),
        IsEnabled: true,
        Integration: { Id: integrationId, Name: 'Sync' },
      },
    });
    expect(received[1]?.body).toEqual({
      Action: 'IntegrationDeleted',
      Data: { DeletedUtc: expect.stringMatching(/Z$/), Integration: { Id: integrationId, Name: 'Sync' } },
    });
    expect(received[2]?.body).toEqual({ Action: 'IntegrationEnabled', Data: { Integration: { Id: 'x' } } });
    expect(JSON.stringify(sim.sentWebhooks())).not.toContain('fake-secret-in-url');
    expect((await admin(sim, 'integrations', undefined, 'GET')).json).toMatchObject({
      integrations: [{ id: integrationId, status: 'deleted' }],
    });
  });
});
