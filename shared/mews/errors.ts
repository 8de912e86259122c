/**
 * What a Mews call can fail with. Every message, property and `toJSON()` of these errors is
 * safe to log and to put in an event: no client token, no connection token, no request body,
 * emails only masked. Raw causes (fetch / socket errors) are never attached; only their code.
 *
 * They are the HTTP client's MewsFailure (shared/ports/mews-failure.ts): a permanent one is a
 * `MewsRefusal`, a transient one a `MewsTransientFailure`, as far as `instanceof` is concerned.
 */

import { MewsFailure } from '../ports/mews-failure.js';

export type MewsOperation =
  | 'getProperties'
  | 'getConfiguration'
  | 'getChannels'
  | 'setInventory'
  | 'requestAriUpdate';

/** transient: the same call may succeed later (retry with backoff); permanent: it will not. */
export type MewsErrorKind = 'transient' | 'permanent';

/** The codes Mews documents for the Channel Manager API (`success: false` answers). */
const MewsErrorCode = {
  SystemError: 1,
  ConnectionNotFound: 3,
  ValidationError: 6,
  ProcessingError: 7,
  InvalidAuthentication: 8,
  OperationDisabled: 9,
} as const;

/** Code 1 (system error, "may be re-sent after an interval") is transient; 3, 6, 7, 8, 9 and anything unknown are permanent. */
export function classifyMewsCode(code: number | null | undefined): MewsErrorKind {
  return code === MewsErrorCode.SystemError ? 'transient' : 'permanent';
}

export interface MewsErrorOptions {
  operation: MewsOperation;
  kind: MewsErrorKind;
  /** 1-based number of the attempt that produced this error (the last one when the client gave up). */
  attempts?: number;
}

export abstract class MewsError extends MewsFailure {
  override readonly operation: MewsOperation;
  override readonly kind: MewsErrorKind;
  readonly attempts: number;
  /** The Mews error code for a `success: false` answer, otherwise null. */
  override readonly code: number | null = null;

  protected constructor(name: string, message: string, options: MewsErrorOptions) {
    super(message);
    // Spelled out rather than new.target.name: bundlers may minify class names.
    this.name = name;
    this.operation = options.operation;
    this.kind = options.kind;
    this.attempts = options.attempts ?? 1;
  }

  get transient(): boolean {
    return this.kind === 'transient';
  }

  /** A plain, log-safe view. */
  override toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      operation: this.operation,
      kind: this.kind,
      attempts: this.attempts,
      code: this.code,
    };
  }
}

/** Mews answered `success: false`. */
export class MewsApiError extends MewsError {
  override readonly code: number | null;
  /** Every code of the answer (usually one). */
  readonly codes: readonly number[];
  /** Mews' own message, with tokens removed and emails masked; null when Mews sent none. */
  readonly mewsMessage: string | null;
  /** The HTTP status the answer came with (Mews documents 200). */
  readonly status: number | null;

  constructor(
    options: Omit<MewsErrorOptions, 'kind'> & {
      codes: readonly number[];
      mewsMessage: string | null;
      status?: number | null;
    },
  ) {
    const codes = [...options.codes];
    const code = codes[0] ?? null;
    // Transient if every code is. An answer with no code at all is garbled (a proxy, a half
    // answer): like any malformed answer it is retried, and never marks an account failing.
    const kind: MewsErrorKind = codes.every((c) => classifyMewsCode(c) === 'transient')
      ? 'transient'
      : 'permanent';
    const what = code === null ? 'an error without a code' : `code ${codes.join(', ')}`;
    const detail = options.mewsMessage ? `: ${options.mewsMessage}` : '';
    super(
      'MewsApiError',
      `Mews ${options.operation} answered ${what} (${kind}, attempt ${options.attempts ?? 1})${detail}`,
      {
        ...options,
        kind,
      },
    );
    this.code = code;
    this.codes = codes;
    this.mewsMessage = options.mewsMessage;
    this.status = options.status ?? null;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), codes: this.codes, mewsMessage: this.mewsMessage, status: this.status };
  }
}

export type TransportFailureReason =
  /** The per-attempt timeout elapsed (connecting, waiting for headers, or reading the body). */
  | 'timeout'
  /** Connection refused / reset, DNS failure, TLS failure... */
  | 'network'
  /** HTTP 429. */
  | 'rate-limited'
  /** Any other non-2xx status without a Mews error body. */
  | 'http-status'
  /** The body is not JSON (an HTML error page, a truncated answer...). */
  | 'invalid-json'
  /** The body exceeded the configured size cap. */
  | 'too-large'
  /** No (further) attempt was started: too little was left of the call's time budget. */
  | 'deadline';

/**
 * The HTTP exchange failed before a Mews answer could be read. Transient, except an HTTP 4xx
 * status other than 408 and 429, which says our request is wrong.
 */
export class MewsTransportError extends MewsError {
  readonly reason: TransportFailureReason;
  readonly status: number | null;
  /** Low-level error code (e.g. ECONNREFUSED, UND_ERR_SOCKET) when there was one. */
  readonly causeCode: string | null;
  /** The delay the server asked for (Retry-After), in ms, when it sent one. */
  readonly retryAfterMs: number | null;
  readonly #address: string | null;

  constructor(
    options: Omit<MewsErrorOptions, 'kind'> & {
      reason: TransportFailureReason;
      status?: number | null;
      causeCode?: string | null;
      retryAfterMs?: number | null;
      /** Short, safe description. Never a body, header value or token. */
      detail?: string;
      /** The platform address (origin) the call went to. */
      address?: string | null;
    },
  ) {
    const status = options.status ?? null;
    const permanent =
      options.reason === 'http-status' && status !== null && status >= 400 && status < 500 && status !== 408;
    const kind: MewsErrorKind = permanent ? 'permanent' : 'transient';
    const parts = [describeReason(options.reason, status)];
    if (options.causeCode) parts.push(`(${options.causeCode})`);
    if (options.detail) parts.push(`- ${options.detail}`);
    super(
      'MewsTransportError',
      `Mews ${options.operation} failed: ${parts.join(' ')} (${kind}, attempt ${options.attempts ?? 1})`,
      {
        ...options,
        kind,
      },
    );
    this.reason = options.reason;
    this.status = status;
    this.causeCode = options.causeCode ?? null;
    this.retryAfterMs = options.retryAfterMs ?? null;
    this.#address = options.address ?? null;
  }

  /** No answer at all: refused, reset, DNS, TLS, a timeout or a hang. */
  override get unreachable(): boolean {
    return this.reason === 'network' || this.reason === 'timeout';
  }

  override get address(): string | null {
    return this.#address;
  }

  /** What went wrong, for a person: `connection refused (ECONNREFUSED)`, `no answer within 10 s`. */
  describeCause(): string {
    if (this.reason === 'timeout') return 'no answer in time (timed out)';
    if (this.reason !== 'network') return describeReason(this.reason, this.status);
    return describeNetworkCode(this.causeCode);
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      address: this.#address,
      reason: this.reason,
      status: this.status,
      causeCode: this.causeCode,
      retryAfterMs: this.retryAfterMs,
    };
  }
}

function describeNetworkCode(code: string | null): string {
  const what: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    ENOTFOUND: 'the host name does not resolve (DNS)',
    EAI_AGAIN: 'the host name could not be resolved (DNS)',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    ETIMEDOUT: 'connecting timed out',
    UND_ERR_SOCKET: 'the connection closed without an answer',
    UND_ERR_CONNECT_TIMEOUT: 'connecting timed out',
    UND_ERR_HEADERS_TIMEOUT: 'no answer in time',
  };
  if (code === null) return 'network error';
  const known = what[code];
  if (known) return `${known} (${code})`;
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return `TLS error (${code})`;
  return `network error (${code})`;
}

function describeReason(reason: TransportFailureReason, status: number | null): string {
  switch (reason) {
    case 'timeout':
      return 'timed out';
    case 'network':
      return 'network error';
    case 'rate-limited':
      return 'rate limited (HTTP 429)';
    case 'http-status':
      return `HTTP ${status ?? '?'}`;
    case 'invalid-json':
      return 'the answer is not JSON';
    case 'too-large':
      return 'the answer exceeds the size cap';
    case 'deadline':
      return 'not attempted: too little time left in the budget';
  }
}

/**
 * Mews answered JSON that does not have the documented shape. Classified transient (the caller's
 * queue retries it a bounded number of times, then dead-letters it), but a class of its own so a
 * caller can tell "Mews sent nonsense" from "Mews could not be reached". Never counts as an
 * empty answer.
 */
export class MewsResponseError extends MewsError {
  /** `path: problem` for each failing field (paths and schema messages only, never values). */
  readonly issues: readonly string[];

  constructor(options: Omit<MewsErrorOptions, 'kind'> & { issues: readonly string[] }) {
    const issues = [...options.issues];
    const shown = issues.slice(0, MAX_ISSUES_IN_MESSAGE).join('; ');
    const more =
      issues.length > MAX_ISSUES_IN_MESSAGE ? `; and ${issues.length - MAX_ISSUES_IN_MESSAGE} more` : '';
    super(
      'MewsResponseError',
      `Mews ${options.operation} answer does not match the expected shape: ${shown}${more}`,
      {
        ...options,
        kind: 'transient',
      },
    );
    this.issues = issues;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

const MAX_ISSUES_IN_MESSAGE = 5;

/** True for a MewsError worth retrying later. Anything else (including non-Mews errors, i.e. bugs) is false. */
export function isTransient(error: unknown): boolean {
  return error instanceof MewsError && error.kind === 'transient';
}
