import * as z from '../lib/zod-mini.js';

export const getChannelsResponseSchema = z.object({
  channels: z.array(z.object({ code: z.number().check(z.int()), name: z.string() })),
});

export type Channel = z.infer<typeof getChannelsResponseSchema>['channels'][number];
