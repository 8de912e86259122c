import type { ConnectionId } from '../domain/model.js';
import type { CycleReport } from '../local/run-cycle.js';
import type { Clock } from '../ports/clock.js';
import type { StateStore } from '../ports/state-store.js';
import type { WorkMessage } from '../ports/work-queue.js';
import type { FailedRun } from './failed-run-record.js';

/**
 * A dead-lettered work message as the CLI shows it; on a stack also a failed run of a scheduled
 * function (queue `failed-runs`: Lambda's record of it, not work that a redrive could send back).
 */
export interface DeadLetterView {
  queue: 'account-polls' | 'connection-syncs' | 'failed-runs';
  message: WorkMessage | FailedRun | string;
  /** Why it failed, when known (locally the last error; on AWS see the function's logs). */
  reason: string | null;
  attempts: number | null;
  at: string | null;
}

interface QueueDepth {
  queue: string;
  waiting: number;
  inFlight: number;
}

/**
 * What the CLI does beyond reading and writing the state store, in the two places it runs:
 * locally (DynamoDB Local, in-process queues, the JSON-lines sink) or against a deployed stack.
 */
export interface Operations {
  /** Where the commands act, for messages: `local (.provisioner)` or `stack mews-provisioner-demo`. */
  where: string;
  store: StateStore;
  clock: Clock;
  /** Starts one cycle: locally runs it to the end; on AWS queues the polls for the stack to run. */
  runCycle(): Promise<string>;
  /** Checks one connection against Mews now (configuration, status). */
  resync(connectionId: ConnectionId, accountId: `acc_${string}`): Promise<string>;
  /** Publishes a connection's stored events again (same eventIds), oldest first. */
  replay(
    connectionId: ConnectionId,
    since: Date | undefined,
    onProgress: (done: number, total: number) => void,
  ): Promise<number>;
  queueDepths(): Promise<QueueDepth[]>;
  deadLetters(): Promise<DeadLetterView[]>;
  /** Sends dead letters back to their queues (and, locally, works them off). */
  redrive(): Promise<string>;
  /**
   * Locally: the report of the last cycle this command ran (runCycle, resync, redrive), for
   * `--json`. Absent on a stack, where the stack's functions do the work.
   */
  lastReport?: () => CycleReport | null;
  /** When the last cycle ran and how it went, where known. */
  lastCycle(): Promise<{ at: string; summary: string } | null>;
  close(): Promise<void>;
}
