/**
 * What a Mews port (ChannelManagerApi, ConnectorApi) throws when a call fails for good, after the
 * implementation's own retries. A use case needs to tell two cases apart:
 *
 * - `MewsRefusal`: permanent. Mews answered and said no (a code such as 3, connection disabled,
 *   or 8, not a verified employee / wrong token; for the Connector API an HTTP 401/403, code
 *   null). The same call will not succeed: report it, do not retry.
 * - `MewsTransientFailure`: the same call may succeed later (Mews code 1, a network error, a
 *   timeout, 429/5xx, a garbled answer): let the queue retry the message.
 *
 * Anything else a port throws is a bug and should surface as one.
 *
 * Both are matched by `instanceof` on what a failure says, not on which class built it: the HTTP
 * client's errors (shared/mews/errors.ts) derive from `MewsFailure`, so `error instanceof
 * MewsRefusal` holds for a MewsApiError with code 8 as for a refusal an in-memory Mews throws.
 * Messages and `toJSON()` are safe to log: no token, no unmasked email.
 */

export type MewsFailureKind = 'transient' | 'permanent';

/** The common base of every failure a Mews port throws. */
export abstract class MewsFailure extends Error {
  /** Which call failed (`getProperties`, `getConfiguration`, `configuration/get`...). */
  abstract readonly operation: string;
  abstract readonly kind: MewsFailureKind;
  /** Mews' error code (a Channel Manager `success: false` answer), else null. */
  abstract readonly code: number | null;

  /**
   * True when Mews itself could not be reached (connection refused, DNS, TLS, a timeout or a
   * hang): the failure says nothing about the account or connection the call was for.
   */
  get unreachable(): boolean {
    return false;
  }

  /** The platform address the call went to, when the implementation knows it. */
  get address(): string | null {
    return null;
  }

  /** A plain, log-safe view. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      operation: this.operation,
      kind: this.kind,
      code: this.code,
    };
  }
}

export interface MewsRefusalOptions {
  operation: string;
  code: number | null;
  /** Safe to log: never a token or an unmasked email. Defaults to a sentence naming the code. */
  message?: string;
  /** The HTTP status a Connector API refusal came with (401, 403), else null. */
  status?: number | null;
}

/** Mews refused the call for good. `instanceof` holds for every permanent MewsFailure. */
export class MewsRefusal extends MewsFailure {
  readonly operation: string;
  readonly kind = 'permanent' as const;
  readonly code: number | null;
  readonly status: number | null;

  constructor(options: MewsRefusalOptions) {
    const what = options.code === null ? `HTTP ${options.status ?? '?'}` : `code ${options.code}`;
    super(options.message ?? `Mews ${options.operation} refused the call (${what})`);
    this.name = 'MewsRefusal';
    this.operation = options.operation;
    this.code = options.code;
    this.status = options.status ?? null;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof MewsFailure && value.kind === 'permanent';
  }
}

export interface MewsTransientFailureOptions {
  operation: string;
  /** Mews' code when it answered one (1: system error), else null (network, timeout...). */
  code?: number | null;
  message?: string;
}

/** The call may succeed later. `instanceof` holds for every transient MewsFailure. */
export class MewsTransientFailure extends MewsFailure {
  readonly operation: string;
  readonly kind = 'transient' as const;
  readonly code: number | null;

  constructor(options: MewsTransientFailureOptions) {
    const code = options.code ?? null;
    super(
      options.message ??
        `Mews ${options.operation} failed transiently (${code === null ? 'network error' : `code ${code}`})`,
    );
    this.name = 'MewsTransientFailure';
    this.operation = options.operation;
    this.code = code;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof MewsFailure && value.kind === 'transient';
  }
}

export interface MewsUnreachableOptions {
  operation: string;
  /** The platform address that could not be reached. */
  address: string | null;
  message?: string;
}

/**
 * Mews could not be reached at all (a transient failure). `instanceof` holds for every MewsFailure
 * whose `unreachable` is true, the HTTP client's network and timeout errors among them: a caller
 * stops sending calls to a dead host instead of blaming each account in turn.
 */
export class MewsUnreachable extends MewsFailure {
  readonly operation: string;
  readonly kind = 'transient' as const;
  readonly code = null;
  readonly #address: string | null;

  constructor(options: MewsUnreachableOptions) {
    super(
      options.message ?? `Mews ${options.operation} failed: ${options.address ?? 'Mews'} cannot be reached`,
    );
    this.name = 'MewsUnreachable';
    this.operation = options.operation;
    this.#address = options.address;
  }

  override get unreachable(): boolean {
    return true;
  }

  override get address(): string | null {
    return this.#address;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof MewsFailure && value.unreachable;
  }
}
