import type { z } from 'zod';
import {
  ACCOUNT_ACCESS_FAILED,
  ACCOUNT_ACCESS_RESTORED,
  accountAccessFailedSchema,
  accountAccessRestoredSchema,
} from './account-access.event.js';
import { CONNECTION_PROVISIONED, connectionProvisionedSchema } from './connection-provisioned.event.js';
import {
  CONNECTION_PROVISIONING_FAILED,
  connectionProvisioningFailedSchema,
} from './connection-provisioning-failed.event.js';

/** Every event this service publishes: detail-type -> detail schema. The public contract. */
export const eventRegistry = {
  [CONNECTION_PROVISIONED]: connectionProvisionedSchema,
  [CONNECTION_PROVISIONING_FAILED]: connectionProvisioningFailedSchema,
  [ACCOUNT_ACCESS_FAILED]: accountAccessFailedSchema,
  [ACCOUNT_ACCESS_RESTORED]: accountAccessRestoredSchema,
} as const satisfies Record<string, z.ZodType>;

export type DetailType = keyof typeof eventRegistry;

/** Validates a detail against its detail-type's schema; throws naming the type and the bad fields. */
export function parseEventDetail(detailType: string, detail: unknown) {
  const schema = (eventRegistry as Record<string, z.ZodType>)[detailType];
  if (!schema)
    throw new Error(
      `unknown detail-type '${detailType}': known are ${Object.keys(eventRegistry).join(', ')}`,
    );
  return schema.parse(detail);
}
