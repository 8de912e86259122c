import { decideMissing } from '../domain/lifecycle/connection-lifecycle.js';
import type { AccountId, ConnectionId } from '../domain/model.js';
import { DEFAULT_POLICY, type StoreSlice } from './use-case-deps.js';

/** Decisions made again after a stale write before giving up until the next poll. */
const SETTLE_ATTEMPTS = 3;

type Deps = StoreSlice<
  'vault' | 'clock' | 'logger' | 'environment' | 'policy',
  'listMembershipsOf' | 'getConnection' | 'leaveConnection' | 'removeConnection'
>;

/**
 * Settles a connection `accountId` has confirmed missing, as decideMissing says: this account's
 * membership goes while another account still lists it; otherwise the connection is removed.
 *
 * A removal schedules the token's deletion first, then writes the state change and its events in
 * one transaction conditional on the version and the exact memberships it decided from. If that
 * write is stale (a move, a re-listing or a refresh got there first) and the connection is still
 * live, the deletion is cancelled. A crash in between is finished by the next poll (still
 * confirmed missing) or undone by it (listed again: the token is stored again, which restores
 * it); a live connection whose token is gone anyway is healed by its next sync (memberships back
 * to pending, so the polls store the token again).
 */
export async function settleMissing(
  connectionId: ConnectionId,
  accountId: AccountId,
  deps: Deps,
): Promise<'removed' | 'left' | 'unchanged'> {
  const policy = deps.policy ?? DEFAULT_POLICY;
  let scheduled = false;
  // A stale write is decided again from fresh state (another account's concurrent settlement
  // of the same connection is the usual reason), a few times at most.
  for (let attempt = 1; attempt <= SETTLE_ATTEMPTS; attempt++) {
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
    if (decision.kind === 'none' || !connection) break;

    if (decision.kind === 'leave') {
      if ((await deps.store.leaveConnection(accountId, connectionId)) === 'stale') continue;
      if (scheduled) await keepTokenIfLive(connectionId, policy.secretRecoveryDays, deps);
      deps.logger.info('account no longer lists a connection another account still lists', {
        accountId,
        connectionId,
      });
      return 'left';
    }

    await deps.vault.scheduleDeletion(connectionId, policy.secretRecoveryDays);
    scheduled = true;
    const result = await deps.store.removeConnection({
      connectionId,
      expectedVersion: connection.version,
      members: decision.members,
      at,
      events: decision.events,
    });
    if (result === 'applied') {
      deps.logger.info('connection removed', { connectionId, announced: decision.events.length > 0 });
      return 'removed';
    }
  }
  if (scheduled) await keepTokenIfLive(connectionId, policy.secretRecoveryDays, deps);
  return 'unchanged';
}

/**
 * A stale removal's scheduled deletion is cancelled unless another removal won (then the token
 * must go). Checked again after cancelling, in case that removal landed meanwhile.
 */
async function keepTokenIfLive(connectionId: ConnectionId, recoveryDays: number, deps: Deps): Promise<void> {
  const isRemoved = async () => (await deps.store.getConnection(connectionId))?.status === 'removed';
  if (await isRemoved()) return;
  await deps.vault.cancelDeletion(connectionId);
  if (await isRemoved()) await deps.vault.scheduleDeletion(connectionId, recoveryDays);
}
