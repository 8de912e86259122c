import { describe, expect, it } from 'vitest';
import type { OutboxEvent } from '../../shared/domain/model.js';
import { connectionId, event, provisionInput, type StateStoreFactory, seeded } from './state-fixtures.js';

/** OutboxStore: what every implementation must do. Each case gets an empty table (the pending list is global). */
export function outboxStoreContract(makeStore: StateStoreFactory): void {
  describe('appendEvents, listPendingEvents, markEventsPublished, listEventsFor', () => {
    it('appends events once, lists pending oldest first, and takes published ones off the list', async () => {
      const outbox = await makeStore();
      const con = connectionId();
      const late = event(con, '2025-01-01T00:00:03.000Z');
      const early = event(con, '2025-01-01T00:00:01.000Z');
      const middle = event('acc_other', '2025-01-01T00:00:02.000Z', { detailType: 'Account Access Failed' });
      expect(await outbox.appendEvents([late, early])).toBe(2);
      expect(await outbox.appendEvents([middle, early])).toBe(1);

      expect(await outbox.listPendingEvents(10)).toEqual([early, middle, late]);
      expect(await outbox.listPendingEvents(2)).toEqual([early, middle]);
      expect(await outbox.listPendingEvents(0)).toEqual([]);

      await outbox.markEventsPublished(
        [early.eventId, late.eventId, 'evt_unknown'],
        '2025-01-01T00:01:00.000Z',
      );
      expect(await outbox.listPendingEvents(10)).toEqual([middle]);
      // a repeat changes nothing
      await outbox.markEventsPublished([early.eventId, early.eventId], '2025-01-09T00:00:00.000Z');
      expect(await outbox.listPendingEvents(10)).toEqual([middle]);
      // an unknown id is not created by being marked
      expect(await outbox.appendEvents([{ ...early, eventId: 'evt_unknown' }])).toBe(1);

      // replay by subject includes published events, oldest first
      expect(await outbox.listEventsFor(con)).toEqual([early, { ...early, eventId: 'evt_unknown' }, late]);
      expect(await outbox.listEventsFor('acc_other')).toEqual([middle]);
      expect(await outbox.listEventsFor('nobody')).toEqual([]);
    });

    it('an appended event already published is not pending again', async () => {
      const outbox = await makeStore();
      const e = event(connectionId(), '2025-01-01T00:00:01.000Z');
      await outbox.appendEvents([e]);
      await outbox.markEventsPublished([e.eventId], '2025-01-01T00:01:00.000Z');
      expect(await outbox.appendEvents([e])).toBe(0);
      expect(await outbox.listPendingEvents(10)).toEqual([]);
    });

    it('keeps the detail exactly: key order, nesting, numbers, unicode', async () => {
      const outbox = await makeStore();
      const detail = { z: 1, a: [1.5, -0, 1e21, { deep: { deeper: [null, true, 'ünïcødé ✓'] } }], m: '' };
      const e = event('con_detail', '2025-01-01T00:00:00.000Z', { detail });
      await outbox.appendEvents([e]);
      const [pending] = await outbox.listPendingEvents(1);
      expect(JSON.stringify(pending?.detail)).toBe(JSON.stringify(detail));
      const [replayed] = await outbox.listEventsFor('con_detail');
      expect(JSON.stringify(replayed?.detail)).toBe(JSON.stringify(detail));
    });

    it('keeps time order across many events, ties broken by event id', async () => {
      const outbox = await makeStore();
      const many = Array.from({ length: 120 }, (_, i) =>
        event('con_many', new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString()),
      );
      const sameTime = ['evt_b', 'evt_a', 'evt_c'].map((eventId) =>
        event('con_many', '2025-01-01T00:05:00.000Z', { eventId: `${eventId}_${connectionId()}` }),
      );
      expect(await outbox.appendEvents([...many].reverse())).toBe(120);
      expect(await outbox.appendEvents(sameTime)).toBe(3);
      const tied = [...sameTime].sort((a, b) => (a.eventId < b.eventId ? -1 : 1));
      expect((await outbox.listPendingEvents(1000)).map((e) => e.eventId)).toEqual(
        [...many, ...tied].map((e) => e.eventId),
      );
      await outbox.markEventsPublished(
        many.slice(0, 100).map((e) => e.eventId),
        '2025-02-01T00:00:00.000Z',
      );
      expect(await outbox.listPendingEvents(1000)).toEqual([...many.slice(100), ...tied]);
      expect(await outbox.listEventsFor('con_many')).toEqual([...many, ...tied]);
    }, 120_000);

    it('refuses one event id twice in one call, and a publication time that is not a timestamp', async () => {
      const outbox = await makeStore();
      const e = event('con_x', '2025-01-01T00:00:00.000Z');
      await expect(outbox.appendEvents([e, e])).rejects.toThrow(/appears twice/);
      await outbox.appendEvents([e]);
      await expect(outbox.markEventsPublished([e.eventId], 'yesterday')).rejects.toThrow(
        /not an ISO timestamp/,
      );
      expect(await outbox.listPendingEvents(10)).toEqual([e]);
    });

    it('dead-letters events: off the pending list, still replayable; repeats, published and unknown ids change nothing', async () => {
      const outbox = await makeStore();
      const con = connectionId();
      const [a, b, c] = [1, 2, 3].map((n) => event(con, `2025-01-01T00:00:0${n}.000Z`)) as [
        OutboxEvent,
        OutboxEvent,
        OutboxEvent,
      ];
      await outbox.appendEvents([a, b, c]);
      await outbox.markEventsPublished([c.eventId], '2025-01-01T00:01:00.000Z');
      await outbox.markEventsDeadLettered(
        [
          { eventId: a.eventId, reason: 'MalformedDetail: no' },
          { eventId: c.eventId, reason: 'too late: published' },
          { eventId: 'evt_unknown', reason: 'never existed' },
        ],
        '2025-01-01T00:02:00.000Z',
      );
      expect(await outbox.listPendingEvents(10)).toEqual([b]);
      expect(await outbox.listEventsFor(con)).toEqual([a, b, c]);
      await outbox.markEventsDeadLettered(
        [{ eventId: a.eventId, reason: 'again' }],
        '2025-01-01T00:03:00.000Z',
      );
      expect(await outbox.listPendingEvents(10)).toEqual([b]);
      // appending a dead-lettered event again does not make it pending
      expect(await outbox.appendEvents([a, { ...a, eventId: 'evt_unknown' }])).toBe(1);
      expect((await outbox.listPendingEvents(10)).map((e) => e.eventId)).toEqual(['evt_unknown', b.eventId]);
      await expect(
        outbox.markEventsDeadLettered([{ eventId: b.eventId, reason: 'x' }], 'soon'),
      ).rejects.toThrow(/not an ISO timestamp/);
      expect((await outbox.listPendingEvents(10)).map((e) => e.eventId)).toEqual(['evt_unknown', b.eventId]);
    });

    it('events written with a state change are pending and replayable like appended ones', async () => {
      const outbox = await makeStore();
      const { acc, con } = await seeded(outbox, 1);
      const provisioned = event(con, '2025-01-02T00:00:01.000Z');
      await outbox.recordProvisioned(provisionInput(acc.id, con, [provisioned]));
      const failed = event(acc.id, '2025-01-02T00:00:00.000Z', { detailType: 'Account Access Failed' });
      await outbox.changeAccountAccess(acc.id, { status: 'failing', code: 8, reason: 'x', since: 'y' }, 0, [
        failed,
      ]);
      expect(await outbox.listPendingEvents(10)).toEqual([failed, provisioned]);
      // appending an id a state change wrote is skipped
      expect(await outbox.appendEvents([provisioned])).toBe(0);
      expect(await outbox.listEventsFor(con)).toEqual([provisioned]);
      // and it stays pending only until published
      await outbox.markEventsPublished([provisioned.eventId], '2025-01-03T00:00:00.000Z');
      expect(await outbox.listPendingEvents(10)).toEqual([failed]);
    });
  });
}
