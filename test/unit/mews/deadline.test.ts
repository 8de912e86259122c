import { describe, expect, it } from 'vitest';
import { MewsTransportError } from '../../../shared/mews/errors.js';
import {
  type AttemptEvent,
  HttpTransport,
  type HttpTransportOptions,
} from '../../../shared/mews/http-transport.js';

/**
 * The transport's deadline, on a manual clock: each fake Mews answer "takes" `answerMs` of that
 * clock, and the backoff waits advance it. Nothing here waits for real.
 */
function setup(options: {
  answers: (() => Response)[];
  answerMs?: number;
  deadline?: () => number | undefined;
  transport?: Partial<HttpTransportOptions>;
}) {
  let now = 1_000_000;
  const starts: number[] = [];
  const sleeps: number[] = [];
  const events: AttemptEvent[] = [];
  const answers = [...options.answers];
  const transport = new HttpTransport({
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    random: () => 0,
    onAttempt: (e) => events.push(e),
    fetch: async () => {
      starts.push(now);
      now += options.answerMs ?? 0;
      const next = answers.shift();
      if (!next) throw new Error('no more answers scripted');
      return next();
    },
    ...(options.deadline ? { deadline: options.deadline } : {}),
    ...options.transport,
  });
  const post = () =>
    transport.post({ operation: 'getProperties', url: 'https://api.mews-demo.com/x', body: {} }).then(
      (answer) => ({ answer, error: undefined }),
      (error: unknown) => ({ answer: undefined, error }),
    );
  return { post, starts, sleeps, events, at: (ms: number) => 1_000_000 + ms };
}

const unavailable = () => new Response('down', { status: 503 });
const rateLimited = (seconds: number) =>
  new Response('{}', { status: 429, headers: { 'retry-after': String(seconds) } });
const ok = () => new Response('{"properties":[]}', { status: 200 });

describe('HttpTransport deadline', () => {
  it('starts no attempt when less than minAttemptMs is left: no request, a transient "deadline" failure', async () => {
    const t = setup({ answers: [ok], deadline: () => 1_000_000 + 200 });

    const { error } = await t.post();

    expect(t.starts).toEqual([]);
    expect(error).toBeInstanceOf(MewsTransportError);
    expect(error).toMatchObject({ reason: 'deadline', kind: 'transient' });
    expect((error as MewsTransportError).message).toMatch(/too little time left/);
  });

  it('fits every attempt into the budget and starts no retry that could not end by it', async () => {
    // Mews answers 503 after 900 ms each time; the budget is 3.6 s; attempts are 10 s by default.
    const t = setup({
      answers: [unavailable, unavailable, unavailable, unavailable, unavailable],
      answerMs: 900,
      deadline: () => 1_000_000 + 3_600,
    });

    const { error } = await t.post();

    expect(error).toMatchObject({ reason: 'http-status', status: 503 });
    expect(t.starts).toEqual([t.at(0), t.at(900), t.at(1_800), t.at(2_700)]);
    // Each attempt's timeout ends exactly at the deadline, never past it.
    expect(t.events.map((e) => e.timeoutMs)).toEqual([3_600, 2_700, 1_800, 900]);
    t.events.forEach((e, i) => {
      expect(e.deadline).toBe(t.at(3_600));
      expect((t.starts[i] ?? Number.NaN) + e.timeoutMs).toBeLessThanOrEqual(t.at(3_600));
    });
    // At 3.6 s nothing is left: the last failure says no retry follows.
    expect(t.events.at(-1)).toMatchObject({ willRetry: false, retryInMs: null });
  });

  it('honours Retry-After only when the wait and an attempt after it fit the budget', async () => {
    const within = setup({ answers: [() => rateLimited(2), ok], deadline: () => 1_000_000 + 5_000 });
    const beyond = setup({ answers: [() => rateLimited(20), ok], deadline: () => 1_000_000 + 5_000 });
    // 4.9 s of a 5 s budget would leave 100 ms for the attempt: not waited for either.
    const tight = setup({ answers: [() => rateLimited(4), ok], answerMs: 900, deadline: () => 1_005_000 });

    const a = await within.post();
    const b = await beyond.post();
    const c = await tight.post();

    expect(a.answer).toMatchObject({ status: 200, attempts: 2 });
    expect(within.sleeps).toEqual([2_000]);
    expect(b.error).toMatchObject({ reason: 'rate-limited', retryAfterMs: 20_000, attempts: 1 });
    expect(beyond.sleeps).toEqual([]);
    expect(c.error).toMatchObject({ reason: 'rate-limited', attempts: 1 });
    expect(tight.sleeps).toEqual([]);
  });

  it('takes the earlier of maxElapsedMs and the deadline, asked at the start of each call', async () => {
    // A fractional deadline too: AbortSignal.timeout takes whole milliseconds only.
    let deadline: number | undefined = 1_000_000 + 1_500.6;
    const t = setup({
      answers: [ok, ok, ok],
      deadline: () => deadline,
      transport: { maxElapsedMs: 4_000 },
    });

    await t.post();
    deadline = 1_000_000 + 60_000;
    await t.post();
    deadline = undefined;
    await t.post();

    expect(t.events.map((e) => [e.timeoutMs, e.deadline])).toEqual([
      [1_500, t.at(1_500.6)],
      [4_000, t.at(4_000)],
      [4_000, t.at(4_000)],
    ]);
  });

  it('without a deadline behaves as before: full attempts, every retry, no deadline in the events', async () => {
    const t = setup({ answers: [unavailable, unavailable, ok], answerMs: 9_000 });

    const { answer } = await t.post();

    expect(answer).toMatchObject({ status: 200, attempts: 3 });
    expect(t.events.map((e) => [e.timeoutMs, e.deadline])).toEqual([
      [10_000, null],
      [10_000, null],
      [10_000, null],
    ]);
  });
});
