import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../shared/cli/cli-io.js';
import { main } from '../../shared/cli/main.js';
import { connectionIdFromToken } from '../../shared/domain/identity.js';
import { type MewsSimulator, startMewsSimulator } from '../../shared/simulator/index.js';
import { freshTable, type TestTable } from '../support/dynamo.js';

/**
 * Honest failure (issue 10, part 2): an unreachable Mews is said once, naming the address, the
 * cycle stops trying it, nothing is dead-lettered for it, and the command exits 1. Commands that
 * could not do what they were asked exit 1 with the reason.
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
  const table: TestTable = await freshTable(label);
  const stateDir = await mkdtemp(join(tmpdir(), `provisioner-${label}-`));
  cleanups.push(() => rm(stateDir, { recursive: true, force: true }));
  const progress: string[] = [];
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
      progress: (t) => {
        progress.push(t);
      },
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
  return { cli, progress, stateDir };
}

/** An address on 127.0.0.1 where nothing listens: connections are refused. */
async function refusingAddress(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** A server on 127.0.0.1 that accepts connections and never answers. */
async function silentServer(): Promise<{ address: string; accepted: () => number }> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as { port: number };
  return { address: `http://127.0.0.1:${port}`, accepted: () => accepted };
}

const EMAILS = ['reception@sample-hostel.example', 'night-desk@sample-hostel.example'];

describe('run --once against a Mews that cannot be reached', () => {
  it('refused: exits 1 naming the address once, shows progress, dead-letters nothing', async () => {
    const { cli, progress } = await freshState('unreach-refused');
    for (const email of [...EMAILS, 'a@x.example', 'b@x.example', 'c@x.example', 'd@x.example']) {
      expect((await cli(['accounts', 'add', email])).code).toBe(0);
    }
    const address = await refusingAddress();
    const run = await cli(['run', '--once'], { MEWS_PLATFORM_ADDRESS: address });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Mews cannot be reached at ${address}`);
    expect(run.stderr).toMatch(/connection refused \(ECONNREFUSED\)/);
    expect(run.stderr.match(/cannot be reached/g)).toHaveLength(1);
    expect(run.stderr).toMatch(/6 poll\(s\) not attempted/);
    expect(run.stdout).toMatch(/^polled 0 of 6 account\(s\)/);
    expect(run.stdout).not.toMatch(/gave up on/);
    expect(progress.some((p) => /attempt 1 of \d+ failed \(connection refused/.test(p))).toBe(true);

    const dlq = await cli(['dlq', 'list', '--json'], { MEWS_PLATFORM_ADDRESS: address });
    expect(JSON.parse(dlq.stdout)).toEqual([]);
    const accounts = JSON.parse((await cli(['accounts', 'list', '--json'])).stdout);
    expect(accounts.every((a: { access: { status: string } }) => a.access.status === 'ok')).toBe(true);
  });

  it('a server that accepts and never answers: exits 1 naming the address, within the bound', async () => {
    const { cli } = await freshState('unreach-silent');
    for (const email of EMAILS) expect((await cli(['accounts', 'add', email])).code).toBe(0);
    const silent = await silentServer();
    const run = await cli(['run', '--once'], { MEWS_PLATFORM_ADDRESS: silent.address });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Mews cannot be reached at ${silent.address}`);
    expect(run.stderr).toMatch(/no answer in time/);
    expect(run.stderr).toMatch(/MEWS_TIMEOUT_SECONDS/);
    expect(silent.accepted()).toBeGreaterThan(0);
  });

  it('with the default bound (MEWS_TIMEOUT_SECONDS unset) a silent Mews is given up on in well under a minute', async () => {
    const { cli } = await freshState('unreach-default');
    for (const email of EMAILS) expect((await cli(['accounts', 'add', email])).code).toBe(0);
    const silent = await silentServer();
    const run = await cli(['run', '--once'], {
      MEWS_PLATFORM_ADDRESS: silent.address,
      MEWS_TIMEOUT_SECONDS: undefined,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Mews cannot be reached at ${silent.address}`);
    expect(run.stderr).toMatch(/a call gives up after 20 s, MEWS_TIMEOUT_SECONDS/);
  }, 60_000);

  it('a bad MEWS_TIMEOUT_SECONDS stops the command with exit 2, naming the variable', async () => {
    const { cli } = await freshState('unreach-config');
    const run = await cli(['run', '--once'], { MEWS_TIMEOUT_SECONDS: 'soon' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/MEWS_TIMEOUT_SECONDS="soon" must be a positive number of seconds/);
  });
});

describe('commands that could not do what they were asked exit 1 with the reason', () => {
  it('connections resync with Mews unreachable, and of an unknown connection', async () => {
    const { cli } = await freshState('unreach-resync');
    await cli(['accounts', 'add', EMAILS[0] as string]);
    expect((await cli(['run', '--once'])).code).toBe(0);
    const id = connectionIdFromToken('fake-conn-harbour-central-dorms');
    expect((await cli(['connections', 'resync', id])).code).toBe(0);

    const address = await refusingAddress();
    const resync = await cli(['connections', 'resync', id], { MEWS_PLATFORM_ADDRESS: address });
    expect(resync.code).toBe(1);
    expect(resync.stderr).toContain(`${id} not checked: Mews cannot be reached at ${address}`);

    const unknown = await cli(['connections', 'resync', 'con_000000000000000000000000']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no connection con_0{24}/);
  });

  it('events replay --connection <unknown id>', async () => {
    const { cli } = await freshState('unreach-replay');
    const replay = await cli(['events', 'replay', '--connection', 'con_000000000000000000000000']);
    expect(replay.code).toBe(1);
    expect(replay.stderr).toMatch(/no connection con_0{24}.*nothing replayed/);
  });

  it('dlq redrive whose messages fail again exits 1; once they go through, 0', async () => {
    const { cli } = await freshState('unreach-redrive');
    const email = 'night-desk@sample-hostel.example';
    await cli(['accounts', 'add', email]);
    const fault = simulator.addFault({ operation: 'getProperties', email, httpStatus: 503 });
    try {
      const run = await cli(['run', '--once']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/gave up on poll-account/);
      const again = await cli(['dlq', 'redrive']);
      expect(again.code).toBe(1);
      expect(again.stdout).toMatch(/redrove 1 message\(s\): 0 done, 1 failed again/);
      expect(again.stderr).toMatch(/1 message\(s\) failed again/);
    } finally {
      simulator.removeFault(fault);
    }
    const redrive = await cli(['dlq', 'redrive']);
    expect(redrive).toMatchObject({ code: 0, stdout: 'redrove 1 message(s): 1 done, 0 failed again\n' });
    expect((await cli(['dlq', 'redrive'])).stdout).toBe('nothing to redrive\n');
  });
});
