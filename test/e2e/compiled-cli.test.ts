import { cp, mkdir, mkdtemp, readFile, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeptDynamoDb } from '../../shared/local/runtime-file.js';
import { alive, build, CLI, localEnv, ROOT, run, until } from './processes.js';

/**
 * The CLI as an operator installs it: compiled JavaScript (what `npm ci` builds), run from any
 * folder, reusing one DynamoDB Local across commands instead of starting one per command.
 */
let scratch: string;

beforeAll(async () => {
  build();
  scratch = await mkdtemp(join(tmpdir(), 'provisioner-cli-process-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('the compiled CLI', () => {
  it('is what package.json installs: a JavaScript file with a node shebang', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.bin.provisioner).toMatch(/\.js$/);
    expect(pkg.scripts.prepare).toMatch(/build/);
    const text = await readFile(join(ROOT, pkg.bin.provisioner), 'utf8');
    expect(text.split('\n')[0]).toBe('#!/usr/bin/env node');
    expect((await stat(join(ROOT, pkg.bin.provisioner))).mode & 0o111).not.toBe(0);
  });

  it('answers --help run as a command from another folder', async () => {
    const help = await run(CLI, ['--help'], { env: localEnv(), cwd: scratch });
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/Usage: provisioner/);
  });

  it('installed elsewhere, refuses to invent a state directory in the current folder and says what to set', async () => {
    // A copy as `npm install -g` makes it: package.json and dist/ under a node_modules folder.
    const installed = join(scratch, 'prefix', 'lib', 'node_modules', 'mews-connection-provisioner');
    await mkdir(installed, { recursive: true });
    await cp(join(ROOT, 'package.json'), join(installed, 'package.json'));
    await cp(join(ROOT, 'dist'), join(installed, 'dist'), { recursive: true });
    await symlink(join(ROOT, 'node_modules'), join(installed, 'node_modules'));
    const elsewhere = join(scratch, 'somewhere');
    await mkdir(elsewhere);
    const bin = join(installed, 'dist', 'provisioner.js');

    expect((await run(bin, ['--help'], { env: localEnv(), cwd: elsewhere })).code).toBe(0);
    const { PROVISIONER_STATE_DIR: _unset, ...env } = localEnv();
    const status = await run(bin, ['status'], { env, cwd: elsewhere });
    expect(status.code).toBe(2);
    expect(status.stderr).toMatch(/PROVISIONER_STATE_DIR/);
    await expect(stat(join(elsewhere, '.provisioner'))).rejects.toThrow();
  });

  it('two commands at once on a fresh state directory start one DynamoDB Local between them', async () => {
    const stateDir = join(scratch, 'together');
    const env = localEnv({ PROVISIONER_STATE_DIR: stateDir, PROVISIONER_DYNAMODB_IDLE_SECONDS: '5' });
    const [a, b] = await Promise.all([
      run(CLI, ['status'], { env, cwd: scratch }),
      run(CLI, ['accounts', 'list'], { env, cwd: scratch }),
    ]);
    expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, '', '']);
    // Every DynamoDB Local started on this state directory logs to the same file.
    const log = await readFile(join(stateDir, 'dynamodb-local.log'), 'utf8');
    expect(log.match(/Initializing DynamoDB Local/g)).toHaveLength(1);
    const { javaPid } = JSON.parse(
      await readFile(join(stateDir, 'dynamodb-local.json'), 'utf8'),
    ) as KeptDynamoDb;
    await until('it stops when idle', () => !alive(javaPid), 90_000);
  }, 180_000);

  it('keeps one DynamoDB Local for the next commands and stops it once idle', async () => {
    const stateDir = join(scratch, 'state');
    const env = localEnv({ PROVISIONER_STATE_DIR: stateDir, PROVISIONER_DYNAMODB_IDLE_SECONDS: '8' });
    const record = join(stateDir, 'dynamodb-local.json');
    const read = async () => JSON.parse(await readFile(record, 'utf8')) as KeptDynamoDb;

    const first = await run(CLI, ['status', '--json'], { env, cwd: scratch });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const kept = await read();
    expect(alive(kept.javaPid)).toBe(true);
    expect(kept.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const second = await run(CLI, ['accounts', 'list', '--json'], { env, cwd: scratch });
    expect(second.code).toBe(0);
    expect((await read()).javaPid).toBe(kept.javaPid);

    // Nobody uses it: it stops itself and says so by removing its record.
    await until('the kept DynamoDB Local stops when idle', () => !alive(kept.javaPid), 90_000);
    await until(
      'its record is removed',
      () =>
        stat(record).then(
          () => false,
          () => true,
        ),
      10_000,
    );
  }, 180_000);
});
