/**
 * Issue 9's lifecycle histories as an operator runs them: the documented CLI (`accounts add`,
 * `accounts remove`, `run --once`, `connections resync`) against the Mews simulator, reading the
 * events from the state directory's events.jsonl as a subscriber would. Races and crashes cannot
 * be typed at a prompt; their CLI-visible halves are here (a move between accounts, a token lost
 * from the vault), their interleavings in lifecycle-regressions.test.ts.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../shared/cli/cli-io.js';
import { main } from '../../shared/cli/main.js';
import { connectionIdFromToken } from '../../shared/domain/identity.js';
import { type MewsSimulator, startMewsSimulator } from '../../shared/simulator/index.js';
import { freshTable, type TestTable } from '../support/dynamo.js';

let table: TestTable;
let simulator: MewsSimulator;
let stateDir: string;

async function setUp(label: string) {
  table = await freshTable(label);
  simulator = await startMewsSimulator();
  stateDir = await mkdtemp(join(tmpdir(), `provisioner-${label}-`));
}
afterEach(async () => {
  await simulator?.close();
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    out: (t) => {
      stdout += t;
    },
    err: (t) => {
      stderr += t;
    },
    progress: () => {},
    env: {
      PROVISIONER_STATE_DIR: stateDir,
      PROVISIONER_TABLE_NAME: table.tableName,
      MEWS_PLATFORM_ADDRESS: simulator.url,
      MEWS_CLIENT_TOKEN: simulator.clientToken,
    },
  };
  process.env.AWS_ENDPOINT_URL_DYNAMODB = table.endpoint;
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const run = async () => {
  const result = await cli('run', '--once');
  expect(result.code).toBe(0);
  return result;
};

async function events(): Promise<{ 'detail-type': string; detail: Record<string, unknown> }[]> {
  const text = await readFile(join(stateDir, 'events.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}
const typesAbout = async (id: string) =>
  (await events())
    .filter((e) => (e.detail.connection as { id?: string } | undefined)?.id === id)
    .map((e) => e['detail-type']);

/** One enterprise, one account seeing one property of `connections` connections. */
async function enterprise(label: string, connections: number) {
  await setUp(label);
  const email = `${label}@cli-regression.example`;
  const added = simulator.addEnterprise({
    id: `${label}-e`,
    accounts: [email],
    properties: [{ id: `${label}-p`, connections }],
  });
  expect((await cli('accounts', 'add', email)).code).toBe(0);
  return { email, propertyId: `${label}-p`, tokens: added.properties[0]?.connectionTokens ?? [] };
}

describe('issue 9 histories through the CLI', () => {
  it('1: refused, gone and back: Provisioning Failed, then Provisioned; never Removed', async () => {
    const { propertyId, tokens } = await enterprise('cli-never-provisioned', 1);
    const token = tokens[0] as string;
    const id = connectionIdFromToken(token);
    const fault = simulator.addFault({
      operation: 'getConfiguration',
      connectionToken: token,
      mewsErrorCode: 3,
    });
    await run();
    simulator.removeConnection(token);
    await run();
    await run();
    simulator.removeFault(fault);
    simulator.addConnection(propertyId, { token });
    await run();
    await run();
    expect(await typesAbout(id)).toEqual(['Connection Provisioning Failed', 'Connection Provisioned']);
  });

  it('2: listed again by a held poll: not removed until two new consecutive misses', async () => {
    const { propertyId, tokens } = await enterprise('cli-held', 6);
    const [x, ...others] = tokens as [string, ...string[]];
    const id = connectionIdFromToken(x);
    await run();
    simulator.removeConnection(x);
    await run();
    simulator.addConnection(propertyId, { token: x });
    for (const t of others.slice(0, 4)) simulator.removeConnection(t);
    expect((await run()).stdout).toMatch(/removals held/);
    for (const t of others.slice(0, 4)) simulator.addConnection(propertyId, { token: t });
    simulator.removeConnection(x);
    await run();
    expect(await typesAbout(id)).toEqual(['Connection Provisioned']);
    await run();
    expect(await typesAbout(id)).toEqual(['Connection Provisioned', 'Connection Removed']);
  });

  it('3: a property moving to another account is never removed, and keeps its token', async () => {
    await setUp('cli-move');
    const from = 'from@cli-regression.example';
    const to = 'to@cli-regression.example';
    const added = simulator.addEnterprise({
      id: 'cli-move-e',
      accounts: [
        { email: from, propertyIds: ['cli-move-a'] },
        { email: to, propertyIds: ['cli-move-b'] },
      ],
      properties: [
        { id: 'cli-move-a', connections: 1 },
        { id: 'cli-move-b', connections: 1 },
      ],
    });
    const token = added.properties[0]?.connectionTokens[0] as string;
    const id = connectionIdFromToken(token);
    await cli('accounts', 'add', from);
    await cli('accounts', 'add', to);
    await run();
    simulator.removeAccount(from);
    simulator.addAccount('cli-move-e', { email: from, propertyIds: ['cli-move-b'] });
    await run();
    simulator.removeAccount(to);
    simulator.addAccount('cli-move-e', { email: to, propertyIds: ['cli-move-a', 'cli-move-b'] });
    await run();
    await run();
    expect(await typesAbout(id)).toEqual(['Connection Provisioned']);
    const shown = JSON.parse((await cli('connections', 'show', id, '--json')).stdout);
    expect(shown).toMatchObject({ status: 'provisioned' });
    expect((await cli('connections', 'resync', id)).code).toBe(0);
  });

  it('4: a token lost from the vault is stored again by the next run, and a resync then works', async () => {
    const { tokens } = await enterprise('cli-lost-token', 2);
    const id = connectionIdFromToken(tokens[0] as string);
    await run();
    await rm(join(stateDir, 'secrets', `${id}.json`));
    const first = await cli('connections', 'resync', id);
    expect(first.stdout).toMatch(/awaiting-token|no token/);
    await run();
    const second = await cli('connections', 'resync', id);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/unchanged/);
    expect(JSON.parse(await readFile(join(stateDir, 'secrets', `${id}.json`), 'utf8'))).toMatchObject({
      connectionId: id,
    });
  });

  it('6: every name and mapping of a big property changed: one event under 256 KB, marked truncated', async () => {
    await setUp('cli-huge');
    const email = 'huge@cli-regression.example';
    const size = {
      spaceCategories: 250,
      ratePlans: 250,
      products: 250,
      ageCategories: 100,
      companies: 0,
      travelAgencies: 0,
    };
    const added = simulator.addEnterprise({
      id: 'cli-huge-e',
      accounts: [email],
      properties: [{ id: 'cli-huge-p', connections: 1, generatedConfiguration: size }],
    });
    const id = connectionIdFromToken(added.properties[0]?.connectionTokens[0] as string);
    await cli('accounts', 'add', email);
    await run();
    const renamed = (name: unknown) => `${String(name)} – chambre supérieure rénovée, petit-déjeuner inclus`;
    simulator.updateConfiguration('cli-huge-p', (c) => ({
      ...c,
      spaceCategories: c.spaceCategories.map((x) => ({ ...x, name: renamed(x.name) })),
      ratePlans: c.ratePlans.map((x) => ({ ...x, name: renamed(x.name) })),
      products: (c.products ?? []).map((x) => ({ ...x, name: renamed(x.name) })),
      inventoryMappings: (c.inventoryMappings ?? []).map((m) => ({
        ...m,
        spaceTypeCode: `${m.spaceTypeCode}-B`,
      })),
    }));
    expect((await cli('connections', 'resync', id)).code).toBe(0);
    const text = await readFile(join(stateDir, 'events.jsonl'), 'utf8');
    const line = text.split('\n').find((l) => l.includes('"Connection Configuration Changed"')) ?? '';
    expect(Buffer.byteLength(line)).toBeLessThan(256 * 1024);
    expect(JSON.parse(line).detail).toMatchObject({ truncated: true, connection: { id } });
  });

  it('5: an account removed and registered again is announced failing again', async () => {
    await setUp('cli-registered-again');
    const email = 'former-manager@sample-hostel.example';
    await cli('accounts', 'add', email);
    await run();
    expect((await cli('accounts', 'remove', email)).code).toBe(0);
    await cli('accounts', 'add', email);
    const again = await run();
    expect(again.stdout).not.toMatch(/gave up/);
    const failed = (await events()).filter((e) => e['detail-type'] === 'Account Access Failed');
    expect(failed).toHaveLength(2);
    expect(new Set(failed.map((e) => e.detail.eventId)).size).toBe(2);
  });
});
