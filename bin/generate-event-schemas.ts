/** `npm run schemas`: writes docs/schemas/*.json from the events' zod schemas. */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { allEventJsonSchemas } from '../shared/domain/events/event-json-schemas.js';

const dir = join(import.meta.dirname, '..', 'docs', 'schemas');
await mkdir(dir, { recursive: true });
const schemas = allEventJsonSchemas();
for (const stale of await readdir(dir)) {
  if (!schemas.some((s) => s.file === stale)) await rm(join(dir, stale));
}
for (const { file, content } of schemas) await writeFile(join(dir, file), content);
process.stdout.write(`wrote ${schemas.length} schemas to docs/schemas/\n`);
