import * as z from 'zod';
import { eventIdFor } from '../identity.js';
import { maskEmail } from '../mask-email.js';
import type { Integration, OutboxEvent } from '../model.js';
import { capText, eventBase, type MewsEnvironment, SCHEMA_VERSION } from './event-parts.js';
import {
  enterpriseConfigurationForEvent,
  enterpriseConfigurationSchema,
  integrationRef,
  integrationRefSchema,
  namedRef,
  namedRefSchema,
} from './integration-parts.js';

export const INTEGRATION_PROVISIONED = 'Integration Provisioned';

export const integrationProvisionedSchema = z.object({
  ...eventBase,
  integration: integrationRefSchema,
  /** The enterprise as the IntegrationCreated webhook names it. */
  enterprise: namedRefSchema,
  /** The service the integration is scoped to, when Mews names one. */
  service: namedRefSchema.nullable(),
  /** Who requested the integration, when Mews says; the email masked (personal data). */
  requestor: z.object({ name: z.string().nullable(), maskedEmail: z.string().nullable() }).nullable(),
  enabled: z.boolean(),
  /** Mews' CreatedUtc of the integration. */
  createdUtc: z.string(),
  /** From the Connector API `configuration/get`; null when Mews refused it (e.g. created disabled). */
  enterpriseConfiguration: enterpriseConfigurationSchema.nullable(),
});

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
