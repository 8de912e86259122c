import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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
