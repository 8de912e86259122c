import type * as z from 'zod';
import {
  INTEGRATION_PROVISIONED,
  integrationProvisionedSchema,
} from '../../../packages/events/src/integration-events.js';
import { eventIdFor } from '../identity.js';
import { maskEmail } from '../mask-email.js';
import type { Integration, OutboxEvent } from '../model.js';
import { capText, type MewsEnvironment, SCHEMA_VERSION } from './event-parts.js';
import { enterpriseConfigurationForEvent, integrationRef, namedRef } from './integration-parts.js';

export { INTEGRATION_PROVISIONED };

type IntegrationProvisioned = z.infer<typeof integrationProvisionedSchema>;

/** Once per integration, ever: its id depends on the integration alone. */
export function integrationProvisioned(input: {
  integration: Integration;
  requestor: { name: string | null; email: string | null } | null;
  environment: MewsEnvironment;
  at: string;
}): OutboxEvent {
  const { integration, requestor } = input;
  const detail: IntegrationProvisioned = {
    schemaVersion: SCHEMA_VERSION,
    eventId: eventIdFor(INTEGRATION_PROVISIONED, integration.id),
    occurredAt: input.at,
    environment: input.environment,
    integration: integrationRef(integration),
    enterprise: namedRef(integration.enterprise),
    service: integration.service ? namedRef(integration.service) : null,
    requestor: requestor
      ? {
          name: capText(requestor.name),
          maskedEmail: requestor.email ? capText(maskEmail(requestor.email)) : null,
        }
      : null,
    enabled: integration.enabled,
    createdUtc: capText(integration.createdUtc),
    enterpriseConfiguration: enterpriseConfigurationForEvent(integration.enterpriseConfiguration),
  };
  return {
    eventId: detail.eventId,
    detailType: INTEGRATION_PROVISIONED,
    subject: integration.id,
    time: input.at,
    detail: integrationProvisionedSchema.parse(detail),
  };
}
