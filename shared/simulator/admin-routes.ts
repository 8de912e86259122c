import * as z from 'zod';
import { configurationPatchSchema, mewsConfigurationSchema } from './configuration-schema.js';
import { faultSpecSchema, OPERATIONS } from './faults.js';
import { BodyTooLargeError, isRecord, parseJson, readBody, sendJson } from './http-io.js';
import type { AdminHandler } from './request-dispatcher.js';
import type { SimulatorControl } from './simulator-control.js';
import { INTEGRATION_STATUSES, integrationSpecSchema } from './simulator-integrations.js';
import {
  accountSpecSchema,
  enterpriseSpecSchema,
  parseInput,
  propertySpecSchema,
  SimulatorInputError,
} from './simulator-specs.js';
import { NOTIFICATION_TYPES, webhookTargetSchema } from './webhook-sender.js';

/**
 * The control API over HTTP: `POST /_admin/<method>` with the method's arguments as
 * a JSON object, answered with JSON (`GET` for the read-only ones, arguments in the
 * query). Bad input -> 400 `{ error }`, unknown method -> 404. `GET /_admin` lists them.
 */

const MAX_ADMIN_BODY_BYTES = 64 * 1024 * 1024;

interface AdminRoute<T extends z.ZodType = z.ZodType> {
  method: 'GET' | 'POST';
  summary: string;
  input: T;
  run(control: SimulatorControl, input: z.output<T>): unknown;
}

const route = <T extends z.ZodType>(r: AdminRoute<T>): AdminRoute => r as unknown as AdminRoute;
const id = z.string().min(1);
const none = z.object({});

export const ADMIN_ROUTES: Record<string, AdminRoute> = {
  state: route({
    method: 'GET',
    summary: 'enterprises, accounts, properties and connections',
    input: none,
    run: (c) => c.state(),
  }),
  calls: route({
    method: 'GET',
    summary: 'calls per operation and the request log (no tokens)',
    input: none,
    run: (c) => ({ calls: c.calls(), requests: c.requests() }),
  }),
  faults: route({ method: 'GET', summary: 'active faults', input: none, run: (c) => c.faults() }),
  configuration: route({
    method: 'GET',
    summary: '?propertyId= : the held configuration',
    input: z.object({ propertyId: id }),
    run: (c, i) => c.configurationOf(i.propertyId),
  }),
  addConnection: route({
    method: 'POST',
    summary: '{ propertyId, name?, token? } -> { token }',
    input: z.strictObject({ propertyId: id, name: id.optional(), token: id.optional() }),
    run: (c, { propertyId, ...options }) => ({ token: c.addConnection(propertyId, options) }),
  }),
  removeConnection: route({
    method: 'POST',
    summary: '{ token } -> { removed }',
    input: z.strictObject({ token: id }),
    run: (c, i) => ({ removed: c.removeConnection(i.token) }),
  }),
  setConfiguration: route({
    method: 'POST',
    summary: '{ propertyId, configuration }',
    input: z.strictObject({ propertyId: id, configuration: mewsConfigurationSchema }),
    run: (c, i) => c.setConfiguration(i.propertyId, i.configuration),
  }),
  patchConfiguration: route({
    method: 'POST',
    summary: '{ propertyId, patch }: lists replace, property fields merge',
    input: z.strictObject({ propertyId: id, patch: configurationPatchSchema }),
    run: (c, i) => c.patchConfiguration(i.propertyId, i.patch),
  }),
  renameProperty: route({
    method: 'POST',
    summary: '{ propertyId, name }',
    input: z.strictObject({ propertyId: id, name: id }),
    run: (c, i) => c.renameProperty(i.propertyId, i.name),
  }),
  addProperty: route({
    method: 'POST',
    summary: '{ enterpriseId, property? } -> { id, name, connectionTokens }',
    input: z.strictObject({ enterpriseId: id, property: propertySpecSchema.optional() }),
    run: (c, i) => c.addProperty(i.enterpriseId, i.property),
  }),
  addAccount: route({
    method: 'POST',
    summary: '{ enterpriseId, account: email | { email, lockedOut?, propertyIds? } } -> { email }',
    input: z.strictObject({ enterpriseId: id, account: accountSpecSchema }),
    run: (c, i) => ({ email: c.addAccount(i.enterpriseId, i.account) }),
  }),
  removeAccount: route({
    method: 'POST',
    summary: '{ email } -> { removed }',
    input: z.strictObject({ email: id }),
    run: (c, i) => ({ removed: c.removeAccount(i.email) }),
  }),
  setAccountLocked: route({
    method: 'POST',
    summary: '{ email, lockedOut }',
    input: z.strictObject({ email: id, lockedOut: z.boolean() }),
    run: (c, i) => c.setAccountLocked(i.email, i.lockedOut),
  }),
  addEnterprise: route({
    method: 'POST',
    summary: '{ id?, name?, accounts, properties } -> the ids and tokens created',
    input: enterpriseSpecSchema,
    run: (c, i) => c.addEnterprise(i),
  }),
  addEnterprises: route({
    method: 'POST',
    summary: '{ enterprises: [...] } -> the ids and tokens created',
    input: z.strictObject({ enterprises: z.array(enterpriseSpecSchema) }),
    run: (c, i) => c.addEnterprises(i.enterprises),
  }),
  addFault: route({
    method: 'POST',
    summary:
      '{ operation, latencyMs?, http429?, httpStatus?, nonJson?, mewsErrorCode?, jsonBody?, hang?, times?, email?, connectionToken? } -> { id }',
    input: faultSpecSchema,
    run: (c, i) => ({ id: c.addFault(i) }),
  }),
  removeFault: route({
    method: 'POST',
    summary: '{ id } -> { removed }',
    input: z.strictObject({ id }),
    run: (c, i) => ({ removed: c.removeFault(i.id) }),
  }),
  clearFaults: route({
    method: 'POST',
    summary: '{ operation? }',
    input: z.strictObject({ operation: z.enum(OPERATIONS).optional() }),
    run: (c, i) => c.clearFaults(i.operation),
  }),
  clearCalls: route({
    method: 'POST',
    summary: 'zero the counters and the log',
    input: none,
    run: (c) => c.clearCalls(),
  }),
  reset: route({ method: 'POST', summary: 'back to the seed', input: none, run: (c) => c.reset() }),
  setConnectionEnabled: route({
    method: 'POST',
    summary: '{ token, enabled }: a disabled connection answers getConfiguration with code 3',
    input: z.strictObject({ token: id, enabled: z.boolean() }),
    run: (c, i) => c.setConnectionEnabled(i.token, i.enabled),
  }),
  setWebhookTarget: route({
    method: 'POST',
    summary: '{ url, integrationSecret? }: where change notifications and integration webhooks go',
    input: webhookTargetSchema,
    run: (c, i) => c.setWebhookTarget(i),
  }),
  notify: route({
    method: 'POST',
    summary: `{ connectionToken, type: 0-4 | ${NOTIFICATION_TYPES.join('|')}, clientToken?, path? } -> the answer`,
    input: z.strictObject({
      connectionToken: id,
      type: z.union([z.number().int(), z.enum(NOTIFICATION_TYPES)]),
      clientToken: z.string().optional(),
      path: z.string().optional(),
    }),
    run: (c, { connectionToken, type, ...options }) => c.notify(connectionToken, type, options),
  }),
  sendIntegrationWebhook: route({
    method: 'POST',
    summary: '{ action, integrationId | data, secret? } -> the answer',
    input: z
      .strictObject({
        action: id,
        integrationId: id.optional(),
        data: z.record(z.string(), z.unknown()).optional(),
        secret: z.string().optional(),
      })
      .refine((i) => (i.integrationId === undefined) !== (i.data === undefined), {
        message: 'give integrationId or data',
      }),
    run: (c, i) =>
      c.sendIntegrationWebhook(
        i.action,
        i.data ?? i.integrationId ?? '',
        i.secret === undefined ? {} : { secret: i.secret },
      ),
  }),
  webhooks: route({
    method: 'GET',
    summary: 'change notifications and webhooks sent (no tokens)',
    input: none,
    run: (c) => c.sentWebhooks(),
  }),
  addIntegration: route({
    method: 'POST',
    summary:
      '{ enterpriseId, name?, accessToken?, enabled?, service?, requestor? } -> { integrationId, accessToken }',
    input: integrationSpecSchema,
    run: (c, i) => c.addIntegration(i),
  }),
  setIntegrationStatus: route({
    method: 'POST',
    summary: `{ integrationId, status: ${INTEGRATION_STATUSES.join('|')} } (sends nothing)`,
    input: z.strictObject({ integrationId: id, status: z.enum(INTEGRATION_STATUSES) }),
    run: (c, i) => c.setIntegrationStatus(i.integrationId, i.status),
  }),
  rotateIntegrationAccessToken: route({
    method: 'POST',
    summary: '{ integrationId } -> { accessToken }',
    input: z.strictObject({ integrationId: id }),
    run: (c, i) => ({ accessToken: c.rotateIntegrationAccessToken(i.integrationId) }),
  }),
  integrations: route({
    method: 'GET',
    summary: 'Connector API integrations, and configuration/get requests',
    input: none,
    run: (c) => ({ integrations: c.integrations(), requests: c.connectorRequests() }),
  }),
};

export function createAdminHandler(control: SimulatorControl): AdminHandler {
  return async (req, res, url) => {
    const name = url.pathname.replace(/^\/_admin\/?/, '');
    if (name === '') {
      const index = Object.entries(ADMIN_ROUTES).map(([n, r]) => ({
        method: r.method,
        path: `/_admin/${n}`,
        summary: r.summary,
      }));
      sendJson(res, 200, { routes: index });
      return;
    }
    const adminRoute = Object.hasOwn(ADMIN_ROUTES, name) ? ADMIN_ROUTES[name] : undefined;
    if (!adminRoute) {
      sendJson(res, 404, { error: `no admin route ${url.pathname}; GET /_admin lists them` });
      return;
    }
    if (req.method !== adminRoute.method && !(adminRoute.method === 'GET' && req.method === 'POST')) {
      sendJson(res, 405, { error: `use ${adminRoute.method}` }, { allow: adminRoute.method });
      return;
    }
    try {
      const input = req.method === 'GET' ? Object.fromEntries(url.searchParams) : await jsonBody(req);
      const result = await adminRoute.run(control, parseInput(adminRoute.input, input, `${name} input`));
      sendJson(res, 200, result ?? { ok: true });
    } catch (error) {
      if (error instanceof SimulatorInputError) sendJson(res, 400, { error: error.message });
      else if (error instanceof BodyTooLargeError) sendJson(res, 413, { error: error.message });
      else throw error;
    }
  };
}

async function jsonBody(req: Parameters<AdminHandler>[0]): Promise<unknown> {
  const raw = await readBody(req, MAX_ADMIN_BODY_BYTES);
  if (raw.trim() === '') return {};
  const parsed = parseJson(raw);
  if (!parsed.ok || !isRecord(parsed.value)) throw new SimulatorInputError('the body must be a JSON object');
  return parsed.value;
}
