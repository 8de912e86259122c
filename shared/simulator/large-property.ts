import type { MewsConfiguration, MewsPartner } from './configuration-schema.js';
import type { ConfigurationSize } from './simulator-specs.js';

/**
 * Configurations generated in code, deterministically: the seed's large property
 * (hundreds of companies and travel agencies, dozens of categories and rates, every
 * rate mapped to every category) and the default configuration of properties added
 * through the control API. Same input, same output, so tests can rely on it.
 */

/** The size of the seed's large property (preset `large`). */
export const LARGE_PROPERTY_SIZE: ConfigurationSize = {
  spaceCategories: 40,
  ratePlans: 60,
  companies: 300,
  travelAgencies: 300,
  products: 25,
  ageCategories: 4,
};

/** What a property added without a configuration gets (preset `small`). */
const SMALL_PROPERTY_SIZE: ConfigurationSize = {
  spaceCategories: 3,
  ratePlans: 2,
  companies: 1,
  travelAgencies: 1,
  products: 1,
  ageCategories: 2,
};

export const CONFIGURATION_PRESETS = { small: SMALL_PROPERTY_SIZE, large: LARGE_PROPERTY_SIZE } as const;

const pad = (n: number, width = 3) => String(n).padStart(width, '0');
const fakeGuid = (kind: number, n: number) => `00000000-0000-4000-8${pad(kind, 3)}-${pad(n, 12)}`;

const CATEGORY_KINDS = [
  { label: 'Single', classification: 1, bedType: 1, beds: 1 },
  { label: 'Double', classification: 2, bedType: 2, beds: 2 },
  { label: 'Twin', classification: 2, bedType: 3, beds: 2 },
  { label: 'Family', classification: 4, bedType: 2, beds: 4 },
  { label: 'Dorm bed', classification: 9, bedType: 5, beds: 1 },
] as const;

const RATE_KINDS = ['Flexible', 'Non refundable', 'Breakfast included', 'Long stay', 'Member'] as const;
const AGE_BANDS = [
  { name: 'Adult', minimumAge: null, maximumAge: null },
  { name: 'Child', minimumAge: 2, maximumAge: 12 },
  { name: 'Infant', minimumAge: 0, maximumAge: 1 },
  { name: 'Teen', minimumAge: 13, maximumAge: 17 },
] as const;
const PARTNER_CHANNELS = [
  { code: 1, name: 'Booking.com' },
  { code: 2, name: 'Expedia' },
  { code: 7, name: 'Agoda' },
  { code: 12, name: 'HRS' },
] as const;

function pick<T>(items: readonly T[], i: number): T {
  const item = items[i % items.length];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function partner(kind: 'company' | 'agency', i: number): MewsPartner {
  const n = i + 1;
  const label = kind === 'company' ? `Fake Corporation ${n}` : `Fake Travel Agency ${n}`;
  return {
    // Mews sends empty strings and nulls for unset partner fields; mix both.
    id: i % 4 === 0 ? '' : fakeGuid(kind === 'company' ? 1 : 2, n),
    iata: kind === 'agency' ? String(10_000_000 + n) : '',
    name: label,
    email: i % 3 === 0 ? null : `contact-${n}@${kind}.example`,
    contact: i % 5 === 0 ? null : `Contact person ${n}`,
    phone: i % 2 === 0 ? '' : `+420 555 ${pad(n, 6)}`,
    addresses: [
      {
        addressLine1: `${n} Sample Street`,
        addressLine2: '',
        city: 'Sample City',
        zip: pad(n, 5),
        region: null,
        country: i % 2 === 0 ? null : 'CZ',
        latitude: null,
        longitude: null,
      },
    ],
    channel: pick(PARTNER_CHANNELS, i),
  };
}

export function generateConfiguration(propertyName: string, size: ConfigurationSize): MewsConfiguration {
  const categoryCodes = Array.from({ length: size.spaceCategories }, (_, i) => `C${pad(i + 1)}`);
  const rateCodes = Array.from({ length: size.ratePlans }, (_, i) => `R${pad(i + 1)}`);
  const productCount = size.products ?? 0;

  const spaceCategories = categoryCodes.map((code, i) => {
    const kind = pick(CATEGORY_KINDS, i);
    return {
      code,
      name: `${kind.label} ${i + 1}`,
      description: i % 3 === 0 ? null : `${kind.label} room, variant ${i + 1}.`,
      isSynchronized: i % 7 !== 6,
      classification: kind.classification,
      bedType: kind.bedType,
      bedCount: kind.beds,
      extraBedCount: i % 2,
      spaceCount: 2 + (i % 9),
      images: i % 4 === 0 ? [] : [{ type: 2, url: `https://images.invalid/category/${code}.jpg` }],
    };
  });

  const ratePlans = rateCodes.map((code, i) => ({
    code,
    name: `${pick(RATE_KINDS, i)} ${i + 1}`,
    description: i % 2 === 0 ? null : `Generated rate plan ${i + 1}.`,
    currencyCode: 'EUR',
    isSynchronized: i % 6 !== 5,
    rateType: i % 3 === 0 ? 0 : 1,
    paymentType: 1 + (i % 3),
    cancellationPolicies: [
      {
        offset: `-${1 + (i % 10)}DT0H0M`,
        applicability: 2,
        penalty: {
          relative: { value: i % 2 === 0 ? 1 : 0.5, nights: i % 2 === 0 ? null : 1 },
          absolute: i % 3 === 0 ? null : { amount: 0, currencyCode: 'EUR' },
        },
      },
    ],
  }));

  // Every rate on every category, plus the kind of leftovers Mews sends: codes nobody lists.
  const inventoryMappings = rateCodes.flatMap((ratePlanCode) =>
    categoryCodes.map((spaceTypeCode) => ({ ratePlanCode, spaceTypeCode })),
  );
  if (rateCodes.length > 0 && categoryCodes.length > 0) {
    inventoryMappings.push({ ratePlanCode: 'LEGACY', spaceTypeCode: categoryCodes[0] ?? 'C001' });
    inventoryMappings.push({ ratePlanCode: rateCodes[0] ?? 'R001', spaceTypeCode: 'GONE' });
  }

  const products = Array.from({ length: productCount }, (_, i) => ({
    code: `P${pad(i + 1)}`,
    name: `Extra ${i + 1}`,
    description: '',
    pricing: 1 + (i % 3),
    unitAmount: {
      currencyCode: 'EUR',
      netValue: 10 + i,
      grossValue: Math.round((10 + i) * 121) / 100,
      taxValues: [{ code: 'CZ-S', value: Math.round((10 + i) * 21) / 100 }],
    },
  }));
  const productMappings = products.map((p, i) => ({
    ratePlanCode: pick(rateCodes.length > 0 ? rateCodes : ['R001'], i),
    productCode: p.code,
  }));

  const ageCategories = Array.from({ length: size.ageCategories ?? 0 }, (_, i) => ({
    code: String(10 + i),
    ...pick(AGE_BANDS, i),
    name: `${pick(AGE_BANDS, i).name}${i >= AGE_BANDS.length ? ` ${i + 1}` : ''}`,
  }));

  return {
    property: {
      name: propertyName,
      description: `${propertyName}: a generated property.`,
      languageCode: 'en-US',
      timeZoneIdentifier: 'Europe/Prague',
      websiteUrl: null,
      email: null,
      telephone: '+420 555 000 000',
      spaceCount: spaceCategories.reduce((sum, c) => sum + c.spaceCount, 0),
      pricingMode: 0,
      address: {
        addressLine1: '1 Generated Avenue',
        addressLine2: null,
        city: 'Sample City',
        region: null,
        zip: '11000',
        country: 'CZ',
        latitude: 50.08,
        longitude: 14.42,
      },
      images: [],
    },
    spaceCategories,
    ratePlans,
    inventoryMappings,
    products,
    productMappings,
    companies: Array.from({ length: size.companies }, (_, i) => partner('company', i)),
    travelAgencies: Array.from({ length: size.travelAgencies }, (_, i) => partner('agency', i)),
    ageCategories,
  };
}
