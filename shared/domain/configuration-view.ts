import { createHash } from 'node:crypto';
import type { Configuration } from '../mews/configuration.schema.js';
import type { ConfigurationSummary } from './model.js';

/**
 * The mapping-relevant view of a configuration: what a channel manager maps on. Lists are
 * sorted by code and free text is trimmed, so reordering, descriptions, images and
 * whitespace noise do not change the digest.
 */
export interface MappingView {
  spaceCategories: {
    code: string;
    name: string;
    isSynchronized: boolean;
    classification: number | null;
    bedCount: number | null;
    extraBedCount: number | null;
    spaceCount: number | null;
  }[];
  ratePlans: {
    code: string;
    name: string;
    currencyCode: string | null;
    isSynchronized: boolean;
    rateType: number | null;
  }[];
  inventoryMappings: { ratePlanCode: string; spaceTypeCode: string }[];
  products: { code: string; name: string; pricing: string | null }[];
  productMappings: { ratePlanCode: string; productCode: string }[];
  ageCategories: { code: string; name: string; minimumAge: number | null; maximumAge: number | null }[];
}

const clean = (s: string | null | undefined) => (s ?? '').trim().replace(/\s+/g, ' ');
const byCode = <T extends { code: string }>(a: T, b: T) => compare(a.code, b.code);
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const uniquePairs = <T>(items: T[], key: (t: T) => string) => {
  const seen = new Map<string, T>();
  for (const item of items) seen.set(key(item), item);
  return [...seen.entries()].sort(([a], [b]) => compare(a, b)).map(([, v]) => v);
};

export function mappingView(config: Configuration): MappingView {
  return {
    spaceCategories: config.spaceCategories
      .map((c) => ({
        code: c.code,
        name: clean(c.name),
        isSynchronized: c.isSynchronized ?? false,
        classification: c.classification ?? null,
        bedCount: c.bedCount ?? null,
        extraBedCount: c.extraBedCount ?? null,
        spaceCount: c.spaceCount ?? null,
      }))
      .sort(byCode),
    ratePlans: config.ratePlans
      .map((r) => ({
        code: r.code,
        name: clean(r.name),
        currencyCode: r.currencyCode ?? null,
        isSynchronized: r.isSynchronized ?? false,
        rateType: r.rateType ?? null,
      }))
      .sort(byCode),
    inventoryMappings: uniquePairs(
      config.inventoryMappings.map((m) => ({ ratePlanCode: m.ratePlanCode, spaceTypeCode: m.spaceTypeCode })),
      (m) => `${m.ratePlanCode}\u0000${m.spaceTypeCode}`,
    ),
    products: config.products
      .map((p) => ({
        code: p.code,
        name: clean(p.name),
        pricing: p.pricing == null ? null : String(p.pricing),
      }))
      .sort(byCode),
    productMappings: uniquePairs(
      config.productMappings.map((m) => ({ ratePlanCode: m.ratePlanCode, productCode: m.productCode })),
      (m) => `${m.ratePlanCode}\u0000${m.productCode}`,
    ),
    ageCategories: config.ageCategories
      .map((a) => ({
        code: a.code,
        name: clean(a.name),
        minimumAge: a.minimumAge ?? null,
        maximumAge: a.maximumAge ?? null,
      }))
      .sort(byCode),
  };
}

/** SHA-256 of the view's canonical JSON (the view's key order is fixed by construction). */
export function digestOf(view: MappingView): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(view)).digest('hex')}`;
}

export function summarize(config: Configuration): ConfigurationSummary {
  return {
    spaceCategories: config.spaceCategories.length,
    synchronizedSpaceCategories: config.spaceCategories.filter((c) => c.isSynchronized).length,
    ratePlans: config.ratePlans.length,
    synchronizedRatePlans: config.ratePlans.filter((r) => r.isSynchronized).length,
    inventoryMappings: config.inventoryMappings.length,
    products: config.products.length,
    ageCategories: config.ageCategories.length,
    companies: config.companies.length,
    travelAgencies: config.travelAgencies.length,
  };
}
