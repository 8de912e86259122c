import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopKeptDynamoDb } from '../../shared/local/runtime-file.js';
import { spread } from './latency.js';

/**
 * The operator's CLI as a process (the compiled dist/provisioner.js, as installed), timed from
 * spawn to exit: `--help`, a read (`status`) with nothing running (it starts DynamoDB Local and
 * keeps it), the next read (the kept DynamoDB Local), and a read while `npm start` runs. Each as
 * a median, and as a ratio to `node -e 0` on the same machine (what any Node.js command costs).
 */
export interface CliTimings {
  samples: number;
  rows: { label: string; medianMs: number; ratio: number; samples: number[] }[];
}

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'provisioner.js');

function envFor(stateDir: string): NodeJS.ProcessEnv {
  const { AWS_ENDPOINT_URL_DYNAMODB: _drop, AWS_ENDPOINT_URL: _also, ...rest } = process.env;
  return { ...rest, PROVISIONER_STATE_DIR: stateDir };
}

function timed(args: string[], env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { env, cwd: tmpdir(), encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.status !== 0) {
    throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr || result.stdout}`);
  }
  return ms;
}

export async function measureCli(options: {
  samples: number;
  coldSamples: number;
  progress: (line: string) => void;
}): Promise<CliTimings> {
  spawnSync(process.execPath, [join(root, 'bin', 'build.mjs')], { stdio: 'inherit' });
  const scratch = await mkdtemp(join(tmpdir(), 'bench-cli-'));
  const rows: CliTimings['rows'] = [];
  try {
    const idle = envFor(join(scratch, 'unused'));
    const repeat = (n: number, f: () => number) => Array.from({ length: n }, f);
    // One untimed run of each first: the OS file cache, as for a command typed a second time.
    timed(['-e', '0'], idle);
    timed([cli, '--help'], idle);
    const base = repeat(options.samples, () => timed(['-e', '0'], idle));
    const help = repeat(options.samples, () => timed([cli, '--help'], idle));

    const cold: number[] = [];
    const warm: number[] = [];
    for (let i = 0; i < options.coldSamples; i++) {
      const stateDir = join(scratch, `cold-${i}`);
      cold.push(timed([cli, 'status'], envFor(stateDir)));
      warm.push(timed([cli, 'status'], envFor(stateDir)));
      await stopKeptDynamoDb(stateDir);
      options.progress(
        `  cold read ${i + 1}: ${cold.at(-1)?.toFixed(0)} ms, next ${warm.at(-1)?.toFixed(0)} ms`,
      );
    }

    const serviceDir = join(scratch, 'service');
    const service = spawn(process.execPath, [join(root, 'dist', 'start.js')], {
      env: envFor(serviceDir),
      cwd: root,
      stdio: 'ignore',
    });
    let withService: number[] = [];
    try {
      const deadline = Date.now() + 120_000;
      while (!(await readFile(join(serviceDir, 'runtime.json'), 'utf8').catch(() => undefined))) {
        if (Date.now() > deadline || service.exitCode !== null) throw new Error('npm start did not come up');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      timed([cli, 'status'], envFor(serviceDir));
      withService = repeat(options.samples, () => timed([cli, 'status'], envFor(serviceDir)));
    } finally {
      const closed = new Promise((resolve) => service.once('close', resolve));
      service.kill('SIGTERM');
      await closed;
    }

    const baseline = spread(base).median;
    const row = (label: string, samples: number[]) => {
      const medianMs = spread(samples).median;
      rows.push({ label, medianMs, ratio: medianMs / baseline, samples });
    };
    row('node -e 0', base);
    row('provisioner --help', help);
    row('status, nothing running (starts DynamoDB Local, keeps it)', cold);
    row('status, the next one (the kept DynamoDB Local)', warm);
    row('status, npm start running', withService);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return { samples: options.samples, rows };
}
