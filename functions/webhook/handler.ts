import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyStructuredResultV2, Context, LambdaFunctionURLEvent } from 'aws-lambda';
import {
  MAX_WEBHOOK_BODY_BYTES,
  routeWebhook,
  type WebhookOutcome,
  type WebhookResponse,
} from '../../shared/adapters/http/webhook-router.js';
import { webhookDeps } from '../../shared/composition/aws-services.js';
import { withInvocation } from '../../shared/composition/lambda-invocation.js';
import { remainingMs, withDeadline } from '../../shared/composition/work-deadline.js';
import { METRIC, type MetricName } from '../../shared/config/metric-names.js';

/** The metric each outcome counts in (null: none); the compiler checks every outcome is here. */
const OUTCOME_METRIC = {
  accepted: METRIC.notificationAccepted,
  provisioned: METRIC.integrationWebhookApplied,
  changed: METRIC.integrationWebhookApplied,
  'token-rotated': METRIC.integrationWebhookApplied,
  'already-provisioned': null,
  unchanged: null,
  ignored: null,
  'unknown-integration': null,
  unauthenticated: METRIC.webhookUnauthenticated,
  rejected: METRIC.webhookRejected,
  'not-found': METRIC.webhookRejected,
  'method-not-allowed': METRIC.webhookRejected,
  'too-large': METRIC.webhookRejected,
  failed: METRIC.webhookFailed,
} as const satisfies Record<WebhookOutcome['outcome'], MetricName | null>;

/** Kept free of Mews calls at the end of the invocation: the router's writes and the answer. */
const RESERVE_MS = 2_000;

/**
 * Mews -> Function URL: `POST /changeNotification` (and the documented `/changeNotificaton`)
 * queues a poll or sync and answers in milliseconds; `POST /integrations/<secret>` records a
 * Connector API integration (access token to Secrets Manager, `configuration/get`, outbox event)
 * within Mews' 5 s. Routing, authentication and answers are the shared router's (the same as
 * `npm start` serves locally).
 *
 * Neither the event, nor its body, nor its path (which carries the integration secret) is ever
 * logged: the router logs the route, the outcome and derived ids only.
 */
export const handler = async (
  event: LambdaFunctionURLEvent,
  context?: Context,
): Promise<APIGatewayProxyStructuredResultV2> =>
  withInvocation(context, async ({ logger, metrics }) => {
    const raw = event.body ?? undefined;
    // Cheap check before decoding: base64 is 4/3 of the bytes it carries.
    const limit = event.isBase64Encoded
      ? Math.ceil((MAX_WEBHOOK_BODY_BYTES * 4) / 3) + 4
      : MAX_WEBHOOK_BODY_BYTES * 4;
    if (raw !== undefined && raw.length > limit) {
      count({ outcome: 'too-large' }, metrics);
      return result({
        status: 413,
        headers: { 'content-type': 'application/json' },
        body: '{"message":"Payload Too Large"}',
      });
    }
    const body =
      raw !== undefined && event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;

    let deps: Awaited<ReturnType<typeof webhookDeps>>;
    try {
      deps = await webhookDeps();
    } catch (error) {
      // Environment or secrets unreadable: Mews re-sends later. The message names ARNs, never values.
      logger.error('webhook dependencies unavailable', { error });
      count({ outcome: 'failed' }, metrics);
      return result({
        status: 503,
        headers: { 'content-type': 'application/json' },
        body: '{"message":"Temporarily unavailable"}',
      });
    }

    // The Connector API call has its own 3 s budget; it also never outlives the invocation.
    const deadline = Date.now() + remainingMs(context) - RESERVE_MS;
    const response = await withDeadline(deadline, () =>
      routeWebhook({ method: event.requestContext.http.method, path: event.rawPath, body }, deps),
    );
    count(response, metrics);
    return result(response);
  });

/** The one place an outcome becomes a metric (the handler's own 413 and 503 included). */
function count({ outcome }: Pick<WebhookOutcome, 'outcome'>, metrics: Metrics): void {
  const name = OUTCOME_METRIC[outcome];
  if (name !== null) metrics.addMetric(name, MetricUnit.Count, 1);
}

function result(
  response: Pick<WebhookResponse, 'status' | 'headers' | 'body'>,
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: response.status,
    headers: response.headers,
    body: response.body,
    isBase64Encoded: false,
  };
}
