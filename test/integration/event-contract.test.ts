import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEvent, secretStoreOf } from '../../packages/events/src/index.js';
import {
  EVENTBRIDGE_ENTRY_LIMIT_BYTES,
  outboxEventEntrySize,
} from '../../shared/domain/events/entry-size.js';
import { schemaFileName } from '../../shared/domain/events/event-json-schemas.js';
import { eventRegistry } from '../../shared/domain/events/registry.js';
import { runCycle } from '../../shared/local/run-cycle.js';
import { generateConfiguration } from '../../shared/simulator/large-property.js';
import { registerAccount } from '../../shared/use-cases/accounts.js';
import { scheduleRefreshes } from '../../shared/use-cases/schedule-refreshes.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';

/**
 * The public contract, checked against real emitted events: every event the local pipeline
 * publishes through its lifecycle validates against its checked-in JSON Schema, and fits one
 * EventBridge entry (256 KB) even for the largest property.
 */
let p: TestPipeline;

beforeAll(async () => {
  p = await startPipeline('contract');
  const emails = [
    'reception@sample-hostel.example',
    'former-manager@sample-hostel.example',
    'distribution@grand-resort.example',
  ];
  for (const email of emails) await registerAccount({ email }, p.services);
  await runCycle(p.services);
  // Every list of the large property changes at once: the diff is as big as it gets.
  p.simulator.setConfiguration(
    'grand-resort',
    generateConfiguration('Grand Resort renamed', {
      spaceCategories: 45,
      ratePlans: 70,
      companies: 10,
      travelAgencies: 10,
      products: 30,
      ageCategories: 5,
    }),
  );
  p.simulator.addFault({
    operation: 'getConfiguration',
    connectionToken: 'fake-conn-harbour-docks',
    mewsErrorCode: 3,
  });
  const refreshAll = () =>
    scheduleRefreshes({ now: new Date(), intervalMs: 60_000, windowMs: 60_000 }, p.services);
  await refreshAll();
  await runCycle(p.services);
  p.simulator.clearFaults();
  await refreshAll();
  await runCycle(p.services);
  p.simulator.removeConnection('fake-conn-harbour-central-3');
  await runCycle(p.services);
  await runCycle(p.services);
}, 120_000);

afterAll(async () => {
  await p.close();
});

describe('emitted events', () => {
  it('cover the lifecycle', () => {
    const types = new Set(p.events.map((e) => e['detail-type']));
    expect([...types].sort()).toEqual(
      [
        'Account Access Failed',
        'Connection Configuration Changed',
        'Connection Deactivated',
        'Connection Provisioned',
        'Connection Reactivated',
        'Connection Removed',
      ].sort(),
    );
  });

  it('validate against the checked-in JSON Schema of their detail-type', async () => {
    const ajv = new AjvDraft04.default({ allErrors: true, strict: false });
    ajv.addFormat('date-time', true);
    const lines = (await readFile(join(p.stateDir, 'events.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.length).toBe(p.events.length);
    for (const line of lines) {
      const event = JSON.parse(line);
      const schema = JSON.parse(
        await readFile(join('docs', 'schemas', schemaFileName(event['detail-type'])), 'utf8'),
      );
      const valid = ajv.validate(schema, event);
      expect(valid ? [] : ajv.errors, event['detail-type']).toEqual([]);
    }
  });

  it('fit one EventBridge entry, the largest property included', () => {
    const sizes = p.events.map((e) =>
      outboxEventEntrySize({ detailType: e['detail-type'], detail: e.detail }, e.source),
    );
    // 750 new inventory mappings (45 x 70 instead of 40 x 60) fit in full: nothing left out.
    const changed = p.events.find((e) => e['detail-type'] === 'Connection Configuration Changed');
    expect(changed?.detail).toMatchObject({
      truncated: false,
      diff: { inventoryMappings: { truncated: false, counts: { added: 750, removed: 0, changed: 0 } } },
    });
    const detail = changed?.detail as { diff?: { inventoryMappings?: { added?: string[] } } } | undefined;
    expect(detail?.diff?.inventoryMappings?.added).toHaveLength(750);
    expect(Math.max(...sizes)).toBeLessThan(EVENTBRIDGE_ENTRY_LIMIT_BYTES);
  });

  it('carry a registered detail-type and a unique eventId each', () => {
    for (const e of p.events) expect(Object.keys(eventRegistry)).toContain(e['detail-type']);
    const ids = p.events.map((e) => (e.detail as { eventId: string }).eventId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('parse with the subscriber kit as events.jsonl holds them, each typed by its detail-type', async () => {
    const lines = (await readFile(join(p.stateDir, 'events.jsonl'), 'utf8')).trim().split('\n');
    for (const line of lines) {
      const event = JSON.parse(line);
      const parsed = parseEvent(event);
      expect(parsed['detail-type']).toBe(event['detail-type']);
      expect(parsed.detail).toEqual(event.detail);
    }
  });

  it('name the store of every token they point to: the local vault, here', () => {
    const refs = p.events.flatMap((e) => {
      const d = e.detail as { connection?: { secretRef: string; secretStore?: string } };
      return d.connection ? [d.connection] : [];
    });
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref.secretStore).toBe('local-vault');
      expect(secretStoreOf(ref.secretRef)).toBe(ref.secretStore);
    }
  });
});
