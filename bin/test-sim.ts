/**
 * `npm run test:sim [-- --seed S] [-- --runs N] [vitest options]`: the simulation (test/sim/) alone.
 * vitest refuses flags it does not know, so --seed and --runs travel to the tests as SIM_SEED and
 * SIM_RUNS; everything else goes to vitest as it is.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const usage = 'usage: npm run test:sim [-- --seed <integer>] [--runs <positive integer>] [vitest options]';

function parse(argv: string[]): { env: Record<string, string>; rest: string[] } {
  const env: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const match = /^--(seed|runs)(?:=(.*))?$/.exec(arg);
    if (!match) {
      rest.push(arg);
      continue;
    }
    const name = match[1] as 'seed' | 'runs';
    const value = match[2] ?? argv[++i];
    if (value === undefined || !/^-?\d+$/.test(value))
      throw new Error(`--${name} needs an integer\n${usage}`);
    if (name === 'runs' && Number(value) < 1) throw new Error(`--runs must be at least 1\n${usage}`);
    env[name === 'seed' ? 'SIM_SEED' : 'SIM_RUNS'] = value;
  }
  return { env, rest };
}

let parsed: ReturnType<typeof parse>;
try {
  parsed = parse(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}

// Exploring: a new seed each run unless one is given (npm test keeps its fixed one); the seed is printed.
parsed.env.SIM_SEED ??= process.env.SIM_SEED ?? String((Date.now() ^ (Math.random() * 0x7fffffff)) | 0);

const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
const child = spawn(process.execPath, [vitest, 'run', '--project', 'fast', 'test/sim', ...parsed.rest], {
  stdio: 'inherit',
  env: { ...process.env, ...parsed.env },
});
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
