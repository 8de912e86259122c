import * as z from 'zod';
import { type ApiAnswer, type ApiOperation, mewsError } from './api-operation.js';
import type { MewsConfiguration } from './configuration-schema.js';
import { isRecord } from './http-io.js';
import type { PropertyRecord, SimulatorState } from './simulator-state.js';

/**
 * The Channel Manager API, Mews side: getProperties, getConfiguration, getChannels
 * at `/api/channelManager/v1/<operation>`. Failures are HTTP 200 with
 * `success: false`: malformed request -> 6; wrong client token, unknown or locked
 * email, unknown or removed connection token -> 8.
 */

const CHANNEL_MANAGER_BASE_PATH = '/api/channelManager/v1';

const INVALID_TOKENS = "Invalid 'clientToken' or 'connectionToken'.";
const CONNECTION_DISABLED = 'The connection is disabled.';
const INVALID_EMAIL = "Invalid 'clientToken' or 'email': the email must belong to a verified employee.";

const flag = z.boolean().nullish();
const requests = {
  getProperties: z.looseObject({ clientToken: z.string(), email: z.string() }),
  getConfiguration: z.looseObject({
    clientToken: z.string(),
    connectionToken: z.string(),
    extent: z
      .looseObject({
        includeUnsynchronizedRates: flag,
        includeUnsynchronizedCategories: flag,
        includeProducts: flag,
        includeCompanies: flag,
        includeAgeCategories: flag,
      })
      .nullish(),
  }),
  getChannels: z.looseObject({ clientToken: z.string() }),
};

type Extent = NonNullable<z.output<typeof requests.getConfiguration>['extent']>;

/** Validates a request body; the failure is Mews' validation error (code 6) naming the field. */
function validate<T extends z.ZodType>(
  schema: T,
  body: unknown,
): { ok: true; value: z.output<T> } | ApiAnswer {
  if (!isRecord(body)) return mewsError(6, 'Invalid request: the body must be a JSON object.');
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') || 'request';
  return mewsError(6, `Invalid '${field}': ${issue?.message ?? 'invalid value'}.`);
}

const stringField = (body: unknown, key: string): string | undefined => {
  const value = isRecord(body) ? body[key] : undefined;
  return typeof value === 'string' ? value : undefined;
};

function listedProperty(p: PropertyRecord) {
  const connections = p.connections.map((c) =>
    c.name === null ? { token: c.token } : { token: c.token, name: c.name },
  );
  return connections.length > 0 ? { id: p.id, name: p.name, connections } : { id: p.id, name: p.name };
}

/** The documented answer's fields, in the documented order, cut down by the extent. */
function configurationAnswer(
  connectionToken: string,
  c: MewsConfiguration,
  extent: Extent,
): Record<string, unknown> {
  return {
    connectionToken,
    property: c.property,
    spaceCategories: extent.includeUnsynchronizedCategories
      ? c.spaceCategories
      : c.spaceCategories.filter((s) => s.isSynchronized !== false),
    ratePlans: extent.includeUnsynchronizedRates
      ? c.ratePlans
      : c.ratePlans.filter((r) => r.isSynchronized !== false),
    inventoryMappings: c.inventoryMappings,
    ...(extent.includeProducts ? { products: c.products, productMappings: c.productMappings } : {}),
    ...(extent.includeCompanies ? { companies: c.companies, travelAgencies: c.travelAgencies } : {}),
    ...(extent.includeAgeCategories ? { ageCategories: c.ageCategories } : {}),
    success: true,
  };
}

export function channelManagerOperations(context: {
  state: SimulatorState;
  clientToken: string;
}): ApiOperation[] {
  const { state, clientToken } = context;
  const path = (operation: string) => `${CHANNEL_MANAGER_BASE_PATH}/${operation}`;

  return [
    {
      name: 'getProperties',
      path: path('getProperties'),
      scope: (body) => ({ email: stringField(body, 'email') }),
      answer(body) {
        const request = validate(requests.getProperties, body);
        if (!('ok' in request)) return request;
        const { value } = request;
        if (value.clientToken !== clientToken) return mewsError(8, INVALID_EMAIL);
        const properties = state.visibleProperties(value.email);
        if (!properties) return mewsError(8, INVALID_EMAIL);
        return { body: { success: true, properties: properties.map(listedProperty) } };
      },
    },
    {
      name: 'getConfiguration',
      path: path('getConfiguration'),
      scope: (body) => ({ connectionToken: stringField(body, 'connectionToken') }),
      answer(body) {
        const request = validate(requests.getConfiguration, body);
        if (!('ok' in request)) return request;
        const { value } = request;
        if (value.clientToken !== clientToken) return mewsError(8, INVALID_TOKENS);
        const property = state.propertyOfToken(value.connectionToken);
        if (!property) return mewsError(8, INVALID_TOKENS);
        if (!state.isConnectionEnabled(value.connectionToken)) {
          return { ...mewsError(3, CONNECTION_DISABLED), propertyId: property.id };
        }
        return {
          body: configurationAnswer(value.connectionToken, property.configuration, value.extent ?? {}),
          propertyId: property.id,
        };
      },
    },
    {
      name: 'getChannels',
      path: path('getChannels'),
      scope: () => ({}),
      answer(body) {
        const request = validate(requests.getChannels, body);
        if (!('ok' in request)) return request;
        if (request.value.clientToken !== clientToken) return mewsError(8, "Invalid 'clientToken'.");
        // As documented: the answer is just the list (no `success` field).
        return { body: { channels: state.channels } };
      },
    },
  ];
}
