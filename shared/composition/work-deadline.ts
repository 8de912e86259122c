import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from 'aws-lambda';

/**
 * The time by which the work in progress (one SQS record, one webhook request) must be done, as
 * an epoch ms. The Mews clients of the composition root ask it at the start of every call
 * (HttpTransport's `deadline`), so a call, its retries and its Retry-After waits end by then.
 * Scoped to the async work it was set for, so nothing leaks into the next record; outside of it
 * (the CLI, the local runner) there is none.
 */
const current = new AsyncLocalStorage<number>();

/** Runs `work` with every Mews call it makes ending by `deadline` (epoch ms). */
export function withDeadline<T>(deadline: number, work: () => Promise<T>): Promise<T> {
  return current.run(deadline, work);
}

/** The deadline of the work in progress, if it has one. */
export function currentDeadline(): number | undefined {
  return current.getStore();
}

/** Milliseconds the invocation has left; infinite without a Lambda context (a direct call). */
export function remainingMs(context: Context | undefined): number {
  const left = context?.getRemainingTimeInMillis();
  return typeof left === 'number' && Number.isFinite(left) ? left : Number.POSITIVE_INFINITY;
}
