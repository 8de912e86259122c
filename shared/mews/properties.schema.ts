import { z } from 'zod';

/**
 * getProperties, as documented and as Mews' own sample sends it.
 * Unknown fields are ignored (Mews adds fields over time); `connections` and a
 * connection's `name` are optional; the long-deprecated `code` stands in for `token`.
 */
const connectionSchema = z
  .object({
    token: z.string().min(1).optional(),
    code: z.string().min(1).optional(),
    name: z.string().nullish(),
  })
  .transform((c, ctx) => {
    const token = c.token ?? c.code;
    if (!token) {
      ctx.addIssue({ code: 'custom', message: 'connection has no token' });
      return z.NEVER;
    }
    return { token, name: c.name ?? null };
  });

const propertySchema = z.object({
  id: z.string().min(1, 'property has no id'),
  name: z.string().nullish().transform((n) => n ?? ''),
  connections: z
    .array(connectionSchema)
    .nullish()
    .transform((c) => c ?? []),
});

export const getPropertiesResponseSchema = z.object({
  success: z.literal(true),
  properties: z.array(propertySchema),
});

export type PropertiesResponse = z.infer<typeof getPropertiesResponseSchema>;
export type ListedProperty = PropertiesResponse['properties'][number];
export type ListedConnection = ListedProperty['connections'][number];
