import type * as z from 'zod';
import {
  CONNECTION_CONFIGURATION_CHANGED,
  connectionConfigurationChangedSchema,
} from '../../../packages/events/src/connection-events.js';
import { type ConfigurationDiff, diffSkeleton, fitDiff } from '../configuration-diff.js';
import { eventIdFor } from '../identity.js';
import type { ConfigurationState, Connection, OutboxEvent } from '../model.js';
import { DETAIL_BUDGET_BYTES, jsonBytes } from './entry-size.js';
import { connectionRef, type MewsEnvironment, SCHEMA_VERSION } from './event-parts.js';

export { CONNECTION_CONFIGURATION_CHANGED };

export type ConnectionConfigurationChanged = z.infer<typeof connectionConfigurationChangedSchema>;

/**
 * Keyed by the connection version the change creates: a replay repeats the id, A->B->A->B does not.
 * `diff` may be complete (diffConfigurations): the event carries as much of it as fits in
 * DETAIL_BUDGET_BYTES of detail, whatever the property's size, and says whether it is all.
 */
export function connectionConfigurationChanged(input: {
  connection: Connection;
  previousDigest: string;
  configuration: ConfigurationState;
  diff: ConfigurationDiff;
  environment: MewsEnvironment;
  at: string;
}): OutboxEvent {
  const { connection, configuration } = input;
  const detail: ConnectionConfigurationChanged = {
    schemaVersion: SCHEMA_VERSION,
    eventId: eventIdFor(CONNECTION_CONFIGURATION_CHANGED, connection.id, connection.version + 1),
    occurredAt: input.at,
    environment: input.environment,
    connection: connectionRef(connection, connection.discoveredBy),
    previousDigest: input.previousDigest,
    configuration: {
      digest: configuration.digest,
      summary: configuration.summary,
      snapshot: { connectionId: connection.id, digest: configuration.digest },
    },
    diff: diffSkeleton(input.diff),
    truncated: false,
  };
  // The fixed part (everything but the diff's entries) is measured at its largest; the entries
  // share what is left of the budget.
  const fitted = fitDiff(input.diff, DETAIL_BUDGET_BYTES - jsonBytes(detail));
  detail.diff = fitted.diff;
  detail.truncated = fitted.truncated;
  return {
    eventId: detail.eventId,
    detailType: CONNECTION_CONFIGURATION_CHANGED,
    subject: connection.id,
    time: input.at,
    detail: connectionConfigurationChangedSchema.parse(detail),
  };
}
