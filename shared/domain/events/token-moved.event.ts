import type * as z from 'zod';
import {
  CONNECTION_TOKEN_MOVED,
  connectionTokenMovedSchema,
} from '../../../packages/events/src/connection-events.js';
import type { previousTokenSchema } from '../../../packages/events/src/event-parts.js';
import {
  INTEGRATION_TOKEN_MOVED,
  integrationTokenMovedSchema,
} from '../../../packages/events/src/integration-events.js';
import { eventIdFor } from '../identity.js';
import type { Connection, Integration, OutboxEvent } from '../model.js';
import { connectionRef, type MewsEnvironment, SCHEMA_VERSION, secretLocation } from './event-parts.js';
import { integrationRef, namedRef } from './integration-parts.js';

/** A token's move from `from` to `to`, as the migration switches the state's reference. */
interface Move {
  /** The new reference. */
  to: string;
  /** The old copy's recovery window (it is scheduled for deletion after the switch). */
  recoveryDays: number;
  environment: MewsEnvironment;
  at: string;
}

const DAY_MS = 86_400_000;

function previous(ref: string, move: Move): z.infer<typeof previousTokenSchema> {
  const deletedAfter = new Date(Date.parse(move.at) + move.recoveryDays * DAY_MS).toISOString();
  return { ...secretLocation(ref), deletedAfter };
}

/**
 * `connection` as the switch read it (its reference the old one). Keyed by the version the switch
 * creates, as every connection event: a resumed migration that writes the switch again carries
 * the same id, a move back later has its own.
 */
export function connectionTokenMoved(input: Move & { connection: Connection }): OutboxEvent {
  const { connection } = input;
  const detail: z.infer<typeof connectionTokenMovedSchema> = {
    schemaVersion: SCHEMA_VERSION,
    eventId: eventIdFor(CONNECTION_TOKEN_MOVED, connection.id, connection.version + 1),
    occurredAt: input.at,
    environment: input.environment,
    connection: connectionRef({ ...connection, secretRef: input.to }, connection.discoveredBy),
    status: connection.status,
    previous: previous(connection.secretRef ?? '', input),
  };
  return {
    eventId: detail.eventId,
    detailType: CONNECTION_TOKEN_MOVED,
    subject: connection.id,
    time: input.at,
    detail: connectionTokenMovedSchema.parse(detail),
  };
}

/** `integration` as the switch read it; keyed by the version the switch creates, as above. */
export function integrationTokenMoved(input: Move & { integration: Integration }): OutboxEvent {
  const { integration } = input;
  const detail: z.infer<typeof integrationTokenMovedSchema> = {
    schemaVersion: SCHEMA_VERSION,
    eventId: eventIdFor(INTEGRATION_TOKEN_MOVED, integration.id, integration.version + 1),
    occurredAt: input.at,
    environment: input.environment,
    integration: integrationRef({ ...integration, secretRef: input.to }),
    enterprise: namedRef(integration.enterprise),
    enabled: integration.enabled,
    canceled: integration.canceled,
    deleted: integration.deletedAt !== null,
    previous: previous(integration.secretRef, input),
  };
  return {
    eventId: detail.eventId,
    detailType: INTEGRATION_TOKEN_MOVED,
    subject: integration.id,
    time: input.at,
    detail: integrationTokenMovedSchema.parse(detail),
  };
}
