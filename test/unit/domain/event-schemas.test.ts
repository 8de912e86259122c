import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allEventJsonSchemas } from '../../../shared/domain/events/event-json-schemas.js';
import { eventRegistry } from '../../../shared/domain/events/registry.js';

const dir = join(import.meta.dirname, '..', '..', '..', 'docs', 'schemas');

describe('docs/schemas', () => {
  it('match the zod schemas (run `npm run schemas` after changing an event)', async () => {
    const expected = allEventJsonSchemas();
    expect((await readdir(dir)).sort()).toEqual(expected.map((s) => s.file).sort());
    for (const { file, content } of expected) {
      expect(await readFile(join(dir, file), 'utf8'), file).toBe(content);
    }
  });

  it('document every event in docs/events.md', async () => {
    const doc = await readFile(join(dir, '..', 'events.md'), 'utf8');
    for (const type of Object.keys(eventRegistry)) expect(doc).toContain(`## ${type}`);
  });
});
