import { digestOf, mappingView, summarize } from '../domain/configuration-view.js';
import { connectionProvisioned } from '../domain/events/connection-provisioned.event.js';
import { connectionProvisioningFailed } from '../domain/events/connection-provisioning-failed.event.js';
import type { AccountId, ConnectionId } from '../domain/model.js';
import { isTransient, MewsApiError, MewsError } from '../mews/errors.js';
import type { UseCaseDeps } from './use-case-deps.js';

export type SyncOutcome =
  | { status: 'unknown-connection' }
  | { status: 'provisioned'; digest: string }
  | { status: 'already-provisioned' }
  | { status: 'failed'; code: number | null };

type Deps = Pick<UseCaseDeps, 'store' | 'mews' | 'vault' | 'clock' | 'logger' | 'environment'>;

/**
 * Provisions a discovered connection: reads its token from the vault, fetches its
 * configuration, and in one transaction marks it provisioned, stores the snapshot and puts
 * `Connection Provisioned` in the outbox. Safe to repeat: a provisioned connection only gets
 * the asking account's membership marked synced.
 */
export async function syncConnection(
  input: { connectionId: ConnectionId; accountId: AccountId },
  deps: Deps,
): Promise<SyncOutcome> {
  const { store, logger } = deps;
  const connection = await store.getConnection(input.connectionId);
  if (!connection) {
    logger.warn('sync for an unknown connection dropped', { connectionId: input.connectionId });
    return { status: 'unknown-connection' };
  }
  if (connection.status === 'provisioned') {
    await store.markMembershipSynced(input.accountId, connection.id);
    return { status: 'already-provisioned' };
  }

  const token = await deps.vault.get(connection.id);
  if (token === undefined) {
    // The poll stores the token before it records the connection, so this is not a race.
    throw new Error(
      `no token in the vault for ${connection.id}: the next poll of its account stores it again`,
    );
  }

  let configuration: Awaited<ReturnType<typeof deps.mews.getConfiguration>>;
  try {
    configuration = await deps.mews.getConfiguration(token);
  } catch (error) {
    if (!(error instanceof MewsError) || isTransient(error)) throw error;
    const code = error instanceof MewsApiError ? error.code : null;
    const at = deps.clock.now().toISOString();
    await store.appendEvents([
      connectionProvisioningFailed({
        connection,
        accountId: input.accountId,
        code,
        message: error.message,
        environment: deps.environment,
        at,
      }),
    ]);
    logger.warn('connection provisioning failed', {
      connectionId: connection.id,
      code,
      reason: error.message,
    });
    return { status: 'failed', code };
  }

  const at = deps.clock.now().toISOString();
  const state = {
    digest: digestOf(mappingView(configuration)),
    summary: summarize(configuration),
    fetchedAt: at,
  };
  const secretRef = connection.secretRef ?? '';
  const result = await store.recordProvisioned({
    connectionId: connection.id,
    accountId: input.accountId,
    secretRef,
    configuration: state,
    snapshot: configuration,
    at,
    events: [
      connectionProvisioned({
        connection,
        accountId: connection.discoveredBy,
        secretRef,
        configuration: state,
        environment: deps.environment,
        at,
      }),
    ],
  });
  if (result === 'already-provisioned') return { status: 'already-provisioned' };
  logger.info('connection provisioned', {
    connectionId: connection.id,
    digest: state.digest,
    ...state.summary,
  });
  return { status: 'provisioned', digest: state.digest };
}
