import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyStructuredResultV2, Context, LambdaFunctionURLEvent } from 'aws-lambda';
import {
  MAX_WEBHOOK_BODY_BYTES,
  routeWebhook,
  type WebhookResponse,
} from '../../shared/adapters/http/webhook-router.js';
import { webhookDeps } from '../../shared/composition/aws-services.js';
import { withInvocation } from '../../shared/composition/lambda-invocation.js';
import { METRIC } from '../../shared/config/metric-names.js';

const APPLIED = new Set(['provisioned', 'changed', 'token-rotated']);
const REJECTED = new Set(['rejected', 'not-found', 'method-not-allowed', 'too-large']);

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
      metrics.addMetric(METRIC.webhookRejected, MetricUnit.Count, 1);
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
      metrics.addMetric(METRIC.webhookFailed, MetricUnit.Count, 1);
      return result({
        status: 503,
        headers: { 'content-type': 'application/json' },
        body: '{"message":"Temporarily unavailable"}',
      });
    }

    const response = await routeWebhook(
      { method: event.requestContext.http.method, path: event.rawPath, body },
      deps,
    );
    count(response, metrics);
    return result(response);
  });

function count(response: WebhookResponse, metrics: Metrics): void {
  const { outcome, route } = response;
  if (route === 'changeNotification' && outcome === 'accepted') {
    metrics.addMetric(METRIC.notificationAccepted, MetricUnit.Count, 1);
  } else if (route === 'integrations' && APPLIED.has(outcome)) {
    metrics.addMetric(METRIC.integrationWebhookApplied, MetricUnit.Count, 1);
  } else if (outcome === 'unauthenticated') {
    metrics.addMetric(METRIC.webhookUnauthenticated, MetricUnit.Count, 1);
  } else if (REJECTED.has(outcome)) {
    metrics.addMetric(METRIC.webhookRejected, MetricUnit.Count, 1);
  } else if (outcome === 'failed') {
    metrics.addMetric(METRIC.webhookFailed, MetricUnit.Count, 1);
  }
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
