import {
  INTEGRATION_CANCELED,
  INTEGRATION_DELETED,
  INTEGRATION_DISABLED,
  INTEGRATION_ENABLED,
  INTEGRATION_REINSTATED,
  integrationCanceledSchema,
  integrationDeletedSchema,
  integrationDisabledSchema,
  integrationEnabledSchema,
  integrationReinstatedSchema,
} from '../../../packages/events/src/integration-events.js';
import { eventIdFor } from '../identity.js';
import type { Integration, OutboxEvent } from '../model.js';
import { capText, type MewsEnvironment, SCHEMA_VERSION } from './event-parts.js';
import { integrationRef, namedRef } from './integration-parts.js';

/** State changes of a known integration, one per Mews integration webhook action. */
export {
  INTEGRATION_CANCELED,
  INTEGRATION_DELETED,
  INTEGRATION_DISABLED,
  INTEGRATION_ENABLED,
  INTEGRATION_REINSTATED,
};

export type IntegrationStatusEventType =
  | typeof INTEGRATION_ENABLED
  | typeof INTEGRATION_DISABLED
  | typeof INTEGRATION_CANCELED
  | typeof INTEGRATION_REINSTATED
  | typeof INTEGRATION_DELETED;

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
