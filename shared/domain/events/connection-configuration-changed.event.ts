import * as z from 'zod';
import { type ConfigurationDiff, diffSkeleton, fitDiff } from '../configuration-diff.js';
import { eventIdFor } from '../identity.js';
import type { ConfigurationState, Connection, OutboxEvent } from '../model.js';
import { DETAIL_BUDGET_BYTES, jsonBytes } from './entry-size.js';
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
  /** True when this list's entries were cut to fit the event (the lists hold the first ones). */
  truncated: z.boolean(),
  /** Exact totals, whatever the lists show. */
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
  /**
   * True when `diff` left entries out to keep the event within EventBridge's 256 KB entry (some
   * list's `truncated` is true): the counts are exact, the full configuration is the snapshot
   * `configuration.snapshot` names. Optional in the schema only because events published before
   * this field existed lack it.
   */
  truncated: z.boolean().optional(),
});

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
