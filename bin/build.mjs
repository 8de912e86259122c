#!/usr/bin/env node
// Compiles the CLI (bin/provisioner.ts) and `npm start` (bin/start.ts) to JavaScript in dist/,
// so nothing compiles at run time. Runs as `prepare` (so `npm ci` and `npm link` build it), and
// before `npm start` / `npm run provisioner` (a few hundred ms; unchanged files are not rewritten).
// dist/provisioner.js keeps bin/provisioner.ts' `#!/usr/bin/env node`. Offline: esbuild only. Node built-ins and every package stay external (resolved from node_modules).
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist');

const result = await build({
  absWorkingDir: root,
  entryPoints: { provisioner: 'bin/provisioner.ts', start: 'bin/start.ts' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outdir: out,
  // Chunks: what a command loads lazily (the AWS SDK behind `--stack`, DynamoDB behind a local
  // command) stays out of `--help`.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  write: false,
  logLevel: 'warning',
  legalComments: 'none',
});

for (const file of result.outputFiles) {
  await mkdir(dirname(file.path), { recursive: true });
  // Write-then-rename: a command starting while another one builds never reads half a file.
  const previous = await readFile(file.path, 'utf8').catch(() => undefined);
  if (previous === file.text) continue;
  const temporary = `${file.path}.${process.pid}.tmp`;
  await writeFile(temporary, file.text, { mode: 0o755 });
  await rename(temporary, file.path);
}
// Chunks of earlier builds (content-hashed names) are no longer referenced; those of the last
// ten minutes stay, for a command of an earlier build still running that loads one late.
const current = new Set(result.outputFiles.map((f) => f.path));
for (const name of await readdir(join(out, 'chunks')).catch(() => [])) {
  const path = join(out, 'chunks', name);
  if (current.has(path) || !name.endsWith('.js')) continue;
  const { mtimeMs } = await stat(path);
  if (Date.now() - mtimeMs > 10 * 60_000) await rm(path, { force: true });
}
// Read next to the bundle through `new URL('./seed.json', import.meta.url)`.
// (whichever file the seed loader lands in).
await copyFile(join(root, 'shared/simulator/seed.json'), join(out, 'seed.json'));
await copyFile(join(root, 'shared/simulator/seed.json'), join(out, 'chunks', 'seed.json'));
