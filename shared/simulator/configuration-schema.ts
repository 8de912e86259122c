import * as z from 'zod';

/**
 * A property configuration as the simulator holds and serves it: the documented
 * getConfiguration shape (without `connectionToken` and `success`, which the route
 * adds). Deliberately loose, like Mews: optional values may be null or missing,
 * unknown fields are kept and served as they are, mappings may name unlisted codes.
 * Only what the simulator itself relies on is strict: every listed item has a code.
 */
const text = z.string().nullable().optional();
const num = z.number().nullable().optional();
const bool = z.boolean().nullable().optional();
const code = z.string().min(1);
const listOf = <T extends z.ZodType>(item: T) => z.array(item).nullable().optional();

const image = z.looseObject({ type: num, url: text });

const address = z.looseObject({
  addressLine1: text,
  addressLine2: text,
  city: text,
  region: text,
  zip: text,
  country: text,
  latitude: num,
  longitude: num,
});

const propertyDetailsSchema = z.looseObject({
  name: text,
  description: text,
  languageCode: text,
  timeZoneIdentifier: text,
  websiteUrl: text,
  email: text,
  telephone: text,
  spaceCount: num,
  pricingMode: num,
  address: address.nullable().optional(),
  images: listOf(image),
});

const spaceCategorySchema = z.looseObject({
  code,
  name: text,
  description: text,
  isSynchronized: bool,
  classification: num,
  bedType: num,
  bedCount: num,
  extraBedCount: num,
  spaceCount: num,
  images: listOf(image),
});

const cancellationPolicy = z.looseObject({
  offset: text,
  applicability: num,
  penalty: z
    .looseObject({
      relative: z.looseObject({ value: num, nights: num }).nullable().optional(),
      absolute: z.looseObject({ amount: num, currencyCode: text }).nullable().optional(),
    })
    .nullable()
    .optional(),
});

const ratePlanSchema = z.looseObject({
  code,
  name: text,
  description: text,
  currencyCode: text,
  isSynchronized: bool,
  rateType: num,
  /** Deprecated by Mews, still sent. */
  paymentType: num,
  cancellationPolicies: listOf(cancellationPolicy),
});

const inventoryMappingSchema = z.looseObject({ ratePlanCode: code, spaceTypeCode: code });

const productSchema = z.looseObject({
  code,
  name: text,
  description: text,
  /** Documented as a string; Mews' own sample sends a number. */
  pricing: z.union([z.number(), z.string()]).nullable().optional(),
  unitAmount: z
    .looseObject({
      currencyCode: text,
      netValue: num,
      grossValue: num,
      taxValues: listOf(z.looseObject({ code: text, value: num })),
    })
    .nullable()
    .optional(),
});

const productMappingSchema = z.looseObject({ ratePlanCode: code, productCode: code });

const partnerSchema = z.looseObject({
  id: text,
  iata: text,
  name: text,
  email: text,
  contact: text,
  phone: text,
  addresses: listOf(address),
  channel: z.looseObject({ code: num, name: text }).nullable().optional(),
});

const ageCategorySchema = z.looseObject({ code, name: text, minimumAge: num, maximumAge: num });

const section = <T extends z.ZodType>(item: T) => z.array(item).default([]);

export const mewsConfigurationSchema = z.looseObject({
  property: propertyDetailsSchema,
  spaceCategories: section(spaceCategorySchema),
  ratePlans: section(ratePlanSchema),
  inventoryMappings: section(inventoryMappingSchema),
  products: section(productSchema),
  productMappings: section(productMappingSchema),
  companies: section(partnerSchema),
  travelAgencies: section(partnerSchema),
  ageCategories: section(ageCategorySchema),
});

/** A configuration as given to the simulator (seed, admin API): lists may be left out. */
export type MewsConfigurationInput = z.input<typeof mewsConfigurationSchema>;
/** A configuration as the simulator holds it: every list present. */
export type MewsConfiguration = z.output<typeof mewsConfigurationSchema>;
export type MewsPartner = z.output<typeof partnerSchema>;

/** Top-level replacement: each list given replaces the held one; `property` is merged field by field. */
export const configurationPatchSchema = z.strictObject({
  property: propertyDetailsSchema.partial().optional(),
  spaceCategories: z.array(spaceCategorySchema).optional(),
  ratePlans: z.array(ratePlanSchema).optional(),
  inventoryMappings: z.array(inventoryMappingSchema).optional(),
  products: z.array(productSchema).optional(),
  productMappings: z.array(productMappingSchema).optional(),
  companies: z.array(partnerSchema).optional(),
  travelAgencies: z.array(partnerSchema).optional(),
  ageCategories: z.array(ageCategorySchema).optional(),
});

export type ConfigurationPatch = z.input<typeof configurationPatchSchema>;
