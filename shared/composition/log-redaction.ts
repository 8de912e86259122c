import { maskEmail } from '../domain/mask-email.js';

export const REDACTED = '[redacted]';

/** Key names (lower-cased, separators removed) whose values are secrets: token, clientToken, connection_token, accessToken, secret... */
const SECRET_KEY =
  /(tokens?|secret|secretvalue|secretstring|password|passphrase|authorization|apikey|privatekey)$/;
/** Key names whose values are email addresses: email, employeeEmail, emails... */
const EMAIL_KEY = /emails?$/;

const normalize = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * JSON replacer for the Powertools Logger (`jsonReplacerFn`), applied to every key at every
 * depth of a log line: values under secret-like keys become "[redacted]", emails under
 * email-like keys are masked. Defence in depth: the code never logs a token or a bare email.
 * `secretRef` / `secretArn` (where a token lives, not the token) are left as they are.
 */
export function redactLogValue(key: string, value: unknown): unknown {
  if (key === '' || value === undefined || value === null) return value;
  const name = normalize(key);
  if (SECRET_KEY.test(name)) return REDACTED;
  if (EMAIL_KEY.test(name)) {
    if (typeof value === 'string') return maskEmail(value);
    if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? maskEmail(v) : REDACTED));
    return REDACTED;
  }
  return value;
}
