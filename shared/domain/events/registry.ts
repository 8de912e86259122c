import type { z } from 'zod';
import {
  ACCOUNT_ACCESS_FAILED,
  ACCOUNT_ACCESS_RESTORED,
  accountAccessFailedSchema,
  accountAccessRestoredSchema,
} from './account-access.event.js';
import { ACCOUNT_ANOMALY, accountAnomalySchema } from './account-anomaly.event.js';
import {
  CONNECTION_CONFIGURATION_CHANGED,
  connectionConfigurationChangedSchema,
} from './connection-configuration-changed.event.js';
import { CONNECTION_PROVISIONED, connectionProvisionedSchema } from './connection-provisioned.event.js';
import {
  CONNECTION_PROVISIONING_FAILED,
  connectionProvisioningFailedSchema,
} from './connection-provisioning-failed.event.js';
import {
  CONNECTION_DEACTIVATED,
  CONNECTION_REACTIVATED,
  CONNECTION_REMOVED,
  connectionDeactivatedSchema,
  connectionReactivatedSchema,
  connectionRemovedSchema,
} from './connection-status.event.js';
import { INTEGRATION_PROVISIONED, integrationProvisionedSchema } from './integration-provisioned.event.js';
import {
  INTEGRATION_CANCELED,
  INTEGRATION_DELETED,
  INTEGRATION_DISABLED,
  INTEGRATION_ENABLED,
  INTEGRATION_REINSTATED,
  integrationCanceledSchema,
  integrationDeletedSchema,
  integrationDisabledSchema,
  integrationEnabledSchema,
  integrationReinstatedSchema,
} from './integration-status.event.js';

/** Every event this service publishes: detail-type -> detail schema. The public contract. */
export const eventRegistry = {
  [CONNECTION_PROVISIONED]: connectionProvisionedSchema,
  [CONNECTION_PROVISIONING_FAILED]: connectionProvisioningFailedSchema,
  [CONNECTION_CONFIGURATION_CHANGED]: connectionConfigurationChangedSchema,
  [CONNECTION_DEACTIVATED]: connectionDeactivatedSchema,
  [CONNECTION_REACTIVATED]: connectionReactivatedSchema,
  [CONNECTION_REMOVED]: connectionRemovedSchema,
  [ACCOUNT_ACCESS_FAILED]: accountAccessFailedSchema,
  [ACCOUNT_ACCESS_RESTORED]: accountAccessRestoredSchema,
  [ACCOUNT_ANOMALY]: accountAnomalySchema,
  [INTEGRATION_PROVISIONED]: integrationProvisionedSchema,
  [INTEGRATION_ENABLED]: integrationEnabledSchema,
  [INTEGRATION_DISABLED]: integrationDisabledSchema,
  [INTEGRATION_CANCELED]: integrationCanceledSchema,
  [INTEGRATION_REINSTATED]: integrationReinstatedSchema,
  [INTEGRATION_DELETED]: integrationDeletedSchema,
} as const satisfies Record<string, z.ZodType>;

/** Validates a detail against its detail-type's schema; throws naming the type and the bad fields. */
export function parseEventDetail(detailType: string, detail: unknown) {
  const schema = (eventRegistry as Record<string, z.ZodType>)[detailType];
  if (!schema)
    throw new Error(
      `unknown detail-type '${detailType}': known are ${Object.keys(eventRegistry).join(', ')}`,
    );
  return schema.parse(detail);
}
