import * as z from '../lib/zod-mini.js';

/**
 * getProperties, as documented and as Mews' own sample sends it.
 * Unknown fields are ignored (Mews adds fields over time); `connections` and a
 * connection's `name` are optional; the long-deprecated `code` stands in for `token`.
 */
const connectionFields = z.object({
  token: z.nullish(z.string()),
  code: z.nullish(z.string()),
  name: z.nullish(z.string()),
});

const connectionSchema = z.pipe(
  connectionFields,
  z.transform((c: z.output<typeof connectionFields>, ctx) => {
    // An empty token is no token; `code` is the long-deprecated spelling.
    const token = [c.token, c.code].find((t): t is string => typeof t === 'string' && t.trim() !== '');
    if (!token) {
      ctx.issues.push({ code: 'custom', message: 'connection has no token', input: c });
      return z.NEVER;
    }
    return { token, name: c.name ?? null };
  }),
);

const propertySchema = z.object({
  id: z
    .string({
      error: (issue) => (issue.input == null ? 'property has no id' : 'property id is not a string'),
    })
    .check(z.minLength(1, 'property has no id')),
  name: z.pipe(
    z.nullish(z.string()),
    z.transform((n: string | null | undefined) => n ?? ''),
  ),
  connections: z.pipe(
    z.nullish(z.array(connectionSchema)),
    z.transform((c: z.output<typeof connectionSchema>[] | null | undefined) => c ?? []),
  ),
});

export const getPropertiesResponseSchema = z.object({
  success: z.literal(true),
  properties: z.array(propertySchema),
});

export type PropertiesResponse = z.infer<typeof getPropertiesResponseSchema>;
type ListedProperty = PropertiesResponse['properties'][number];
export type ListedConnection = ListedProperty['connections'][number];
