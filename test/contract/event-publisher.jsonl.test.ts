import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe } from 'vitest';
import { type DeliveredEvent, JsonlEventSink } from '../../shared/adapters/local/jsonl-event-sink.js';
import { CONTRACT_SOURCE, eventPublisherContract } from './event-publisher.contract.js';

const roots: string[] = [];

afterAll(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

describe('EventPublisher contract: local JSON-lines sink', () => {
  eventPublisherContract(async () => {
    const root = await mkdtemp(join(tmpdir(), 'event-publisher-contract-'));
    roots.push(root);
    const file = join(root, 'events.jsonl');
    return {
      publisher: new JsonlEventSink({ file, source: CONTRACT_SOURCE }),
      delivered: async () => {
        const text = await readFile(file, 'utf8').catch(() => '');
        return text
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as DeliveredEvent)
          .map((d) => ({ detailType: d['detail-type'], detail: d.detail }));
      },
    };
  });
});
