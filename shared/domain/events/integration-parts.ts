import type * as z from 'zod';
import type {
  enterpriseConfigurationSchema,
  integrationRefSchema,
  namedRefSchema,
} from '../../../packages/events/src/event-parts.js';
import type { EnterpriseConfiguration, Integration } from '../model.js';
import { capText, MAX_CODE_LENGTH, secretLocation } from './event-parts.js';

export function integrationRef(integration: Integration): z.infer<typeof integrationRefSchema> {
  return {
    id: integration.id,
    mewsId: capText(integration.mewsId),
    name: capText(integration.name),
    ...secretLocation(integration.secretRef),
  };
}

/** An id and name as Mews sent them, capped (see MAX_TEXT_LENGTH). */
export function namedRef(ref: { id: string; name: string }): z.infer<typeof namedRefSchema> {
  return { id: capText(ref.id), name: capText(ref.name) };
}

/**
 * More currencies than ISO 4217 has (about 180) is not a real enterprise; the cap keeps an
 * `Integration Provisioned` bounded whatever `configuration/get` answers.
 */
const MAX_CURRENCIES = 200;

/**
 * The enterprise configuration as events carry it: text capped, codes capped at MAX_CODE_LENGTH,
 * at most MAX_CURRENCIES currencies: under 80 KB of JSON whatever Mews sends.
 */
export function enterpriseConfigurationForEvent(
  configuration: EnterpriseConfiguration | null,
): z.infer<typeof enterpriseConfigurationSchema> | null {
  if (configuration === null) return null;
  return {
    id: capText(configuration.id),
    name: capText(configuration.name),
    chainId: capText(configuration.chainId),
    timeZoneIdentifier: capText(configuration.timeZoneIdentifier),
    defaultLanguageCode: capText(configuration.defaultLanguageCode, MAX_CODE_LENGTH),
    legalEnvironmentCode: capText(configuration.legalEnvironmentCode, MAX_CODE_LENGTH),
    pricing: capText(configuration.pricing, MAX_CODE_LENGTH),
    countryCode: capText(configuration.countryCode, MAX_CODE_LENGTH),
    currencies: configuration.currencies.slice(0, MAX_CURRENCIES).map((c) => ({
      currency: capText(c.currency, MAX_CODE_LENGTH),
      isDefault: c.isDefault,
      isEnabled: c.isEnabled,
    })),
  };
}
