import { describe, expect, it } from 'vitest';
import { InProcessQueue } from '../../../shared/adapters/local/in-process-queue.js';
import type { AccountId } from '../../../shared/domain/model.js';
import type { PollAccountMessage } from '../../../shared/ports/work-queue.js';

const poll = (n: number): PollAccountMessage => ({
  kind: 'poll-account',
  accountId: `acc_${n}` as AccountId,
});
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('InProcessQueue', () => {
  it('queues copies of the messages, as SQS would', async () => {
    const queue = new InProcessQueue<PollAccountMessage>();
    const message = poll(1);
    await queue.send([message, poll(2)]);
    message.accountId = 'acc_changed' as AccountId;

    expect(queue.size()).toBe(2);
    const seen: string[] = [];
    await queue.drain(async (m) => {
      seen.push(m.accountId);
    });
    expect(seen).toEqual(['acc_1', 'acc_2']);
    expect(queue.size()).toBe(0);
  });

  it('drains in order until empty, including messages sent while draining', async () => {
    const queue = new InProcessQueue<PollAccountMessage>();
    await queue.send([poll(1), poll(2)]);
    const seen: string[] = [];

    const result = await queue.drain(async (m) => {
      seen.push(m.accountId);
      if (m.accountId === 'acc_1') await queue.send([poll(3)]);
    });

    expect(seen).toEqual(['acc_1', 'acc_2', 'acc_3']);
    expect(result).toEqual({ attempts: 3, succeeded: 3, deadLettered: 0 });
    expect(queue.deadLetters()).toEqual([]);
  });

  it('runs at most `concurrency` handlers at once', async () => {
    const queue = new InProcessQueue<PollAccountMessage>();
    await queue.send(Array.from({ length: 10 }, (_, i) => poll(i)));
    let inFlight = 0;
    let peak = 0;

    const result = await queue.drain(
      async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await tick();
        inFlight--;
      },
      { concurrency: 3, maxAttempts: 1 },
    );

    expect(peak).toBe(3);
    expect(result.succeeded).toBe(10);
  });

  it('retries a failed message (after the others) until it succeeds within maxAttempts', async () => {
    const queue = new InProcessQueue<PollAccountMessage>();
    await queue.send([poll(1), poll(2)]);
    const seen: string[] = [];
    let failures = 2;

    const result = await queue.drain(
      async (m) => {
        seen.push(m.accountId);
        if (m.accountId === 'acc_1' && failures-- > 0) throw new Error('Mews timed out');
      },
      { maxAttempts: 3 },
    );

    expect(seen).toEqual(['acc_1', 'acc_2', 'acc_1', 'acc_1']);
    expect(result).toEqual({ attempts: 4, succeeded: 2, deadLettered: 0 });
    expect(queue.deadLetters()).toEqual([]);
  });

  it('moves a message that keeps failing to the dead letters with the last error, and carries on', async () => {
    const queue = new InProcessQueue<PollAccountMessage>();
    await queue.send([poll(1), poll(2), poll(3)]);
    let calls = 0;

    const result = await queue.drain(
      async (m) => {
        if (m.accountId === 'acc_2') throw new Error(`attempt ${++calls} failed`);
      },
      { concurrency: 2, maxAttempts: 3 },
    );

    expect(result).toEqual({ attempts: 5, succeeded: 2, deadLettered: 1 });
    expect(queue.deadLetters()).toEqual([
      { message: poll(2), attempts: 3, error: 'attempt 3 failed', deadLetteredAt: expect.any(String) },
    ]);
    expect(queue.size()).toBe(0);
  });

  it('records non-Error throws as text', async () => {
    const queue = new InProcessQueue<PollAccountMessage>();
    await queue.send([poll(1)]);
    await queue.drain(
      async () => {
        throw 'plain string';
      },
      { maxAttempts: 1 },
    );
    expect(queue.deadLetters()[0]?.error).toBe('plain string');
  });

  it('rejects nonsensical options', async () => {
    const queue = new InProcessQueue<PollAccountMessage>();
    await expect(queue.drain(async () => {}, { concurrency: 0 })).rejects.toThrow(/concurrency/);
    await expect(queue.drain(async () => {}, { maxAttempts: 0 })).rejects.toThrow(/maxAttempts/);
  });

  it("refuses a message over SQS's 256 KiB, as SQS would, and queues nothing of that send", async () => {
    const queue = new InProcessQueue<PollAccountMessage & { pad?: string }>();
    const big = { ...poll(2), pad: 'x'.repeat(256 * 1024) };
    await expect(queue.send([poll(1), big, poll(3)])).rejects.toThrow(
      /^message m1 is \d+ bytes, over SQS's 262144-byte limit: nothing sent$/,
    );
    expect(queue.size()).toBe(0);
    // Many messages that fit are all queued, in order (sent as batches of ten).
    await queue.send(Array.from({ length: 25 }, (_, i) => poll(i)));
    expect(queue.size()).toBe(25);
    const seen: string[] = [];
    await queue.drain(async (m) => {
      seen.push(m.accountId);
    });
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `acc_${i}`));
  });
});
