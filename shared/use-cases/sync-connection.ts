import { digestOf, type MappingView, mappingView, summarize } from '../domain/configuration-view.js';
import {
  type ConfigurationAnswer,
  decideSync,
  planSync,
  type SyncTrigger,
} from '../domain/lifecycle/connection-lifecycle.js';
import type { AccountId, Connection, ConnectionId } from '../domain/model.js';
import type { Configuration } from '../mews/configuration.schema.js';
import { MewsRefusal } from '../ports/mews-failure.js';
import type { StoreSlice } from './use-case-deps.js';

export type SyncOutcome =
  | { status: 'unknown-connection' }
  | { status: 'provisioned'; digest: string }
  | { status: 'already-provisioned' }
  | { status: 'failed'; code: number | null }
  | { status: 'unchanged' }
  | { status: 'awaiting-token' }
  | { status: 'changed'; events: string[] }
  | { status: 'stale' };

type Deps = StoreSlice<
  'mews' | 'vault' | 'clock' | 'logger' | 'environment',
  | 'getConnection'
  | 'updateConnection'
  | 'markMembershipSynced'
  | 'markMembershipsAwaitingToken'
  | 'getSnapshot'
  | 'reportConnection'
  | 'recordProvisioned'
>;

/**
 * Checks a connection against Mews and moves it along its lifecycle as decideSync says
 * (docs/lifecycle.md). Every write is conditional on the version the decision read, so repeats
 * and races are harmless (`stale`), and a provisioned connection found by a second account
 * costs no Mews call.
 */
export async function syncConnection(input: SyncInput, deps: Deps): Promise<SyncOutcome> {
  // A stale write (another account's sync, a removal, a refresh got there first) is decided
  // again from fresh state with the same Mews answer, a few times at most.
  const fetched: Fetched = {};
  let outcome: SyncOutcome = { status: 'stale' };
  for (let attempt = 1; attempt <= SYNC_ATTEMPTS && outcome.status === 'stale'; attempt++) {
    outcome = await syncOnce(input, deps, fetched);
  }
  return outcome;
}

type SyncInput = { connectionId: ConnectionId; accountId: AccountId; reason?: SyncTrigger };

/** Decisions made again after a stale write. */
const SYNC_ATTEMPTS = 3;

/** Mews' answer, asked once per sync however often the decision is made again. */
type Fetched = {
  answer?: { configuration: Configuration } | { refused: { code: number | null; message: string } };
};

async function syncOnce(input: SyncInput, deps: Deps, fetched: Fetched): Promise<SyncOutcome> {
  const { store, logger } = deps;
  const trigger = input.reason ?? 'discovered';
  const connection = await store.getConnection(input.connectionId);
  if (!connection) {
    logger.warn('sync for an unknown connection dropped', { connectionId: input.connectionId });
    return { status: 'unknown-connection' };
  }
  const plan = planSync(connection, trigger);
  if (plan.kind === 'skip') return { status: 'unchanged' };
  if (plan.kind === 'mark-synced') {
    await store.markMembershipSynced(input.accountId, connection.id);
    return { status: 'already-provisioned' };
  }

  const token = await deps.vault.get(connection.id);
  if (token === undefined) {
    if (connection.status === 'removed') return { status: 'unchanged' };
    // Lost (a removal cut short, a deleted secret): every account listing it stores it again on
    // its next poll, which queues this sync again.
    await store.markMembershipsAwaitingToken(connection.id);
    logger.warn('no token in the vault; the next poll of each account listing it stores it again', {
      connectionId: connection.id,
    });
    return { status: 'awaiting-token' };
  }

  fetched.answer ??= await askMews(connection, token, deps);
  const answer = await asDomainAnswer(connection, fetched.answer, deps);
  const at = deps.clock.now().toISOString();
  const decision = decideSync(connection, input.accountId, answer, { environment: deps.environment, at });
  const detailTypes = decision.kind === 'none' ? [] : decision.events.map((e) => e.detailType);

  switch (decision.kind) {
    case 'none':
      return answer.kind === 'refused' ? { status: 'failed', code: answer.code } : { status: 'unchanged' };
    case 'report': {
      // Stale when a concurrent sync provisioned it meanwhile: decided again, the refusal is no news.
      const result = await store.reportConnection({
        connectionId: connection.id,
        expectedVersion: connection.version,
        events: decision.events,
      });
      if (result === 'stale') return { status: 'stale' };
      return { status: 'failed', code: answer.kind === 'refused' ? answer.code : null };
    }
    case 'provision': {
      if (answer.kind !== 'configuration')
        throw new Error('unreachable: provisioning without a configuration');
      const result = await store.recordProvisioned({
        connectionId: connection.id,
        expectedVersion: connection.version,
        accountId: input.accountId,
        secretRef: connection.secretRef ?? '',
        configuration: answer.state,
        snapshot: answer.snapshot,
        at,
        events: decision.events,
      });
      if (result === 'stale') return { status: 'stale' };
      logger.info('connection provisioned', {
        connectionId: connection.id,
        digest: answer.state.digest,
        ...answer.state.summary,
      });
      return { status: 'provisioned', digest: answer.state.digest };
    }
    case 'update': {
      const result = await store.updateConnection({
        connectionId: connection.id,
        expectedVersion: connection.version,
        status: decision.status,
        configuration:
          decision.withConfiguration && answer.kind === 'configuration'
            ? { state: answer.state, snapshot: answer.snapshot }
            : undefined,
        at,
        events: decision.events,
      });
      if (result === 'stale') return { status: 'stale' };
      if (trigger === 'discovered' || trigger === 'retry') {
        await store.markMembershipSynced(input.accountId, connection.id);
      }
      logger.info('connection changed', { connectionId: connection.id, events: detailTypes });
      return { status: 'changed', events: detailTypes };
    }
  }
}

/** getConfiguration. Transient failures throw (the queue retries); permanent ones are an answer. */
async function askMews(
  connection: Connection,
  token: string,
  deps: Deps,
): Promise<NonNullable<Fetched['answer']>> {
  try {
    return { configuration: await deps.mews.getConfiguration(token) };
  } catch (error) {
    if (!(error instanceof MewsRefusal)) throw error;
    deps.logger.warn('Mews refused the connection configuration', {
      connectionId: connection.id,
      status: connection.status,
      code: error.code,
      reason: error.message,
    });
    return { refused: { code: error.code, message: error.message } };
  }
}

/** Mews' answer as the domain needs it, against the connection as it is now. */
async function asDomainAnswer(
  connection: Connection,
  fetched: NonNullable<Fetched['answer']>,
  deps: Deps,
): Promise<
  | (ConfigurationAnswer & { kind: 'refused' })
  | (ConfigurationAnswer & { kind: 'configuration'; snapshot: Configuration })
> {
  if ('refused' in fetched) return { kind: 'refused', ...fetched.refused };
  const configuration = fetched.configuration;
  const view = mappingView(configuration);
  const digest = digestOf(view);
  const previous = connection.configuration?.digest ?? null;
  return {
    kind: 'configuration',
    state: { digest, summary: summarize(configuration), fetchedAt: deps.clock.now().toISOString() },
    view,
    previousView:
      previous !== null && previous !== digest ? await previousView(connection.id, previous, deps) : null,
    snapshot: configuration,
  };
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
