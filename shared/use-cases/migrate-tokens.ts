import type { MewsEnvironment } from '../domain/events/event-parts.js';
import { connectionTokenMoved, integrationTokenMoved } from '../domain/events/token-moved.event.js';
import type { Connection, ConnectionId, Integration, IntegrationId } from '../domain/model.js';
import {
  type ParameterStoreAssumptions,
  parameterStoreMonthly,
  secretsManagerMonthly,
} from '../domain/token-store-pricing.js';
import { mapLimit } from '../lib/map-limit.js';
import type { Clock } from '../ports/clock.js';
import type { ConnectionStore } from '../ports/connection-store.js';
import type { IntegrationStore } from '../ports/integration-store.js';
import type { IntegrationTokenVault, TokenVault } from '../ports/token-vault.js';

export type TokenStoreName = 'secrets-manager' | 'parameter-store';

/** One token store as the migration sees it. */
export interface TokenLayout {
  name: TokenStoreName;
  /** Connection tokens. */
  vault: TokenVault;
  /** Integration access tokens (in Secrets Manager a vault of their own, under their own prefix). */
  integrations: IntegrationTokenVault;
  /** Whether a reference in the state points into this store (this stage's names). */
  holds(ref: string): boolean;
  /** The reference of an integration's token here, for one that has none to copy (deleted). */
  integrationRefFor(id: IntegrationId): string;
}

export interface MigrateTokensDeps {
  store: Pick<ConnectionStore, 'listConnections' | 'getConnection' | 'switchSecretRef'> &
    Pick<IntegrationStore, 'listIntegrations' | 'getIntegration' | 'updateIntegration'>;
  from: TokenLayout;
  to: TokenLayout;
  /** The old tokens' recovery window (the stage's secretRecoveryWindowDays). */
  recoveryDays: number;
  /** The stage's Mews environment, as its events name it. */
  environment: MewsEnvironment;
  clock: Clock;
  /** Tokens in flight at once (default 4: Parameter Store's default write rate is low). */
  concurrency?: number;
  onProgress?: (step: MigrationStep, done: number, total: number) => void;
}

type MigrationStep = 'copy' | 'switch' | 'schedule';

type Kind = 'connection' | 'integration';

/**
 * What became of one token:
 * - copied: read, written to the new store, read back equal, the state switched;
 * - kept-newer: the new store held a token already (written since the stack moved): kept, switched;
 * - no-token: neither store holds one (a removed connection, a deleted integration, a token lost
 *   and awaiting its next poll): only the reference switched, nothing to lose;
 * - already: the state named the new store already;
 * - missing: an integration that is not deleted and whose token neither store holds: left alone;
 * - failed: stopped for this token (see reason); the state still names the old store.
 */
type TokenOutcome = 'copied' | 'kept-newer' | 'no-token' | 'already' | 'missing' | 'failed';

interface TokenResult {
  kind: Kind;
  id: ConnectionId | IntegrationId;
  outcome: TokenOutcome;
  /** For missing and failed: why, naming the call, never a token. */
  reason?: string;
}

export interface MigrationReport {
  from: TokenStoreName;
  to: TokenStoreName;
  results: TokenResult[];
  /** Old tokens scheduled for deletion (restorable within the recovery window). */
  scheduled: number;
  /** Whether the old tokens were scheduled for deletion: only when nothing failed. */
  complete: boolean;
}

/** Switches retried when a concurrent change moved the version on. */
const SWITCH_ATTEMPTS = 5;

interface Item {
  kind: Kind;
  id: ConnectionId | IntegrationId;
  ref: string;
  /** A removed connection or a deleted integration: its token, if any, is scheduled for deletion. */
  gone: boolean;
}

/**
 * Moves every token the state references from one store to the other, in an order that never
 * leaves the state naming a place without the token: copy and verify every token (read back,
 * compared in memory, never printed), then switch the state's references (each conditional on the
 * version and reference read, so a concurrent change makes it read again; each with the event
 * announcing the move to subscribers, in the same write), and only when nothing
 * failed, schedule the old tokens' deletion (restorable within the recovery window).
 *
 * Every step is idempotent and the state is where progress lives, so a crash anywhere is finished
 * by running it again: switched references are `already`, old tokens already scheduled stay so.
 * Run it after the stack was deployed with the new tokenStore: the functions then read and write
 * the new store, and a token they stored meanwhile is kept (`kept-newer`).
 */
export async function migrateTokens(deps: MigrateTokensDeps): Promise<MigrationReport> {
  const { from, to } = deps;
  if (from.name === to.name) throw new Error(`the tokens are in ${to.name} already: nothing to migrate`);
  const limit = deps.concurrency ?? 4;
  const items = await itemsOf(deps);
  const pending = items.filter((i) => !to.holds(i.ref) && from.holds(i.ref));

  // 1. copy and verify
  let done = 0;
  const copies = await mapLimit(pending, limit, async (item) => {
    const copy = await copyToken(item, deps).catch(
      (error: unknown): Copy => ({ outcome: 'failed', reason: messageOf(error) }),
    );
    deps.onProgress?.('copy', ++done, pending.length);
    return { item, ...copy };
  });

  // 2. switch the references of the verified copies
  done = 0;
  const results: TokenResult[] = items
    .filter((i) => to.holds(i.ref))
    .map((i) => ({ kind: i.kind, id: i.id, outcome: 'already' as const }));
  const switchable = copies.filter((c) => c.targetRef !== undefined);
  const switched = await mapLimit(switchable, limit, async (c) => {
    const result = await switchRef(c.item, c.targetRef as string, deps).catch(
      (error: unknown): TokenResult => ({ ...idOf(c.item), outcome: 'failed', reason: messageOf(error) }),
    );
    deps.onProgress?.('switch', ++done, switchable.length);
    return result.outcome === 'failed' || result.outcome === 'already'
      ? result
      : { ...result, outcome: c.outcome };
  });
  results.push(...switched);
  for (const c of copies) {
    if (c.targetRef === undefined) results.push({ ...idOf(c.item), outcome: c.outcome, ...reasonOf(c) });
  }

  // 3. only when every token is safe in the new store: schedule the old ones' deletion
  const failed = results.some((r) => r.outcome === 'failed');
  let scheduled = 0;
  if (!failed) {
    const moved = (await itemsOf(deps)).filter((i) => to.holds(i.ref));
    done = 0;
    await mapLimit(moved, limit, async (item) => {
      if (item.kind === 'connection') {
        await from.vault.scheduleDeletion(item.id as ConnectionId, deps.recoveryDays);
      } else {
        await from.integrations.scheduleIntegrationTokenDeletion(item.id as IntegrationId, deps.recoveryDays);
      }
      scheduled += 1;
      deps.onProgress?.('schedule', ++done, moved.length);
    });
  }
  return { from: from.name, to: to.name, results: sortById(results), scheduled, complete: !failed };
}

export interface MigrationPlan {
  from: TokenStoreName;
  to: TokenStoreName;
  /** Per kind: references to move, already in the new store, and neither (left alone). */
  connections: { toMove: number; already: number; elsewhere: number };
  integrations: { toMove: number; already: number; elsewhere: number };
  /** Token storage a month, before and after (USD), and the assumptions behind the figures. */
  monthly: { before: number; after: number; saving: number; assumptions: string[] };
}

/**
 * What `migrateTokens` would do, from the state alone (no vault call, nothing changed), and what
 * it would save a month on token storage.
 */
export async function planTokenMigration(
  deps: Pick<MigrateTokensDeps, 'store' | 'from' | 'to'>,
  parameters: ParameterStoreAssumptions,
): Promise<MigrationPlan> {
  const items = await itemsOf(deps);
  const count = (kind: Kind) => {
    const of = items.filter((i) => i.kind === kind);
    const already = of.filter((i) => deps.to.holds(i.ref)).length;
    const toMove = of.filter((i) => !deps.to.holds(i.ref) && deps.from.holds(i.ref)).length;
    return { toMove, already, elsewhere: of.length - toMove - already };
  };
  const connections = count('connection');
  const integrations = count('integration');
  // Only live tokens are billed: a removed connection's secret is scheduled for deletion.
  const live = items.filter((i) => !i.gone);
  const inStore = (layout: TokenLayout) => live.filter((i) => layout.holds(i.ref)).length;
  const cost = (name: TokenStoreName, n: number) =>
    name === 'secrets-manager' ? secretsManagerMonthly(n) : parameterStoreMonthly(n, parameters);
  const [fromNow, toNow] = [inStore(deps.from), inStore(deps.to)];
  const before = round(cost(deps.from.name, fromNow) + cost(deps.to.name, toNow));
  const after = cost(deps.to.name, fromNow + toNow);
  return {
    from: deps.from.name,
    to: deps.to.name,
    connections,
    integrations,
    monthly: {
      before,
      after,
      saving: round(before - after),
      assumptions: [
        'Secrets Manager $0.40 per secret-month; Parameter Store standard parameters free, advanced $0.05 per parameter-month',
        `parameter tier ${parameters.tier}${parameters.tier === 'Intelligent-Tiering' ? ` (standard while the account holds under 10,000 standard parameters in the region; ${parameters.otherStandardParameters ?? 0} others assumed)` : ''}`,
        'live tokens only (removed connections and deleted integrations are scheduled for deletion); API and KMS requests not included',
      ],
    },
  };
}

// ---- one token ----

type Copy = { outcome: TokenOutcome; targetRef?: string; reason?: string };

async function copyToken(item: Item, deps: MigrateTokensDeps): Promise<Copy> {
  const { from, to } = deps;
  if (item.kind === 'connection') {
    const id = item.id as ConnectionId;
    const targetRef = to.vault.refFor(id);
    const existing = await to.vault.get(id);
    const token = existing ?? (await from.vault.get(id));
    if (token === undefined) return { outcome: 'no-token', targetRef };
    if (existing === undefined) await to.vault.put(id, token);
    if ((await to.vault.get(id)) !== token) {
      return {
        outcome: 'failed',
        reason: `the copy of ${id}'s token in ${to.name} does not read back equal`,
      };
    }
    return { outcome: existing === undefined ? 'copied' : 'kept-newer', targetRef };
  }
  const id = item.id as IntegrationId;
  const existing = await to.integrations.getIntegrationToken(id);
  const token = existing ?? (await from.integrations.getIntegrationToken(id));
  if (token === undefined) {
    return item.gone
      ? { outcome: 'no-token', targetRef: to.integrationRefFor(id) }
      : { outcome: 'missing', reason: `neither ${from.name} nor ${to.name} holds ${id}'s access token` };
  }
  // The same token again writes nothing and answers the reference.
  const { ref } = await to.integrations.putIntegrationToken(id, token);
  if ((await to.integrations.getIntegrationToken(id)) !== token) {
    return {
      outcome: 'failed',
      reason: `the copy of ${id}'s access token in ${to.name} does not read back equal`,
    };
  }
  return { outcome: existing === undefined ? 'copied' : 'kept-newer', targetRef: ref };
}

/** The conditional switch, read again and retried while concurrent changes move the version on. */
async function switchRef(item: Item, targetRef: string, deps: MigrateTokensDeps): Promise<TokenResult> {
  for (let attempt = 1; attempt <= SWITCH_ATTEMPTS; attempt++) {
    const current =
      item.kind === 'connection'
        ? await deps.store.getConnection(item.id as ConnectionId)
        : await deps.store.getIntegration(item.id as IntegrationId);
    const ref = current?.secretRef ?? null;
    if (!current || ref === null)
      return { ...idOf(item), outcome: 'failed', reason: `${item.id} has gone from the state` };
    if (deps.to.holds(ref)) return { ...idOf(item), outcome: 'already' };
    if (!deps.from.holds(ref)) {
      return {
        ...idOf(item),
        outcome: 'failed',
        reason: `${item.id}'s reference changed meanwhile to ${ref}`,
      };
    }
    // The move is announced in the switch's own write: once, whatever crashes around it.
    const at = deps.clock.now().toISOString();
    const move = { to: targetRef, recoveryDays: deps.recoveryDays, environment: deps.environment, at };
    const result =
      'discoveredBy' in current
        ? await deps.store.switchSecretRef({
            connectionId: current.id,
            expectedVersion: current.version,
            from: ref,
            to: targetRef,
            events: [connectionTokenMoved({ ...move, connection: current })],
          })
        : await deps.store.updateIntegration({
            id: current.id,
            expectedVersion: current.version,
            changes: { secretRef: targetRef },
            at,
            events: [integrationTokenMoved({ ...move, integration: current })],
          });
    if (result === 'applied') return { ...idOf(item), outcome: 'copied' };
  }
  return { ...idOf(item), outcome: 'failed', reason: `${item.id} kept changing; run the migration again` };
}

async function itemsOf(deps: Pick<MigrateTokensDeps, 'store'>): Promise<Item[]> {
  const [connections, integrations] = await Promise.all([
    deps.store.listConnections(),
    deps.store.listIntegrations(),
  ]);
  return [
    ...connections
      .filter((c): c is Connection & { secretRef: string } => c.secretRef !== null && c.secretRef !== '')
      .map((c) => ({
        kind: 'connection' as const,
        id: c.id,
        ref: c.secretRef,
        gone: c.status === 'removed',
      })),
    ...integrations.map((i: Integration) => ({
      kind: 'integration' as const,
      id: i.id,
      ref: i.secretRef,
      gone: i.deletedAt !== null,
    })),
  ];
}

const idOf = (item: Item) => ({ kind: item.kind, id: item.id });
const reasonOf = (c: { reason?: string }) => (c.reason ? { reason: c.reason } : {});
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
const sortById = (results: TokenResult[]) => results.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
const round = (usd: number) => Math.round(usd * 100) / 100;
