import { MewsRefusal, MewsTransientFailure } from '../../ports/mews-failure.js';

/**
 * Failures an in-memory Mews port can be told to answer a call with. Each stands for what the
 * HTTP client throws once it gives up (after its own retries), as the port types:
 * - `disabled`: Mews code 3 (the connection is disabled): a MewsRefusal;
 * - `refused`: a permanent Mews code (default 8: not a verified employee, or a wrong token): a
 *   MewsRefusal; on the Connector API an HTTP 401 (code null);
 * - `system-error`: Mews code 1, "may be re-sent after an interval": a MewsTransientFailure;
 * - `network`: no answer (timeout, connection reset, 5xx): a MewsTransientFailure without a code.
 */
export type MewsFault =
  | { kind: 'disabled' }
  | { kind: 'refused'; code?: number }
  | { kind: 'system-error' }
  | { kind: 'network' };

/** What a call is about, for scoped faults and the call log (the token never leaves the adapter). */
export interface MewsCallScope {
  operation: string;
  email?: string;
  token?: string;
}

export interface MewsFaultRule {
  fault: MewsFault;
  /** Only this operation (`getProperties`, `getConfiguration`, `getChannels`, `configuration/get`). */
  operation?: string;
  /** Only calls for this email (case-insensitive). */
  email?: string;
  /** Only calls with this connection (or access) token. */
  token?: string;
  /** How many matching calls it fails; until cleared when left out. */
  times?: number;
}

/** Decides a fault per call (e.g. from a seeded random source); undefined lets the call through. */
export type MewsFaultDecider = (call: MewsCallScope) => MewsFault | undefined;

const sameEmail = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Injected faults, taken in the order they were added (as the simulator's fault book). */
export class MewsFaultBook {
  #rules: (MewsFaultRule & { id: number; remaining: number })[] = [];
  #counter = 0;

  constructor(private readonly decide?: MewsFaultDecider) {}

  /** Returns an id for `remove`. */
  add(rule: MewsFaultRule): number {
    const id = ++this.#counter;
    this.#rules.push({ ...rule, id, remaining: rule.times ?? Number.POSITIVE_INFINITY });
    return id;
  }

  remove(id: number): boolean {
    const before = this.#rules.length;
    this.#rules = this.#rules.filter((r) => r.id !== id);
    return this.#rules.length < before;
  }

  clear(): void {
    this.#rules = [];
  }

  /** The fault this call gets, if any (using up one of the rule's times). */
  take(call: MewsCallScope): MewsFault | undefined {
    const rule = this.#rules.find(
      (r) =>
        (r.operation === undefined || r.operation === call.operation) &&
        (r.email === undefined || (call.email !== undefined && sameEmail(r.email, call.email))) &&
        (r.token === undefined || r.token === call.token),
    );
    if (rule) {
      rule.remaining--;
      if (rule.remaining <= 0) this.#rules = this.#rules.filter((r) => r !== rule);
      return rule.fault;
    }
    return this.decide?.(call);
  }
}

/** The port error a fault stands for. */
export function faultError(operation: string, fault: MewsFault, connector = false): Error {
  switch (fault.kind) {
    case 'disabled':
      return new MewsRefusal({
        operation,
        code: 3,
        message: `Mews ${operation} answered code 3: the connection is disabled`,
      });
    case 'refused':
      if (connector) return connectorRefusal(operation, 401, 'Invalid AccessToken.');
      return refusal(operation, fault.code ?? 8);
    case 'system-error':
      return new MewsTransientFailure({
        operation,
        code: 1,
        message: `Mews ${operation} answered code 1 (system error)`,
      });
    case 'network':
      return new MewsTransientFailure({ operation, message: `Mews ${operation} failed: network error` });
  }
}

export function refusal(operation: string, code: number): MewsRefusal {
  return new MewsRefusal({ operation, code, message: `Mews ${operation} answered code ${code}` });
}

export function connectorRefusal(operation: string, status: number, detail: string): MewsRefusal {
  return new MewsRefusal({
    operation,
    code: null,
    status,
    message: `Mews ${operation} failed: HTTP ${status} - ${detail}`,
  });
}
