import { integrationProvisioned } from '../domain/events/integration-provisioned.event.js';
import {
  INTEGRATION_CANCELED,
  INTEGRATION_DELETED,
  INTEGRATION_DISABLED,
  INTEGRATION_ENABLED,
  INTEGRATION_REINSTATED,
  type IntegrationStatusEventType,
  integrationStatusEvent,
} from '../domain/events/integration-status.event.js';
import { integrationIdFromMewsId } from '../domain/identity.js';
import type { EnterpriseConfiguration, Integration, IntegrationId } from '../domain/model.js';
import * as z from '../lib/zod-mini.js';
import type { ConnectorApi } from '../ports/connector-api.js';
import type { IntegrationStore, IntegrationUpdate } from '../ports/integration-store.js';
import { MewsRefusal } from '../ports/mews-failure.js';
import type { IntegrationTokenVault } from '../ports/token-vault.js';
import { DEFAULT_POLICY, type UseCaseDeps } from './use-case-deps.js';

/** The actions of Mews' Connector API integration webhooks this service acts on. */
const INTEGRATION_ACTIONS = [
  'IntegrationCreated',
  'IntegrationEnabled',
  'IntegrationDisabled',
  'IntegrationCanceled',
  'IntegrationReinstated',
  'IntegrationDeleted',
  'IntegrationApiKeyCreated',
] as const;
type IntegrationAction = (typeof INTEGRATION_ACTIONS)[number];

export type IntegrationWebhookDeps = Pick<UseCaseDeps, 'clock' | 'logger' | 'environment' | 'policy'> & {
  integrations: IntegrationStore;
  vault: IntegrationTokenVault;
  connector: ConnectorApi;
};

export type IntegrationWebhookOutcome =
  /** The body is not a webhook this service understands: HTTP 400. */
  | { status: 'rejected'; message: string }
  /** A change of an integration whose IntegrationCreated has not arrived (yet): HTTP 409, Mews re-sends. */
  | { status: 'unknown-integration'; integrationId: IntegrationId; action: IntegrationAction }
  /** An action this service does not act on (Mews adds actions): acknowledged. */
  | { status: 'ignored'; action: string }
  | { status: 'provisioned' | 'already-provisioned'; integrationId: IntegrationId }
  | { status: 'changed'; integrationId: IntegrationId; event: IntegrationStatusEventType }
  | { status: 'unchanged'; integrationId: IntegrationId; action: IntegrationAction }
  | { status: 'token-rotated'; integrationId: IntegrationId };

// Mews adds fields over time: unknown ones are accepted (and dropped).
const ref = z.object({
  Id: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  Name: z.string().check(z.maxLength(1000)),
});
/** A string of 1 to `max` characters. */
const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
const envelopeSchema = z.object({
  Action: text(100),
  Data: z.record(z.string(), z.unknown()),
});
const dataSchemas = {
  IntegrationCreated: z.object({
    Enterprise: ref,
    Service: z.nullish(ref),
    Requestor: z.nullish(z.object({ Name: z.nullish(z.string()), Email: z.nullish(z.string()) })),
    AccessToken: text(4096),
    CreatedUtc: text(100),
    IsEnabled: z.boolean(),
    Integration: ref,
  }),
  IntegrationEnabled: z.object({ Integration: ref }),
  IntegrationDisabled: z.object({ Integration: ref }),
  IntegrationCanceled: z.object({ Integration: ref }),
  IntegrationReinstated: z.object({ Integration: ref }),
  IntegrationDeleted: z.object({ Integration: ref, DeletedUtc: z.nullish(text(100)) }),
  IntegrationApiKeyCreated: z.object({ Integration: ref, ApiKey: text(4096) }),
} satisfies Record<IntegrationAction, z.ZodMiniType>;

type CreatedData = z.infer<typeof dataSchemas.IntegrationCreated>;

/** Concurrent webhooks about one integration: re-read and re-apply this many times. */
const UPDATE_ATTEMPTS = 3;

/**
 * Mews' Connector API integration webhook (`{ Action, Data }`; the URL secret is checked before).
 *
 * - IntegrationCreated: the access token goes to the vault (and nowhere else), `configuration/get`
 *   names the enterprise's settings, and the integration is recorded with `Integration Provisioned`
 *   in one transaction. A duplicate delivery finds it recorded and changes nothing. A transient
 *   Connector API failure throws: the caller answers non-2xx and Mews re-sends later (the token is
 *   already stored; storing it again is idempotent). A permanent refusal (e.g. created disabled)
 *   still records it, with `enterpriseConfiguration: null`.
 * - Enabled / Disabled / Canceled / Reinstated / Deleted: the state changes (conditional on the
 *   version it was read at) with its event; a repeat finds the state already there and changes
 *   nothing, so a webhook delivered twice yields one event. Deleted is final, and schedules the
 *   access token's deletion (restorable within the recovery window).
 * - IntegrationApiKeyCreated: the regenerated key replaces the stored one.
 * - About an integration not recorded yet: refused (409), so Mews re-sends it after the
 *   IntegrationCreated that may still be on its way.
 */
export async function handleIntegrationWebhook(
  body: unknown,
  deps: IntegrationWebhookDeps,
): Promise<IntegrationWebhookOutcome> {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return { status: 'rejected', message: describe(envelope.error, '') };
  const { Action: action, Data: data } = envelope.data;
  if (!isKnownAction(action)) {
    deps.logger.warn('integration webhook with an action this service does not handle: acknowledged', {
      action: action.slice(0, 100),
    });
    return { status: 'ignored', action };
  }
  const parsed = dataSchemas[action].safeParse(data);
  if (!parsed.success) return { status: 'rejected', message: describe(parsed.error, 'Data.') };
  const integrationId = integrationIdFromMewsId(
    (parsed.data as { Integration: { Id: string } }).Integration.Id,
  );

  if (action === 'IntegrationCreated') return created(integrationId, parsed.data as CreatedData, deps);

  for (let attempt = 1; ; attempt++) {
    const integration = await deps.integrations.getIntegration(integrationId);
    if (!integration) {
      deps.logger.warn('integration webhook about an integration not recorded yet: refused for a re-send', {
        integrationId,
        action,
      });
      return { status: 'unknown-integration', integrationId, action };
    }
    if (integration.deletedAt !== null) return { status: 'unchanged', integrationId, action };
    if (action === 'IntegrationApiKeyCreated') {
      const { ApiKey } = parsed.data as z.infer<typeof dataSchemas.IntegrationApiKeyCreated>;
      await deps.vault.putIntegrationToken(integrationId, ApiKey);
      deps.logger.info('integration access token regenerated: the stored one is replaced', { integrationId });
      return { status: 'token-rotated', integrationId };
    }
    const deletedUtc =
      action === 'IntegrationDeleted'
        ? ((parsed.data as z.infer<typeof dataSchemas.IntegrationDeleted>).DeletedUtc ?? null)
        : null;
    const outcome = await applyChange(integration, action, deletedUtc, deps);
    if (outcome !== 'stale') return outcome;
    if (attempt >= UPDATE_ATTEMPTS) {
      throw new Error(
        `integration ${integrationId} kept changing under ${action}; Mews re-sends the webhook`,
      );
    }
  }
}

async function created(
  integrationId: IntegrationId,
  data: CreatedData,
  deps: IntegrationWebhookDeps,
): Promise<IntegrationWebhookOutcome> {
  if (await deps.integrations.getIntegration(integrationId)) {
    return { status: 'already-provisioned', integrationId };
  }
  const { ref } = await deps.vault.putIntegrationToken(integrationId, data.AccessToken);
  let enterpriseConfiguration: EnterpriseConfiguration | null = null;
  try {
    enterpriseConfiguration = await deps.connector.getConfiguration(data.AccessToken);
  } catch (error) {
    if (!(error instanceof MewsRefusal)) throw error;
    deps.logger.warn('Mews refused configuration/get for a new integration: recorded without it', {
      integrationId,
      error: error.toJSON(),
    });
  }
  if (enterpriseConfiguration && enterpriseConfiguration.id !== data.Enterprise.Id) {
    deps.logger.warn('configuration/get names another enterprise than the webhook', { integrationId });
  }

  const at = deps.clock.now().toISOString();
  const integration: Integration = {
    id: integrationId,
    mewsId: data.Integration.Id,
    name: data.Integration.Name,
    enterprise: { id: data.Enterprise.Id, name: data.Enterprise.Name },
    service: data.Service ? { id: data.Service.Id, name: data.Service.Name } : null,
    enabled: data.IsEnabled,
    canceled: false,
    deletedAt: null,
    version: 0,
    createdUtc: data.CreatedUtc,
    recordedAt: at,
    changedAt: null,
    secretRef: ref,
    enterpriseConfiguration,
  };
  const event = integrationProvisioned({
    integration,
    requestor: data.Requestor
      ? { name: data.Requestor.Name ?? null, email: data.Requestor.Email ?? null }
      : null,
    environment: deps.environment,
    at,
  });
  const result = await deps.integrations.recordIntegration(integration, [event]);
  if (result === 'exists') return { status: 'already-provisioned', integrationId };
  deps.logger.info('integration provisioned', {
    integrationId,
    enterpriseId: integration.enterprise.id,
    enabled: integration.enabled,
    configuration: enterpriseConfiguration !== null,
  });
  return { status: 'provisioned', integrationId };
}

const CHANGES: Record<
  Exclude<IntegrationAction, 'IntegrationCreated' | 'IntegrationApiKeyCreated'>,
  {
    event: IntegrationStatusEventType;
    applies: (i: Integration) => boolean;
    changes: IntegrationUpdate['changes'];
  }
> = {
  IntegrationEnabled: { event: INTEGRATION_ENABLED, applies: (i) => !i.enabled, changes: { enabled: true } },
  IntegrationDisabled: {
    event: INTEGRATION_DISABLED,
    applies: (i) => i.enabled,
    changes: { enabled: false },
  },
  IntegrationCanceled: {
    event: INTEGRATION_CANCELED,
    applies: (i) => !i.canceled,
    changes: { canceled: true },
  },
  IntegrationReinstated: {
    event: INTEGRATION_REINSTATED,
    applies: (i) => i.canceled,
    changes: { canceled: false },
  },
  IntegrationDeleted: { event: INTEGRATION_DELETED, applies: () => true, changes: {} },
};

async function applyChange(
  integration: Integration,
  action: Exclude<IntegrationAction, 'IntegrationCreated' | 'IntegrationApiKeyCreated'>,
  deletedUtc: string | null,
  deps: IntegrationWebhookDeps,
): Promise<IntegrationWebhookOutcome | 'stale'> {
  const rule = CHANGES[action];
  if (!rule.applies(integration)) return { status: 'unchanged', integrationId: integration.id, action };

  const at = deps.clock.now().toISOString();
  const recoveryDays = (deps.policy ?? DEFAULT_POLICY).secretRecoveryDays;
  const changes = action === 'IntegrationDeleted' ? { deletedAt: deletedUtc ?? at } : { ...rule.changes };
  const after: Integration = { ...integration, ...changes, version: integration.version + 1, changedAt: at };
  if (action === 'IntegrationDeleted') {
    // The secret first, as for a removed connection: a crash in between is finished by the re-send.
    await deps.vault.scheduleIntegrationTokenDeletion(integration.id, recoveryDays);
  }
  const event = integrationStatusEvent({
    type: rule.event,
    integration: after,
    environment: deps.environment,
    at,
    ...(action === 'IntegrationDeleted'
      ? { deleted: { deletedUtc: after.deletedAt ?? at, secretRecoveryDays: recoveryDays } }
      : {}),
  });
  const result = await deps.integrations.updateIntegration({
    id: integration.id,
    expectedVersion: integration.version,
    changes,
    at,
    events: [event],
  });
  if (result === 'stale') return 'stale';
  deps.logger.info('integration changed', { integrationId: integration.id, event: rule.event });
  return { status: 'changed', integrationId: integration.id, event: rule.event };
}

function isKnownAction(action: string): action is IntegrationAction {
  return (INTEGRATION_ACTIONS as readonly string[]).includes(action);
}

/** The first problem, by field path and zod's message (which names types, never values). */
function describe(error: z.core.$ZodError, prefix: string): string {
  const issue = error.issues[0];
  const path =
    issue && issue.path.length > 0 ? `${prefix}${issue.path.join('.')}` : prefix.replace(/\.$/, '') || 'body';
  return `Invalid ${path}: ${issue?.message ?? 'invalid value'}.`;
}
