/**
 * The connection lifecycle (docs/lifecycle.md): pure decisions from the connection as stored and
 * what Mews answered. No I/O and no clock: the use case passes the time it read, writes the
 * decision conditionally on the version it read, and a stale decision fails instead of applying.
 */
import { type ConfigurationDiff, diffConfigurations, isEmptyDiff } from '../configuration-diff.js';
import type { MappingView } from '../configuration-view.js';
import { connectionConfigurationChanged } from '../events/connection-configuration-changed.event.js';
import { connectionProvisioned } from '../events/connection-provisioned.event.js';
import { connectionProvisioningFailed } from '../events/connection-provisioning-failed.event.js';
import {
  CONNECTION_DEACTIVATED,
  CONNECTION_REACTIVATED,
  CONNECTION_REMOVED,
  connectionStatusEvent,
} from '../events/connection-status.event.js';
import type { MewsEnvironment } from '../events/event-parts.js';
import type { AccountId, ConfigurationState, Connection, Membership, OutboxEvent } from '../model.js';

/** Consecutive successful polls that must lack a connection before it counts as removed. */
export const REMOVAL_CONFIRMATIONS = 2;

/**
 * Mews codes that say the connection itself is disabled or gone: 3 (not found or disabled) and
 * 9 (operation disabled). Never 8: Mews also sends it for a wrong client token, which would
 * deactivate every connection at once.
 */
const DEACTIVATION_CODES: ReadonlySet<number> = new Set([3, 9]);

export interface DecisionContext {
  environment: MewsEnvironment;
  /** When the use case read its clock for this decision. */
  at: string;
}

/** Why a sync runs: a poll listed it (discovered, retry), or a check (refresh, notification). */
export type SyncTrigger = 'discovered' | 'retry' | 'refresh' | 'notification';

const fromPoll = (trigger: SyncTrigger) => trigger === 'discovered' || trigger === 'retry';

/** Subscribers have heard of it: `Connection Provisioned` went out. */
const wasProvisioned = (connection: Connection) => connection.provisionedAt !== null;

/** What a sync does before any Mews call. */
export type SyncPlan =
  /** Provisioned already and listed by a poll: only the account's membership is marked synced. */
  | { kind: 'mark-synced' }
  /** Removed, and nothing says it is listed again: there is nothing to ask Mews. */
  | { kind: 'skip' }
  | { kind: 'ask-mews' };

export function planSync(connection: Connection, trigger: SyncTrigger): SyncPlan {
  if (connection.status === 'provisioned' && fromPoll(trigger)) return { kind: 'mark-synced' };
  if (connection.status === 'removed' && !fromPoll(trigger)) return { kind: 'skip' };
  return { kind: 'ask-mews' };
}

/** What Mews answered getConfiguration, as the domain needs it. */
export type ConfigurationAnswer =
  | {
      kind: 'configuration';
      state: ConfigurationState;
      view: MappingView;
      /** The stored snapshot's view when the digest moved (empty if it was pruned), else null. */
      previousView: MappingView | null;
    }
  | { kind: 'refused'; code: number | null; message: string };

export type SyncDecision =
  /** discovered (or removed before it was ever provisioned) -> provisioned. */
  | { kind: 'provision'; events: OutboxEvent[] }
  /** A provisioned connection changes status and/or configuration. */
  | {
      kind: 'update';
      status: 'provisioned' | 'deactivated';
      withConfiguration: boolean;
      events: OutboxEvent[];
    }
  /** A fact with no state change: provisioning failed. */
  | { kind: 'report'; events: OutboxEvent[] }
  | { kind: 'none' };

export function decideSync(
  connection: Connection,
  accountId: AccountId,
  answer: ConfigurationAnswer,
  ctx: DecisionContext,
): SyncDecision {
  const base = { connection, environment: ctx.environment, at: ctx.at };
  if (answer.kind === 'refused') {
    if (!wasProvisioned(connection)) {
      return {
        kind: 'report',
        events: [
          connectionProvisioningFailed({ ...base, accountId, code: answer.code, message: answer.message }),
        ],
      };
    }
    const disabled = answer.code !== null && DEACTIVATION_CODES.has(answer.code);
    if (!disabled || connection.status === 'deactivated') return { kind: 'none' };
    const deactivated = connectionStatusEvent({ ...base, type: CONNECTION_DEACTIVATED, code: answer.code });
    // Listed again after its removal, but disabled in Mews: it is back, and it is off.
    const returned =
      connection.status === 'removed'
        ? [
            connectionStatusEvent({
              ...base,
              type: CONNECTION_REACTIVATED,
              reason: 'returned',
              previousStatus: 'removed',
            }),
          ]
        : [];
    return {
      kind: 'update',
      status: 'deactivated',
      withConfiguration: false,
      events: [...returned, deactivated],
    };
  }

  if (!wasProvisioned(connection)) {
    const secretRef = connection.secretRef ?? '';
    return {
      kind: 'provision',
      events: [
        connectionProvisioned({
          connection,
          accountId: connection.discoveredBy,
          secretRef,
          configuration: answer.state,
          environment: ctx.environment,
          at: ctx.at,
        }),
      ],
    };
  }

  const events: OutboxEvent[] = [];
  if (connection.status === 'deactivated' || connection.status === 'removed') {
    events.push(
      connectionStatusEvent({
        ...base,
        type: CONNECTION_REACTIVATED,
        reason: connection.status === 'removed' ? 'returned' : 'activated',
        previousStatus: connection.status,
      }),
    );
  }
  const diff = configurationChange(connection, answer);
  if (diff) {
    events.push(
      connectionConfigurationChanged({
        ...base,
        previousDigest: connection.configuration?.digest ?? '',
        configuration: answer.state,
        diff,
      }),
    );
  }
  if (events.length === 0) return { kind: 'none' };
  return { kind: 'update', status: 'provisioned', withConfiguration: true, events };
}

function configurationChange(
  connection: Connection,
  answer: Extract<ConfigurationAnswer, { kind: 'configuration' }>,
): ConfigurationDiff | null {
  const previous = connection.configuration?.digest ?? null;
  if (previous === null || previous === answer.state.digest || answer.previousView === null) return null;
  const diff = diffConfigurations(answer.previousView, answer.view);
  return isEmptyDiff(diff) ? null : diff;
}

/** What follows when `accountId` has confirmed a connection missing. */
export type MissingDecision =
  /** Another account still lists it: only this account's membership goes. */
  | { kind: 'leave' }
  /**
   * No account lists it: it is removed, its memberships (exactly `members`) go with it and its
   * token is scheduled for deletion. Announced only if subscribers ever heard of it.
   */
  | { kind: 'remove'; members: AccountId[]; events: OutboxEvent[] }
  /** The view it was asked about is stale (re-listed, or already settled). */
  | { kind: 'none' };

export function decideMissing(
  connection: Connection | undefined,
  memberships: Membership[],
  accountId: AccountId,
  ctx: DecisionContext & { secretRecoveryDays: number },
): MissingDecision {
  const own = memberships.find((m) => m.accountId === accountId);
  if (!own || own.missingPolls < REMOVAL_CONFIRMATIONS) return { kind: 'none' };
  if (memberships.some((m) => m.missingPolls < REMOVAL_CONFIRMATIONS)) return { kind: 'leave' };
  if (!connection) return { kind: 'none' };
  const members = memberships.map((m) => m.accountId);
  // Never announced (provisioning failed or still pending), or announced removed already: quietly.
  if (!wasProvisioned(connection) || connection.status === 'removed')
    return { kind: 'remove', members, events: [] };
  return {
    kind: 'remove',
    members,
    events: [
      connectionStatusEvent({
        connection,
        type: CONNECTION_REMOVED,
        secretRecoveryDays: ctx.secretRecoveryDays,
        environment: ctx.environment,
        at: ctx.at,
      }),
    ],
  };
}
