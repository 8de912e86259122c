import { decideMissing } from '../domain/lifecycle/connection-lifecycle.js';
import type { AccountId, ConnectionId } from '../domain/model.js';
import { DEFAULT_POLICY, type UseCaseDeps } from './use-case-deps.js';

type Deps = Pick<UseCaseDeps, 'store' | 'vault' | 'clock' | 'logger' | 'environment' | 'policy'>;

/**
 * Settles a connection `accountId` has confirmed missing, as decideMissing says: this account's
 * membership goes while another account still lists it; otherwise the connection is removed.
 *
 * A removal schedules the token's deletion first, then writes the state change and its events in
 * one transaction conditional on the version and the exact memberships it decided from. If that
 * write is stale (a move, a re-listing or a refresh got there first) the deletion is cancelled;
 * a crash in between is finished by the next poll (still confirmed missing) or undone by it
 * (listed again: the token is stored again, which restores it).
 */
export async function settleMissing(
  connectionId: ConnectionId,
  accountId: AccountId,
  deps: Deps,
): Promise<'removed' | 'left' | 'unchanged'> {
  const policy = deps.policy ?? DEFAULT_POLICY;
  const [memberships, connection] = await Promise.all([
    deps.store.listMembershipsOf(connectionId),
    deps.store.getConnection(connectionId),
  ]);
  const at = deps.clock.now().toISOString();
  const decision = decideMissing(connection, memberships, accountId, {
    environment: deps.environment,
    at,
    secretRecoveryDays: policy.secretRecoveryDays,
  });
  if (decision.kind === 'none' || !connection) return 'unchanged';

  if (decision.kind === 'leave') {
    // A removal cut short by a crash may have scheduled the token's deletion: it is still in use.
    await deps.vault.cancelDeletion(connectionId);
    const result = await deps.store.leaveConnection(accountId, connectionId);
    if (result === 'applied') {
      deps.logger.info('account no longer lists a connection another account still lists', {
        accountId,
        connectionId,
      });
    }
    return result === 'applied' ? 'left' : 'unchanged';
  }

  await deps.vault.scheduleDeletion(connectionId, policy.secretRecoveryDays);
  const result = await deps.store.removeConnection({
    connectionId,
    expectedVersion: connection.version,
    members: decision.members,
    at,
    events: decision.events,
  });
  if (result === 'stale') {
    await deps.vault.cancelDeletion(connectionId);
    return 'unchanged';
  }
  deps.logger.info('connection removed', { connectionId, announced: decision.events.length > 0 });
  return 'removed';
}
