import { type MappingView, mappingView } from '../../shared/domain/configuration-view.js';
import type { Connection, ConnectionId } from '../../shared/domain/model.js';
import { getConfigurationResponseSchema } from '../../shared/mews/configuration.schema.js';
import type { MewsConfiguration } from '../../shared/simulator/configuration-schema.js';
import { generateConfiguration } from '../../shared/simulator/large-property.js';

/**
 * The biggest `Connection Configuration Changed` we can think of: a property with 250 space
 * categories, rate plans, products and age categories (every rate on every category: 62,502
 * inventory mappings), where every name (long, localised, multi-byte UTF-8) and every
 * mapping-relevant field changed, and every mapping moved.
 */
export const WORST_CASE_SIZE = {
  spaceCategories: 250,
  ratePlans: 250,
  companies: 0,
  travelAgencies: 0,
  products: 250,
  ageCategories: 250,
} as const;

/** ~130 characters, ~140 UTF-8 bytes: the kind of name a hotel types into Mews. */
const LONG_NAME =
  '– Chambre supérieure avec vue sur la mer, petit-déjeuner inclus, annulation gratuite jusqu’à 48 h avant l’arrivée (saison 2027)';

const named = <T extends { name?: string | null }>(item: T, suffix: string) => ({
  ...item,
  name: `${item.name ?? ''} ${suffix}`,
});

function viewOf(config: MewsConfiguration): MappingView {
  return mappingView(getConfigurationResponseSchema.parse({ success: true, ...config }));
}

export function worstCaseViews(): { before: MappingView; after: MappingView } {
  const base = generateConfiguration('Grand Resort', WORST_CASE_SIZE);
  const before = {
    ...base,
    spaceCategories: base.spaceCategories.map((c) => named(c, LONG_NAME)),
    ratePlans: base.ratePlans.map((r) => named(r, LONG_NAME)),
    products: base.products.map((p) => named(p, LONG_NAME)),
    ageCategories: base.ageCategories.map((a) => named(a, LONG_NAME)),
  };
  const after: MewsConfiguration = {
    ...base,
    spaceCategories: base.spaceCategories.map((c) => ({
      ...named(c, `${LONG_NAME} — rénovée`),
      isSynchronized: !c.isSynchronized,
      classification: (c.classification ?? 0) + 1,
      bedCount: (c.bedCount ?? 0) + 1,
      extraBedCount: (c.extraBedCount ?? 0) + 1,
      spaceCount: (c.spaceCount ?? 0) + 1,
    })),
    ratePlans: base.ratePlans.map((r) => ({
      ...named(r, `${LONG_NAME} — nouveau tarif`),
      isSynchronized: !r.isSynchronized,
      currencyCode: 'CZK',
      rateType: (r.rateType ?? 0) + 1,
    })),
    products: base.products.map((p) => ({ ...named(p, `${LONG_NAME} — nouveau`), pricing: 9 })),
    ageCategories: base.ageCategories.map((a) => ({
      ...named(a, `${LONG_NAME} — nouvelle`),
      minimumAge: 3,
      maximumAge: 99,
    })),
    // Every rate moves to other categories and every product to another rate.
    inventoryMappings: base.inventoryMappings.map((m) => ({ ...m, spaceTypeCode: `${m.spaceTypeCode}-B` })),
    productMappings: base.productMappings.map((m) => ({ ...m, ratePlanCode: `${m.ratePlanCode}-B` })),
  };
  return { before: viewOf(before), after: viewOf(after) };
}

export const WORST_CASE_CONNECTION: Connection = {
  id: 'con_0123456789abcdef01234567' as ConnectionId,
  status: 'provisioned',
  propertyId: '3a9b2c1d-0000-4000-8000-000000000250',
  propertyName: 'Grand Resort & Spa Collection',
  name: 'Channel manager connection for every room type',
  discoveredBy: 'acc_0123456789abcdef',
  discoveredAt: '2026-11-01T10:00:00.000Z',
  provisionedAt: '2026-11-01T10:00:05.000Z',
  changedAt: null,
  version: 3,
  secretRef: 'mews-provisioner/prod/connections/con_0123456789abcdef01234567',
  configuration: null,
};
