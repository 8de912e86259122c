import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, CLI, localEnv, ROOT, run } from './processes.js';

/**
 * The argument frictions of issue 10, typed at a shell: the compiled CLI as a process. None of
 * these reach DynamoDB or Mews, so they answer at once; the in-process suites
 * (test/integration/cli*.test.ts) cover what they do with state.
 */
let stateDir: string;
beforeAll(async () => {
  build();
  stateDir = await mkdtemp(join(tmpdir(), 'provisioner-cli-args-'));
});
afterAll(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

const cli = (...args: string[]) =>
  run(CLI, args, { env: localEnv({ PROVISIONER_STATE_DIR: stateDir }), cwd: ROOT });

describe('the CLI as a process', () => {
  it('--version prints the package version', async () => {
    const { version } = (await import('../../package.json', { with: { type: 'json' } })).default;
    const result = await cli('--version');
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toContain(version);
  });

  it("help is a command, and a group without a subcommand prints that group's help (exit 2)", async () => {
    const help = await cli('help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: provisioner/);
    const accounts = await cli('accounts');
    expect(accounts.code).toBe(2);
    expect(`${accounts.stdout}${accounts.stderr}`).toMatch(/accounts add/);
  });

  it('an extra email is refused, not dropped', async () => {
    const result = await cli('accounts', 'add', 'a@b.example', 'c@d.example');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/c@d\.example|one email/);
  });

  it('an unknown flag gets a well-formed message', async () => {
    const result = await cli('status', '--bogus');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--bogus/);
    const quotes = (result.stderr.match(/'/g) ?? []).length;
    expect(quotes % 2).toBe(0);
  });

  it('a bad variable stops it naming the variable', async () => {
    const result = await run(CLI, ['status'], {
      env: localEnv({ PROVISIONER_STATE_DIR: stateDir, PROVISIONER_LOG_LEVEL: 'loud' }),
      cwd: ROOT,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/PROVISIONER_LOG_LEVEL/);
  });
});
