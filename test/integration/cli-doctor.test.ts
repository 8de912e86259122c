import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../shared/cli/cli-io.js';
import { main } from '../../shared/cli/main.js';
import { type MewsSimulator, startMewsSimulator } from '../../shared/simulator/index.js';
import { freshTable } from '../support/dynamo.js';

/**
 * `provisioner doctor` (issue 10, part 3), one state directory per Mews environment and
 * `provisioner reset` (part 4), driven through the CLI in-process.
 */

let simulator: MewsSimulator;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  simulator = await startMewsSimulator();
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await simulator.close();
});

async function freshState(label: string) {
  const table = await freshTable(label);
  const stateDir = await mkdtemp(join(tmpdir(), `provisioner-${label}-`));
  cleanups.push(() => rm(stateDir, { recursive: true, force: true }));
  const cli = async (args: string[], env: Record<string, string | undefined> = {}) => {
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
        MEWS_TIMEOUT_SECONDS: '1',
        ...env,
      },
    };
    process.env.AWS_ENDPOINT_URL_DYNAMODB = table.endpoint;
    const code = await main(args, io);
    return { code, stdout, stderr };
  };
  return { cli, stateDir };
}

async function refusingAddress(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('doctor', () => {
  it('exits 0 when all is well, one line per check', async () => {
    const { cli } = await freshState('doctor-ok');
    await cli(['accounts', 'add', 'reception@sample-hostel.example']);
    const doctor = await cli(['doctor']);
    expect(doctor.stdout).toMatch(/^ok\s+java/m);
    expect(doctor.stdout).toMatch(/^ok\s+state dir\s+.* is writable; it belongs to the local simulator/m);
    expect(doctor.stdout).toMatch(/^ok\s+dynamodb\s+DynamoDB at .*: 1 account\(s\)/m);
    expect(doctor.stdout).toMatch(/^ok\s+mews\s+Mews at .* answers; the client token is valid/m);
    expect(doctor.stdout).toMatch(
      /^ok\s+account\s+acc_[0-9a-f]{16} \(r\*\*\*@s\*\*\*\.example\): Mews lists/m,
    );
    expect(doctor.stdout).toMatch(/all checks passed\n$/);
    expect(doctor.code).toBe(0);

    const asJson = JSON.parse((await cli(['doctor', '--json'])).stdout);
    expect(asJson.ok).toBe(true);
    expect(asJson.checks.map((c: { check: string }) => c.check)).toEqual([
      'java',
      'state dir',
      'dynamodb',
      'mews',
      'account',
    ]);
  });

  it('exits 1 for an unreachable Mews, naming the address', async () => {
    const { cli } = await freshState('doctor-unreachable');
    const address = await refusingAddress();
    const doctor = await cli(['doctor'], { MEWS_PLATFORM_ADDRESS: address });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(
      new RegExp(`^FAIL\\s+mews\\s+Mews cannot be reached at ${address}: connection refused`, 'm'),
    );
    expect(doctor.stdout).toMatch(/fix: check MEWS_PLATFORM_ADDRESS/);
    expect(doctor.stdout).toMatch(/^skip\s+accounts/m);
  });

  it('exits 1 for a wrong client token, saying so (not blaming the accounts)', async () => {
    const { cli } = await freshState('doctor-token');
    await cli(['accounts', 'add', 'reception@sample-hostel.example']);
    const doctor = await cli(['doctor', '--json'], { MEWS_CLIENT_TOKEN: 'not-the-client-token' });
    expect(doctor.code).toBe(1);
    const report = JSON.parse(doctor.stdout);
    const mews = report.checks.find((c: { check: string }) => c.check === 'mews');
    expect(mews).toMatchObject({ status: 'fail' });
    expect(mews.detail).toMatch(/the client token is wrong: getChannels .* code 8/);
    expect(mews.fix).toMatch(/MEWS_CLIENT_TOKEN/);
    expect(doctor.stdout).not.toContain('not-the-client-token');
  });

  it('exits 1 for an account Mews refuses, with the fix', async () => {
    const { cli } = await freshState('doctor-account');
    await cli(['accounts', 'add', 'former-manager@sample-hostel.example']);
    const doctor = await cli(['doctor']);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/^ok\s+mews/m);
    expect(doctor.stdout).toMatch(
      /^FAIL\s+account\s+acc_\w+ \(f\*\*\*@s\*\*\*\.example\): Mews refuses it \(code 8/m,
    );
  });
});

describe('one state directory per Mews environment', () => {
  it('records its environment on first use; another address is refused with how to proceed', async () => {
    const { cli, stateDir } = await freshState('env-mismatch');
    expect((await cli(['accounts', 'add', 'reception@sample-hostel.example'])).code).toBe(0);
    const recorded = JSON.parse(await readFile(join(stateDir, 'environment.json'), 'utf8'));
    expect(recorded.platformAddress).toBe('simulator');

    const demo = await cli(['run', '--once'], {
      MEWS_PLATFORM_ADDRESS: 'https://api.mews-demo.com',
      MEWS_CLIENT_TOKEN: 'demo-client-token',
    });
    expect(demo.code).toBe(2);
    expect(demo.stderr).toMatch(/belongs to the local simulator, not Mews at https:\/\/api\.mews-demo\.com/);
    expect(demo.stderr).toMatch(
      /--state-dir \.provisioner-demo \(or PROVISIONER_STATE_DIR=\.provisioner-demo\)/,
    );
    expect(demo.stderr).toMatch(/provisioner reset/);

    // Another environment, on an address that reaches no one (TEST-NET-1): nothing leaves for Mews.
    const doctor = await cli(['doctor'], {
      MEWS_PLATFORM_ADDRESS: 'http://192.0.2.1:9',
      MEWS_CLIENT_TOKEN: 'other-client-token',
      MEWS_TIMEOUT_SECONDS: '0.2',
    });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(
      /^FAIL\s+state dir\s+the state directory .* belongs to the local simulator/m,
    );
  });

  it('a state directory holding the seed accounts is never used against a real Mews', async () => {
    const { cli, stateDir } = await freshState('env-seed');
    await cli(['accounts', 'add', 'night-desk@sample-hostel.example']);
    await rm(join(stateDir, 'environment.json')); // as a state directory from before environments were recorded
    const demo = await cli(['run', '--once'], {
      MEWS_PLATFORM_ADDRESS: 'https://api.mews-demo.com',
      MEWS_CLIENT_TOKEN: 'demo-client-token',
    });
    expect(demo.code).toBe(2);
    expect(demo.stderr).toMatch(/holds the simulator's seed accounts \(n\*\*\*@s\*\*\*\.example\)/);
    expect(existsSync(join(stateDir, 'environment.json'))).toBe(false);
  });
});

describe('reset', () => {
  it('refuses without a terminal and without --yes; with --yes clears the state directory', async () => {
    const { cli, stateDir } = await freshState('reset');
    await cli(['accounts', 'add', 'reception@sample-hostel.example']);
    expect((await cli(['run', '--once'])).code).toBe(0);
    expect(existsSync(join(stateDir, 'events.jsonl'))).toBe(true);

    const refused = await cli(['reset']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/no terminal to confirm on: add --yes/);
    expect(JSON.parse((await cli(['accounts', 'list', '--json'])).stdout)).toHaveLength(1);

    const reset = await cli(['reset', '--yes']);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(/^reset .*: table .* emptied/);
    for (const name of ['events.jsonl', 'secrets', 'environment.json', 'last-cycle.json']) {
      expect(existsSync(join(stateDir, name))).toBe(false);
    }
    // The demo can be replayed, and the directory may now belong to another environment.
    const demoEnv = {
      MEWS_PLATFORM_ADDRESS: 'https://api.mews-demo.com',
      MEWS_CLIENT_TOKEN: 'demo-client-token',
    };
    const list = await cli(['accounts', 'list', '--json'], demoEnv);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
    const recorded = JSON.parse(await readFile(join(stateDir, 'environment.json'), 'utf8'));
    expect(recorded.platformAddress).toBe('https://api.mews-demo.com');
  });
});
