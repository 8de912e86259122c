import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ESBUILD_TARGET, MAIN_FIELDS, REQUIRE_BANNER } from '../../infra/bundling-options.js';
import type { PollProcessInput, PollProcessOutput } from './poll-process.js';

/** Bundles poll-process.ts the way the Lambda functions are bundled; returns the file and a cleanup. */
export async function bundlePollProcess(): Promise<{ file: string; dispose(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-poll-'));
  const file = join(dir, 'poll.mjs');
  await build({
    entryPoints: [join(import.meta.dirname, 'poll-process.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: ESBUILD_TARGET,
    mainFields: MAIN_FIELDS,
    minify: true,
    // Command classes keep their names: the DynamoDB counts go by them.
    keepNames: true,
    banner: { js: REQUIRE_BANNER },
    outfile: file,
    logLevel: 'error',
  });
  return { file, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** Runs one poll in a fresh `node` process (GC exposed, so the baseline is taken after a collection). */
export function runIsolatedPoll(file: string, input: PollProcessInput): Promise<PollProcessOutput> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--expose-gc', file, JSON.stringify(input)],
      {
        maxBuffer: 256 * 1024 * 1024,
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`isolated poll failed: ${error.message}\n${stderr}`));
          return;
        }
        const line = stdout.trim().split('\n').at(-1) ?? '';
        try {
          resolve(JSON.parse(line) as PollProcessOutput);
        } catch {
          reject(new Error(`isolated poll printed no result: ${stdout.slice(0, 500)}\n${stderr}`));
        }
      },
    );
  });
}
