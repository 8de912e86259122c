import * as z from 'zod';
import type { ConfigurationDiff } from '../configuration-diff.js';
import { eventIdFor } from '../identity.js';
import type { ConfigurationState, Connection, OutboxEvent } from '../model.js';
import {
  configurationRefSchema,
  connectionRef,
  connectionRefSchema,
  eventBase,
  type MewsEnvironment,
  SCHEMA_VERSION,
} from './event-parts.js';

export const CONNECTION_CONFIGURATION_CHANGED = 'Connection Configuration Changed';

const listDiffSchema = z.object({
  added: z.array(z.string()),
  removed: z.array(z.string()),
  changed: z.array(
    z.object({
      code: z.string(),
      fields: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
    }),
  ),
  truncated: z.boolean(),
  counts: z.object({ added: z.number().int(), removed: z.number().int(), changed: z.number().int() }),
});

export const connectionConfigurationChangedSchema = z.object({
  ...eventBase,
  connection: connectionRefSchema,
  previousDigest: z.string(),
  configuration: configurationRefSchema,
  /** Codes added, removed and changed (with from/to per field); pairs as `rate/space`. */
  diff: z.object({
    spaceCategories: listDiffSchema,
    ratePlans: listDiffSchema,
    inventoryMappings: listDiffSchema,
    products: listDiffSchema,
    productMappings: listDiffSchema,
    ageCategories: listDiffSchema,
  }),
});

export type ConnectionConfigurationChanged = z.infer<typeof connectionConfigurationChangedSchema>;

/** Keyed by the connection version the change creates: a replay repeats the id, A->B->A->B does not. */
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
    diff: input.diff,
  };
  return {
    eventId: detail.eventId,
    detailType: CONNECTION_CONFIGURATION_CHANGED,
    subject: connection.id,
    time: input.at,
    detail: connectionConfigurationChangedSchema.parse(detail),
  };
}
