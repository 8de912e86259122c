import { type FaultKind, OPERATIONS, type OperationName } from './faults.js';

/**
 * Call counters per operation and a log of API requests, for tests to assert on.
 * The log never holds a token: a getConfiguration request is identified by the
 * property its token belongs to. Emails are the simulator's fake test data.
 */

export type CallCounts = Record<OperationName, number>;

export interface RequestLogEntry {
  seq: number;
  /** ISO time the request arrived. */
  at: string;
  operation: OperationName;
  email?: string;
  /** The property of the connection token, when it named a live connection. */
  propertyId?: string;
  /** Null when no answer was sent (hang). */
  httpStatus: number | null;
  outcome: 'success' | 'error' | 'fault';
  /** The Mews error code of a `success: false` answer. */
  errorCode?: number;
  fault?: FaultKind;
  durationMs: number;
}

const MAX_ENTRIES = 10_000;

export class CallLog {
  private counts = CallLog.zero();
  private entries: RequestLogEntry[] = [];
  private seq = 0;

  private static zero(): CallCounts {
    return Object.fromEntries(OPERATIONS.map((op) => [op, 0])) as CallCounts;
  }

  count(operation: OperationName): number {
    this.counts[operation] += 1;
    return ++this.seq;
  }

  record(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
  }

  calls(): CallCounts {
    return { ...this.counts };
  }

  /** The most recent requests (up to 10,000), oldest first. */
  requests(): RequestLogEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  clear(): void {
    this.counts = CallLog.zero();
    this.entries = [];
    this.seq = 0;
  }
}
