import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMewsSimulator } from '../../shared/simulator/index.js';

/** `npm start` with a bad variable stops before starting anything, naming it and what it accepts. */
let stateDir: string;
beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'provisioner-e2e-config-'));
});
afterAll(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

function npmStart(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['start', '--silent'], {
      env: { ...process.env, PROVISIONER_STATE_DIR: stateDir, ...env },
    });
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

describe('npm start configuration', () => {
  it.each(['abc', '0', '-5'])(
    'PROVISIONER_POLL_INTERVAL_SECONDS=%s stops it with exit 2 naming the variable',
    async (value) => {
      const { code, stderr, stdout } = await npmStart({ PROVISIONER_POLL_INTERVAL_SECONDS: value });
      expect(code).toBe(2);
      expect(stderr).toContain(
        `PROVISIONER_POLL_INTERVAL_SECONDS=${JSON.stringify(value)} must be a positive number of seconds, like 5`,
      );
      expect(stdout).not.toMatch(/Polling every/);
    },
    60_000,
  );

  it('names every bad variable at once, and never echoes a secret', async () => {
    const { code, stderr } = await npmStart({
      PROVISIONER_WEBHOOK_PORT: '70000',
      MEWS_SIMULATOR_PORT: 'x',
      PROVISIONER_INTEGRATION_WEBHOOK_SECRET: 'short-secret',
      PROVISIONER_LOG_FORMAT: 'xml',
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/PROVISIONER_LOG_FORMAT="xml" must be text/);
    expect(stderr).toMatch(/PROVISIONER_WEBHOOK_PORT="70000" must be a port number/);
    expect(stderr).toMatch(/MEWS_SIMULATOR_PORT="x" must be a port number/);
    expect(stderr).toMatch(/PROVISIONER_INTEGRATION_WEBHOOK_SECRET must be at least 32 URL-safe characters/);
    expect(stderr).not.toContain('short-secret');
  }, 60_000);
});

describe('npm start on a state directory of another Mews environment', () => {
  it('refuses with exit 2, naming both environments, and starts nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'provisioner-e2e-env-'));
    try {
      const record = { platformAddress: 'https://api.mews-demo.com', since: '2026-12-01T00:00:00.000Z' };
      await writeFile(join(dir, 'environment.json'), JSON.stringify(record), { mode: 0o600 });
      const { code, stderr, stdout } = await npmStart({ PROVISIONER_STATE_DIR: dir });
      expect(code).toBe(2);
      expect(stderr).toMatch(/api\.mews-demo\.com/);
      expect(stderr).toMatch(/simulator/);
      expect(stdout).not.toMatch(/Polling every/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('npm start with nothing to poll', () => {
  it('hints how to register an account, once, and prints no line per idle cycle', async () => {
    // A Mews address of our own (a simulator playing the real one): npm start registers nothing.
    const mews = await startMewsSimulator();
    const dir = await mkdtemp(join(tmpdir(), 'provisioner-e2e-empty-'));
    const { AWS_ENDPOINT_URL_DYNAMODB: _drop, ...rest } = process.env;
    const child = spawn('npm', ['start', '--silent'], {
      env: {
        ...rest,
        PROVISIONER_STATE_DIR: dir,
        PROVISIONER_POLL_INTERVAL_SECONDS: '0.2',
        PROVISIONER_LOG_LEVEL: 'info',
        MEWS_PLATFORM_ADDRESS: mews.url,
        MEWS_CLIENT_TOKEN: mews.clientToken,
      },
      detached: true,
    });
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stdout += d;
    });
    const cyclesLogged = async () =>
      (await readFile(join(dir, 'provisioner.log'), 'utf8').catch(() => '')).split('poll cycle scheduled')
        .length - 1;
    try {
      // Five cycles have run (the log says so), whatever the time they took.
      for (let i = 0; i < 600 && (await cyclesLogged()) < 5; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(await cyclesLogged()).toBeGreaterThanOrEqual(5);
      expect(stdout.match(/nothing to poll: no account is registered/g)).toHaveLength(1);
      expect(stdout).toMatch(/accounts add <email>/);
      expect(stdout.match(/^cycle \d+ at/gm)).toHaveLength(1);
    } finally {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
      await new Promise((resolve) => child.once('close', resolve));
      await mews.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
