import { describe, expect, it } from 'vitest';
import { digestOf, mappingView, summarize } from '../../../shared/domain/configuration-view.js';
import {
  type Configuration,
  getConfigurationResponseSchema,
} from '../../../shared/mews/configuration.schema.js';

const base = (): Configuration =>
  getConfigurationResponseSchema.parse({
    success: true,
    property: { name: 'Hotel', email: null },
    spaceCategories: [
      { code: 'DBL', name: 'Double', isSynchronized: true, spaceCount: 3, description: 'Nice', images: [] },
      { code: 'SGL', name: 'Single', isSynchronized: false, spaceCount: 2 },
    ],
    ratePlans: [
      { code: 'FF', name: 'Flexible', currencyCode: 'EUR', isSynchronized: true, rateType: 1 },
      { code: 'NR', name: 'Non refundable', currencyCode: 'EUR', isSynchronized: true, rateType: 1 },
    ],
    inventoryMappings: [
      { ratePlanCode: 'FF', spaceTypeCode: 'DBL' },
      { ratePlanCode: 'NR', spaceTypeCode: 'XX' },
    ],
    products: [{ code: 'BRK', name: 'Breakfast', pricing: 3 }],
    ageCategories: [{ code: '10', name: 'Adult', minimumAge: null, maximumAge: null }],
    companies: [{ name: 'Corp' }],
  });

const digest = (c: Configuration) => digestOf(mappingView(c));

describe('configuration digest', () => {
  it('ignores ordering, descriptions, images and whitespace', () => {
    const noisy = base();
    noisy.spaceCategories.reverse();
    noisy.ratePlans.reverse();
    noisy.inventoryMappings.reverse();
    const [first] = noisy.spaceCategories;
    if (first) {
      first.description = 'Changed marketing text';
      first.images = [{ type: 2, url: 'https://cdn.example/x.jpg' }];
      first.name = `  ${first.name}  `;
    }
    noisy.companies.push({ name: 'Another corp' } as Configuration['companies'][number]);
    expect(digest(noisy)).toBe(digest(base()));
  });

  it.each([
    [
      'a space category is added',
      (c: Configuration) => c.spaceCategories.push({ code: 'TRP', name: 'Triple' }),
    ],
    ['a rate plan is renamed', (c: Configuration) => Object.assign(c.ratePlans[0] ?? {}, { name: 'Flex' })],
    ['a mapping is removed', (c: Configuration) => c.inventoryMappings.pop()],
    [
      'a category stops being synchronized',
      (c: Configuration) => Object.assign(c.spaceCategories[0] ?? {}, { isSynchronized: false }),
    ],
    [
      'an age category changes',
      (c: Configuration) => Object.assign(c.ageCategories[0] ?? {}, { minimumAge: 18 }),
    ],
  ])('changes when %s', (_what, change) => {
    const changed = base();
    change(changed);
    expect(digest(changed)).not.toBe(digest(base()));
  });

  it('summarizes counts', () => {
    expect(summarize(base())).toEqual({
      spaceCategories: 2,
      synchronizedSpaceCategories: 1,
      ratePlans: 2,
      synchronizedRatePlans: 2,
      inventoryMappings: 2,
      products: 1,
      ageCategories: 1,
      companies: 1,
      travelAgencies: 0,
    });
  });
});
