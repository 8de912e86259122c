import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../shared/cli/cli-io.js';
import { main } from '../../shared/cli/main.js';
import { accountIdFromEmail, connectionIdFromToken } from '../../shared/domain/identity.js';
import { type MewsSimulator, startMewsSimulator } from '../../shared/simulator/index.js';
import { freshTable, type TestTable } from '../support/dynamo.js';

let table: TestTable;
let simulator: MewsSimulator;
let stateDir: string;

beforeAll(async () => {
  table = await freshTable('cli');
  simulator = await startMewsSimulator();
  stateDir = await mkdtemp(join(tmpdir(), 'provisioner-cli-'));
});
afterAll(async () => {
  await simulator.close();
  await rm(stateDir, { recursive: true, force: true });
});

const progress: string[] = [];

/** Runs the CLI in-process against DynamoDB Local and the simulator. */
async function cli(args: string[], env: Record<string, string | undefined> = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    out: (t) => {
      stdout += t;
    },
    err: (t) => {
      stderr += t;
    },
    progress: (t) => {
      progress.push(t);
    },
    env: {
      PROVISIONER_STATE_DIR: stateDir,
      PROVISIONER_TABLE_NAME: table.tableName,
      MEWS_PLATFORM_ADDRESS: simulator.url,
      MEWS_CLIENT_TOKEN: simulator.clientToken,
      ...env,
    },
  };
  process.env.AWS_ENDPOINT_URL_DYNAMODB = table.endpoint;
  const code = await main(args, io);
  return { code, stdout, stderr };
}

describe('accounts', () => {
  it('add is idempotent and case-insensitive; list shows it once; --json is machine-readable', async () => {
    const first = await cli(['accounts', 'add', 'Reception@Sample-Hostel.example', '--label', 'Front desk']);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/^registered acc_[0-9a-f]{16} \(r\*\*\*@s\*\*\*\.example\)/);
    const again = await cli(['accounts', 'add', 'reception@sample-hostel.example']);
    expect(again.stdout).toMatch(/^already registered/);

    const list = await cli(['accounts', 'list', '--json']);
    const accounts = JSON.parse(list.stdout);
    expect(accounts).toHaveLength(1);
    expect(accounts[0]).toMatchObject({
      id: accountIdFromEmail('reception@sample-hostel.example'),
      email: 'reception@sample-hostel.example',
      label: 'Front desk',
      access: { status: 'ok' },
    });
    expect((await cli(['accounts', 'list'])).stdout).toMatch(
      /ID\s+EMAIL\s+LABEL\s+ACCESS\s+HOLD\n.*Front desk\s+ok/,
    );
  });

  it('rejects a bad email with exit 2, a message saying what to give, and registers nothing', async () => {
    const before = (await cli(['accounts', 'list', '--json'])).stdout;
    const bad = await cli(['accounts', 'add', 'not-an-email']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a valid email address: give the Mews employee email/);
    expect((await cli(['accounts', 'list', '--json'])).stdout).toBe(before);
  });

  it('remove says when the email was not registered', async () => {
    await cli(['accounts', 'add', 'temp@sample-hostel.example']);
    expect(await cli(['accounts', 'remove', 'TEMP@sample-hostel.example'])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^removed acc_[0-9a-f]{16}\n$/),
    });
    const missing = await cli(['accounts', 'remove', 'temp@sample-hostel.example']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no such account/);
  });
});

describe('accounts release', () => {
  it('says when there is nothing to release', async () => {
    const result = await cli(['accounts', 'release', 'reception@sample-hostel.example']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no held disappearance to release/);
  });
});

describe('run --once and connections', () => {
  it('provisions, reports per account, keeps going past a failing account, and shows connections', async () => {
    await cli(['accounts', 'add', 'former-manager@sample-hostel.example']);
    const run = await cli(['run', '--once']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/polled 2 account\(s\)/);
    expect(run.stdout).toMatch(/access failed \(Mews code 8\)/);
    expect(run.stdout).toMatch(/4 connection\(s\) listed, 4 new/);
    expect(run.stdout).toMatch(/published 5 event\(s\)/);
    expect(run.stdout).not.toMatch(/fake-/);

    const list = JSON.parse((await cli(['connections', 'list', '--json'])).stdout);
    expect(list).toHaveLength(4);
    const id = connectionIdFromToken('fake-conn-harbour-central-dorms');
    const show = await cli(['connections', 'show', id]);
    expect(show.stdout).toMatch(new RegExp(`id\\s+${id}`));
    expect(show.stdout).toMatch(/status\s+provisioned/);
    expect(show.stdout).toMatch(/property\s+Harbour Hostel Central \(harbour-hostel-central\)/);
    expect(JSON.parse((await cli(['connections', 'show', id, '--json'])).stdout)).toMatchObject({
      id,
      status: 'provisioned',
    });

    const again = await cli(['run', '--once']);
    expect(again.stdout).toMatch(/published 0 event\(s\)/);
  });

  it('answers an unknown or malformed connection id clearly', async () => {
    const malformed = await cli(['connections', 'show', 'nope']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(
      /'nope' is not a connection id: they look like con_ followed by 24 hex digits/,
    );
    const unknown = await cli(['connections', 'show', 'con_000000000000000000000000']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no connection con_000000000000000000000000/);
  });
});

describe('usage and configuration errors', () => {
  it.each([
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['run'], /run needs --once/],
    [['accounts', 'add'], /missing <email>/],
    [['accounts', 'list', '--bogus'], /unknown option '--bogus' \(/],
  ])('%j exits 2 with a message and a pointer to --help', async (args, message) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/--help/);
  });

  it('names the bad variable and what it must be', async () => {
    const badAddress = await cli(['accounts', 'list'], { MEWS_PLATFORM_ADDRESS: 'not a url' });
    expect(badAddress.code).toBe(2);
    expect(badAddress.stderr).toMatch(/MEWS_PLATFORM_ADDRESS="not a url" must be the Mews platform address/);
    const noToken = await cli(['accounts', 'list'], { MEWS_CLIENT_TOKEN: undefined });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/MEWS_CLIENT_TOKEN is missing/);
  });

  it('exits 1 with a clear message when the state store is unreachable', async () => {
    const saved = table.endpoint;
    const result = await (async () => {
      process.env.AWS_ENDPOINT_URL_DYNAMODB = 'http://127.0.0.1:9';
      let stderr = '';
      const code = await main(['run', '--once'], {
        out: () => {},
        progress: () => {},
        err: (t) => {
          stderr += t;
        },
        env: {
          PROVISIONER_STATE_DIR: stateDir,
          PROVISIONER_TABLE_NAME: table.tableName,
          MEWS_PLATFORM_ADDRESS: simulator.url,
          MEWS_CLIENT_TOKEN: simulator.clientToken,
        },
      });
      process.env.AWS_ENDPOINT_URL_DYNAMODB = saved;
      return { code, stderr };
    })();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /the state store \(DynamoDB at http:\/\/127.0.0.1:9, table .*\) is unreachable: .*Check AWS_ENDPOINT_URL_DYNAMODB/,
    );
  });

  it('prints help with exit 0', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: provisioner <command>/);
    expect((await cli(['accounts', '--help'])).stdout).toMatch(/accounts add <email> \[--label L\]/);
  });
});

describe('operations', () => {
  const dorms = connectionIdFromToken('fake-conn-harbour-central-dorms');

  it('status counts accounts, connections, the outbox, queues and the last cycle', async () => {
    const status = JSON.parse((await cli(['status', '--json'])).stdout);
    expect(status).toMatchObject({
      where: `local (${stateDir})`,
      accounts: { failing: 1, held: 0 },
      connections: { provisioned: 4, removed: 0 },
      outbox: { pending: 0 },
      lastCycle: { summary: expect.stringMatching(/account\(s\) polled/) },
    });
    expect(status.queues.map((q: { queue: string }) => q.queue)).toEqual([
      'account-polls',
      'account-polls-dlq',
      'connection-syncs',
      'connection-syncs-dlq',
    ]);
    expect((await cli(['status'])).stdout).toMatch(/connections\s+4: 0 discovered, 4 provisioned/);
  });

  it('connections resync checks one connection against Mews now and publishes its change', async () => {
    simulator.patchConfiguration('harbour-hostel-central', {
      ratePlans: [{ code: 'ONLY', name: 'The only rate', isSynchronized: true }],
    });
    const result = await cli(['connections', 'resync', dorms]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(new RegExp(`checked ${dorms}: changed, 1 event\\(s\\) published`));
    expect((await cli(['connections', 'resync', 'con_000000000000000000000000'])).code).toBe(1);
  });

  it("events replay republishes a connection's events with their original eventIds, with progress", async () => {
    const { readFile } = await import('node:fs/promises');
    const lines = async () =>
      (await readFile(join(stateDir, 'events.jsonl'), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
    const before = (await lines()).filter((e) => e.detail.connection?.id === dorms);
    progress.length = 0;

    const result = await cli(['events', 'replay', '--connection', dorms]);

    expect(result.stdout).toBe(
      `replayed ${before.length} event(s) of ${dorms} with their original eventIds\n`,
    );
    const after = (await lines()).filter((e) => e.detail.connection?.id === dorms);
    expect(after.map((e) => e.detail.eventId)).toEqual([...before, ...before].map((e) => e.detail.eventId));
    expect(progress.at(-1)).toBe(`replayed ${before.length}/${before.length}`);
    const future = await cli(['events', 'replay', '--connection', dorms, '--since', '2999-01-01T00:00:00Z']);
    expect(future.stdout).toMatch(/^replayed 0 event/);
    const bad = await cli(['events', 'replay', '--connection', dorms, '--since', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--since 'yesterday' is not a time/);
  });

  it('accounts import registers every row, idempotently; one bad row imports nothing', async () => {
    const { writeFile } = await import('node:fs/promises');
    const good = join(stateDir, 'accounts.csv');
    await writeFile(
      good,
      'email,label\nfrontdesk@lakeside-hotel.example,"Lakeside, front desk"\nOWNER@quiet-inn.example,\n',
    );
    const first = await cli(['accounts', 'import', good]);
    expect(first.stdout).toBe('imported 2 account(s): 2 registered, 0 already registered\n');
    expect((await cli(['accounts', 'import', good])).stdout).toBe(
      'imported 2 account(s): 0 registered, 2 already registered\n',
    );
    const accounts = JSON.parse((await cli(['accounts', 'list', '--json'])).stdout);
    expect(
      accounts.find((a: { email: string }) => a.email === 'frontdesk@lakeside-hotel.example')?.label,
    ).toBe('Lakeside, front desk');

    const bad = join(stateDir, 'bad.csv');
    await writeFile(bad, 'email\nnew-one@hotel.example\nnot-an-email\nnew-one@hotel.example\n');
    const before = (await cli(['accounts', 'list', '--json'])).stdout;
    const result = await cli(['accounts', 'import', bad]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/has 2 bad line\(s\); nothing was imported/);
    expect(result.stderr).toMatch(/line 3: "not-an-email" is not an email address/);
    expect(result.stderr).toMatch(/line 4: the same email as line 2/);
    expect((await cli(['accounts', 'list', '--json'])).stdout).toBe(before);
  });

  it('dlq list shows what failed every attempt with the reason; redrive works it off', async () => {
    simulator.addFault({ operation: 'getProperties', email: 'owner@quiet-inn.example', httpStatus: 500 });
    await cli(['run', '--once']);
    const dead = JSON.parse((await cli(['dlq', 'list', '--json'])).stdout);
    expect(dead).toEqual([
      expect.objectContaining({
        queue: 'account-polls',
        message: { kind: 'poll-account', accountId: accountIdFromEmail('owner@quiet-inn.example') },
        reason: expect.stringMatching(/getProperties failed: HTTP 500/),
        attempts: 3,
      }),
    ]);
    expect((await cli(['status', '--json'])).stdout).toMatch(/"queue": "account-polls-dlq",\s+"waiting": 1/);

    simulator.clearFaults();
    expect((await cli(['dlq', 'redrive'])).stdout).toBe('redrove 1 message(s): 1 done, 0 failed again\n');
    expect(JSON.parse((await cli(['dlq', 'list', '--json'])).stdout)).toEqual([]);
  });
});
