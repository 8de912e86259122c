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

type Endpoint = 'changeNotification' | 'integrations';

/** An integration webhook acted on or acknowledged (`Result` of the 200 answer). */
type IntegrationResult = Exclude<IntegrationWebhookOutcome['status'], 'rejected' | 'unknown-integration'>;

/** What became of a request, per route: the webhook function maps each outcome to its metric. */
export type WebhookOutcome =
  | { route: 'none'; outcome: 'not-found' }
  | { route: Endpoint; outcome: 'method-not-allowed' | 'too-large' }
  | { route: 'changeNotification'; outcome: 'accepted' | 'rejected' | 'unauthenticated' | 'failed' }
  | {
      route: 'integrations';
      outcome: 'rejected' | 'unauthenticated' | 'failed' | 'unknown-integration' | IntegrationResult;
    };

export type WebhookResponse = WebhookOutcome & {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Something was queued or written to the outbox: a local runner drains now. */
  work: boolean;
};

/** A response, and what its one log line says besides the outcome (a reason, a log-safe error). */
interface Answered {
  response: WebhookResponse;
  detail?: Record<string, unknown>;
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
    return answer(404, { message: 'Not Found' }, { route: 'none', outcome: 'not-found' });
  }
  const route: Endpoint = isNotification ? 'changeNotification' : 'integrations';
  if (request.method.toUpperCase() !== 'POST') {
    return {
      ...answer(405, { message: 'Method Not Allowed' }, { route, outcome: 'method-not-allowed' }),
      headers: { ...JSON_HEADERS, allow: 'POST' },
    };
  }
  if (request.body !== undefined && Buffer.byteLength(request.body, 'utf8') > MAX_WEBHOOK_BODY_BYTES) {
    return answer(413, { message: 'Payload Too Large' }, { route, outcome: 'too-large' });
  }
  const started = Date.now();
  const { response, detail } = isNotification
    ? await changeNotification(request.body, deps)
    : await integrationWebhook(path.slice(INTEGRATIONS_PATH_PREFIX.length), request.body, deps);
  // One line per request, a failure included: its error is on this line, not on one of its own.
  const level = response.outcome === 'failed' ? 'error' : detail ? 'warn' : 'info';
  deps.logger[level]('webhook answered', {
    route,
    status: response.status,
    outcome: response.outcome,
    durationMs: Date.now() - started,
    ...detail,
  });
  return response;
}

async function changeNotification(body: string | undefined, deps: WebhookDeps): Promise<Answered> {
  const route = 'changeNotification';
  const refuse = (
    code: number,
    message: string,
    outcome: 'rejected' | 'unauthenticated' | 'failed',
    detail: Record<string, unknown>,
  ): Answered => ({
    response: answer(200, { success: false, error: { code, message } }, { route, outcome }),
    detail,
  });
  const parsed = parseJson(body);
  if (!parsed.ok) {
    return refuse(6, 'Invalid request: the body is not JSON.', 'rejected', {
      reason: 'the body is not JSON',
    });
  }
  let outcome: ChangeNotificationOutcome;
  try {
    outcome = await handleChangeNotification(parsed.value, deps.notifications);
  } catch (error) {
    return refuse(1, 'Temporary failure: re-send the notification later.', 'failed', {
      error: safeError(error),
      reason: 'Mews may re-send it',
    });
  }
  if (outcome.status === 'rejected') {
    const kind = outcome.code === 8 ? 'unauthenticated' : 'rejected';
    return refuse(outcome.code, outcome.message, kind, { code: outcome.code, reason: outcome.message });
  }
  const response = answer(200, { success: true }, { route, outcome: 'accepted' });
  return { response: { ...response, work: outcome.syncs + outcome.polls > 0 } };
}

async function integrationWebhook(
  secret: string,
  body: string | undefined,
  deps: WebhookDeps,
): Promise<Answered> {
  const route = 'integrations';
  const integrations = deps.integrations;
  // Checked before anything else (and in constant time): a wrong secret learns nothing more.
  if (!integrations || secret.includes('/') || !integrations.secretMatches(secret)) {
    return {
      response: answer(401, { Message: 'Unauthorized.' }, { route, outcome: 'unauthenticated' }),
      detail: { reason: 'wrong URL secret' },
    };
  }
  const parsed = parseJson(body);
  if (!parsed.ok) {
    return {
      response: answer(400, { Message: 'Invalid JSON.' }, { route, outcome: 'rejected' }),
      detail: { reason: 'the body is not JSON' },
    };
  }
  let outcome: IntegrationWebhookOutcome;
  try {
    outcome = await handleIntegrationWebhook(parsed.value, integrations);
  } catch (error) {
    return {
      response: answer(
        503,
        { Message: 'Temporarily unavailable: re-send later.' },
        { route, outcome: 'failed' },
      ),
      detail: { error: safeError(error), reason: 'Mews re-sends it' },
    };
  }
  switch (outcome.status) {
    case 'rejected':
      return {
        response: answer(400, { Message: outcome.message }, { route, outcome: 'rejected' }),
        detail: { reason: outcome.message },
      };
    case 'unknown-integration':
      return {
        response: answer(
          409,
          { Message: 'Integration not known yet: re-send after its IntegrationCreated.' },
          { route, outcome: 'unknown-integration' },
        ),
      };
    default: {
      const work = outcome.status === 'provisioned' || outcome.status === 'changed';
      const response = answer(200, { Result: outcome.status }, { route, outcome: outcome.status });
      return { response: { ...response, work } };
    }
  }
}

function answer(status: number, body: unknown, outcome: WebhookOutcome): WebhookResponse {
  return { ...outcome, status, headers: { ...JSON_HEADERS }, body: JSON.stringify(body), work: false };
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
