import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEventDetail } from '../../shared/domain/events/registry.js';
import { seedSecrets } from '../support/pipeline.js';

/**
 * What a newcomer does: `npm start` on the embedded defaults (its own DynamoDB Local, the
 * simulator), then the CLI in the documented form while it runs.
 */
let stateDir: string;
let service: ChildProcess;
let output = '';

const env = () => {
  const { AWS_ENDPOINT_URL_DYNAMODB: _drop, ...rest } = process.env;
  return { ...rest, PROVISIONER_STATE_DIR: stateDir, PROVISIONER_POLL_INTERVAL_SECONDS: '1' };
};

function waitFor(pattern: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (pattern.test(output)) {
        clearInterval(timer);
        resolve();
      } else if (Date.now() > deadline) {
        clearInterval(timer);
        reject(new Error(`not seen within ${timeoutMs} ms: ${pattern}\n--- output ---\n${output}`));
      }
    }, 100);
    const deadline = Date.now() + timeoutMs;
  });
}

function run(
  command: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: env() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'provisioner-e2e-'));
  service = spawn('npm', ['start'], { env: env(), detached: true });
  service.stdout?.on('data', (d) => {
    output += d;
  });
  service.stderr?.on('data', (d) => {
    output += d;
  });
});

afterAll(async () => {
  if (service.pid) process.kill(-service.pid, 'SIGTERM');
  await new Promise((resolve) => service.once('close', resolve));
  await rm(stateDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('discovers the seeded connections, then the one added after the first cycle', async () => {
    await waitFor(/Connection Provisioned .*Harbour Hostel Central/, 90_000);
    await waitFor(
      /Connection Provisioned .*Harbour Hostel Annex \/ Connection added while you watch/,
      60_000,
    );
    expect(output).toMatch(/Account Access Failed/);

    const lines = (await readFile(join(stateDir, 'events.jsonl'), 'utf8')).trim().split('\n');
    const events = lines.map((l) => JSON.parse(l));
    for (const e of events) expect(() => parseEventDetail(e['detail-type'], e.detail)).not.toThrow();
    expect(events.filter((e) => e['detail-type'] === 'Connection Provisioned').length).toBeGreaterThanOrEqual(
      7,
    );
  }, 180_000);

  it('serves the CLI in its documented form while it runs', async () => {
    const list = await run('npm', ['run', '-s', 'provisioner', '--', 'connections', 'list', '--json']);
    expect(list.code).toBe(0);
    const connections = JSON.parse(list.stdout);
    expect(connections.length).toBeGreaterThanOrEqual(7);
    expect(list.stderr).toBe('');
  }, 60_000);

  it('keeps its console for people: warnings as text, JSON logs in the state directory, no colour when piped', async () => {
    expect(output).toMatch(/^warn +account access failed +accountId=acc_/m);
    expect(output).not.toMatch(/^\{"level"/m);
    expect(output).not.toContain('\u001b[');
    const log = (await readFile(join(stateDir, 'provisioner.log'), 'utf8')).trim().split('\n');
    expect(log.length).toBeGreaterThan(0);
    for (const line of log) expect(JSON.parse(line)).toHaveProperty('level');
  });

  it('prints no token', () => {
    for (const secret of seedSecrets()) expect(output).not.toContain(secret);
  });
});
