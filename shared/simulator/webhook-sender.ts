import * as z from 'zod';
import type { IntegrationBook } from './simulator-integrations.js';
import { SimulatorInputError } from './simulator-specs.js';
import type { SimulatorState } from './simulator-state.js';

/**
 * What Mews sends to a channel manager / integration partner, on demand: change notifications
 * (`POST <target>/changeNotification` with the client token in the body) and Connector API
 * integration webhooks (`POST <target>/integrations/<secret>`). Nothing is sent by itself: tests
 * decide what arrives, how often and in which order. Each send waits at most 5 s, as Mews does.
 */

export const NOTIFICATION_TYPES = ['created', 'updated', 'activated', 'deactivated', 'deleted'] as const;
export type NotificationTypeName = (typeof NOTIFICATION_TYPES)[number];

export const webhookTargetSchema = z.strictObject({
  /** The channel manager's address, e.g. http://127.0.0.1:8600 (no trailing slash needed). */
  url: z.url({ protocol: /^https?$/ }),
  /** The secret the integration webhook URL carries (`/integrations/<secret>`). */
  integrationSecret: z.string().min(1).optional(),
});
export type WebhookTarget = z.input<typeof webhookTargetSchema>;

export interface SentWebhook {
  /** Null when no answer arrived (unreachable, or not within 5 s). */
  status: number | null;
  /** The answer, parsed when it is JSON. */
  body: unknown;
  durationMs: number;
  /** A network error code or `timeout`, when no answer arrived. */
  error?: string;
}

/** The log of what was sent (no tokens, no secret). */
export interface SentWebhookLogEntry {
  at: string;
  kind: 'changeNotification' | 'integration' | 'raw';
  /** The notification type or the integration action. */
  what: string;
  status: number | null;
  durationMs: number;
}

const MEWS_TIMEOUT_MS = 5_000;

export class WebhookSender {
  private target: { url: string; integrationSecret: string | undefined } | null = null;
  private log: SentWebhookLogEntry[] = [];

  constructor(
    private readonly deps: { state: SimulatorState; integrations: IntegrationBook; clientToken: string },
  ) {}

  setTarget(target: WebhookTarget): void {
    const parsed = webhookTargetSchema.safeParse(target);
    if (!parsed.success)
      throw new SimulatorInputError(`invalid webhook target: ${z.prettifyError(parsed.error)}`);
    this.target = {
      url: parsed.data.url.replace(/\/+$/, ''),
      integrationSecret: parsed.data.integrationSecret,
    };
  }

  /**
   * A change notification about a connection. `type` is the code (0-4) or its name. Options: another
   * client token (to test authentication), and the path (default `/changeNotification`; Mews'
   * documentation spells it `/changeNotificaton`).
   */
  async notify(
    connectionToken: string,
    type: number | NotificationTypeName,
    options: { clientToken?: string; path?: string } = {},
  ): Promise<SentWebhook> {
    const code = typeof type === 'number' ? type : NOTIFICATION_TYPES.indexOf(type);
    if (!Number.isInteger(code) || code < 0 || code >= NOTIFICATION_TYPES.length) {
      throw new SimulatorInputError(`type must be 0-4 or one of ${NOTIFICATION_TYPES.join(', ')}`);
    }
    const path = options.path ?? '/changeNotification';
    if (!path.startsWith('/')) throw new SimulatorInputError('path must start with /');
    return this.post('changeNotification', NOTIFICATION_TYPES[code] ?? String(code), path, {
      clientToken: options.clientToken ?? this.deps.clientToken,
      connectionToken,
      type: code,
    });
  }

  /**
   * An integration webhook. `data` is an integration id (the documented Data is built from the
   * simulator's integration) or the Data object to send as it is.
   */
  async sendIntegrationWebhook(
    action: string,
    data: string | Record<string, unknown>,
    options: { secret?: string } = {},
  ): Promise<SentWebhook> {
    const secret = options.secret ?? this.requireTarget().integrationSecret;
    if (!secret) throw new SimulatorInputError('no integration secret: give one with setWebhookTarget');
    const body = { Action: action, Data: typeof data === 'string' ? this.dataFor(action, data) : data };
    return this.post('integration', action, `/integrations/${encodeURIComponent(secret)}`, body);
  }

  /** Raw: POST any body (a string is sent as it is) to a path of the target. For malformed-input tests. */
  async postRaw(path: string, body: string | Record<string, unknown>): Promise<SentWebhook> {
    return this.post('raw', path.startsWith('/integrations/') ? '/integrations/…' : path, path, body);
  }

  sent(): SentWebhookLogEntry[] {
    return this.log.map((e) => ({ ...e }));
  }

  clear(): void {
    this.log = [];
  }

  private dataFor(action: string, integrationId: string): Record<string, unknown> {
    const i = this.deps.integrations.get(integrationId);
    const integration = { Id: i.id, Name: i.name };
    switch (action) {
      case 'IntegrationCreated': {
        const enterprise = this.deps.state.enterpriseInfo(i.enterpriseId);
        return {
          Enterprise: { Id: enterprise.id, Name: enterprise.name },
          Service: i.service ? { Id: i.service.id, Name: i.service.name } : null,
          Requestor: i.requestor ? { Name: i.requestor.name, Email: i.requestor.email } : null,
          AccessToken: i.accessToken,
          CreatedUtc: i.createdUtc,
          IsEnabled: i.status === 'enabled',
          Integration: integration,
        };
      }
      case 'IntegrationDeleted':
        return { DeletedUtc: i.deletedUtc ?? new Date().toISOString(), Integration: integration };
      case 'IntegrationApiKeyCreated':
        return { Integration: integration, ApiKey: i.accessToken };
      default:
        return { Integration: integration };
    }
  }

  private requireTarget() {
    if (!this.target) throw new SimulatorInputError('no webhook target: call setWebhookTarget first');
    return this.target;
  }

  private async post(
    kind: SentWebhookLogEntry['kind'],
    what: string,
    path: string,
    body: string | Record<string, unknown>,
  ): Promise<SentWebhook> {
    const target = this.requireTarget();
    const started = performance.now();
    const done = (result: Omit<SentWebhook, 'durationMs'>): SentWebhook => {
      const durationMs = Math.round(performance.now() - started);
      this.log.push({ at: new Date().toISOString(), kind, what, status: result.status, durationMs });
      if (this.log.length > 10_000) this.log = this.log.slice(-10_000);
      return { ...result, durationMs };
    };
    let response: Response;
    try {
      response = await fetch(`${target.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(MEWS_TIMEOUT_MS),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: unknown } }).cause;
      const code = error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : cause?.code;
      return done({ status: null, body: null, error: typeof code === 'string' ? code : 'network' });
    }
    const text = await response.text().catch(() => '');
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return done({ status: response.status, body: parsed });
  }
}
