import * as z from 'zod/mini';
import {
  configurationRefSchema,
  configurationSummarySchema,
  connectionRefSchema,
  eventBase,
  previousTokenSchema,
  snapshotRefSchema,
} from './event-parts.js';

export const CONNECTION_PROVISIONED = 'Connection Provisioned';
export const CONNECTION_PROVISIONING_FAILED = 'Connection Provisioning Failed';
export const CONNECTION_CONFIGURATION_CHANGED = 'Connection Configuration Changed';
export const CONNECTION_DEACTIVATED = 'Connection Deactivated';
export const CONNECTION_REACTIVATED = 'Connection Reactivated';
export const CONNECTION_REMOVED = 'Connection Removed';
export const CONNECTION_TOKEN_MOVED = 'Connection Token Moved';

export const connectionProvisionedSchema = z.object({
  ...eventBase,
  connection: connectionRefSchema,
  configuration: z.object({
    digest: z.string(),
    summary: configurationSummarySchema,
    snapshot: snapshotRefSchema,
  }),
});

export const connectionProvisioningFailedSchema = z.object({
  ...eventBase,
  connection: connectionRefSchema,
  error: z.object({
    /** Mews error code when Mews refused (3: connection not found, 8: token invalid, 9: disabled). */
    code: z.nullable(z.number().check(z.int())),
    message: z.string(),
  }),
});

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
  counts: z.object({
    added: z.number().check(z.int()),
    removed: z.number().check(z.int()),
    changed: z.number().check(z.int()),
  }),
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
   * `configuration.snapshot` names. Optional only because events published before this field
   * existed lack it.
   */
  truncated: z.optional(z.boolean()),
});

export const connectionDeactivatedSchema = z.object({
  ...eventBase,
  connection: connectionRefSchema,
  /** The Mews error code that said so (3: connection not found or disabled). */
  code: z.nullable(z.number().check(z.int())),
});

export const connectionReactivatedSchema = z.object({
  ...eventBase,
  connection: connectionRefSchema,
  /** activated: Mews enabled it again; returned: listed again after it was removed. */
  reason: z.enum(['activated', 'returned']),
  previousStatus: z.enum(['deactivated', 'removed']),
});

export const connectionRemovedSchema = z.object({
  ...eventBase,
  connection: connectionRefSchema,
  /** The token is deleted after this many days unless the connection returns. */
  secretRecoveryDays: z.number().check(z.int()),
});

export const connectionTokenMovedSchema = z.object({
  ...eventBase,
  /** `secretRef` and `secretStore` name the token's new place. */
  connection: connectionRefSchema,
  /** The connection's status, which the move leaves as it was (discovered: not provisioned yet). */
  status: z.enum(['discovered', 'provisioned', 'deactivated', 'removed']),
  previous: previousTokenSchema,
});
