import * as z from 'zod';

/** A failed run of a scheduled function, as `dlq list` shows it. */
export interface FailedRun {
  kind: 'failed-run';
  /** The function's name, from the record's function ARN. */
  functionName: string;
  /** The input the run was given: the schedule's (its kind; schedule-polls' scheduledTime). */
  input: unknown;
}

/**
 * Lambda's invocation record for an asynchronous invocation it gave up on, which the scheduled
 * functions' on-failure destination (the failed-runs queue) receives: the original event as
 * `requestPayload`, why it was given up as `requestContext.condition` (RetriesExhausted after the
 * retries; EventAgeExceeded when it waited too long to start, so it never ran) and the last
 * error as `responsePayload` (absent when it never ran).
 */
const invocationRecord = z.object({
  timestamp: z.string(),
  requestContext: z.object({
    functionArn: z.string(),
    condition: z.string(),
    approximateInvokeCount: z.number().optional(),
  }),
  requestPayload: z.unknown().optional(),
  responsePayload: z.unknown().optional(),
});

const errorPayload = z.object({ errorType: z.string().optional(), errorMessage: z.string().optional() });

/** A failed-runs queue message read as a failed run; undefined when it is not an invocation record. */
export function failedRunOf(
  body: string,
): { message: FailedRun; reason: string; attempts: number | null; at: string } | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parsed = invocationRecord.safeParse(json);
  if (!parsed.success) return undefined;
  const { timestamp, requestContext, requestPayload, responsePayload } = parsed.data;
  // arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>]
  const functionName = requestContext.functionArn.split(':')[6] ?? requestContext.functionArn;
  const error = errorPayload.safeParse(responsePayload);
  const failure =
    error.success && (error.data.errorType || error.data.errorMessage)
      ? `: ${[error.data.errorType, error.data.errorMessage].filter(Boolean).join(': ')}`
      : requestContext.condition === 'EventAgeExceeded'
        ? ' (never ran: it waited longer than the maximum event age)'
        : '';
  return {
    message: { kind: 'failed-run', functionName, input: requestPayload ?? null },
    reason: `${requestContext.condition}${failure}`,
    attempts: requestContext.approximateInvokeCount ?? null,
    at: timestamp,
  };
}
