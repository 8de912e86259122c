import { ConfigError } from '../config/local-config.js';
import type { MewsUnreachableReport } from '../local/run-cycle.js';
import { MewsTransportError } from '../mews/errors.js';
import type { AttemptEvent } from '../mews/http-transport.js';

/** MEWS_TIMEOUT_SECONDS when unset: how long one Mews call may take, its retries included. */
const DEFAULT_MEWS_TIMEOUT_SECONDS = 20;
/** No single attempt waits longer than this, so a hang leaves room for a retry. */
const ATTEMPT_TIMEOUT_MS = 10_000;

/** The CLI's bound on one Mews call (MEWS_TIMEOUT_SECONDS); throws ConfigError for a bad value. */
export function mewsTimeoutMs(env: Record<string, string | undefined>): number {
  const raw = env.MEWS_TIMEOUT_SECONDS;
  if (raw === undefined || raw.trim() === '') return DEFAULT_MEWS_TIMEOUT_SECONDS * 1000;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) {
    throw new ConfigError(
      `Invalid configuration: MEWS_TIMEOUT_SECONDS=${JSON.stringify(raw)} must be a positive number of seconds up to 600, like 20`,
    );
  }
  return Math.round(seconds * 1000);
}

/** The Channel Manager client's options for the CLI: the bounded wait, and a progress line per retry. */
export function cliMewsTransport(env: Record<string, string | undefined>, progress: (text: string) => void) {
  const maxElapsedMs = mewsTimeoutMs(env);
  return {
    maxElapsedMs,
    timeoutMs: Math.min(ATTEMPT_TIMEOUT_MS, maxElapsedMs),
    onAttempt: (event: AttemptEvent) => {
      if (!event.willRetry || !event.error) return;
      const cause =
        event.error instanceof MewsTransportError ? event.error.describeCause() : event.error.message;
      progress(
        `Mews ${event.operation}: attempt ${event.attempt} of ${event.maxAttempts} failed (${cause}); retrying in ${((event.retryInMs ?? 0) / 1000).toFixed(1)} s`,
      );
    },
  };
}

/** One line for a person: where Mews was expected, what went wrong, what to check. */
export function describeUnreachable(u: MewsUnreachableReport, timeoutMs: number): string {
  return (
    `Mews cannot be reached at ${u.address ?? 'the configured platform address'}: ${u.cause} ` +
    `(${u.operation}${u.attempts ? `, ${u.attempts} attempt(s)` : ''}; a call gives up after ${timeoutMs / 1000} s, MEWS_TIMEOUT_SECONDS). ` +
    'Check MEWS_PLATFORM_ADDRESS (or --platform-address) and your network; `provisioner doctor` checks it all.'
  );
}
