import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KeptDynamoDb, RuntimeFile } from '../../shared/local/runtime-file.js';
import { alive, build, CLI, localEnv, run, startService, until } from './processes.js';

/**
 * `npm start`'s processes: DynamoDB Local dies with it whatever kills it, a Ctrl-C drains the
 * cycle before DynamoDB Local stops, and a state directory serves one `npm start` at a time.
 */
let stateDir: string;
const services: ReturnType<typeof startService>[] = [];
const env = () => localEnv({ PROVISIONER_STATE_DIR: stateDir, PROVISIONER_POLL_INTERVAL_SECONDS: '1' });

const runtime = () =>
  until(
    'npm start wrote runtime.json',
    async () => {
      try {
        return JSON.parse(await readFile(join(stateDir, 'runtime.json'), 'utf8')) as RuntimeFile;
      } catch {
        return undefined;
      }
    },
    120_000,
  );

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'provisioner-processes-'));
});
afterEach(async () => {
  for (const service of services.splice(0)) {
    if (service.child.exitCode === null && service.child.pid) {
      try {
        process.kill(-service.child.pid, 'SIGTERM');
      } catch {
        // gone
      }
      await service.closed;
    }
  }
});
afterAll(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

describe('npm start and its DynamoDB Local', () => {
  it('refuses a second npm start on the same state directory, naming the first; Ctrl-C stops DynamoDB Local last', async () => {
    const first = startService('npm', ['start'], env());
    services.push(first);
    const running = await runtime();
    expect(running.dynamodbPid).toBeGreaterThan(0);
    await until('a cycle ran', () => /accounts polled/.test(first.output()), 120_000);

    const second = await run('npm', ['start'], { env: env() });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`pid ${running.pid}`);
    expect(second.stderr).toMatch(/PROVISIONER_STATE_DIR/);
    expect(alive(running.dynamodbPid as number)).toBe(true);

    // Ctrl-C in a terminal: SIGINT to the whole foreground process group.
    process.kill(-(first.child.pid as number), 'SIGINT');
    // npm re-raises the signal on itself once its script is done; the script itself must not fail.
    const closed = await first.closed;
    expect(closed.code === 0 || closed.signal === 'SIGINT').toBe(true);
    await until('npm start exited', () => !alive(running.pid), 30_000);
    expect(first.output()).not.toMatch(/could not run/);
    await until('DynamoDB Local stopped', () => !alive(running.dynamodbPid as number), 30_000);
    await expect(stat(join(stateDir, 'lock'))).rejects.toThrow();
    await expect(stat(join(stateDir, 'runtime.json'))).rejects.toThrow();
  }, 300_000);

  it('on Ctrl-C, lets the cycle in flight finish and record itself before DynamoDB Local stops', async () => {
    const service = startService('npm', ['start'], env());
    services.push(service);
    const running = await runtime();
    await until('a cycle ran', () => /accounts polled/.test(service.output()), 120_000);
    const admin = (route: string, body?: unknown) =>
      fetch(`${running.simulatorAddress}/_admin/${route}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }).then((r) => r.json() as Promise<{ calls?: { getProperties?: number } }>);
    // Every poll from now on takes a while at Mews: the next cycle is in flight for seconds.
    await admin('addFault', { operation: 'getProperties', latencyMs: 3_000 });
    await admin('clearCalls', {});
    await until(
      'a slow poll is in flight',
      async () => ((await admin('calls')).calls?.getProperties ?? 0) > 0,
      60_000,
    );
    const before = await readFile(join(stateDir, 'last-cycle.json'), 'utf8');

    process.kill(-(service.child.pid as number), 'SIGINT');
    await service.closed;
    const after = await readFile(join(stateDir, 'last-cycle.json'), 'utf8');
    expect(JSON.parse(after).at > JSON.parse(before).at).toBe(true);
    expect(service.output()).not.toMatch(/could not run|ECONNREFUSED/);
    await until('DynamoDB Local stopped', () => !alive(running.dynamodbPid as number), 30_000);
  }, 300_000);

  it('stops the DynamoDB Local a CLI command kept, takes its own with it when killed with SIGKILL, and the next npm start takes over', async () => {
    // A CLI command without npm start leaves a DynamoDB Local running on the state directory.
    build();
    const read = await run(process.execPath, [CLI, 'status'], { env: env() });
    expect(read.code).toBe(0);
    const kept = JSON.parse(await readFile(join(stateDir, 'dynamodb-local.json'), 'utf8')) as KeptDynamoDb;
    expect(alive(kept.javaPid)).toBe(true);

    const service = startService('npm', ['start'], env());
    services.push(service);
    const running = await runtime();
    const java = running.dynamodbPid as number;
    expect(alive(java)).toBe(true);
    expect(alive(kept.javaPid)).toBe(false);

    process.kill(running.pid, 'SIGKILL');
    await until('DynamoDB Local is gone after kill -9 of npm start', () => !alive(java), 60_000);

    // The lock it left names a process that is gone: the next one starts.
    const next = startService('npm', ['start'], env());
    services.push(next);
    await until('the next npm start polls', () => /accounts polled/.test(next.output()), 120_000);
  }, 300_000);
});
