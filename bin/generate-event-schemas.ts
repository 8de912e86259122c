/**
 * `npm run schemas`: writes the event contract's generated files from the events' zod schemas
 * (packages/events/src): docs/schemas/*.json (JSON Schemas), packages/events/samples/*.json (one
 * event of each type, from a run of the real use cases: bin/event-samples/) and
 * packages/events/lib/ (the subscriber kit compiled). Tests fail while any of them is stale.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { allEventJsonSchemas } from '../shared/domain/events/event-json-schemas.js';
import { sampleFiles } from './event-samples/sample-history.js';

const root = join(import.meta.dirname, '..');

async function writeAll(dir: string, files: { file: string; content: string }[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const stale of await readdir(dir)) {
    if (!files.some((f) => f.file === stale)) await rm(join(dir, stale));
  }
  for (const { file, content } of files) await writeFile(join(dir, file), content);
}

const schemas = allEventJsonSchemas();
await writeAll(join(root, 'docs', 'schemas'), schemas);
const samples = await sampleFiles();
await writeAll(join(root, 'packages', 'events', 'samples'), samples);
const lib = join(root, 'packages', 'events', 'lib');
await rm(lib, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'packages', 'events')],
  {
    stdio: 'inherit',
  },
);
process.stdout.write(
  `wrote ${schemas.length} schemas to docs/schemas/, ${samples.length} samples to packages/events/samples/, and packages/events/lib/\n`,
);
