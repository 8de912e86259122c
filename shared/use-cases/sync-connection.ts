import { diffConfigurations, isEmptyDiff } from '../domain/configuration-diff.js';
import { digestOf, type MappingView, mappingView, summarize } from '../domain/configuration-view.js';
import { connectionConfigurationChanged } from '../domain/events/connection-configuration-changed.event.js';
import { connectionProvisioned } from '../domain/events/connection-provisioned.event.js';
import { connectionProvisioningFailed } from '../domain/events/connection-provisioning-failed.event.js';
import {
  CONNECTION_DEACTIVATED,
  CONNECTION_REACTIVATED,
  connectionStatusEvent,
} from '../domain/events/connection-status.event.js';
import type {
  AccountId,
  ConfigurationState,
  Connection,
  ConnectionId,
  OutboxEvent,
} from '../domain/model.js';
import type { Configuration } from '../mews/configuration.schema.js';
import { isTransient, MewsError, MewsErrorCode } from '../mews/errors.js';
import type { SyncConnectionMessage } from '../ports/work-queue.js';
import type { UseCaseDeps } from './use-case-deps.js';

export type SyncOutcome =
  | { status: 'unknown-connection' }
  | { status: 'provisioned'; digest: string }
  | { status: 'already-provisioned' }
  | { status: 'failed'; code: number | null }
  | { status: 'unchanged' }
  | { status: 'changed'; events: string[] }
  | { status: 'stale' };

type Deps = Pick<UseCaseDeps, 'store' | 'mews' | 'vault' | 'clock' | 'logger' | 'environment'>;

/** Mews codes that say the connection itself is disabled or gone (not our client token). */
const DEACTIVATION_CODES = new Set<number>([
  MewsErrorCode.ConnectionNotFound,
  MewsErrorCode.OperationDisabled,
]);

/**
 * Checks a connection against Mews and moves it along its lifecycle:
 * - discovered: fetch the configuration; in one transaction mark it provisioned, store the
 *   snapshot and put `Connection Provisioned` in the outbox (or `Connection Provisioning Failed`);
 * - provisioned: a changed mapping view publishes `Connection Configuration Changed` with a
 *   diff; Mews saying the connection is disabled publishes `Connection Deactivated`;
 * - deactivated or removed and answering again: `Connection Reactivated` (plus a change event
 *   if the configuration moved meanwhile).
 * Every change is conditional on the state it was computed from, so repeats and races are
 * harmless (`stale`), and a provisioned connection found by a second account costs no Mews call.
 */
export async function syncConnection(
  input: { connectionId: ConnectionId; accountId: AccountId; reason?: SyncConnectionMessage['reason'] },
  deps: Deps,
): Promise<SyncOutcome> {
  const { store, logger } = deps;
  const connection = await store.getConnection(input.connectionId);
  if (!connection) {
    logger.warn('sync for an unknown connection dropped', { connectionId: input.connectionId });
    return { status: 'unknown-connection' };
  }
  const fromPoll = input.reason === undefined || input.reason === 'discovered' || input.reason === 'retry';
  if (connection.status === 'provisioned' && fromPoll) {
    await store.markMembershipSynced(input.accountId, connection.id);
    return { status: 'already-provisioned' };
  }
  if (connection.status === 'removed' && !fromPoll) return { status: 'unchanged' };

  const token = await deps.vault.get(connection.id);
  if (token === undefined) {
    if (connection.status === 'removed') return { status: 'unchanged' };
    // The poll stores the token before it records the connection, so this is not a race.
    throw new Error(
      `no token in the vault for ${connection.id}: the next poll of its account stores it again`,
    );
  }

  let configuration: Configuration;
  try {
    configuration = await deps.mews.getConfiguration(token);
  } catch (error) {
    if (!(error instanceof MewsError) || isTransient(error)) throw error;
    return refused(connection, input.accountId, error, deps);
  }

  const at = deps.clock.now().toISOString();
  const view = mappingView(configuration);
  const state: ConfigurationState = {
    digest: digestOf(view),
    summary: summarize(configuration),
    fetchedAt: at,
  };
  if (connection.status === 'discovered')
    return provision(connection, input.accountId, state, configuration, deps);

  const events: OutboxEvent[] = [];
  if (connection.status === 'deactivated' || connection.status === 'removed') {
    events.push(
      connectionStatusEvent({
        type: CONNECTION_REACTIVATED,
        connection,
        reason: connection.status === 'removed' ? 'returned' : 'activated',
        previousStatus: connection.status,
        environment: deps.environment,
        at,
      }),
    );
  }
  const previousDigest = connection.configuration?.digest ?? null;
  if (previousDigest !== null && previousDigest !== state.digest) {
    const before = await previousView(connection.id, previousDigest, deps);
    const diff = diffConfigurations(before, view);
    if (!isEmptyDiff(diff)) {
      events.push(
        connectionConfigurationChanged({
          connection,
          previousDigest,
          configuration: state,
          diff,
          environment: deps.environment,
          at,
        }),
      );
    }
  }
  if (events.length === 0) return { status: 'unchanged' };

  const result = await store.updateConnection({
    connectionId: connection.id,
    expected: { status: connection.status, digest: previousDigest },
    status: 'provisioned',
    configuration: { state, snapshot: configuration },
    at,
    events,
  });
  if (result === 'stale') return { status: 'stale' };
  if (fromPoll) await store.markMembershipSynced(input.accountId, connection.id);
  logger.info('connection changed', { connectionId: connection.id, events: events.map((e) => e.detailType) });
  return { status: 'changed', events: events.map((e) => e.detailType) };
}

async function provision(
  connection: Connection,
  accountId: AccountId,
  state: ConfigurationState,
  configuration: Configuration,
  deps: Deps,
): Promise<SyncOutcome> {
  const secretRef = connection.secretRef ?? '';
  const result = await deps.store.recordProvisioned({
    connectionId: connection.id,
    accountId,
    secretRef,
    configuration: state,
    snapshot: configuration,
    at: state.fetchedAt,
    events: [
      connectionProvisioned({
        connection,
        accountId: connection.discoveredBy,
        secretRef,
        configuration: state,
        environment: deps.environment,
        at: state.fetchedAt,
      }),
    ],
  });
  if (result === 'already-provisioned') return { status: 'already-provisioned' };
  deps.logger.info('connection provisioned', {
    connectionId: connection.id,
    digest: state.digest,
    ...state.summary,
  });
  return { status: 'provisioned', digest: state.digest };
}

/** Mews permanently refused getConfiguration. */
async function refused(
  connection: Connection,
  accountId: AccountId,
  error: MewsError,
  deps: Deps,
): Promise<SyncOutcome> {
  const code = error.code;
  const at = deps.clock.now().toISOString();
  deps.logger.warn('Mews refused the connection configuration', {
    connectionId: connection.id,
    status: connection.status,
    code,
    reason: error.message,
  });
  if (connection.status === 'discovered') {
    await deps.store.appendEvents([
      connectionProvisioningFailed({
        connection,
        accountId,
        code,
        message: error.message,
        environment: deps.environment,
        at,
      }),
    ]);
    return { status: 'failed', code };
  }
  // Code 8 also means a wrong client token: never deactivate every connection for that.
  if (connection.status !== 'provisioned' || code === null || !DEACTIVATION_CODES.has(code)) {
    return { status: 'failed', code };
  }
  const result = await deps.store.updateConnection({
    connectionId: connection.id,
    expected: { status: 'provisioned', digest: connection.configuration?.digest ?? null },
    status: 'deactivated',
    at,
    events: [
      connectionStatusEvent({
        type: CONNECTION_DEACTIVATED,
        connection,
        code,
        environment: deps.environment,
        at,
      }),
    ],
  });
  return result === 'applied' ? { status: 'changed', events: [CONNECTION_DEACTIVATED] } : { status: 'stale' };
}

/** The mapping view of the stored snapshot; an empty view if it was pruned (every item shows as added). */
async function previousView(connectionId: ConnectionId, digest: string, deps: Deps): Promise<MappingView> {
  const snapshot = (await deps.store.getSnapshot(connectionId, digest)) as Configuration | undefined;
  if (snapshot) return mappingView(snapshot);
  return {
    spaceCategories: [],
    ratePlans: [],
    inventoryMappings: [],
    products: [],
    productMappings: [],
    ageCategories: [],
  };
}
