import { CONNECTION_REMOVED, connectionStatusEvent } from '../domain/events/connection-status.event.js';
import type { AccountId, ConnectionId } from '../domain/model.js';
import { DEFAULT_POLICY, type UseCaseDeps } from './use-case-deps.js';

/** Consecutive successful polls that must lack a connection before it counts as removed. */
export const REMOVAL_CONFIRMATIONS = 2;

type Deps = Pick<UseCaseDeps, 'store' | 'vault' | 'clock' | 'logger' | 'environment' | 'policy'>;

/**
 * Settles a connection `accountId` has confirmed missing. If another account still lists it,
 * only this account's membership goes (it no longer lists the connection). If none does, the
 * connection is removed: every membership has missed it on REMOVAL_CONFIRMATIONS consecutive
 * successful polls (an account whose poll failed proves nothing: its count does not move).
 * The secret is scheduled for deletion first, then the state change and `Connection Removed`
 * are written together; a crash in between is finished by the next poll, and a put within the
 * recovery window restores the secret.
 */
export async function settleMissing(
  connectionId: ConnectionId,
  accountId: AccountId,
  deps: Deps,
): Promise<'removed' | 'left' | 'unchanged'> {
  const memberships = await deps.store.listMembershipsOf(connectionId);
  const stillListed = memberships.some(
    (m) => m.accountId !== accountId && m.missingPolls < REMOVAL_CONFIRMATIONS,
  );
  if (stillListed) {
    await deps.store.deleteMembership(accountId, connectionId);
    deps.logger.info('account no longer lists a connection another account still lists', {
      accountId,
      connectionId,
    });
    return 'left';
  }
  const connection = await deps.store.getConnection(connectionId);
  if (!connection || connection.status === 'removed') return 'unchanged';

  const policy = deps.policy ?? DEFAULT_POLICY;
  const at = deps.clock.now().toISOString();
  await deps.vault.scheduleDeletion(connectionId, policy.secretRecoveryDays);
  const result = await deps.store.updateConnection({
    connectionId,
    expected: { status: connection.status, digest: connection.configuration?.digest ?? null },
    status: 'removed',
    dropMemberships: [...new Set([accountId, ...memberships.map((m) => m.accountId)])],
    at,
    events: [
      connectionStatusEvent({
        type: CONNECTION_REMOVED,
        connection,
        secretRecoveryDays: policy.secretRecoveryDays,
        environment: deps.environment,
        at,
      }),
    ],
  });
  if (result === 'applied') deps.logger.info('connection removed', { connectionId });
  return result === 'applied' ? 'removed' : 'unchanged';
}
