import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, isRecord, parseJson, readBody, sendJson } from './http-io.js';
import type { IntegrationBook } from './simulator-integrations.js';
import type { SimulatorState } from './simulator-state.js';

/**
 * Mews' Connector API, `configuration/get` only, at `/api/connector/v1/configuration/get`:
 * PascalCase fields, errors as HTTP statuses with `{ Message }` (400 malformed, 401 wrong client
 * or access token, 403 integration disabled or canceled, 404 unknown operation).
 */

export const CONNECTOR_BASE_PATH = '/api/connector/v1';
const MAX_BODY_BYTES = 1024 * 1024;

/** One request, for tests (no token: the integration is named by its id). */
export interface ConnectorRequestLogEntry {
  at: string;
  operation: string;
  /** The `Client` the request named. */
  client: string | null;
  integrationId: string | null;
  httpStatus: number;
}

export function createConnectorHandler(deps: {
  state: SimulatorState;
  integrations: IntegrationBook;
  clientToken: string;
}) {
  let log: ConnectorRequestLogEntry[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const operation = url.pathname.slice(CONNECTOR_BASE_PATH.length + 1);
    const entry = (httpStatus: number, client: string | null, integrationId: string | null = null) => {
      log.push({ at: new Date().toISOString(), operation, client, integrationId, httpStatus });
      if (log.length > 10_000) log = log.slice(-10_000);
    };
    const fail = (
      status: number,
      message: string,
      client: string | null = null,
      id: string | null = null,
    ) => {
      sendJson(res, status, { Message: message });
      entry(status, client, id);
    };
    if (operation !== 'configuration/get') return fail(404, 'Operation not found.');
    if (req.method !== 'POST') return fail(405, 'Use POST.');

    let raw: string;
    try {
      raw = await readBody(req, MAX_BODY_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return fail(413, 'Request too large.');
      throw error;
    }
    const parsed = parseJson(raw);
    if (!parsed.ok || !isRecord(parsed.value)) return fail(400, 'Invalid JSON.');
    const body = parsed.value;
    const client = typeof body.Client === 'string' && body.Client.trim() !== '' ? body.Client : null;
    if (client === null) return fail(400, 'Invalid Client.');
    if (body.ClientToken !== deps.clientToken) return fail(401, 'Invalid ClientToken.', client);
    const integration =
      typeof body.AccessToken === 'string' ? deps.integrations.byAccessToken(body.AccessToken) : undefined;
    if (!integration || integration.status === 'deleted') return fail(401, 'Invalid AccessToken.', client);
    if (integration.status !== 'enabled') {
      return fail(403, `The integration is ${integration.status}.`, client, integration.id);
    }

    const enterprise = deps.state.enterpriseInfo(integration.enterpriseId);
    const firstProperty = enterprise.propertyIds[0];
    const property = firstProperty ? deps.state.configurationOf(firstProperty).property : undefined;
    sendJson(res, 200, {
      NowUtc: new Date().toISOString(),
      Enterprise: {
        Id: enterprise.id,
        ChainId: `chain-of-${enterprise.id}`,
        CreatedUtc: '2020-01-01T00:00:00Z',
        Name: enterprise.name,
        TimeZoneIdentifier: property?.timeZoneIdentifier ?? 'Europe/London',
        LegalEnvironmentCode: 'UK',
        DefaultLanguageCode: property?.languageCode ?? 'en-GB',
        EditableHistoryInterval: 'P0M3DT0H0M0S',
        WebsiteUrl: property?.websiteUrl ?? null,
        Email: property?.email ?? null,
        Phone: null,
        LogoImageId: null,
        CoverImageId: null,
        Address: {
          Id: `address-of-${enterprise.id}`,
          Line1: property?.address?.addressLine1 ?? null,
          Line2: null,
          City: property?.address?.city ?? null,
          PostalCode: property?.address?.zip ?? null,
          CountryCode: property?.address?.country ?? 'GB',
          CountrySubdivisionCode: null,
          Latitude: null,
          Longitude: null,
        },
        Currencies: [{ Currency: 'GBP', IsDefault: true, IsEnabled: true }],
        Pricing: 'Gross',
      },
      Service: integration.service
        ? { Id: integration.service.id, Name: integration.service.name, IsActive: true, Type: 'Reservable' }
        : null,
      PaymentCardStorage: null,
    });
    entry(200, client, integration.id);
  }

  return {
    handle,
    requests: (): ConnectorRequestLogEntry[] => log.map((e) => ({ ...e })),
    clear: () => {
      log = [];
    },
  };
}
