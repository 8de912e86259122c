import * as z from 'zod/mini';
import { enterpriseConfigurationSchema, eventBase, integrationRefSchema, namedRefSchema, previousTokenSchema, } from './event-parts.js';
export const INTEGRATION_PROVISIONED = 'Integration Provisioned';
export const INTEGRATION_ENABLED = 'Integration Enabled';
export const INTEGRATION_DISABLED = 'Integration Disabled';
export const INTEGRATION_CANCELED = 'Integration Canceled';
export const INTEGRATION_REINSTATED = 'Integration Reinstated';
export const INTEGRATION_DELETED = 'Integration Deleted';
export const INTEGRATION_TOKEN_MOVED = 'Integration Token Moved';
export const integrationProvisionedSchema = z.object({
    ...eventBase,
    integration: integrationRefSchema,
    /** The enterprise as the IntegrationCreated webhook names it. */
    enterprise: namedRefSchema,
    /** The service the integration is scoped to, when Mews names one. */
    service: z.nullable(namedRefSchema),
    /** Who requested the integration, when Mews says; the email masked (personal data). */
    requestor: z.nullable(z.object({ name: z.nullable(z.string()), maskedEmail: z.nullable(z.string()) })),
    enabled: z.boolean(),
    /** Mews' CreatedUtc of the integration. */
    createdUtc: z.string(),
    /** From the Connector API `configuration/get`; null when Mews refused it (e.g. created disabled). */
    enterpriseConfiguration: z.nullable(enterpriseConfigurationSchema),
});
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
    /** The access token is deleted after this many days. */
    secretRecoveryDays: z.number().check(z.int()),
});
export const integrationTokenMovedSchema = z.object({
    ...statusBase,
    /** Whether Mews deleted the integration (`Integration Deleted`); the move changes none of these. */
    deleted: z.boolean(),
    previous: previousTokenSchema,
});
