import type { OperationName, RequestScope } from './faults.js';

/**
 * One simulated API operation: where it lives, what a request is about (for scoped
 * faults and the log) and how it answers. The dispatcher adds counting, faults and
 * HTTP; a new API (e.g. the Connector API) is another list of these.
 */
export interface ApiOperation {
  name: OperationName;
  path: string;
  /** Reads the parts of a (possibly invalid) JSON body that scoped faults match on. */
  scope(body: unknown): RequestScope;
  answer(body: unknown): ApiAnswer;
}

export interface ApiAnswer {
  /** Sent with HTTP 200, as Mews does for failures too. */
  body: Record<string, unknown>;
  /** The property the request was about, for the request log (never the token). */
  propertyId?: string;
  errorCode?: number;
}

/** Mews' failure answer: HTTP 200, `success: false` and the `errors` list. */
export function mewsError(code: number, message: string): ApiAnswer {
  return { body: { success: false, errors: [{ code, message }] }, errorCode: code };
}

export const DEFAULT_ERROR_MESSAGES: Record<number, string> = {
  1: 'Unspecified system error.',
  3: 'Property does not exist.',
  6: 'Validation error.',
  7: 'Processing error.',
  8: "Invalid 'clientToken' or 'connectionToken'.",
  9: 'Operation is disabled for this integration.',
};
