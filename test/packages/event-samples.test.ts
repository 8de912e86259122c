import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { sampleFiles } from '../../bin/event-samples/sample-history.js';
import { DETAIL_TYPES, parseEvent, secretStoreOf } from '../../packages/events/src/index.js';
import { schemaFileName } from '../../shared/domain/events/event-json-schemas.js';
import { loadDefaultSeed } from '../../shared/simulator/default-seed.js';

const root = join(import.meta.dirname, '..', '..');
const samplesDir = join(root, 'packages', 'events', 'samples');

const checkedIn = async () => {
  const files = (await readdir(samplesDir)).sort();
  return Promise.all(
    files.map(async (file) => ({ file, content: await readFile(join(samplesDir, file), 'utf8') })),
  );
};

describe('packages/events/samples', () => {
  it('are what the sample history emits now (run `npm run schemas` after changing an event)', async () => {
    const generated = (await sampleFiles()).sort((a, b) => a.file.localeCompare(b.file));
    expect(await checkedIn()).toEqual(generated);
  });

  it('hold one event of every detail-type, each valid against its JSON Schema and the kit', async () => {
    const ajv = new AjvDraft04.default({ allErrors: true, strict: false });
    ajv.addFormat('date-time', true);
    const samples = await checkedIn();
    expect(samples.map((s) => s.file).sort()).toEqual(DETAIL_TYPES.map(schemaFileName).sort());
    for (const { file, content } of samples) {
      const event = JSON.parse(content);
      expect(file).toBe(schemaFileName(event['detail-type']));
      const schema = JSON.parse(await readFile(join(root, 'docs', 'schemas', file), 'utf8'));
      expect(ajv.validate(schema, event) ? [] : ajv.errors, file).toEqual([]);
      expect(parseEvent(event).detail).toEqual(event.detail);
    }
  });

  it('say where each token is, as a deployed stage does: a secret name, after the move a parameter name; secretStore set', async () => {
    const names: Record<string, RegExp> = {
      'secrets-manager': /^mews-provisioner-demo\/(connections\/con|integrations\/int)_[0-9a-f]{24}$/,
      'parameter-store': /^\/mews-provisioner-demo\/(connections\/con|integrations\/int)_[0-9a-f]{24}$/,
    };
    const stores: Record<string, string[]> = {};
    for (const { file, content } of await checkedIn()) {
      const detail = JSON.parse(content).detail;
      const subject = detail.connection ?? detail.integration;
      if (!subject) continue;
      for (const ref of [subject, ...(detail.previous ? [detail.previous] : [])]) {
        expect(ref.secretRef, file).toMatch(names[ref.secretStore] ?? /^$/);
        expect(secretStoreOf(ref.secretRef)).toBe(ref.secretStore);
      }
      stores[file] = [subject.secretStore, detail.previous?.secretStore].filter(Boolean);
    }
    // The story moves the tokens to Parameter Store (tokens migrate) before the integration is deleted.
    expect(stores['connection-token-moved.json']).toEqual(['parameter-store', 'secrets-manager']);
    expect(stores['integration-token-moved.json']).toEqual(['parameter-store', 'secrets-manager']);
    expect(stores['integration-deleted.json']).toEqual(['parameter-store']);
    expect(stores['connection-provisioned.json']).toEqual(['secrets-manager']);
  });

  it('carry no token', async () => {
    const seed = loadDefaultSeed();
    const tokens = [
      seed.clientToken,
      'fake-integration-access-token-harbour',
      ...seed.enterprises.flatMap((e) =>
        (e.properties ?? []).flatMap((p) =>
          Array.isArray(p.connections) ? p.connections.map((c) => c.token) : [],
        ),
      ),
    ].filter((t): t is string => typeof t === 'string' && t !== '');
    const all = (await checkedIn()).map((s) => s.content).join('\n');
    for (const token of tokens) expect(all.includes(token), 'a sample contains a token').toBe(false);
    expect(all).not.toMatch(/fake-/);
  });

  it('are what docs/events.md shows: its one inline example is a sample, every other section links its own', async () => {
    const doc = await readFile(join(root, 'docs', 'events.md'), 'utf8');
    const sections = doc.split(/^## /m).slice(1);
    for (const type of DETAIL_TYPES) {
      const file = schemaFileName(type);
      const section = sections.find((s) => s.startsWith(`${type}\n`));
      expect(section, type).toContain(`(../packages/events/samples/${file})`);
    }
    const blocks = [...doc.matchAll(/```json\n(.*?)\n```/gs)].map((m) => m[1] as string);
    const events = blocks.map((b) => JSON.parse(b)).filter((b) => 'detail' in b);
    expect(events).toEqual([
      JSON.parse(await readFile(join(samplesDir, 'connection-provisioned.json'), 'utf8')),
    ]);
    // No placeholders left in any example.
    for (const block of blocks) expect(block).not.toMatch(/…|evt_\.\.\./);
  });
});
