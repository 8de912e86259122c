import { describe, expect, it } from 'vitest';
import type { AccountId, ConnectionId } from '../../shared/domain/model.js';
import type {
  PollAccountMessage,
  SyncConnectionMessage,
  WorkMessage,
  WorkQueue,
} from '../../shared/ports/work-queue.js';

export interface QueueUnderTest {
  queue: WorkQueue<WorkMessage>;
  /** Every message the queue holds (or took) so far, in any order. */
  received(): Promise<WorkMessage[]>;
}

/** Returns a new, empty queue each time it is called. */
export type QueueFactory = () => Promise<QueueUnderTest>;

const poll = (n: number): PollAccountMessage => ({
  kind: 'poll-account',
  accountId: `acc_${n.toString(16).padStart(16, '0')}` as AccountId,
});

const sync = (n: number): SyncConnectionMessage => ({
  kind: 'sync-connection',
  connectionId: `con_${n.toString(16).padStart(24, '0')}` as ConnectionId,
  accountId: `acc_${n.toString(16).padStart(16, '0')}` as AccountId,
  reason: 'discovered',
});

const sorted = (messages: WorkMessage[]) => messages.map((m) => JSON.stringify(m)).sort();

/** WorkQueue: what every implementation must do. */
export function workQueueContract(makeQueue: QueueFactory): void {
  describe('send', () => {
    it('every message sent arrives once, as sent (many of them, both kinds)', async () => {
      const { queue, received } = await makeQueue();
      const messages: WorkMessage[] = [...Array.from({ length: 23 }, (_, i) => poll(i)), sync(1), sync(2)];
      await queue.send(messages);
      await queue.send([poll(100)]);
      expect(sorted(await received())).toEqual(sorted([...messages, poll(100)]));
    });

    it('sending nothing sends nothing', async () => {
      const { queue, received } = await makeQueue();
      await queue.send([]);
      expect(await received()).toEqual([]);
    });

    it('takes a copy: changing a message after sending it changes nothing delivered', async () => {
      const { queue, received } = await makeQueue();
      const message = sync(7);
      await queue.send([message]);
      message.reason = 'refresh';
      expect(await received()).toEqual([sync(7)]);
    });

    it('delivers what JSON carries: fields set to undefined are gone', async () => {
      const { queue, received } = await makeQueue();
      const message = { ...poll(3), note: undefined } as unknown as WorkMessage;
      await queue.send([message]);
      const [delivered] = await received();
      expect(Object.keys(delivered ?? {}).sort()).toEqual(['accountId', 'kind']);
    });

    it('refuses a message over 256 KiB, sending nothing of that call', async () => {
      const { queue, received } = await makeQueue();
      const big = { ...poll(4), padding: 'x'.repeat(256 * 1024) } as unknown as WorkMessage;
      await expect(queue.send([poll(5), big])).rejects.toThrow(/256|262144/);
      expect(await received()).toEqual([]);
    });
  });
}
