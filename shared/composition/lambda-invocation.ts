import type { Context, SQSRecord } from 'aws-lambda';
import * as z from '../lib/zod-mini.js';
import { type Observability, observability } from './aws-services.js';

/**
 * Runs one invocation: the Lambda context on every log line, the metrics the invocation added
 * flushed at the end (also when it throws), and an invocation-level error logged once (redacted)
 * before it propagates to the runtime.
 */
export async function withInvocation<T>(
  context: Context | undefined,
  run: (o: Observability) => Promise<T>,
): Promise<T> {
  const o = observability();
  if (context) o.logger.addContext(context);
  try {
    return await run(o);
  } catch (error) {
    o.logger.error('invocation failed', { error });
    throw error;
  } finally {
    if (o.metrics.hasStoredMetrics()) o.metrics.publishStoredMetrics();
  }
}

/** An input that does not have the expected shape. Its message lists the problems, never the values. */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
  constructor(
    what: string,
    readonly issues: string[],
  ) {
    super(`${what} is not valid: ${issues.join('; ')}`);
  }
}

/** Zod issues as "path: message" lines. Zod's messages name the expected type or value, not the received one. */
function describeIssues(error: z.core.$ZodError): string[] {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`);
}

export function parseInput<S extends z.core.$ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = z.safeParse(schema, value);
  if (!result.success) throw new InvalidInputError(what, describeIssues(result.error));
  return result.data;
}

/**
 * The JSON body of an SQS record, checked against `schema`. A body that is not JSON or not the
 * schema throws InvalidInputError naming the message id and the problems only: the body itself
 * (and JSON.parse's message, which quotes it) is never put in the error.
 */
export function parseSqsMessage<S extends z.core.$ZodType>(
  record: SQSRecord,
  schema: S,
  what: string,
): z.infer<S> {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    throw new InvalidInputError(`${what} ${record.messageId}`, ['(body): not JSON']);
  }
  return parseInput(schema, body, `${what} ${record.messageId}`);
}

/** Where an SQS record stands in its retries (for logs). */
export function receiveCount(record: SQSRecord): number | undefined {
  const n = Number(record.attributes?.ApproximateReceiveCount);
  return Number.isFinite(n) ? n : undefined;
}
