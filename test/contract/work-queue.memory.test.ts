import { describe, expect, it } from 'vitest';
import { MemoryWorkQueue } from '../../shared/adapters/memory/memory-work-queue.js';
import type { AccountId } from '../../shared/domain/model.js';
import type { PollAccountMessage, WorkMessage } from '../../shared/ports/work-queue.js';
import { workQueueContract } from './work-queue.contract.js';

describe('WorkQueue contract: in memory', () => {
  workQueueContract(async () => {
    const queue = new MemoryWorkQueue<WorkMessage>();
    return { queue, received: async () => queue.waiting() };
  });
});

const poll = (n: number): PollAccountMessage => ({
  kind: 'poll-account',
  accountId: `acc_${n}` as AccountId,
});

describe('MemoryWorkQueue driving', () => {
  it('hands out one message at a time, in any order asked, and redelivers', async () => {
    const queue = new MemoryWorkQueue<PollAccountMessage>({ name: 'polls' });
    await queue.send([poll(1), poll(2), poll(3)]);
    const second = queue.take(1);
    expect(second).toMatchObject({ message: poll(2), attempt: 1 });
    expect(queue.waiting()).toEqual([poll(1), poll(3)]);
    expect(queue.inFlight()).toEqual([second]);
    if (!second) throw new Error('no delivery');
    queue.redeliver(second);
    expect(queue.waiting()).toEqual([poll(1), poll(3), poll(2)]);
    expect(queue.take(2)).toMatchObject({ messageId: second.messageId, attempt: 2 });
    const first = queue.take();
    if (!first) throw new Error('no delivery');
    queue.complete(first);
    // at least once: a completed message can be delivered again
    queue.redeliver(first);
    expect(queue.waiting()).toEqual([poll(3), poll(1)]);
    expect(queue.sent()).toEqual([poll(1), poll(2), poll(3)]);
  });

  it('deliverOne completes on success, redelivers on failure, and dead-letters after maxAttempts', async () => {
    const queue = new MemoryWorkQueue<PollAccountMessage>();
    await queue.send([poll(1)]);
    const failing = async () => {
      throw new Error('boom');
    };
    expect(await queue.deliverOne(failing, { maxAttempts: 2 })).toMatchObject({ error: new Error('boom') });
    expect(queue.size()).toBe(1);
    expect(await queue.deliverOne(failing, { maxAttempts: 2 })).toMatchObject({ deadLettered: true });
    expect(queue.size()).toBe(0);
    expect(queue.deadLetters()).toMatchObject([{ message: poll(1), attempt: 2, reason: 'boom' }]);
    await queue.send([poll(2)]);
    const seen: PollAccountMessage[] = [];
    expect(await queue.deliverOne(async (m) => seen.push(m))).toMatchObject({
      delivery: { message: poll(2) },
    });
    expect(seen).toEqual([poll(2)]);
    expect(await queue.deliverOne(async () => {})).toBeUndefined();
  });

  it('calls the hook before each send; a throwing hook sends nothing', async () => {
    const calls: string[] = [];
    const queue = new MemoryWorkQueue<PollAccountMessage>({
      onCall: ({ port, method, args }) => {
        calls.push(`${port}.${method}:${(args[0] as unknown[]).length}`);
        if (calls.length === 2) throw new Error('crash');
      },
    });
    await queue.send([poll(1)]);
    await expect(queue.send([poll(2), poll(3)])).rejects.toThrow('crash');
    expect(queue.waiting()).toEqual([poll(1)]);
    expect(calls).toEqual(['WorkQueue.send:1', 'WorkQueue.send:2']);
  });
});
