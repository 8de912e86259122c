/**
 * The example consumer against a local run, as its README says to run it: a short run of the local
 * pipeline (DynamoDB Local, the Mews simulator over HTTP, the file vault, events.jsonl), then
 * run-local.ts as a process over that run's events.jsonl and vault.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCycle } from '../../shared/local/run-cycle.js';
import { removeRuntimeFile, writeRuntimeFile } from '../../shared/local/runtime-file.js';
import { registerAccount } from '../../shared/use-cases/accounts.js';
import { scheduleRefreshes } from '../../shared/use-cases/schedule-refreshes.js';
import { seedSecrets, startPipeline, type TestPipeline } from '../support/pipeline.js';

const runFile = promisify(execFile);
const script = join(import.meta.dirname, '..', '..', 'examples', 'mapping-consumer', 'run-local.ts');

let p: TestPipeline;

beforeAll(async () => {
  p = await startPipeline('example-local');
  await registerAccount({ email: 'reception@sample-hostel.example' }, p.services);
  await runCycle(p.services);
  // A category added to Harbour Hostel Central: one Connection Configuration Changed per connection there.
  p.simulator.updateConfiguration('harbour-hostel-central', (c) => ({
    ...c,
    spaceCategories: [
      ...c.spaceCategories,
      { code: 'DORM12', name: 'Bed in 12-bed dorm', isSynchronized: true },
    ],
  }));
  await scheduleRefreshes({ now: new Date(), intervalMs: 60_000, windowMs: 60_000 }, p.services);
  await runCycle(p.services);
}, 120_000);

afterAll(async () => {
  await p?.close();
});

/** run-local.ts as a process; its exit code, stdout and stderr. */
async function runLocal(args: string[], env: Record<string, string> = {}) {
  const options = { env: { ...process.env, ...env }, cwd: join(import.meta.dirname, '..', '..') };
  return runFile(process.execPath, ['--import', 'tsx', script, ...args], options).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

const consumed = () =>
  p.events.filter((e) =>
    ['Connection Provisioned', 'Connection Configuration Changed'].includes(e['detail-type']),
  );

describe('the example consumer on a local run', () => {
  it("plans every provisioned and changed connection from events.jsonl, with the run's vault", async () => {
    // Act
    const run = await runLocal(
      ['--events', join(p.stateDir, 'events.jsonl'), '--platform-address', p.simulator.url],
      {
        MEWS_CLIENT_TOKEN: p.simulator.clientToken,
      },
    );

    // Assess
    expect(run.stderr).toMatch(
      new RegExp(
        `^${consumed().length} planned, 0 duplicates, 0 failed; \\d+ events of other types skipped\\n$`,
      ),
    );
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(consumed().length);
    expect(
      consumed().filter((e) => e['detail-type'] === 'Connection Configuration Changed').length,
    ).toBeGreaterThan(0);
    // Plans come from the live configuration (now with DORM12, synchronized and unmapped), whatever the event's age.
    expect(lines).toContain(
      'planned   con_02be1223e845640931bc0b34  Harbour Hostel Central / Connection for dorm beds  Connection Provisioned: 7 pairs (6 synchronized), 2 unresolved, 1 unmapped',
    );
    expect(lines).toContain(
      'planned   con_02be1223e845640931bc0b34  Harbour Hostel Central / Connection for dorm beds  Connection Configuration Changed: 7 pairs (6 synchronized), 2 unresolved, 1 unmapped',
    );
    expect(lines).toContain(
      'planned   con_4fb2b006c53a197799852cdb  Harbour Hostel Docks / Docks  Connection Provisioned: 2 pairs (1 synchronized), 0 unresolved, 0 unmapped',
    );
    // The connection tokens came from the vault: the simulator was asked with each of them.
    expect(p.simulator.calls().getConfiguration).toBeGreaterThanOrEqual(consumed().length);
    for (const secret of seedSecrets()) expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it('says which token it could not read, and exits 1, with a vault that lacks them', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'empty-vault-'));
    try {
      // Act
      const run = await runLocal(
        [
          '--events',
          join(p.stateDir, 'events.jsonl'),
          '--vault',
          empty,
          '--platform-address',
          p.simulator.url,
        ],
        { MEWS_CLIENT_TOKEN: p.simulator.clientToken },
      );

      // Assess
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(
        /^failed {4}con_[0-9a-f]{24}: cannot read the token of connection con_[0-9a-f]{24} from the local vault \(local-vault:con_[0-9a-f]{24}\): Error: ENOENT/m,
      );
      expect(run.stderr).toContain(`0 planned, 0 duplicates, ${consumed().length} failed`);
      for (const secret of seedSecrets()) expect(run.stdout + run.stderr).not.toContain(secret);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('refuses to guess Mews: without an npm start running there, asks for --platform-address', async () => {
    const run = await runLocal(['--events', join(p.stateDir, 'events.jsonl')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no npm start is running on');
    expect(run.stderr).toContain('give --platform-address and MEWS_CLIENT_TOKEN');
  });

  it("as the README runs it, beside a running npm start: its simulator and the seed's client token, no flags", async () => {
    // Prepare: what npm start leaves in its state directory while it runs (addresses only).
    await writeRuntimeFile(p.stateDir, {
      pid: process.pid,
      dynamodbEndpoint: p.table.endpoint,
      simulatorAddress: p.simulator.url,
    });
    try {
      // Act
      const run = await runLocal(['--events', join(p.stateDir, 'events.jsonl')], { MEWS_CLIENT_TOKEN: '' });

      // Assess
      expect(run.code).toBe(0);
      expect(run.stderr).toContain(`${consumed().length} planned, 0 duplicates, 0 failed`);
    } finally {
      await removeRuntimeFile(p.stateDir);
    }
  });
});
