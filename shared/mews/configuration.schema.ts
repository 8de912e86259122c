import * as z from '../lib/zod-mini.js';

/**
 * getConfiguration, lenient where Mews' own sample is: optional values arrive as
 * null or are missing, `pricing` is a number although documented as a string,
 * mappings may name codes that are not listed, unknown fields are ignored.
 * Strict only where the mapping needs it: every category, rate, product and age
 * category has a code.
 */
const text = z.nullish(z.string());
const num = z.nullish(z.number());
const bool = z.nullish(z.boolean());
const code = z.string().check(z.minLength(1));

const addressSchema = z.nullish(
  z.object({
    addressLine1: text,
    addressLine2: text,
    city: text,
    region: text,
    zip: text,
    country: text,
    latitude: num,
    longitude: num,
  }),
);

const imageSchema = z.object({ type: num, url: text });

const spaceCategorySchema = z.object({
  code,
  name: text,
  description: text,
  isSynchronized: bool,
  classification: num,
  bedType: num,
  bedCount: num,
  extraBedCount: num,
  spaceCount: num,
  images: z.nullish(z.array(imageSchema)),
});

const cancellationPolicySchema = z.object({
  offset: text,
  applicability: num,
  penalty: z.nullish(
    z.object({
      relative: z.nullish(z.object({ value: num, nights: num })),
      absolute: z.nullish(z.object({ amount: num, currencyCode: text })),
    }),
  ),
});

const ratePlanSchema = z.object({
  code,
  name: text,
  description: text,
  currencyCode: text,
  isSynchronized: bool,
  rateType: num,
  paymentType: num,
  cancellationPolicies: z.nullish(z.array(cancellationPolicySchema)),
});

const inventoryMappingSchema = z.object({ ratePlanCode: code, spaceTypeCode: code });

const productSchema = z.object({
  code,
  name: text,
  description: text,
  pricing: z.nullish(z.union([z.number(), z.string()])),
  unitAmount: z.nullish(
    z.object({
      currencyCode: text,
      netValue: num,
      grossValue: num,
      taxValues: z.nullish(z.array(z.object({ code: text, value: num }))),
    }),
  ),
});

const productMappingSchema = z.object({ ratePlanCode: code, productCode: code });

const partnerSchema = z.object({
  id: text,
  iata: text,
  name: text,
  email: text,
  contact: text,
  phone: text,
  addresses: z.nullish(z.array(addressSchema)),
  channel: z.nullish(z.object({ code: num, name: text })),
});

const ageCategorySchema = z.object({ code, name: text, minimumAge: num, maximumAge: num });

const list = <T extends z.ZodMiniType>(item: T) =>
  z.pipe(
    z.nullish(z.array(item)),
    z.transform((v: z.output<T>[] | null | undefined) => v ?? []),
  );

export const getConfigurationResponseSchema = z.object({
  success: z.literal(true),
  property: z.object({
    name: text,
    description: text,
    languageCode: text,
    timeZoneIdentifier: text,
    websiteUrl: text,
    email: text,
    telephone: text,
    spaceCount: num,
    pricingMode: num,
    address: addressSchema,
    images: z.nullish(z.array(imageSchema)),
  }),
  spaceCategories: list(spaceCategorySchema),
  ratePlans: list(ratePlanSchema),
  inventoryMappings: list(inventoryMappingSchema),
  products: list(productSchema),
  productMappings: list(productMappingSchema),
  companies: list(partnerSchema),
  travelAgencies: list(partnerSchema),
  ageCategories: list(ageCategorySchema),
});

/** The parsed configuration, without the echoed connection token (it never leaves the client). */
export type Configuration = z.infer<typeof getConfigurationResponseSchema>;

export interface ConfigurationExtent {
  includeUnsynchronizedRates?: boolean;
  includeUnsynchronizedCategories?: boolean;
  includeProducts?: boolean;
  includeCompanies?: boolean;
  includeAgeCategories?: boolean;
}
