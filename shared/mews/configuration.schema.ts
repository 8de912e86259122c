import * as z from 'zod';

/**
 * getConfiguration, lenient where Mews' own sample is: optional values arrive as
 * null or are missing, `pricing` is a number although documented as a string,
 * mappings may name codes that are not listed, unknown fields are ignored.
 * Strict only where the mapping needs it: every category, rate, product and age
 * category has a code.
 */
const text = z.string().nullish();
const num = z.number().nullish();
const bool = z.boolean().nullish();
const code = z.string().min(1);

const addressSchema = z
  .object({
    addressLine1: text,
    addressLine2: text,
    city: text,
    region: text,
    zip: text,
    country: text,
    latitude: num,
    longitude: num,
  })
  .nullish();

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
  images: z.array(imageSchema).nullish(),
});

const cancellationPolicySchema = z.object({
  offset: text,
  applicability: num,
  penalty: z
    .object({
      relative: z.object({ value: num, nights: num }).nullish(),
      absolute: z.object({ amount: num, currencyCode: text }).nullish(),
    })
    .nullish(),
});

const ratePlanSchema = z.object({
  code,
  name: text,
  description: text,
  currencyCode: text,
  isSynchronized: bool,
  rateType: num,
  paymentType: num,
  cancellationPolicies: z.array(cancellationPolicySchema).nullish(),
});

const inventoryMappingSchema = z.object({ ratePlanCode: code, spaceTypeCode: code });

const productSchema = z.object({
  code,
  name: text,
  description: text,
  pricing: z.union([z.number(), z.string()]).nullish(),
  unitAmount: z
    .object({
      currencyCode: text,
      netValue: num,
      grossValue: num,
      taxValues: z.array(z.object({ code: text, value: num })).nullish(),
    })
    .nullish(),
});

const productMappingSchema = z.object({ ratePlanCode: code, productCode: code });

const partnerSchema = z.object({
  id: text,
  iata: text,
  name: text,
  email: text,
  contact: text,
  phone: text,
  addresses: z.array(addressSchema).nullish(),
  channel: z.object({ code: num, name: text }).nullish(),
});

const ageCategorySchema = z.object({ code, name: text, minimumAge: num, maximumAge: num });

const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);

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
    images: z.array(imageSchema).nullish(),
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
