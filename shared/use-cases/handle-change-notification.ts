import { connectionIdFromToken } from '../domain/identity.js';
import type { AccountId, ConnectionId } from '../domain/model.js';
import * as z from '../lib/zod-mini.js';
import type { PollAccountMessage, SyncConnectionMessage } from '../ports/work-queue.js';
import type { StoreSlice } from './use-case-deps.js';

/** Mews' change notification types, by code. */
const CHANGE_NOTIFICATION_TYPES = ['created', 'updated', 'activated', 'deactivated', 'deleted'] as const;
type ChangeNotificationType = (typeof CHANGE_NOTIFICATION_TYPES)[number];

/** Mews' error codes a change notification can be refused with (the Channel Manager API's table). */
const NOTIFICATION_ERROR = { validation: 6, authentication: 8 } as const;

const TYPE_MESSAGE =
  "Invalid 'type': expected 0 (created), 1 (updated), 2 (activated), 3 (deactivated) or 4 (deleted).";

/** `clientToken` is checked on its own, first; these are the rest of the documented request. */
const notificationSchema = z.object({
  // Not trimmed: the id derives from the token exactly as getProperties lists it.
  connectionToken: z.string().check(
    z.maxLength(1024),
    z.refine((token) => token.trim() !== ''),
  ),
  type: z.number().check(z.int(), z.gte(0), z.lte(CHANGE_NOTIFICATION_TYPES.length - 1)),
});

export type ChangeNotificationOutcome =
  | { status: 'rejected'; code: number; message: string }
  | {
      status: 'accepted';
      connectionId: ConnectionId;
      type: ChangeNotificationType;
      /** What the provisioner knew of the connection when the hint arrived. */
      known: 'unknown' | 'discovered' | 'provisioned' | 'deactivated' | 'removed';
      syncs: number;
      polls: number;
    };

export type ChangeNotificationDeps = StoreSlice<
  'polls' | 'syncs' | 'logger',
  'getConnection' | 'listAccounts' | 'listMembershipsOf'
> & {
  /** Constant-time check of the presented client token against the channel manager's own. */
  clientTokenMatches: (candidate: unknown) => boolean;
};

/**
 * Mews' change notification (`{ clientToken, connectionToken, type }`) is a hint, never a fact:
 * it only queues a check against Mews, so duplicates, reordering and stale notifications are
 * harmless, and the answer (well within Mews' 5 s) costs a couple of reads and one queue send.
 *
 * - a known connection: a sync with reason `notification`; the sync decides from Mews' answer
 *   (configuration changed, code 3 deactivated, answering again reactivated, discovered provisioned);
 * - deleted: also a poll of each account listing it (removal still needs its confirmed missing polls);
 * - created, or a connection not known yet (or removed and maybe back): a poll of every account
 *   (of the accounts listing it, when known), so the discovery path records and provisions it.
 *   Its token is not stored from here: only getProperties says which property and account a token
 *   belongs to, and nothing a caller sends reaches the vault unverified.
 *
 * Queue messages carry ids only. The token never leaves this function: only its derived id is
 * logged. The client token is checked first; a refusal changes nothing.
 */
export async function handleChangeNotification(
  body: unknown,
  deps: ChangeNotificationDeps,
): Promise<ChangeNotificationOutcome> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return reject(NOTIFICATION_ERROR.validation, 'Invalid request: the body must be a JSON object.');
  }
  const record = body as Record<string, unknown>;
  if (!deps.clientTokenMatches(record.clientToken)) {
    return reject(NOTIFICATION_ERROR.authentication, "Invalid 'clientToken'.");
  }
  const parsed = notificationSchema.safeParse(record);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') || 'request';
    return reject(
      NOTIFICATION_ERROR.validation,
      field === 'type' ? TYPE_MESSAGE : `Invalid '${field}': expected a non-empty string.`,
    );
  }
  const type = CHANGE_NOTIFICATION_TYPES[parsed.data.type] as ChangeNotificationType;
  const connectionId = connectionIdFromToken(parsed.data.connectionToken);

  const { store } = deps;
  const connection = await store.getConnection(connectionId);
  const syncs: SyncConnectionMessage[] = [];
  let pollAccounts: AccountId[] = [];

  if (!connection || connection.status === 'removed') {
    // Deleted and not (or no longer) here: nothing to check. Otherwise discovery finds it.
    if (type !== 'deleted') pollAccounts = (await store.listAccounts()).map((a) => a.id);
  } else {
    syncs.push({
      kind: 'sync-connection',
      connectionId,
      accountId: connection.discoveredBy,
      reason: 'notification',
    });
    if (type === 'deleted') {
      const members = (await store.listMembershipsOf(connectionId)).map((m) => m.accountId);
      pollAccounts = members.length > 0 ? members : [connection.discoveredBy];
    }
  }

  const polls: PollAccountMessage[] = [...new Set(pollAccounts)].map((accountId) => ({
    kind: 'poll-account',
    accountId,
  }));
  if (syncs.length > 0) await deps.syncs.send(syncs);
  if (polls.length > 0) await deps.polls.send(polls);

  const outcome = {
    status: 'accepted',
    connectionId,
    type,
    known: connection?.status ?? 'unknown',
    syncs: syncs.length,
    polls: polls.length,
  } as const;
  deps.logger.info('change notification accepted', { ...outcome });
  return outcome;
}

function reject(code: number, message: string): ChangeNotificationOutcome {
  return { status: 'rejected', code, message };
}
