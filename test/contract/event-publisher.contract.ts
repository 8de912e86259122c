import { describe, expect, it } from 'vitest';
import type { OutboxEvent } from '../../shared/domain/model.js';
import type { EventPublisher } from '../../shared/ports/event-publisher.js';

export interface PublisherUnderTest {
  publisher: EventPublisher;
  /** What reached the bus so far, in order. */
  delivered(): Promise<{ detailType: string; detail: Record<string, unknown> }[]>;
}

/** Returns a publisher to a new, empty bus each time it is called; its source is CONTRACT_SOURCE. */
export type PublisherFactory = () => Promise<PublisherUnderTest>;

export const CONTRACT_SOURCE = 'com.example.contract';

let n = 0;
function event(overrides: Partial<OutboxEvent> = {}): OutboxEvent {
  const eventId = `evt_${(++n).toString(16).padStart(32, '0')}`;
  return {
    eventId,
    detailType: 'Connection Provisioned',
    subject: `con_${n}`,
    time: '2026-05-01T10:42:01.123Z',
    detail: { schemaVersion: 1, eventId, nested: { list: [1, 'two', null] } },
    ...overrides,
  };
}

const padded = (bytes: number) => event({ detail: { schemaVersion: 1, pad: 'x'.repeat(bytes) } });

/** EventPublisher: what every implementation must do. */
export function eventPublisherContract(makePublisher: PublisherFactory): void {
  describe('publish', () => {
    it('delivers every event, in order, with its detail type and detail', async () => {
      const { publisher, delivered } = await makePublisher();
      const events = Array.from({ length: 12 }, () => event());
      expect(await publisher.publish(events)).toEqual({ failed: [] });
      expect(await delivered()).toEqual(events.map((e) => ({ detailType: e.detailType, detail: e.detail })));
    });

    it('publishing nothing delivers nothing', async () => {
      const { publisher, delivered } = await makePublisher();
      expect(await publisher.publish([])).toEqual({ failed: [] });
      expect(await delivered()).toEqual([]);
    });

    it('does not drop duplicates: delivery is at least once, consumers dedupe by eventId', async () => {
      const { publisher, delivered } = await makePublisher();
      const e = event();
      await publisher.publish([e]);
      await publisher.publish([e]);
      expect((await delivered()).map((d) => d.detail.eventId)).toEqual([e.eventId, e.eventId]);
    });

    it('reports an unreadable time as failed for good, and delivers the rest', async () => {
      const { publisher, delivered } = await makePublisher();
      const [good, bad] = [event(), event({ time: 'not a time' })];
      const { failed } = await publisher.publish([bad, good]);
      expect(failed).toEqual([
        { eventId: bad.eventId, reason: expect.stringMatching(/time/), permanent: true },
      ]);
      expect((await delivered()).map((d) => d.detail)).toEqual([good.detail]);
    });

    it('reports an entry of 256 KB or more as failed for good, and delivers one under it', async () => {
      const { publisher, delivered } = await makePublisher();
      const [big, fits] = [padded(256 * 1024), padded(200 * 1024)];
      const { failed } = await publisher.publish([big, fits]);
      expect(failed).toEqual([
        { eventId: big.eventId, reason: expect.stringMatching(/256 KB/), permanent: true },
      ]);
      expect((await delivered()).map((d) => d.detail)).toEqual([fits.detail]);
    });
  });
}
