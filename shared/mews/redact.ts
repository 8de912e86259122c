import { maskEmailsIn } from '../domain/mask-email.js';

/** Turns a text that may echo request data (e.g. Mews' own error message) into a log-safe one. */
export type Redactor = (text: string) => string;

const REDACTED = '[redacted]';

/**
 * Long opaque runs (24+ characters of token alphabet, with letters and digits) look like
 * tokens; Mews' error messages are prose, so nothing useful is lost by hiding them.
 */
const OPAQUE = /[A-Za-z0-9_\-+/=]{24,}/g;
const looksLikeToken = (run: string) => /\d/.test(run) && /[A-Za-z]/.test(run);

/**
 * Replaces every occurrence of the given secrets (tokens, raw emails) with `[redacted]`, then
 * anything else that looks like a token, then masks whatever looks like an email address.
 */
export function createRedactor(secrets: readonly (string | null | undefined)[]): Redactor {
  const values = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length > 0))].sort(
    (a, b) => b.length - a.length,
  );
  return (text) => {
    let out = text;
    for (const value of values) out = out.split(value).join(REDACTED);
    out = maskEmailsIn(out);
    return out.replace(OPAQUE, (run) => (looksLikeToken(run) ? REDACTED : run));
  };
}
