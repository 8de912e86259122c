import {
  CONNECTION_DEACTIVATED,
  CONNECTION_REACTIVATED,
  CONNECTION_REMOVED,
  connectionDeactivatedSchema,
  connectionReactivatedSchema,
  connectionRemovedSchema,
} from '../../../packages/events/src/connection-events.js';
import { eventIdFor } from '../identity.js';
import type { Connection, OutboxEvent } from '../model.js';
import { connectionRef, type MewsEnvironment, SCHEMA_VERSION } from './event-parts.js';

/** Status changes of a provisioned connection. One schema each; they share this builder. */
export { CONNECTION_DEACTIVATED, CONNECTION_REACTIVATED, CONNECTION_REMOVED };

type StatusEvent =
  | { type: typeof CONNECTION_DEACTIVATED; code: number | null }
  | {
      type: typeof CONNECTION_REACTIVATED;
      reason: 'activated' | 'returned';
      previousStatus: 'deactivated' | 'removed';
    }
  | { type: typeof CONNECTION_REMOVED; secretRecoveryDays: number };

const schemas = {
  [CONNECTION_DEACTIVATED]: connectionDeactivatedSchema,
  [CONNECTION_REACTIVATED]: connectionReactivatedSchema,
  [CONNECTION_REMOVED]: connectionRemovedSchema,
};

/** Keyed by the connection version the transition creates: each transition has its own id, a replay the same. */
export function connectionStatusEvent(
  input: { connection: Connection; environment: MewsEnvironment; at: string } & StatusEvent,
): OutboxEvent {
  const { connection, type, ...rest } = input;
  const extra = Object.fromEntries(Object.entries(rest).filter(([k]) => k !== 'environment' && k !== 'at'));
  const detail = {
    schemaVersion: SCHEMA_VERSION,
    eventId: eventIdFor(type, connection.id, connection.version + 1),
    occurredAt: input.at,
    environment: input.environment,
    connection: connectionRef(connection, connection.discoveredBy),
    ...extra,
  };
  return {
    eventId: detail.eventId,
    detailType: type,
    subject: connection.id,
    time: input.at,
    detail: schemas[type].parse(detail),
  };
}
