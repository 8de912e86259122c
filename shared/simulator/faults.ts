import * as z from 'zod';
import { parseInput } from './simulator-specs.js';

/**
 * Injected failures, per operation. A request takes the first active fault that
 * matches its operation (and email / connection token, when the fault is scoped);
 * that uses up one of the fault's `times`. Faults without `times` last until cleared.
 * Added in order, taken in order: `times: 2` of 503 then `times: 1` of 429 plays
 * 503, 503, 429, then normal answers.
 */

export const OPERATIONS = ['getProperties', 'getConfiguration', 'getChannels'] as const;
export type OperationName = (typeof OPERATIONS)[number];

export const faultSpecSchema = z
  .strictObject({
    operation: z.enum(OPERATIONS),
    /** Delay before answering (alone, or before the fault's effect). */
    latencyMs: z.number().int().min(0).max(600_000).optional(),
    /** HTTP 429, with a Retry-After header when retryAfterSeconds is given. */
    http429: z.strictObject({ retryAfterSeconds: z.number().int().min(0).optional() }).optional(),
    httpStatus: z.union([z.literal(500), z.literal(502), z.literal(503)]).optional(),
    /** HTTP 200 with an HTML body. */
    nonJson: z.literal(true).optional(),
    /** HTTP 200 with `{ success: false, errors: [{ code, message }] }`. */
    mewsErrorCode: z.number().int().min(1).optional(),
    mewsErrorMessage: z.string().optional(),
    /** HTTP 200 with exactly this JSON (e.g. a malformed answer). */
    jsonBody: z.unknown().optional(),
    /** Never answer (the connection stays open until the client gives up or the simulator closes). */
    hang: z.literal(true).optional(),
    /** How many matching requests it affects; until cleared when left out. */
    times: z.number().int().min(1).optional(),
    /** Only requests for this email (getProperties). */
    email: z.string().min(1).optional(),
    /** Only requests for this connection (getConfiguration). */
    connectionToken: z.string().min(1).optional(),
  })
  .superRefine((f, ctx) => {
    const effects = [f.http429, f.httpStatus, f.nonJson, f.mewsErrorCode, f.jsonBody, f.hang].filter(
      (e) => e !== undefined,
    );
    if (effects.length > 1) {
      ctx.addIssue({
        code: 'custom',
        message: 'give at most one of http429, httpStatus, nonJson, mewsErrorCode, jsonBody, hang',
      });
    }
    if (effects.length === 0 && f.latencyMs === undefined) {
      ctx.addIssue({ code: 'custom', message: 'a fault needs latencyMs or an effect' });
    }
    if (f.mewsErrorMessage !== undefined && f.mewsErrorCode === undefined) {
      ctx.addIssue({ code: 'custom', message: 'mewsErrorMessage needs mewsErrorCode' });
    }
  });

export type FaultSpec = z.input<typeof faultSpecSchema>;
export type FaultKind =
  | 'latency'
  | 'http429'
  | 'httpStatus'
  | 'nonJson'
  | 'mewsErrorCode'
  | 'jsonBody'
  | 'hang';

export interface ActiveFault {
  id: string;
  spec: z.output<typeof faultSpecSchema>;
  /** Null: until cleared. */
  remaining: number | null;
  kind: FaultKind;
}

/** What a request is about, for scoped faults and the request log. */
export interface RequestScope {
  email?: string;
  connectionToken?: string;
}

function kindOf(spec: z.output<typeof faultSpecSchema>): FaultKind {
  if (spec.http429) return 'http429';
  if (spec.httpStatus) return 'httpStatus';
  if (spec.nonJson) return 'nonJson';
  if (spec.mewsErrorCode !== undefined) return 'mewsErrorCode';
  if (spec.jsonBody !== undefined) return 'jsonBody';
  if (spec.hang) return 'hang';
  return 'latency';
}

const sameEmail = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export class FaultBook {
  private faults: ActiveFault[] = [];
  private counter = 0;

  /** Returns the fault's id (`fault-N`). */
  add(spec: FaultSpec): string {
    const parsed = parseInput(faultSpecSchema, spec, 'fault');
    const id = `fault-${++this.counter}`;
    this.faults.push({ id, spec: parsed, remaining: parsed.times ?? null, kind: kindOf(parsed) });
    return id;
  }

  /** The fault this request gets, if any; uses up one of its times. */
  take(operation: OperationName, scope: RequestScope): ActiveFault | undefined {
    const fault = this.faults.find(
      (f) =>
        f.spec.operation === operation &&
        (f.spec.email === undefined || (scope.email !== undefined && sameEmail(f.spec.email, scope.email))) &&
        (f.spec.connectionToken === undefined || f.spec.connectionToken === scope.connectionToken),
    );
    if (!fault) return undefined;
    if (fault.remaining !== null) {
      fault.remaining -= 1;
      if (fault.remaining === 0) this.faults = this.faults.filter((f) => f !== fault);
    }
    return fault;
  }

  /** Clears the faults of one operation, or all. */
  clear(operation?: OperationName): void {
    this.faults = operation ? this.faults.filter((f) => f.spec.operation !== operation) : [];
  }

  remove(id: string): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((f) => f.id !== id);
    return this.faults.length < before;
  }

  list(): ActiveFault[] {
    return this.faults.map((f) => structuredClone(f));
  }

  reset(): void {
    this.faults = [];
    this.counter = 0;
  }
}
