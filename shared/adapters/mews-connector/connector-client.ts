import type { EnterpriseConfiguration } from '../../domain/model.js';
import * as z from '../../lib/zod-mini.js';
import { parseAnswer } from '../../mews/channel-manager-client.js';
import type { MewsOperation } from '../../mews/errors.js';
import { HttpTransport, type HttpTransportOptions } from '../../mews/http-transport.js';
import type { ConnectorApi } from '../../ports/connector-api.js';
import { type Logger, silentLogger } from '../../ports/logger.js';
import { DEFAULT_CONNECTOR_CLIENT_NAME } from './client-name.js';

/**
 * Mews' Connector API, `configuration/get` only: `POST {platform}/api/connector/v1/configuration/get`
 * with `ClientToken`, `AccessToken` and `Client` (the integration's unique name and version, which
 * Mews reviews certification traffic by). Reuses the Channel Manager client's HTTP transport
 * (timeouts, jittered retries, Retry-After, size cap); the Connector API reports errors with HTTP
 * statuses (400/401/403 permanent, 408/429/5xx transient), which the transport classifies already.
 */

/**
 * The webhook that calls this must answer Mews within 5 s: short attempts, one retry, and a budget
 * that leaves room for the rest of the request. Mews re-sends the webhook when we fail it.
 */
const CONNECTOR_WEBHOOK_BUDGET = { timeoutMs: 2_000, retries: 1, maxElapsedMs: 3_000 } as const;

/**
 * The transport names operations in its errors ("Mews <operation> failed ..."). MewsOperation lists
 * the Channel Manager operations only; this one is the Connector API's.
 */
const OPERATION = 'configuration/get' as MewsOperation;
const PATH = '/api/connector/v1/configuration/get';

const nullableString = z.nullish(z.string());

/** The parts of the answer the provisioner keeps; unknown fields are accepted and dropped. */
const connectorConfigurationResponseSchema = z.object({
  NowUtc: nullableString,
  Enterprise: z.object({
    Id: z.string().check(z.minLength(1)),
    Name: z.string(),
    ChainId: nullableString,
    TimeZoneIdentifier: nullableString,
    DefaultLanguageCode: nullableString,
    LegalEnvironmentCode: nullableString,
    Pricing: nullableString,
    Address: z.nullish(z.object({ CountryCode: nullableString })),
    Currencies: z.nullish(
      z.array(z.object({ Currency: z.string(), IsDefault: z.boolean(), IsEnabled: z.boolean() })),
    ),
  }),
});

export interface ConnectorClientOptions extends HttpTransportOptions {
  platformAddress: string;
  /** The Connector API client token of this integration partner. A secret. */
  clientToken: string;
  /** `Client` on every request; default DEFAULT_CONNECTOR_CLIENT_NAME. */
  clientName?: string;
  logger?: Logger;
}

export class ConnectorClient implements ConnectorApi {
  readonly platformAddress: string;
  readonly clientName: string;
  readonly #clientToken: string;
  readonly #transport: HttpTransport;
  readonly #logger: Logger;

  constructor(options: ConnectorClientOptions) {
    this.platformAddress = platformAddress(options.platformAddress);
    if (typeof options.clientToken !== 'string' || options.clientToken.trim() === '') {
      throw new TypeError('ConnectorClient: clientToken is empty');
    }
    const clientName = (options.clientName ?? DEFAULT_CONNECTOR_CLIENT_NAME).trim();
    if (clientName === '') throw new TypeError('ConnectorClient: clientName is empty');
    this.clientName = clientName;
    this.#clientToken = options.clientToken;
    this.#logger = options.logger ?? silentLogger;
    this.#transport = new HttpTransport({ ...CONNECTOR_WEBHOOK_BUDGET, ...options });
  }

  async getConfiguration(accessToken: string): Promise<EnterpriseConfiguration> {
    if (typeof accessToken !== 'string' || accessToken.trim() === '') {
      throw new TypeError('ConnectorClient: accessToken is empty');
    }
    const answer = await this.#transport.post({
      operation: OPERATION,
      url: `${this.platformAddress}${PATH}`,
      body: { ClientToken: this.#clientToken, AccessToken: accessToken, Client: this.clientName },
      secrets: [this.#clientToken, accessToken],
      onAttempt: (event) =>
        this.#logger.debug('mews call', {
          operation: event.operation,
          attempt: event.attempt,
          maxAttempts: event.maxAttempts,
          durationMs: event.durationMs,
          status: event.status,
          outcome: event.outcome,
          timeoutMs: event.timeoutMs,
          ...(event.deadline !== null ? { deadline: new Date(event.deadline).toISOString() } : {}),
          ...(event.error ? { error: event.error.toJSON() } : {}),
          ...(event.willRetry ? { retryInMs: event.retryInMs } : {}),
        }),
    });
    const { Enterprise: e } = parseAnswer(OPERATION, connectorConfigurationResponseSchema, answer, [
      this.#clientToken,
      accessToken,
    ]);
    return {
      id: e.Id,
      name: e.Name,
      chainId: e.ChainId ?? null,
      timeZoneIdentifier: e.TimeZoneIdentifier ?? null,
      defaultLanguageCode: e.DefaultLanguageCode ?? null,
      legalEnvironmentCode: e.LegalEnvironmentCode ?? null,
      pricing: e.Pricing ?? null,
      countryCode: e.Address?.CountryCode ?? null,
      currencies: (e.Currencies ?? []).map((c) => ({
        currency: c.Currency,
        isDefault: c.IsDefault,
        isEnabled: c.IsEnabled,
      })),
    };
  }
}

function platformAddress(address: string): string {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new TypeError('ConnectorClient: platformAddress is not a URL (e.g. https://api.mews-demo.com)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError('ConnectorClient: platformAddress must be an http(s) URL');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new TypeError('ConnectorClient: platformAddress must not carry credentials, a query or a fragment');
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}
