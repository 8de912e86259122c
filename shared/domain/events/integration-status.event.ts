import * as z from 'zod';
import { eventIdFor } from '../identity.js';
import type { Integration, OutboxEvent } from '../model.js';
import { capText, eventBase, type MewsEnvironment, SCHEMA_VERSION } from './event-parts.js';
import { integrationRef, integrationRefSchema, namedRef, namedRefSchema } from './integration-parts.js';

/** State changes of a known integration, one per Mews integration webhook action. */
export const INTEGRATION_ENABLED = 'Integration Enabled';
export const INTEGRATION_DISABLED = 'Integration Disabled';
export const INTEGRATION_CANCELED = 'Integration Canceled';
export const INTEGRATION_REINSTATED = 'Integration Reinstated';
export const INTEGRATION_DELETED = 'Integration Deleted';

export type IntegrationStatusEventType =
  | typeof INTEGRATION_ENABLED
  | typeof INTEGRATION_DISABLED
  | typeof INTEGRATION_CANCELED
  | typeof INTEGRATION_REINSTATED
  | typeof INTEGRATION_DELETED;

const statusBase = {
  ...eventBase,
  integration: integrationRefSchema,
  enterprise: namedRefSchema,
  /** The integration's state after the change. */
  enabled: z.boolean(),
  canceled: z.boolean(),
};

export const integrationEnabledSchema = z.object(statusBase);
export const integrationDisabledSchema = z.object(statusBase);
export const integrationCanceledSchema = z.object(statusBase);
export const integrationReinstatedSchema = z.object(statusBase);
export const integrationDeletedSchema = z.object({
  ...statusBase,
  /** Mews' DeletedUtc (when the webhook had none: when it arrived). */
  deletedUtc: z.string(),
  /** The access token's secret is deleted after this many days. */
  secretRecoveryDays: z.number().int(),
});

const schemas = {
  [INTEGRATION_ENABLED]: integrationEnabledSchema,
  [INTEGRATION_DISABLED]: integrationDisabledSchema,
  [INTEGRATION_CANCELED]: integrationCanceledSchema,
  [INTEGRATION_REINSTATED]: integrationReinstatedSchema,
  [INTEGRATION_DELETED]: integrationDeletedSchema,
};

/**
 * `integration` is the state after the change; its version (bumped by every applied change) keys
 * the id, so a webhook delivered twice yields the same id (and the second one changes nothing).
 */
export function integrationStatusEvent(input: {
  type: IntegrationStatusEventType;
  integration: Integration;
  environment: MewsEnvironment;
  at: string;
  deleted?: { deletedUtc: string; secretRecoveryDays: number };
}): OutboxEvent {
  const { type, integration } = input;
  const detail = {
    schemaVersion: SCHEMA_VERSION,
    eventId: eventIdFor(type, integration.id, integration.version),
    occurredAt: input.at,
    environment: input.environment,
    integration: integrationRef(integration),
    enterprise: namedRef(integration.enterprise),
    enabled: integration.enabled,
    canceled: integration.canceled,
    ...(type === INTEGRATION_DELETED && input.deleted
      ? {
          deletedUtc: capText(input.deleted.deletedUtc),
          secretRecoveryDays: input.deleted.secretRecoveryDays,
        }
      : {}),
  };
  return {
    eventId: detail.eventId,
    detailType: type,
    subject: integration.id,
    time: input.at,
    detail: schemas[type].parse(detail),
  };
}
