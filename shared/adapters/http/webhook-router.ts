import type { Logger } from '../../ports/logger.js';
import {
  type ChangeNotificationDeps,
  type ChangeNotificationOutcome,
  handleChangeNotification,
} from '../../use-cases/handle-change-notification.js';
import {
  handleIntegrationWebhook,
  type IntegrationWebhookDeps,
  type IntegrationWebhookOutcome,
} from '../../use-cases/handle-integration-webhook.js';

/**
 * The endpoint Mews calls, independent of how HTTP arrives (a Lambda Function URL on AWS, a
 * node:http server locally):
 *
 * | route | answer |
 * |---|---|
 * | `POST /changeNotification` (and the documented spelling `/changeNotificaton`) | Channel Manager API convention: HTTP 200 and `{ success: true }`, or `{ success: false, error: { code, message } }` (6 validation, 8 authentication, 1 temporary failure) |
 * | `POST /integrations/<secret>` | Connector API convention: 2xx `{ Result }`, or `{ Message }` with 400 (bad body), 401 (wrong secret), 409 (integration not known yet: re-send), 503 (temporary failure: re-send) |
 * | anything else | 404 / 405 / 413 |
 *
 * Nothing from the request (body, path: the integration path holds a secret) is ever logged or
 * echoed: only the route, the outcome and derived ids.
 */

const CHANGE_NOTIFICATION_PATHS = ['/changeNotification', '/changeNotificaton'] as const;
const INTEGRATIONS_PATH_PREFIX = '/integrations/';
/** A change notification is ~200 bytes and an integration webhook ~1 KB; anything near this is not Mews. */
export const MAX_WEBHOOK_BODY_BYTES = 64 * 1024;

export interface WebhookRequest {
  method: string;
  path: string;
  /** The decoded body; undefined when there was none. */
  body: string | undefined;
}

type WebhookRoute = 'changeNotification' | 'integrations' | 'none';

export interface WebhookResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  route: WebhookRoute;
  /** accepted, rejected, unauthenticated, failed, provisioned... (for metrics and logs). */
  outcome: string;
  /** Something was queued or written to the outbox: a local runner drains now. */
  work: boolean;
}

export interface WebhookDeps {
  notifications: ChangeNotificationDeps;
  /** Absent: integration webhooks are not served (404). */
  integrations?: IntegrationWebhookDeps & { secretMatches: (candidate: unknown) => boolean };
  logger: Logger;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export async function routeWebhook(request: WebhookRequest, deps: WebhookDeps): Promise<WebhookResponse> {
  const path = request.path.length > 1 ? request.path.replace(/\/+$/, '') : request.path;
  const isNotification = (CHANGE_NOTIFICATION_PATHS as readonly string[]).includes(path);
  const isIntegration = path.startsWith(INTEGRATIONS_PATH_PREFIX) && deps.integrations !== undefined;
  if (!isNotification && !isIntegration) {
    return answer(404, { message: 'Not Found' }, 'none', 'not-found');
  }
  const route: WebhookRoute = isNotification ? 'changeNotification' : 'integrations';
  if (request.method.toUpperCase() !== 'POST') {
    return {
      ...answer(405, { message: 'Method Not Allowed' }, route, 'method-not-allowed'),
      headers: { ...JSON_HEADERS, allow: 'POST' },
    };
  }
  if (request.body !== undefined && Buffer.byteLength(request.body, 'utf8') > MAX_WEBHOOK_BODY_BYTES) {
    return answer(413, { message: 'Payload Too Large' }, route, 'too-large');
  }
  const started = Date.now();
  const response = isNotification
    ? await changeNotification(request.body, deps)
    : await integrationWebhook(path.slice(INTEGRATIONS_PATH_PREFIX.length), request.body, deps);
  deps.logger[response.status >= 500 || response.outcome === 'failed' ? 'error' : 'info'](
    'webhook answered',
    {
      route,
      status: response.status,
      outcome: response.outcome,
      durationMs: Date.now() - started,
    },
  );
  return response;
}

async function changeNotification(body: string | undefined, deps: WebhookDeps): Promise<WebhookResponse> {
  const route = 'changeNotification';
  const refuse = (code: number, message: string, outcome: string) =>
    answer(200, { success: false, error: { code, message } }, route, outcome);
  const parsed = parseJson(body);
  if (!parsed.ok) return refuse(6, 'Invalid request: the body is not JSON.', 'rejected');
  let outcome: ChangeNotificationOutcome;
  try {
    outcome = await handleChangeNotification(parsed.value, deps.notifications);
  } catch (error) {
    deps.logger.error('change notification failed: Mews may re-send it', { error: safeError(error) });
    return refuse(1, 'Temporary failure: re-send the notification later.', 'failed');
  }
  if (outcome.status === 'rejected') {
    const kind = outcome.code === 8 ? 'unauthenticated' : 'rejected';
    deps.logger.warn('change notification refused', { code: outcome.code, reason: outcome.message });
    return refuse(outcome.code, outcome.message, kind);
  }
  return { ...answer(200, { success: true }, route, 'accepted'), work: outcome.syncs + outcome.polls > 0 };
}

async function integrationWebhook(
  secret: string,
  body: string | undefined,
  deps: WebhookDeps,
): Promise<WebhookResponse> {
  const route = 'integrations';
  const integrations = deps.integrations;
  // Checked before anything else (and in constant time): a wrong secret learns nothing more.
  if (!integrations || secret.includes('/') || !integrations.secretMatches(secret)) {
    deps.logger.warn('integration webhook with a wrong URL secret refused');
    return answer(401, { Message: 'Unauthorized.' }, route, 'unauthenticated');
  }
  const parsed = parseJson(body);
  if (!parsed.ok) return answer(400, { Message: 'Invalid JSON.' }, route, 'rejected');
  let outcome: IntegrationWebhookOutcome;
  try {
    outcome = await handleIntegrationWebhook(parsed.value, integrations);
  } catch (error) {
    deps.logger.error('integration webhook failed: Mews re-sends it', { error: safeError(error) });
    return answer(503, { Message: 'Temporarily unavailable: re-send later.' }, route, 'failed');
  }
  switch (outcome.status) {
    case 'rejected':
      deps.logger.warn('integration webhook refused', { reason: outcome.message });
      return answer(400, { Message: outcome.message }, route, 'rejected');
    case 'unknown-integration':
      return answer(
        409,
        { Message: 'Integration not known yet: re-send after its IntegrationCreated.' },
        route,
        'unknown-integration',
      );
    default: {
      const work = outcome.status === 'provisioned' || outcome.status === 'changed';
      return { ...answer(200, { Result: outcome.status }, route, outcome.status), work };
    }
  }
}

function answer(status: number, body: unknown, route: WebhookRoute, outcome: string): WebhookResponse {
  return { status, headers: { ...JSON_HEADERS }, body: JSON.stringify(body), route, outcome, work: false };
}

function parseJson(body: string | undefined): { ok: true; value: unknown } | { ok: false } {
  if (body === undefined || body.trim() === '') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch {
    // JSON.parse's message quotes the body: never keep it.
    return { ok: false };
  }
}

/** Name and message of an error our code raised (they name ids and calls, never tokens); nothing else. */
function safeError(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: 'non-Error thrown' };
}
