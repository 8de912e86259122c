import * as z from 'zod';

const errorItem = z.object({ code: z.number().int(), message: z.string().nullish() });

/** `{ success: false, errors: [...] }`, or the deprecated single `error` object. */
export const mewsErrorResponseSchema = z
  .object({
    success: z.literal(false),
    errors: z.array(errorItem).nullish(),
    error: errorItem.nullish(),
  })
  .transform((r) => ({ errors: r.errors?.length ? r.errors : r.error ? [r.error] : [] }));
