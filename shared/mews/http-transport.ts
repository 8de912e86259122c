import { parseRetryAfter, RetryPolicy, type RetryPolicyOptions } from '../lib/retry-policy.js';
import { mewsErrorResponseSchema } from './error.schema.js';
import {
  MewsApiError,
  type MewsError,
  type MewsOperation,
  MewsTransportError,
  type TransportFailureReason,
} from './errors.js';
import { type RateLimit, TokenBucket } from './rate-limiter.js';
import { createRedactor, type Redactor } from './redact.js';

/**
 * POSTs JSON to Mews with a per-attempt timeout, bounded retries with full-jitter exponential
 * backoff, Retry-After, an optional budget per call (maxElapsedMs, or the caller's deadline) that
 * no attempt or wait reaches past, a response size cap enforced while streaming, and Mews' "HTTP
 * 200 but `success: false`" error convention. Returns the parsed JSON of a successful answer; schema
 * validation is the caller's business.
 */

export const TRANSPORT_DEFAULTS = {
  timeoutMs: 10_000,
  retries: 4,
  backoffBaseMs: 200,
  backoffCapMs: 10_000,
  maxRetryAfterMs: 30_000,
  maxResponseBytes: 50 * 1024 * 1024,
  minAttemptMs: 250,
} as const;

export interface AttemptEvent {
  operation: MewsOperation;
  /** 1-based. */
  attempt: number;
  maxAttempts: number;
  durationMs: number;
  /** HTTP status, null when no response arrived. */
  status: number | null;
  /** This attempt's timeout: timeoutMs, or less when the call's budget had less left. */
  timeoutMs: number;
  /** When the call had to end (epoch ms on the transport's clock); null when it had no budget. */
  deadline: number | null;
  outcome: 'success' | 'api-error' | 'transport-error';
  /** The failure of this attempt (already log-safe). */
  error?: MewsError;
  /** Whether another attempt follows, and after how long. */
  willRetry: boolean;
  retryInMs: number | null;
}

export interface HttpTransportOptions {
  /** Per attempt, covering connect, headers and body. Default 10 s. */
  timeoutMs?: number;
  /** Retries after the first attempt (so at most retries + 1 calls). Default 4. */
  retries?: number;
  /** Full-jitter backoff: random() * min(cap, base * 2^(retry - 1)). Defaults 200 ms and 10 s. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Upper bound for a server-requested Retry-After delay. Default 30 s. */
  maxRetryAfterMs?: number;
  /** Bodies larger than this are abandoned mid-stream. Default 50 MB. */
  maxResponseBytes?: number;
  /**
   * Optional overall budget of one call, retries included: an attempt's timeout never reaches
   * past it, and a retry is started only if its delay leaves minAttemptMs for the attempt.
   */
  maxElapsedMs?: number;
  /**
   * Where the current work must end (epoch ms on `now`), asked at the start of every call: the
   * call ends by then, like maxElapsedMs (the earlier of the two wins), and a Retry-After that
   * would end past it is not waited for. A Lambda handler sets it from the invocation's remaining
   * time; undefined (the CLI, the local runner): no deadline.
   */
  deadline?: () => number | undefined;
  /**
   * No attempt is started with less than this left of the call's budget (it could hardly get an
   * answer): the call fails with reason `deadline` instead. Default 250 ms.
   */
  minAttemptMs?: number;
  /** Called after every attempt (metrics, logging). Exceptions it throws are ignored. */
  onAttempt?: (event: AttemptEvent) => void;
  /** Sent as User-Agent. */
  userAgent?: string;
  /**
   * A request budget shared by every call of this transport (one client), retries included:
   * past it calls wait their turn, they never fail for it. A 429 holds every call back for its
   * Retry-After. Unset: no client-side limit (on AWS the queues' maximum concurrency caps the rate).
   */
  rateLimit?: RateLimit;
  /** Injectables, for tests. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Wall clock in ms (Retry-After dates, the overall budget). */
  now?: () => number;
}

export interface MewsPostRequest {
  operation: MewsOperation;
  url: string;
  body: unknown;
  /** Values that must never surface in an error (client token, connection token, email). */
  secrets?: readonly (string | null | undefined)[];
  /** Called after every attempt of this request, besides the transport-wide hook. */
  onAttempt?: (event: AttemptEvent) => void;
}

export interface MewsAnswer {
  /** The parsed JSON of the successful answer. */
  body: unknown;
  status: number;
  /** How many attempts it took (1 = no retry). */
  attempts: number;
}

type AttemptResult =
  | { ok: true; status: number; body: unknown }
  | { ok: false; status: number | null; error: MewsError; retryable: boolean; retryAfterMs: number | null };

/** A failed attempt, as the retry policy hands it back. */
interface FailedAttempt {
  status: number | null;
  error: MewsError;
  retryAfterMs: number | null;
  durationMs: number;
  timeoutMs: number;
}

export class HttpTransport {
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly maxResponseBytes: number;
  private readonly onAttempt: ((event: AttemptEvent) => void) | undefined;
  private readonly userAgent: string | undefined;
  private readonly fetch: typeof fetch;
  private readonly now: () => number;
  private readonly limiter: TokenBucket | undefined;
  private readonly maxElapsedMs: number | undefined;
  private readonly deadline: (() => number | undefined) | undefined;
  private readonly minAttemptMs: number;
  private readonly retryOptions: RetryPolicyOptions;

  constructor(options: HttpTransportOptions = {}) {
    this.timeoutMs = positive('timeoutMs', options.timeoutMs ?? TRANSPORT_DEFAULTS.timeoutMs);
    const retries = nonNegativeInt('retries', options.retries ?? TRANSPORT_DEFAULTS.retries);
    this.now = options.now ?? Date.now;
    this.retryOptions = {
      attempts: retries + 1,
      baseMs: options.backoffBaseMs ?? TRANSPORT_DEFAULTS.backoffBaseMs,
      capMs: options.backoffCapMs ?? TRANSPORT_DEFAULTS.backoffCapMs,
      maxRetryAfterMs: options.maxRetryAfterMs ?? TRANSPORT_DEFAULTS.maxRetryAfterMs,
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.random ? { random: options.random } : {}),
      now: this.now,
    };
    this.retry = new RetryPolicy(this.retryOptions);
    this.maxElapsedMs =
      options.maxElapsedMs === undefined ? undefined : positive('maxElapsedMs', options.maxElapsedMs);
    this.deadline = options.deadline;
    // A short maxElapsedMs or timeoutMs lowers it: a call always gets its first attempt.
    this.minAttemptMs = Math.min(
      positive('minAttemptMs', options.minAttemptMs ?? TRANSPORT_DEFAULTS.minAttemptMs),
      this.maxElapsedMs ?? Number.POSITIVE_INFINITY,
      this.timeoutMs,
    );
    this.maxResponseBytes = positive(
      'maxResponseBytes',
      options.maxResponseBytes ?? TRANSPORT_DEFAULTS.maxResponseBytes,
    );
    this.onAttempt = options.onAttempt;
    this.userAgent = options.userAgent;
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.limiter = options.rateLimit
      ? new TokenBucket(options.rateLimit, {
          now: options.now ?? (() => performance.now()),
          sleep: this.retry.sleep,
        })
      : undefined;
  }

  /** POSTs `body` as JSON; resolves with the parsed answer or throws a MewsApiError / MewsTransportError. */
  async post(request: MewsPostRequest): Promise<MewsAnswer> {
    const payload = JSON.stringify(request.body);
    const redact = createRedactor([...(request.secrets ?? []), payload]);
    const maxAttempts = this.retry.attempts;
    const startedAt = this.now();
    const deadline = this.deadlineOf(startedAt);
    const left = () => (deadline === null ? Number.POSITIVE_INFINITY : deadline - this.now());
    const outOfTime = (attempt: number) =>
      new MewsTransportError({
        operation: request.operation,
        attempts: attempt,
        reason: 'deadline',
        address: originOf(request.url),
      });
    if (left() < this.minAttemptMs) throw outOfTime(1);
    // With a deadline, a retry is due only if its wait leaves minAttemptMs for the attempt after it.
    const retry =
      deadline === null
        ? this.retry
        : new RetryPolicy({
            ...this.retryOptions,
            deadlineMs: Math.max(1, deadline - startedAt - this.minAttemptMs),
          });

    const outcome = await retry.attempt<MewsAnswer, FailedAttempt>(
      async (attempt) => {
        await this.limiter?.take();
        // The rate limiter may have made it wait.
        if (left() < this.minAttemptMs) {
          const error = outOfTime(attempt);
          return {
            ok: false,
            failure: { status: null, error, retryAfterMs: null, durationMs: 0, timeoutMs: 0 },
            retryable: false,
          };
        }
        // AbortSignal.timeout takes whole milliseconds only.
        const timeoutMs = Math.floor(Math.min(this.timeoutMs, left()));
        const t0 = performance.now();
        const result = await this.attemptOnce(request, payload, attempt, redact, timeoutMs);
        const durationMs = Math.round(performance.now() - t0);
        if (!result.ok) {
          const { status, error, retryable, retryAfterMs } = result;
          return {
            ok: false,
            failure: { status, error, retryAfterMs, durationMs, timeoutMs },
            retryable,
            retryAfterMs,
          };
        }
        this.report(request, {
          operation: request.operation,
          attempt,
          maxAttempts,
          durationMs,
          status: result.status,
          timeoutMs,
          deadline,
          outcome: 'success',
          willRetry: false,
          retryInMs: null,
        });
        return { ok: true, value: { body: result.body, status: result.status, attempts: attempt } };
      },
      {
        onFailure: (failed, { attempt, retryInMs }) => {
          if (failed.status === 429) {
            // Every call of this client waits, as long as Mews asked (or this call's backoff).
            this.limiter?.holdOff(
              failed.retryAfterMs !== null
                ? this.retry.serverDelay(failed.retryAfterMs)
                : (retryInMs ?? this.retry.baseMs),
            );
          }
          this.report(request, {
            operation: request.operation,
            attempt,
            maxAttempts,
            durationMs: failed.durationMs,
            status: failed.status,
            timeoutMs: failed.timeoutMs,
            deadline,
            outcome: failed.error instanceof MewsApiError ? 'api-error' : 'transport-error',
            error: failed.error,
            willRetry: retryInMs !== null,
            retryInMs,
          });
        },
      },
    );
    if (outcome.ok) return outcome.value;
    throw outcome.failure.error;
  }

  /** The earlier of the call's maxElapsedMs and the current work's deadline, or null for neither. */
  private deadlineOf(startedAt: number): number | null {
    const ends = [
      this.maxElapsedMs === undefined ? undefined : startedAt + this.maxElapsedMs,
      this.deadline?.(),
    ].filter((t): t is number => t !== undefined && Number.isFinite(t));
    return ends.length === 0 ? null : Math.min(...ends);
  }

  private report(request: MewsPostRequest, event: AttemptEvent): void {
    for (const hook of [this.onAttempt, request.onAttempt]) {
      try {
        hook?.(event);
      } catch {
        // A metrics or logging hook must never break a call.
      }
    }
  }

  private async attemptOnce(
    request: MewsPostRequest,
    payload: string,
    attempt: number,
    redact: Redactor,
    timeoutMs: number,
  ): Promise<AttemptResult> {
    const { operation } = request;
    const transportFailure = (
      reason: TransportFailureReason,
      extra: { status?: number | null; causeCode?: string | null; retryAfterMs?: number | null } = {},
      retryable = true,
    ): AttemptResult => {
      const error = new MewsTransportError({
        operation,
        attempts: attempt,
        reason,
        address: originOf(request.url),
        ...extra,
      });
      return {
        ok: false,
        status: extra.status ?? null,
        error,
        retryable: retryable && error.kind === 'transient',
        retryAfterMs: extra.retryAfterMs ?? null,
      };
    };

    const timeout = AbortSignal.timeout(timeoutMs);
    const abort = new AbortController();
    const signal = AbortSignal.any([timeout, abort.signal]);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    if (this.userAgent) headers['user-agent'] = this.userAgent;

    let response: Response;
    try {
      response = await this.fetch(request.url, { method: 'POST', headers, body: payload, signal });
    } catch (error) {
      if (timeout.aborted) return transportFailure('timeout');
      return transportFailure('network', { causeCode: lowLevelCode(error) });
    }

    const status = response.status;
    const retryAfterMs =
      status === 429 || status === 503
        ? parseRetryAfter(response.headers.get('retry-after'), this.now())
        : null;

    let text: string;
    try {
      const read = await readCapped(response, this.maxResponseBytes);
      if (read === 'too-large') {
        abort.abort();
        // Kind transient (the property may shrink), but retrying seconds later would only fetch
        // the same oversized answer again: not retried within this call.
        return transportFailure('too-large', { status, causeCode: null }, false);
      }
      text = read;
    } catch (error) {
      if (timeout.aborted) return transportFailure('timeout', { status });
      return transportFailure('network', { status, causeCode: lowLevelCode(error) });
    }

    if (status === 429) return transportFailure('rate-limited', { status, retryAfterMs });

    let json: unknown;
    let isJson = true;
    try {
      json = JSON.parse(text);
    } catch {
      isJson = false;
    }

    // A Mews error body wins over the status: Mews documents 200, but a proxy may alter it.
    if (isJson && isRecord(json) && json.success === false) {
      const parsed = mewsErrorResponseSchema.safeParse(json);
      const errors = parsed.success ? parsed.data.errors : [];
      const messages = errors.map((e) => e.message?.trim()).filter((m): m is string => !!m);
      const error = new MewsApiError({
        operation,
        attempts: attempt,
        status,
        codes: errors.map((e) => e.code),
        mewsMessage: messages.length > 0 ? truncate(redact(messages.join(' | ')), 500) : null,
      });
      return { ok: false, status, error, retryable: error.kind === 'transient', retryAfterMs };
    }

    if (status < 200 || status > 299) return transportFailure('http-status', { status, retryAfterMs });
    if (!isJson) return transportFailure('invalid-json', { status });
    return { ok: true, status, body: json };
  }
}

/**
 * Reads the body as UTF-8 text, giving up as soon as more than `maxBytes` arrived (or the
 * Content-Length announces more), so an oversized answer is never held in memory.
 */
async function readCapped(response: Response, maxBytes: number): Promise<string | 'too-large'> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    return 'too-large';
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return 'too-large';
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks, total));
}

/** The code of a fetch failure (undici puts it on `cause`), never its message. */
function lowLevelCode(error: unknown): string | null {
  const pick = (e: unknown): string | null => {
    if (!isRecord(e)) return null;
    const code = e.code;
    if (typeof code === 'string' && /^[A-Z0-9_]{2,64}$/.test(code)) return code;
    return null;
  };
  const cause = isRecord(error) ? error.cause : undefined;
  return pick(cause) ?? pick(error) ?? (error instanceof Error ? safeName(error.name) : null);
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

function safeName(name: string): string | null {
  return /^[A-Za-z]{1,64}$/.test(name) ? name : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${name} must be a positive number`);
  return value;
}

function nonNegativeInt(name: string, value: number): number {
  if (!(Number.isInteger(value) && value >= 0))
    throw new RangeError(`${name} must be a non-negative integer`);
  return value;
}
