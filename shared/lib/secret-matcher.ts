import { createHash, timingSafeEqual } from 'node:crypto';

/** Longer candidates are refused before hashing (no secret we issue or hold is this long). */
const MAX_CANDIDATE_LENGTH = 4096;

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * A constant-time check of a presented secret (Mews' client token in a change notification, the
 * secret in an integration webhook's URL) against the expected one. Both are hashed first, so the
 * comparison (crypto.timingSafeEqual) runs on equal-length digests and its time says nothing about
 * the secret's length or content. The expected secret stays inside the closure.
 */
export function secretMatcher(expected: string): (candidate: unknown) => boolean {
  if (typeof expected !== 'string' || expected.length === 0) {
    throw new Error('secretMatcher: the expected secret is empty');
  }
  const want = digest(expected);
  return (candidate) =>
    typeof candidate === 'string' &&
    candidate.length > 0 &&
    candidate.length <= MAX_CANDIDATE_LENGTH &&
    timingSafeEqual(digest(candidate), want);
}
