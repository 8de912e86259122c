import { describe, expect, it } from 'vitest';
import { MemoryEventPublisher } from '../../shared/adapters/memory/memory-event-publisher.js';
import type { OutboxEvent } from '../../shared/domain/model.js';
import { CONTRACT_SOURCE, eventPublisherContract } from './event-publisher.contract.js';

describe('EventPublisher contract: in memory', () => {
  eventPublisherContract(async () => {
    const publisher = new MemoryEventPublisher({ source: CONTRACT_SOURCE });
    return {
      publisher,
      delivered: async () =>
        publisher.published().map((e) => ({ detailType: e.detailType, detail: e.detail })),
    };
  });
});

const event = (id: string, subject = 'con_1'): OutboxEvent => ({
  eventId: id,
  detailType: 'Connection Provisioned',
  subject,
  time: '2026-05-01T10:42:01.123Z',
  detail: { eventId: id },
});

describe('MemoryEventPublisher failures on demand', () => {
  it('fails the entries a rule matches, as many times as asked, in the order rules were added', async () => {
    const publisher = new MemoryEventPublisher();
    publisher.failEntries({
      match: (e) => e.subject === 'con_2',
      times: 1,
      reason: 'ThrottlingException: slow down',
    });
    publisher.failEntries({
      match: (e) => e.eventId === 'evt_c',
      permanent: true,
      reason: 'MalformedDetail: no',
    });
    const result = await publisher.publish([event('evt_a'), event('evt_b', 'con_2'), event('evt_c')]);
    expect(result.failed).toEqual([
      { eventId: 'evt_b', reason: 'ThrottlingException: slow down', permanent: false },
      { eventId: 'evt_c', reason: 'MalformedDetail: no', permanent: true },
    ]);
    const again = await publisher.publish([event('evt_b', 'con_2'), event('evt_c')]);
    expect(again.failed.map((f) => f.eventId)).toEqual(['evt_c']);
    publisher.clearFailures();
    expect((await publisher.publish([event('evt_c')])).failed).toEqual([]);
    expect(publisher.entries().map((e) => [e.event.eventId, e.sequence, e.source])).toEqual([
      ['evt_a', 1, 'memory.provisioner'],
      ['evt_b', 2, 'memory.provisioner'],
      ['evt_c', 3, 'memory.provisioner'],
    ]);
  });

  it('a throwing hook fails the whole call with nothing delivered (the bus unreachable)', async () => {
    const publisher = new MemoryEventPublisher({
      onCall: () => {
        throw new Error('EventBridge unreachable');
      },
    });
    await expect(publisher.publish([event('evt_a')])).rejects.toThrow('unreachable');
    expect(publisher.published()).toEqual([]);
  });
});
