import { type CycleOptions, type CycleReport, type LocalPipeline, runCycle } from './run-cycle.js';

/**
 * The local pipeline's runner (`npm start`, the webhook tests): cycles, and drains of what a push
 * channel queued, one at a time.
 */

/**
 * Works off what is already queued (by a change notification, say) without starting a cycle: the
 * polls, the syncs they queue, then the relay; as on AWS the queues' consumers run as soon as a
 * message arrives.
 */
function drainQueues(
  p: LocalPipeline,
  options: Pick<CycleOptions, 'concurrency' | 'maxAttempts'> = {},
): Promise<CycleReport> {
  return runCycle(p, { ...options, schedule: false });
}

export interface LocalRunner {
  /** One cycle (runCycle), after whatever runs now. */
  cycle(options?: CycleOptions): Promise<CycleReport>;
  /** Drains the queues soon (once, however often it is called meanwhile), after whatever runs now. */
  drainSoon(): void;
  /** Resolves when nothing is running or scheduled. */
  idle(): Promise<void>;
}

/**
 * Serialises the local pipeline's work: cycles and notification-triggered drains never overlap, so
 * two relays never publish the same pending event at once. A failed drain is reported to `onError`
 * and the runner carries on (the messages stay queued, or in the dead letters, as in a cycle).
 */
export function createLocalRunner(
  p: LocalPipeline,
  hooks: {
    onDrain?: (report: CycleReport) => void;
    onError?: (error: unknown) => void;
  } = {},
): LocalRunner {
  let tail: Promise<unknown> = Promise.resolve();
  let drainScheduled = false;
  const serial = <T>(run: () => Promise<T>): Promise<T> => {
    const next = tail.then(run);
    tail = next.catch(() => undefined);
    return next;
  };
  return {
    cycle: (options) => serial(() => runCycle(p, options)),
    drainSoon() {
      if (drainScheduled) return;
      drainScheduled = true;
      serial(async () => {
        drainScheduled = false;
        const report = await drainQueues(p);
        hooks.onDrain?.(report);
      }).catch((error: unknown) => hooks.onError?.(error));
    },
    async idle() {
      for (;;) {
        const current = tail;
        await current;
        if (current === tail && !drainScheduled) return;
      }
    },
  };
}
