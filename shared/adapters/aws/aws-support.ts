import { RetryPolicy } from '../../lib/retry-policy.js';

/**
 * What the adapters keep of an AWS SDK error: its code, status, request id and message, never
 * the request that caused it. The SDK's messages do not echo secret values; `redact` strips a
 * known secret anyway, should one ever appear.
 */
export interface AwsErrorInfo {
  /** The AWS error code (the SDK error's `name`), e.g. `ThrottlingException`. */
  code: string;
  message: string;
  httpStatusCode: number | undefined;
  requestId: string | undefined;
  /** The SDK's hint, or a throttling/server fault: trying again later may work. */
  retryable: boolean;
}

const RETRYABLE_CODES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestLimitExceeded',
  'InternalFailure',
  'InternalServiceError',
  'InternalServiceErrorException',
  'InternalError',
  'ServiceUnavailable',
  'TimeoutError',
]);

export function describeAwsError(error: unknown, redact: readonly string[] = []): AwsErrorInfo {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: number; requestId?: string };
    $fault?: unknown;
    $retryable?: unknown;
  };
  const code = typeof e.name === 'string' && e.name !== '' ? e.name : 'UnknownError';
  let message = typeof e.message === 'string' ? e.message : String(error);
  for (const secret of redact) if (secret !== '') message = message.split(secret).join('[redacted]');
  return {
    code,
    message,
    httpStatusCode: e.$metadata?.httpStatusCode,
    requestId: e.$metadata?.requestId,
    retryable: Boolean(e.$retryable) || e.$fault === 'server' || RETRYABLE_CODES.has(code),
  };
}

export function awsErrorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && typeof (error as { name?: unknown }).name === 'string'
    ? (error as { name: string }).name
    : undefined;
}

/**
 * An AWS call failed. Carries the code and request id for logs and retry decisions; the SDK
 * error itself is not attached (`cause`), so a logger that serialises errors deeply cannot
 * reach the request or raw response.
 */
export class AwsAdapterError extends Error {
  override readonly name = 'AwsAdapterError';
  readonly code: string;
  readonly httpStatusCode: number | undefined;
  readonly requestId: string | undefined;
  readonly retryable: boolean;

  constructor(context: string, info: AwsErrorInfo) {
    super(
      `${context}: ${info.code}: ${info.message}${info.requestId ? ` (request id ${info.requestId})` : ''}`,
    );
    this.code = info.code;
    this.httpStatusCode = info.httpStatusCode;
    this.requestId = info.requestId;
    this.retryable = info.retryable;
  }
}

export interface RetryOptions {
  /** Attempts in all, the first one included (default 3). */
  maxAttempts?: number;
  /** Ceiling of the first retry's delay; doubles after each (default 100 ms, capped at 5 s). */
  baseDelayMs?: number;
  /** Injected in tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1] (default Math.random); full jitter: the delay is random() times the ceiling. */
  random?: () => number;
}

export interface ResolvedRetry {
  maxAttempts: number;
  /** `retry` is 1 for the first retry. */
  delayBefore(retry: number): number;
  sleep: (ms: number) => Promise<void>;
}

const MAX_DELAY_MS = 5_000;

/** The adapters' partial-batch retries, on the service's one retry policy (shared/lib/retry-policy.ts). */
export function resolveRetry(options: RetryOptions): ResolvedRetry {
  const maxAttempts = options.maxAttempts ?? 3;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new Error(`maxAttempts must be a positive integer, got ${maxAttempts}`);
  }
  const policy = new RetryPolicy({
    attempts: maxAttempts,
    baseMs: options.baseDelayMs ?? 100,
    capMs: MAX_DELAY_MS,
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.random ? { random: options.random } : {}),
  });
  return { maxAttempts, delayBefore: (retry) => policy.backoff(retry), sleep: policy.sleep };
}

export const utf8Bytes = (value: string): number => Buffer.byteLength(value, 'utf8');
