import { isAccountId } from '../../shared/domain/identity.js';
import type { AccountId } from '../../shared/domain/model.js';
import * as z from '../../shared/lib/zod-mini.js';
import type { PollAccountMessage } from '../../shared/ports/work-queue.js';

const accountIdSchema = z.custom<AccountId>(
  (v) => typeof v === 'string' && isAccountId(v),
  'expected an account id (acc_ and 16 hex digits)',
);

/** The body of an account-polls message (written by SqsWorkQueue from schedule-polls, the webhook, or a poll's continuation). */
export const pollAccountMessageSchema = z.object({
  kind: z.literal('poll-account'),
  accountId: accountIdSchema,
  reason: z.optional(z.literal('continuation')),
}) satisfies z.ZodMiniType<PollAccountMessage>;
