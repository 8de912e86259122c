import { connectionIdFromToken } from '../domain/identity.js';
import { maskEmail } from '../domain/mask-email.js';
import * as z from '../lib/zod-mini.js';
import type { ChannelManagerApi } from '../ports/channel-manager-api.js';
import { type Logger, silentLogger } from '../ports/logger.js';
import { type Channel, getChannelsResponseSchema } from './channels.schema.js';
import {
  type Configuration,
  type ConfigurationExtent,
  getConfigurationResponseSchema,
} from './configuration.schema.js';
import { type MewsOperation, MewsResponseError } from './errors.js';
import {
  type AttemptEvent,
  HttpTransport,
  type HttpTransportOptions,
  type MewsAnswer,
} from './http-transport.js';
import { getPropertiesResponseSchema, type PropertiesResponse } from './properties.schema.js';
import { createRedactor } from './redact.js';

export interface ChannelManagerClientOptions extends HttpTransportOptions {
  /** `https://api.mews.com`, `https://api.mews-demo.com`, or the local simulator's address. */
  platformAddress: string;
  /** The channel manager's client token for that environment. A secret. */
  clientToken: string;
  /** Debug line per attempt; never a token, emails masked. */
  logger?: Logger;
  /** Extent used when getConfiguration is called without one. Default: everything. */
  defaultExtent?: ConfigurationExtent;
}

/** Everything Mews can add to a configuration, so mapping sees unsynchronized items too. */
const FULL_CONFIGURATION_EXTENT: Required<ConfigurationExtent> = Object.freeze({
  includeUnsynchronizedRates: true,
  includeUnsynchronizedCategories: true,
  includeProducts: true,
  includeCompanies: true,
  includeAgeCategories: true,
});

const API_PATH = '/api/channelManager/v1/';

/**
 * The Mews Channel Manager API, over HTTPS. Retries transient failures itself (see
 * HttpTransport); throws MewsApiError, MewsTransportError or MewsResponseError when it gives up.
 */
export class ChannelManagerClient implements ChannelManagerApi {
  readonly platformAddress: string;
  readonly #clientToken: string;
  readonly #transport: HttpTransport;
  readonly #logger: Logger;
  readonly #defaultExtent: ConfigurationExtent;

  constructor(options: ChannelManagerClientOptions) {
    this.platformAddress = normalizePlatformAddress(options.platformAddress);
    if (typeof options.clientToken !== 'string' || options.clientToken.trim() === '') {
      throw new TypeError('ChannelManagerClient: clientToken is empty');
    }
    this.#clientToken = options.clientToken;
    this.#logger = options.logger ?? silentLogger;
    this.#defaultExtent = { ...(options.defaultExtent ?? FULL_CONFIGURATION_EXTENT) };
    this.#transport = new HttpTransport(options);
  }

  async getProperties(email: string): Promise<PropertiesResponse> {
    requireText('email', email);
    const answer = await this.#call('getProperties', { clientToken: this.#clientToken, email }, [email], {
      account: maskEmail(email),
    });
    return parseAnswer('getProperties', getPropertiesResponseSchema, answer, [this.#clientToken, email]);
  }

  async getConfiguration(connectionToken: string, extent?: ConfigurationExtent): Promise<Configuration> {
    requireText('connectionToken', connectionToken);
    const answer = await this.#call(
      'getConfiguration',
      { clientToken: this.#clientToken, connectionToken, extent: { ...(extent ?? this.#defaultExtent) } },
      [connectionToken],
      { connectionId: connectionIdFromToken(connectionToken) },
    );
    // The schema strips unknown keys, the echoed connectionToken among them: it never leaves here.
    return parseAnswer('getConfiguration', getConfigurationResponseSchema, answer, [
      this.#clientToken,
      connectionToken,
    ]);
  }

  async getChannels(): Promise<Channel[]> {
    const answer = await this.#call('getChannels', { clientToken: this.#clientToken }, [], {});
    return parseAnswer('getChannels', getChannelsResponseSchema, answer, [this.#clientToken]).channels;
  }

  async #call(
    operation: MewsOperation,
    body: Record<string, unknown>,
    secrets: string[],
    logContext: Record<string, unknown>,
  ): Promise<MewsAnswer> {
    return this.#transport.post({
      operation,
      url: `${this.platformAddress}${API_PATH}${operation}`,
      body,
      secrets: [this.#clientToken, ...secrets],
      onAttempt: (event) => this.#logAttempt(event, logContext),
    });
  }

  #logAttempt(event: AttemptEvent, context: Record<string, unknown>): void {
    this.#logger.debug('mews call', {
      operation: event.operation,
      ...context,
      attempt: event.attempt,
      maxAttempts: event.maxAttempts,
      durationMs: event.durationMs,
      status: event.status,
      outcome: event.outcome,
      timeoutMs: event.timeoutMs,
      ...(event.deadline !== null ? { deadline: new Date(event.deadline).toISOString() } : {}),
      ...(event.error ? { error: event.error.toJSON() } : {}),
      ...(event.willRetry ? { retryInMs: event.retryInMs } : {}),
    });
  }
}

function normalizePlatformAddress(address: string): string {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new TypeError(
      'ChannelManagerClient: platformAddress is not a URL (e.g. https://api.mews-demo.com)',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError('ChannelManagerClient: platformAddress must be an http(s) URL');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new TypeError(
      'ChannelManagerClient: platformAddress must not carry credentials, a query or a fragment',
    );
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

function requireText(name: string, value: string): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`ChannelManagerClient: ${name} is empty`);
  }
}

/** Validates an answer; a mismatch becomes a MewsResponseError naming the field paths, never the values. */
export function parseAnswer<S extends z.core.$ZodType>(
  operation: MewsOperation,
  schema: S,
  answer: Pick<MewsAnswer, 'body'> & Partial<Pick<MewsAnswer, 'attempts'>>,
  secrets: readonly string[] = [],
): z.output<S> {
  const result = z.safeParse(schema, answer.body);
  if (result.success) return result.data;
  const redact = createRedactor(secrets);
  const issues = result.error.issues.map((issue) => redact(`${formatPath(issue.path)}: ${issue.message}`));
  throw new MewsResponseError({ operation, issues, attempts: answer.attempts ?? 1 });
}

/** `['properties', 0, 'connections', 1]` -> `properties[0].connections[1]`; `(root)` for the answer itself. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]{0,63}$/.test(key)) out += out ? `.${key}` : key;
    else out += '[?]';
  }
  return out || '(root)';
}
