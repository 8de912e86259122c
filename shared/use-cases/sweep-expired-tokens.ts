import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { ExpiredTokenSweep } from '../ports/token-vault.js';

export interface SweepDeps {
  sweep: ExpiredTokenSweep;
  clock: Clock;
  logger: Logger;
  /** The invocation's time left (Lambda's getRemainingTimeInMillis); absent: no limit. */
  remainingMs?: () => number;
}

export interface SweepOutcome {
  /** Tokens deleted for good (their recovery window had ended). */
  deleted: number;
  /** Tokens still within their window. */
  pending: number;
  pages: number;
  /** False when it stopped for time: the next run starts over, and finds only what is left. */
  complete: boolean;
}

/** A page (one listing and its deletions) needs at most this long; fewer left, no page is started. */
const PAGE_BUDGET_MS = 10_000;

/**
 * Deletes the tokens whose recovery window has ended (Parameter Store has none of its own), page
 * by page, all measured against one `now`. Idempotent: deleting what is gone is not an error, so a
 * repeated, overlapping or interrupted sweep is harmless.
 */
export async function sweepExpiredTokens(deps: SweepDeps): Promise<SweepOutcome> {
  const now = deps.clock.now();
  const outcome: SweepOutcome = { deleted: 0, pending: 0, pages: 0, complete: false };
  let cursor: string | undefined;
  do {
    if (deps.remainingMs && deps.remainingMs() < PAGE_BUDGET_MS) {
      deps.logger.warn('token sweep stopped for time; the next run goes on', { ...outcome });
      return outcome;
    }
    const page = await deps.sweep.deleteExpired(now, cursor);
    outcome.pages += 1;
    outcome.deleted += page.deleted.length;
    outcome.pending += page.pending;
    if (page.deleted.length > 0) deps.logger.info('expired tokens deleted', { ids: page.deleted });
    cursor = page.cursor;
  } while (cursor);
  outcome.complete = true;
  deps.logger.info('token sweep done', { ...outcome });
  return outcome;
}
