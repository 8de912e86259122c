import * as z from 'zod';

/**
 * getProperties, as documented and as Mews' own sample sends it.
 * Unknown fields are ignored (Mews adds fields over time); `connections` and a
 * connection's `name` are optional; the long-deprecated `code` stands in for `token`.
 */
const connectionSchema = z
  .object({
    token: z.string().nullish(),
    code: z.string().nullish(),
    name: z.string().nullish(),
  })
  .transform((c, ctx) => {
    // An empty token is no token; `code` is the long-deprecated spelling.
    const token = [c.token, c.code].find((t): t is string => typeof t === 'string' && t.trim() !== '');
    if (!token) {
      ctx.addIssue({ code: 'custom', message: 'connection has no token' });
      return z.NEVER;
    }
    return { token, name: c.name ?? null };
  });

const propertySchema = z.object({
  id: z
    .string({
      error: (issue) => (issue.input == null ? 'property has no id' : 'property id is not a string'),
    })
    .min(1, 'property has no id'),
  name: z
    .string()
    .nullish()
    .transform((n) => n ?? ''),
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
type ListedProperty = PropertiesResponse['properties'][number];
export type ListedConnection = ListedProperty['connections'][number];
