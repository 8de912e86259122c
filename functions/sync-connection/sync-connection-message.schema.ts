import { isAccountId, isConnectionId } from '../../shared/domain/identity.js';
import type { AccountId, ConnectionId } from '../../shared/domain/model.js';
import * as z from '../../shared/lib/zod-mini.js';
import type { SyncConnectionMessage } from '../../shared/ports/work-queue.js';

const accountIdSchema = z.custom<AccountId>(
  (v) => typeof v === 'string' && isAccountId(v),
  'expected an account id (acc_ and 16 hex digits)',
);

const connectionIdSchema = z.custom<ConnectionId>(
  (v) => typeof v === 'string' && isConnectionId(v),
  'expected a connection id (con_ and 24 hex digits)',
);

/** The body of a connection-syncs message (written by SqsWorkQueue from poll-account, schedule-polls and webhook). */
export const syncConnectionMessageSchema = z.object({
  kind: z.literal('sync-connection'),
  connectionId: connectionIdSchema,
  accountId: accountIdSchema,
  /** discovered/retry from polls, refresh from the cycle's refresh share, notification from the webhook. */
  reason: z.enum(['discovered', 'retry', 'refresh', 'notification']),
}) satisfies z.ZodMiniType<SyncConnectionMessage>;
