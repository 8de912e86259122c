import * as z from 'zod';
import { mewsConfigurationSchema } from './configuration-schema.js';

/**
 * What the simulator's world is built from: the seed file, and the specs the
 * control API accepts for adding enterprises, properties and accounts. One set of
 * schemas, so a seed and an `addEnterprise` call mean the same thing.
 */

const nonEmpty = z.string().trim().min(1);

/** Size of a configuration generated in code (see large-property.ts). */
const configurationSizeSchema = z.strictObject({
  spaceCategories: z.number().int().min(0).max(1000),
  ratePlans: z.number().int().min(0).max(1000),
  companies: z.number().int().min(0).max(10_000),
  travelAgencies: z.number().int().min(0).max(10_000),
  products: z.number().int().min(0).max(1000).optional(),
  ageCategories: z.number().int().min(0).max(100).optional(),
});

const connectionSpecSchema = z.strictObject({
  /** Generated (`fake-conn-NNNN`) when left out. */
  token: nonEmpty.optional(),
  /** Mews omits a connection's name when it has none. */
  name: nonEmpty.optional(),
});

export const accountSpecSchema = z.union([
  z.email(),
  z.strictObject({
    email: z.email(),
    /** A locked-out employee: getProperties answers code 8 as for an unknown email. */
    lockedOut: z.boolean().optional(),
    /** Properties of the enterprise this employee can see; all of them when left out. */
    propertyIds: z.array(nonEmpty).optional(),
  }),
]);

export const propertySpecSchema = z
  .strictObject({
    id: nonEmpty.optional(),
    name: nonEmpty.optional(),
    /** A count of generated connections, or the list; 1 generated connection when left out. */
    connections: z
      .union([z.number().int().min(0).max(100), z.array(connectionSpecSchema).max(100)])
      .optional(),
    configuration: mewsConfigurationSchema.optional(),
    /**
     * Generate the configuration in code instead (keeps large properties out of the seed):
     * a preset (`small`, `large`) or a size. A small one when neither this nor configuration is given.
     */
    generatedConfiguration: z.union([z.enum(['small', 'large']), configurationSizeSchema]).optional(),
  })
  .refine((p) => !(p.configuration && p.generatedConfiguration), {
    message: 'give either configuration or generatedConfiguration, not both',
  });

export const enterpriseSpecSchema = z.strictObject({
  id: nonEmpty.optional(),
  name: nonEmpty.optional(),
  accounts: z.array(accountSpecSchema).default([]),
  properties: z.array(propertySpecSchema).default([]),
});

export const seedFileSchema = z.strictObject({
  $comment: z.string().optional(),
  clientToken: nonEmpty,
  channels: z.array(z.strictObject({ code: z.number().int(), name: nonEmpty })),
  enterprises: z.array(enterpriseSpecSchema),
});

export type ConfigurationSize = z.output<typeof configurationSizeSchema>;
export type AccountSpec = z.input<typeof accountSpecSchema>;
export type PropertySpec = z.input<typeof propertySpecSchema>;
export type EnterpriseSpec = z.input<typeof enterpriseSpecSchema>;
/** The seed file's shape (`shared/simulator/seed.json`). */
export type SeedFile = z.input<typeof seedFileSchema>;
export type ParsedSeed = z.output<typeof seedFileSchema>;
export type ParsedPropertySpec = z.output<typeof propertySpecSchema>;
export type ParsedAccountSpec = z.output<typeof accountSpecSchema>;

/** Bad input to the simulator's seed or control API; the message names what was wrong. */
export class SimulatorInputError extends Error {
  override readonly name = 'SimulatorInputError';
}

/** Parses with `schema`, throwing a SimulatorInputError that says where the input was wrong. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, what: string): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new SimulatorInputError(`invalid ${what}: ${z.prettifyError(result.error)}`);
  }
  return result.data;
}
