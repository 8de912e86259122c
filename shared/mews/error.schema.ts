import * as z from '../lib/zod-mini.js';

const errorItem = z.object({ code: z.number().check(z.int()), message: z.nullish(z.string()) });

/** `{ success: false, errors: [...] }`, or the deprecated single `error` object. */
const errorResponse = z.object({
  success: z.literal(false),
  errors: z.nullish(z.array(errorItem)),
  error: z.nullish(errorItem),
});

export const mewsErrorResponseSchema = z.pipe(
  errorResponse,
  z.transform((r: z.output<typeof errorResponse>) => ({
    errors: r.errors?.length ? r.errors : r.error ? [r.error] : [],
  })),
);
