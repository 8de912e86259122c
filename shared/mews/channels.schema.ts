import * as z from 'zod';

export const getChannelsResponseSchema = z.object({
  channels: z.array(z.object({ code: z.number().int(), name: z.string() })),
});

export type Channel = z.infer<typeof getChannelsResponseSchema>['channels'][number];
