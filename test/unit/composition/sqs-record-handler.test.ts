import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { RECORD_BUDGET, sqsRecordHandler } from '../../../shared/composition/sqs-record-handler.js';
import { currentDeadline } from '../../../shared/composition/work-deadline.js';
import { METRIC } from '../../../shared/config/metric-names.js';
import {
  type Captured,
  captureOutput,
  lambdaContext,
  sqsEvent,
  sqsRecord,
} from '../../functions/lambda-harness.js';

/**
 * The factory's arithmetic on a frozen clock: each record "takes" the time its script says (the
 * clock is moved, nothing waits), and the use case notes the deadline it was given.
 */
const T0 = Date.parse('2026-12-02T04:00:00.000Z');
let out: Captured;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'sqs-record-handler-test');
  out = captureOutput();
});
afterEach(() => {
  out.restore();
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

type Step = { takesMs: number; fails?: boolean };

function setup(steps: Step[], remainingAtStartMs: number) {
  const deadlines: { name: string; deadline: number | undefined }[] = [];
  const handler = sqsRecordHandler({
    message: 'test message',
    schema: z.object({ name: z.string() }),
    deps: async () => ({ steps: new Map(steps.map((s, i) => [`r${i}`, s])) }),
    run: async ({ name }, deps) => {
      deadlines.push({ name, deadline: currentDeadline() });
      const step = deps.steps.get(name);
      vi.setSystemTime(Date.now() + (step?.takesMs ?? 0));
      if (step?.fails) throw new Error(`${name} timed out`);
      return 'done' as const;
    },
    metricsOf: () => ({ [METRIC.connectionProvisioned]: 1 }),
    failedMetric: METRIC.syncFailed,
    failure: 'test record failed',
  });
  const end = T0 + remainingAtStartMs;
  const context = { ...lambdaContext('test'), getRemainingTimeInMillis: () => end - Date.now() };
  const records = steps.map((_, i) => sqsRecord(JSON.stringify({ name: `r${i}` }), 'test-queue'));
  return { run: () => handler(sqsEvent(records), context), records, deadlines, end };
}

describe('sqsRecordHandler', () => {
  it('gives each record its fair share of what is left, the reserve kept free; time a record did not use goes to the next', async () => {
    // 25 s left: 20 s for four records after the 5 s reserve.
    const t = setup(
      [{ takesMs: 1_000 }, { takesMs: 6_333, fails: true }, { takesMs: 500 }, { takesMs: 200 }],
      25_000,
    );

    const response = await t.run();

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: t.records[1]?.messageId }] });
    expect(t.deadlines).toEqual([
      { name: 'r0', deadline: T0 + 5_000 }, // 20 000 / 4
      { name: 'r1', deadline: T0 + 1_000 + 6_333 }, // 19 000 / 3
      { name: 'r2', deadline: T0 + 7_333 + 6_333 }, // 12 667 / 2
      { name: 'r3', deadline: T0 + 7_833 + 12_167 }, // 12 167 / 1
    ]);
    for (const d of t.deadlines) expect(d.deadline).toBeLessThanOrEqual(t.end - RECORD_BUDGET.reserveMs);
    // Outside a record there is no deadline.
    expect(currentDeadline()).toBeUndefined();
  });

  it('gives a record at least minRecordMs, and starts none with less than that left', async () => {
    // 12 s left: 7 s for five records. Each of the first two would get 1.4 s: they get 3 s.
    const steps = [1, 2, 3, 4, 5].map(() => ({ takesMs: 3_000, fails: true }));
    const t = setup(steps, 12_000);

    const response = await t.run();

    expect(t.deadlines).toEqual([
      { name: 'r0', deadline: T0 + RECORD_BUDGET.minRecordMs },
      { name: 'r1', deadline: T0 + 3_000 + RECORD_BUDGET.minRecordMs },
    ]);
    // Every record failed: still a response, not an invocation error.
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(
      t.records.map((r) => r.messageId),
    );
    expect(out.metric('SyncFailed')).toBe(2);
    expect(out.metric('RecordsNotStarted')).toBe(3);
    // One line per failed record.
    for (const record of t.records) {
      expect(out.logs().filter((l) => l.messageId === record.messageId)).toHaveLength(1);
    }
  });
});
