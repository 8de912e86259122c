import type { ManualClock } from '../../shared/adapters/memory/manual-clock.js';
import { MemoryTokenVault } from '../../shared/adapters/memory/memory-token-vault.js';
import type { OnPortCall } from '../../shared/adapters/memory/port-call.js';
import { REMOVAL_CONFIRMATIONS } from '../../shared/domain/lifecycle/connection-lifecycle.js';
import type { ConnectionId, IntegrationId } from '../../shared/domain/model.js';
import type { IntegrationStore } from '../../shared/ports/integration-store.js';
import type { StateStore } from '../../shared/ports/state-store.js';
import type { TokenLayout, TokenStoreName } from '../../shared/use-cases/migrate-tokens.js';
import { integration } from '../contract/integration-store.contract.js';
import { account, discovery, provisionInput, uid } from '../contract/state-fixtures.js';

type Store = StateStore & IntegrationStore;

/** The in-memory twins in each store's reference format. */
export function memoryLayout(name: TokenStoreName, onCall: OnPortCall, clock: ManualClock): TokenLayout {
  const prefix = name === 'parameter-store' ? '/mews-provisioner/test/' : 'mews-provisioner/test/';
  const refPrefix = { connection: `${prefix}connections/`, integration: `${prefix}integrations/` };
  const vault = new MemoryTokenVault({ onCall, clock, refPrefix });
  return {
    name,
    vault,
    integrations: vault,
    holds: (ref) => ref.startsWith(refPrefix.connection) || ref.startsWith(refPrefix.integration),
    integrationRefFor: (id: IntegrationId) => `${refPrefix.integration}${id}`,
  };
}

/** A deployment's tokens as the test knows them (fake tokens), to check none is lost. */
export interface TokenDeployment {
  /** Live tokens by id: every one must stay readable through the state's reference. */
  live: Map<ConnectionId | IntegrationId, string>;
  /** Ids whose token is scheduled for deletion or was never stored. */
  without: (ConnectionId | IntegrationId)[];
}

const at = (s: number) => `2026-02-01T00:00:${String(s).padStart(2, '0')}.000Z`;

/**
 * A populated deployment in `layout`: provisioned connections, one only discovered, one whose
 * token was lost (never stored), one removed (token scheduled for deletion), two live
 * integrations and a deleted one (token scheduled for deletion).
 */
export async function populateDeployment(
  store: Store,
  layout: TokenLayout,
  options: { connections?: number } = {},
): Promise<TokenDeployment> {
  const live = new Map<ConnectionId | IntegrationId, string>();
  // Ids as the service makes them (acc_ + 16 hex digits), since the events' schemas check them.
  const acc = account({ id: `acc_${uid()}${uid().slice(0, 4)}` });
  await store.addAccount(acc);
  const ids = Array.from(
    { length: (options.connections ?? 4) + 2 },
    () => `con_${uid()}${uid()}` as ConnectionId,
  );
  const [lost, removed, ...rest] = ids as [ConnectionId, ConnectionId, ...ConnectionId[]];
  await store.recordDiscoveries(
    acc.id,
    ids.map((id, n) => ({ ...discovery(id, n + 1), secretRef: layout.vault.refFor(id) })),
    at(1),
  );
  for (const id of [removed, ...rest]) {
    const token = `FAKE-con-token-${id}`;
    await layout.vault.put(id, token);
    live.set(id, token);
  }
  // All but the last are provisioned (the last stays discovered).
  for (const id of [removed, ...rest.slice(0, -1)]) {
    const input = { ...provisionInput(acc.id, id, []), secretRef: layout.vault.refFor(id) };
    if ((await store.recordProvisioned(input)) !== 'applied') throw new Error(`could not provision ${id}`);
  }
  await store.updateMissingPolls(acc.id, [{ connectionId: removed, missingPolls: REMOVAL_CONFIRMATIONS }]);
  const removal = { connectionId: removed, expectedVersion: 1, members: [acc.id], at: at(2), events: [] };
  if ((await store.removeConnection(removal)) !== 'applied') throw new Error('could not remove');
  await layout.vault.scheduleDeletion(removed, 7);
  live.delete(removed);

  const integrations = [integration(), integration(), integration()];
  for (const [n, i] of integrations.entries()) {
    const token = `FAKE-access-token-${i.id}`;
    const { ref } = await layout.integrations.putIntegrationToken(i.id, token);
    await store.recordIntegration({ ...i, secretRef: ref }, []);
    if (n === 2) {
      const deleted = { id: i.id, expectedVersion: 0, changes: { deletedAt: at(3) }, at: at(3), events: [] };
      if ((await store.updateIntegration(deleted)) !== 'applied') throw new Error('could not delete');
      await layout.integrations.scheduleIntegrationTokenDeletion(i.id, 7);
    } else {
      live.set(i.id, token);
    }
  }
  return { live, without: [lost, removed, (integrations[2] as { id: IntegrationId }).id] };
}

/**
 * Every live token is readable through the reference the state holds (in whichever layout that
 * reference points into). Returns what is not, so a test can say which.
 */
export async function unreadableTokens(
  store: Store,
  layouts: TokenLayout[],
  deployment: TokenDeployment,
): Promise<string[]> {
  const problems: string[] = [];
  for (const [id, token] of deployment.live) {
    const ref = id.startsWith('int_')
      ? (await store.getIntegration(id as IntegrationId))?.secretRef
      : (await store.getConnection(id as ConnectionId))?.secretRef;
    const layout = ref ? layouts.find((l) => l.holds(ref)) : undefined;
    if (!ref || !layout) {
      problems.push(`${id}: reference ${ref ?? 'none'} is in no layout`);
      continue;
    }
    const read = id.startsWith('int_')
      ? await layout.integrations.getIntegrationToken(id as IntegrationId)
      : await layout.vault.get(id as ConnectionId);
    if (read !== token) problems.push(`${id}: not readable in ${layout.name} through ${ref}`);
  }
  return problems;
}
