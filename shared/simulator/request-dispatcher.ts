import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApiAnswer, type ApiOperation, DEFAULT_ERROR_MESSAGES, mewsError } from './api-operation.js';
import type { CallLog, RequestLogEntry } from './call-log.js';
import type { ActiveFault, FaultBook } from './faults.js';
import { BodyTooLargeError, parseJson, readBody, sendJson, sendText } from './http-io.js';
import type { ServerRateLimit } from './rate-limit.js';

/**
 * Routes a request: `/_admin/*` to the control API, a known operation path to its
 * operation (counted, logged, faults applied first), anything else 404.
 */

const MAX_API_BODY_BYTES = 1024 * 1024;
const ADMIN_PREFIX = '/_admin';

export type AdminHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

export interface RequestDispatcher {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Cancels pending latency timers (on close). */
  dispose(): void;
}

export function createRequestDispatcher(deps: {
  operations: ApiOperation[];
  faults: FaultBook;
  log: CallLog;
  admin: AdminHandler;
  /** Mews' request limit, checked before faults: beyond it, 429 with Retry-After. */
  rateLimit?: ServerRateLimit;
}): RequestDispatcher {
  const byPath = new Map(deps.operations.map((op) => [op.path, op]));
  const timers = new Set<NodeJS.Timeout>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  async function handleOperation(op: ApiOperation, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') {
      sendText(res, 405, 'Method Not Allowed', undefined, { allow: 'POST' });
      return;
    }
    const started = Date.now();
    let raw: string;
    try {
      raw = await readBody(req, MAX_API_BODY_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) sendText(res, 413, 'Payload Too Large');
      else res.destroy();
      return;
    }
    const seq = deps.log.count(op.name);
    const parsed = parseJson(raw);
    const scope = parsed.ok ? op.scope(parsed.value) : {};
    const entry = (fields: Omit<RequestLogEntry, 'seq' | 'at' | 'operation' | 'durationMs'>) =>
      deps.log.record({
        seq,
        at: new Date(started).toISOString(),
        operation: op.name,
        ...(scope.email === undefined ? {} : { email: scope.email }),
        ...fields,
        durationMs: Date.now() - started,
      });

    const admission = deps.rateLimit?.admit() ?? { ok: true };
    if (!admission.ok) {
      const retryAfter = String(admission.retryAfterSeconds);
      sendText(res, 429, 'Too Many Requests', undefined, { 'retry-after': retryAfter });
      entry({ httpStatus: 429, outcome: 'fault', fault: 'http429' });
      return;
    }

    const fault = deps.faults.take(op.name, scope);
    if (fault?.spec.latencyMs) await sleep(fault.spec.latencyMs);
    if (fault && fault.kind !== 'latency') {
      const httpStatus = applyFault(fault, res);
      const errorCode = fault.spec.mewsErrorCode;
      entry({
        httpStatus,
        outcome: 'fault',
        fault: fault.kind,
        ...(errorCode === undefined ? {} : { errorCode }),
      });
      return;
    }

    const answer: ApiAnswer = parsed.ok
      ? op.answer(parsed.value)
      : mewsError(6, 'Invalid request: the body is not valid JSON.');
    sendJson(res, 200, answer.body);
    entry({
      httpStatus: 200,
      outcome: answer.errorCode === undefined ? 'success' : 'error',
      ...(answer.propertyId === undefined ? {} : { propertyId: answer.propertyId }),
      ...(answer.errorCode === undefined ? {} : { errorCode: answer.errorCode }),
      ...(fault ? { fault: fault.kind } : {}),
    });
  }

  return {
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://simulator.invalid');
      if (url.pathname === ADMIN_PREFIX || url.pathname.startsWith(`${ADMIN_PREFIX}/`)) {
        await deps.admin(req, res, url);
        return;
      }
      const op = byPath.get(url.pathname);
      if (!op) {
        sendText(res, 404, 'Not Found');
        return;
      }
      await handleOperation(op, req, res);
    },
    dispose() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}

/** Sends the fault's answer; returns the HTTP status sent, or null for a hang. */
function applyFault(fault: ActiveFault, res: ServerResponse): number | null {
  const { spec } = fault;
  if (spec.hang) return null;
  if (spec.http429) {
    const retryAfter = spec.http429.retryAfterSeconds;
    sendText(
      res,
      429,
      'Too Many Requests',
      undefined,
      retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) },
    );
    return 429;
  }
  if (spec.httpStatus) {
    sendText(res, spec.httpStatus, `<html><body><h1>${spec.httpStatus}</h1></body></html>`, 'text/html');
    return spec.httpStatus;
  }
  if (spec.nonJson) {
    sendText(res, 200, '<html><body>Service temporarily unavailable</body></html>', 'text/html');
    return 200;
  }
  if (spec.mewsErrorCode !== undefined) {
    const message = spec.mewsErrorMessage ?? DEFAULT_ERROR_MESSAGES[spec.mewsErrorCode] ?? 'Error.';
    sendJson(res, 200, mewsError(spec.mewsErrorCode, message).body);
    return 200;
  }
  sendJson(res, 200, spec.jsonBody);
  return 200;
}
