import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getConfigurationResponseSchema } from '../../../shared/mews/configuration.schema.js';
import { getPropertiesResponseSchema } from '../../../shared/mews/properties.schema.js';
import { type MewsSimulator, startMewsSimulator } from '../../../shared/simulator/index.js';
import { admin, CENTRAL_DORMS, mewsJson, RECEPTION } from './simulator-http.js';

let sim: MewsSimulator;
beforeAll(async () => {
  sim = await startMewsSimulator();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const listing = async (email = RECEPTION) =>
  getPropertiesResponseSchema.parse(
    await mewsJson(sim, 'getProperties', { clientToken: sim.clientToken, email }),
  );
const tokensOf = async (propertyId: string, email = RECEPTION) =>
  (await listing(email)).properties.find((p) => p.id === propertyId)?.connections.map((c) => c.token) ?? [];
const configurationOf = async (connectionToken: string, extent: Record<string, boolean> = {}) =>
  getConfigurationResponseSchema.parse(
    await mewsJson(sim, 'getConfiguration', { clientToken: sim.clientToken, connectionToken, extent }),
  );

describe('admin API over HTTP', () => {
  it('adds a connection (deterministic fake token) and removes it, visible in getProperties', async () => {
    const added = await admin(sim, 'addConnection', { propertyId: 'harbour-hostel-annex', name: 'New one' });
    expect(added).toEqual({ status: 200, json: { token: 'fake-conn-0001' } });
    expect(await tokensOf('harbour-hostel-annex')).toEqual(['fake-conn-0001']);
    expect((await configurationOf('fake-conn-0001')).property.name).toBe('Harbour Hostel Annex');

    expect(await admin(sim, 'removeConnection', { token: 'fake-conn-0001' })).toEqual({
      status: 200,
      json: { removed: true },
    });
    expect(await tokensOf('harbour-hostel-annex')).toEqual([]);
    expect((await admin(sim, 'removeConnection', { token: 'fake-conn-0001' })).json).toEqual({
      removed: false,
    });
  });

  it('patches a configuration: add a category, rename, reorder', async () => {
    const current = sim.configurationOf('harbour-hostel-central');
    const categories = [
      ...current.spaceCategories.reverse(),
      { code: 'QUAD', name: 'Quad room', isSynchronized: true, spaceCount: 2 },
    ];
    const patched = await admin(sim, 'patchConfiguration', {
      propertyId: 'harbour-hostel-central',
      patch: { spaceCategories: categories, property: { description: 'Renovated.' } },
    });
    expect(patched.status).toBe(200);
    const config = await configurationOf(CENTRAL_DORMS, { includeUnsynchronizedCategories: true });
    expect(config.spaceCategories.map((c) => c.code)).toEqual(['FAM4', 'PRIV2', 'DORM4F', 'DORM8', 'QUAD']);
    expect(config.property.description).toBe('Renovated.');
    expect(config.property.name).toBe('Harbour Hostel Central');

    await admin(sim, 'renameProperty', { propertyId: 'harbour-hostel-central', name: 'Harbour Central' });
    expect((await listing()).properties[0]?.name).toBe('Harbour Central');
    expect((await configurationOf(CENTRAL_DORMS)).property.name).toBe('Harbour Central');
  });

  it('sets a whole configuration (in-process updateConfiguration too)', async () => {
    await admin(sim, 'setConfiguration', {
      propertyId: 'harbour-hostel-docks',
      configuration: { property: { name: 'Docks', spaceCount: 1 }, spaceCategories: [{ code: 'ONE' }] },
    });
    const config = await configurationOf('fake-conn-harbour-docks');
    expect(config.spaceCategories.map((c) => c.code)).toEqual(['ONE']);
    expect(config.ratePlans).toEqual([]);

    sim.updateConfiguration('harbour-hostel-docks', (c) => ({
      ...c,
      ratePlans: [{ code: 'R1', name: 'Rate' }],
    }));
    expect((await configurationOf('fake-conn-harbour-docks')).ratePlans.map((r) => r.code)).toEqual(['R1']);
  });

  it('adds and removes an employee email', async () => {
    const email = 'new-hire@sample-hostel.example';
    expect(
      (await mewsJson(sim, 'getProperties', { clientToken: sim.clientToken, email })) as object,
    ).toMatchObject({
      success: false,
    });
    expect(
      (await admin(sim, 'addAccount', { enterpriseId: 'harbour-hostels', account: email })).json,
    ).toEqual({ email });
    expect((await listing(email)).properties).toHaveLength(3);
    await admin(sim, 'setAccountLocked', { email, lockedOut: true });
    expect(await mewsJson(sim, 'getProperties', { clientToken: sim.clientToken, email })).toMatchObject({
      errors: [{ code: 8 }],
    });
    expect((await admin(sim, 'removeAccount', { email })).json).toEqual({ removed: true });
  });

  it('adds enterprises in bulk, with generated properties and connections', async () => {
    const { status, json } = await admin(sim, 'addEnterprises', {
      enterprises: Array.from({ length: 20 }, (_, i) => ({
        accounts: [`load-${i}@load-test.example`],
        properties: [{ connections: 2 }, { connections: 0 }, {}],
      })),
    });
    expect(status).toBe(200);
    const added = json as Array<{
      id: string;
      accounts: string[];
      properties: Array<{ connectionTokens: string[] }>;
    }>;
    expect(added).toHaveLength(20);
    expect(added[0]?.properties.map((p) => p.connectionTokens)).toEqual([
      ['fake-conn-0001', 'fake-conn-0002'],
      [],
      ['fake-conn-0003'],
    ]);
    const props = await listing('load-19@load-test.example');
    expect(props.properties.map((p) => p.connections.length)).toEqual([2, 0, 1]);
    const token = props.properties[0]?.connections[0]?.token ?? '';
    expect((await configurationOf(token)).spaceCategories.length).toBeGreaterThan(0);
  });

  it('adds a property to an existing enterprise, in-process', async () => {
    const added = sim.addProperty('quiet-inn', {
      id: 'quiet-inn-garden',
      name: 'Quiet Inn Garden',
      connections: [{ name: 'Garden' }],
    });
    expect(added).toEqual({
      id: 'quiet-inn-garden',
      name: 'Quiet Inn Garden',
      connectionTokens: ['fake-conn-0001'],
    });
    expect((await listing('owner@quiet-inn.example')).properties).toEqual([
      {
        id: 'quiet-inn-garden',
        name: 'Quiet Inn Garden',
        connections: [{ token: 'fake-conn-0001', name: 'Garden' }],
      },
    ]);
  });

  it('adds faults over HTTP', async () => {
    const { json } = await admin(sim, 'addFault', { operation: 'getChannels', httpStatus: 503, times: 1 });
    expect(json).toEqual({ id: 'fault-1' });
    expect((await admin(sim, 'faults', undefined, 'GET')).json).toHaveLength(1);
    const response = await fetch(`${sim.url}/api/channelManager/v1/getChannels`, {
      method: 'POST',
      body: JSON.stringify({ clientToken: sim.clientToken }),
    });
    expect(response.status).toBe(503);
    await response.text();
    await admin(sim, 'addFault', { operation: 'getChannels', hang: true });
    await admin(sim, 'clearFaults', {});
    expect((await admin(sim, 'faults', undefined, 'GET')).json).toEqual([]);
  });

  it('counts calls and logs requests without tokens', async () => {
    await listing();
    await configurationOf(CENTRAL_DORMS);
    await mewsJson(sim, 'getConfiguration', {
      clientToken: sim.clientToken,
      connectionToken: 'fake-conn-missing',
    });
    const { json } = await admin(sim, 'calls', undefined, 'GET');
    const { calls, requests } = json as { calls: unknown; requests: Array<Record<string, unknown>> };
    expect(calls).toEqual({ getProperties: 1, getConfiguration: 2, getChannels: 0 });
    expect(requests.map((r) => [r.operation, r.outcome, r.propertyId, r.errorCode])).toEqual([
      ['getProperties', 'success', undefined, undefined],
      ['getConfiguration', 'success', 'harbour-hostel-central', undefined],
      ['getConfiguration', 'error', undefined, 8],
    ]);
    expect(requests[0]?.email).toBe(RECEPTION);
    expect(JSON.stringify(requests)).not.toContain('fake-conn');
    expect(JSON.stringify(requests)).not.toContain(sim.clientToken);
    sim.clearCalls();
    expect(sim.calls()).toEqual({ getProperties: 0, getConfiguration: 0, getChannels: 0 });
  });

  it('resets to the seed: state, token counter, faults and counters', async () => {
    const before = sim.state();
    sim.addConnection('harbour-hostel-annex');
    sim.removeConnection(CENTRAL_DORMS);
    sim.addFault({ operation: 'getProperties', httpStatus: 500 });
    await admin(sim, 'reset');
    expect(sim.state()).toEqual(before);
    expect(sim.faults()).toEqual([]);
    expect(sim.calls().getProperties).toBe(0);
    expect(sim.addConnection('harbour-hostel-annex')).toBe('fake-conn-0001');
  });

  it('rejects bad input with 400 naming the problem, unknown routes with 404', async () => {
    const unknownProperty = await admin(sim, 'addConnection', { propertyId: 'nope' });
    expect(unknownProperty).toEqual({ status: 400, json: { error: 'no property nope' } });
    const missing = await admin(sim, 'addConnection', {});
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.json)).toContain('propertyId');
    const badFault = await admin(sim, 'addFault', { operation: 'getProperties', httpStatus: 418 });
    expect(badFault.status).toBe(400);
    const duplicate = await admin(sim, 'addEnterprise', { id: 'quiet-inn', accounts: [], properties: [] });
    expect(duplicate).toEqual({ status: 400, json: { error: 'enterprise quiet-inn already exists' } });
    const badSpec = await admin(sim, 'addEnterprise', { accounts: ['not-an-email'], properties: [] });
    expect(badSpec.status).toBe(400);
    expect((await admin(sim, 'nothingHere')).status).toBe(404);
    const raw = await fetch(`${sim.url}/_admin/addConnection`, { method: 'POST', body: 'not json' });
    expect(raw.status).toBe(400);
    await raw.text();
  });

  it('a failed bulk add leaves nothing behind', async () => {
    const before = sim.state();
    const failed = await admin(sim, 'addEnterprise', {
      id: 'half-done',
      accounts: [{ email: 'x@half-done.example', propertyIds: ['not-there'] }],
      properties: [{ connections: 2 }],
    });
    expect(failed.status).toBe(400);
    expect(sim.state()).toEqual(before);
  });

  it('lists its routes at GET /_admin and serves state and configuration', async () => {
    const index = await fetch(`${sim.url}/_admin`);
    const { routes } = (await index.json()) as { routes: Array<{ path: string }> };
    expect(routes.map((r) => r.path)).toContain('/_admin/addFault');
    const state = await admin(sim, 'state', undefined, 'GET');
    expect(JSON.stringify(state.json)).toContain('harbour-hostel-central');
    const config = await admin(sim, 'configuration?propertyId=grand-resort', undefined, 'GET');
    expect((config.json as { companies: unknown[] }).companies).toHaveLength(300);
  });
});
