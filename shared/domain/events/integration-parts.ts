import * as z from 'zod';
import type { Integration } from '../model.js';

/** What every integration event says about the integration. Never its access token. */
export const integrationRefSchema = z.object({
  /** `int_` + 24 hex digits, derived from Mews' integration id. */
  id: z.string().regex(/^int_[0-9a-f]{24}$/),
  /** Mews' own integration id. */
  mewsId: z.string(),
  name: z.string(),
  /** Secrets Manager ARN (or local vault reference) of the access token. Never the token. */
  secretRef: z.string(),
});

export const namedRefSchema = z.object({ id: z.string(), name: z.string() });

export const enterpriseConfigurationSchema = z.object({
  id: z.string(),
  name: z.string(),
  chainId: z.string().nullable(),
  timeZoneIdentifier: z.string().nullable(),
  defaultLanguageCode: z.string().nullable(),
  legalEnvironmentCode: z.string().nullable(),
  pricing: z.string().nullable(),
  countryCode: z.string().nullable(),
  currencies: z.array(z.object({ currency: z.string(), isDefault: z.boolean(), isEnabled: z.boolean() })),
});

export function integrationRef(integration: Integration): z.infer<typeof integrationRefSchema> {
  return {
    id: integration.id,
    mewsId: integration.mewsId,
    name: integration.name,
    secretRef: integration.secretRef,
  };
}
