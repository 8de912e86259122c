import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getConfigurationResponseSchema } from '../../../shared/mews/configuration.schema.js';
import { type MewsSimulator, startMewsSimulator } from '../../../shared/simulator/index.js';
import { CENTRAL_DORMS, mewsJson } from './simulator-http.js';

let sim: MewsSimulator;
beforeAll(async () => {
  sim = await startMewsSimulator();
});
afterAll(() => sim.close());

const fetchWith = async (extent?: unknown) => {
  const body = (await mewsJson(sim, 'getConfiguration', {
    clientToken: sim.clientToken,
    connectionToken: CENTRAL_DORMS,
    ...(extent === undefined ? {} : { extent }),
  })) as Record<string, unknown>;
  return { raw: body, parsed: getConfigurationResponseSchema.parse(body) };
};

describe('getConfiguration extent', () => {
  it('without an extent: synchronized categories and rates only, no products, partners or age categories', async () => {
    const { raw, parsed } = await fetchWith();
    expect(parsed.spaceCategories.map((c) => c.code)).toEqual(['DORM8', 'DORM4F', 'PRIV2']);
    expect(parsed.ratePlans.map((r) => r.code)).toEqual(['FLEX', 'NREF', 'HOST']);
    for (const key of ['products', 'productMappings', 'companies', 'travelAgencies', 'ageCategories']) {
      expect(raw).not.toHaveProperty(key);
    }
    // Mappings are served as held, codes nobody lists included.
    expect(parsed.inventoryMappings).toHaveLength(9);
  });

  it('null or false flags mean the same as leaving them out', async () => {
    const nulls = await fetchWith(null);
    const falses = await fetchWith({ includeUnsynchronizedRates: false, includeProducts: null });
    const none = await fetchWith();
    expect(nulls.raw).toEqual(none.raw);
    expect(falses.raw).toEqual(none.raw);
  });

  it('includeUnsynchronizedCategories and includeUnsynchronizedRates add the unsynchronized ones', async () => {
    const categories = await fetchWith({ includeUnsynchronizedCategories: true });
    expect(categories.parsed.spaceCategories.map((c) => c.code)).toContain('FAM4');
    expect(categories.parsed.ratePlans.map((r) => r.code)).not.toContain('GRP');
    const rates = await fetchWith({ includeUnsynchronizedRates: true });
    expect(rates.parsed.ratePlans.map((r) => r.code)).toContain('GRP');
    expect(rates.parsed.spaceCategories.map((c) => c.code)).not.toContain('FAM4');
  });

  it('includeProducts, includeCompanies and includeAgeCategories add their sections only', async () => {
    const products = await fetchWith({ includeProducts: true });
    expect(products.parsed.products.map((p) => p.code)).toEqual(['BRK', 'TWL']);
    expect(products.parsed.productMappings).toHaveLength(3);
    expect(products.raw).not.toHaveProperty('companies');

    const companies = await fetchWith({ includeCompanies: true });
    expect(companies.parsed.companies).toHaveLength(2);
    expect(companies.parsed.travelAgencies).toHaveLength(2);
    expect(companies.raw).not.toHaveProperty('products');
    expect(companies.raw).not.toHaveProperty('ageCategories');

    const ages = await fetchWith({ includeAgeCategories: true });
    expect(ages.parsed.ageCategories.map((a) => a.code)).toEqual(['A', 'C']);
    expect(ages.raw).not.toHaveProperty('travelAgencies');
  });

  it('ignores extent flags it does not know', async () => {
    const { parsed } = await fetchWith({ includeSomethingNew: true });
    expect(parsed.spaceCategories).toHaveLength(3);
  });
});
