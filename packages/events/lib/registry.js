import * as z from 'zod/mini';
import { ACCOUNT_ACCESS_FAILED, ACCOUNT_ACCESS_RESTORED, ACCOUNT_ANOMALY, accountAccessFailedSchema, accountAccessRestoredSchema, accountAnomalySchema, } from './account-events.js';
import { CONNECTION_CONFIGURATION_CHANGED, CONNECTION_DEACTIVATED, CONNECTION_PROVISIONED, CONNECTION_PROVISIONING_FAILED, CONNECTION_REACTIVATED, CONNECTION_REMOVED, CONNECTION_TOKEN_MOVED, connectionConfigurationChangedSchema, connectionDeactivatedSchema, connectionProvisionedSchema, connectionProvisioningFailedSchema, connectionReactivatedSchema, connectionRemovedSchema, connectionTokenMovedSchema, } from './connection-events.js';
import { INTEGRATION_CANCELED, INTEGRATION_DELETED, INTEGRATION_DISABLED, INTEGRATION_ENABLED, INTEGRATION_PROVISIONED, INTEGRATION_REINSTATED, INTEGRATION_TOKEN_MOVED, integrationCanceledSchema, integrationDeletedSchema, integrationDisabledSchema, integrationEnabledSchema, integrationProvisionedSchema, integrationReinstatedSchema, integrationTokenMovedSchema, } from './integration-events.js';
import { ENGLISH } from './messages.js';
/** Every event the provisioner publishes: detail-type -> detail schema. The public contract. */
export const eventRegistry = {
    [CONNECTION_PROVISIONED]: connectionProvisionedSchema,
    [CONNECTION_PROVISIONING_FAILED]: connectionProvisioningFailedSchema,
    [CONNECTION_CONFIGURATION_CHANGED]: connectionConfigurationChangedSchema,
    [CONNECTION_DEACTIVATED]: connectionDeactivatedSchema,
    [CONNECTION_REACTIVATED]: connectionReactivatedSchema,
    [CONNECTION_REMOVED]: connectionRemovedSchema,
    [CONNECTION_TOKEN_MOVED]: connectionTokenMovedSchema,
    [ACCOUNT_ACCESS_FAILED]: accountAccessFailedSchema,
    [ACCOUNT_ACCESS_RESTORED]: accountAccessRestoredSchema,
    [ACCOUNT_ANOMALY]: accountAnomalySchema,
    [INTEGRATION_PROVISIONED]: integrationProvisionedSchema,
    [INTEGRATION_ENABLED]: integrationEnabledSchema,
    [INTEGRATION_DISABLED]: integrationDisabledSchema,
    [INTEGRATION_CANCELED]: integrationCanceledSchema,
    [INTEGRATION_REINSTATED]: integrationReinstatedSchema,
    [INTEGRATION_DELETED]: integrationDeletedSchema,
    [INTEGRATION_TOKEN_MOVED]: integrationTokenMovedSchema,
};
export const DETAIL_TYPES = Object.keys(eventRegistry);
export function isDetailType(value) {
    return typeof value === 'string' && Object.hasOwn(eventRegistry, value);
}
/** An event the kit cannot read. `issues` name the fields (`detail.connection.id: …`), never their values. */
export class EventParseError extends Error {
    issues;
    name = 'EventParseError';
    constructor(issues, what) {
        super(`not a valid ${what}: ${issues.slice(0, 10).join('; ')}${issues.length > 10 ? `; and ${issues.length - 10} more` : ''}`);
        this.issues = issues;
    }
}
/** Zod issues as `path: message`; zod's messages say what was expected, not the value received. */
export function describeIssues(error, prefix = []) {
    return error.issues.map((issue) => {
        const path = [...prefix, ...issue.path.map(String)];
        return `${path.length > 0 ? path.join('.') : '(event)'}: ${issue.message}`;
    });
}
export function parseEventDetail(detailType, detail) {
    if (!isDetailType(detailType)) {
        throw new EventParseError([`detail-type: '${detailType.slice(0, 100)}' is not one of ${DETAIL_TYPES.join(', ')}`], 'provisioner event');
    }
    const parsed = z.safeParse(eventRegistry[detailType], detail, ENGLISH);
    if (!parsed.success)
        throw new EventParseError(describeIssues(parsed.error, ['detail']), `${detailType} event`);
    return parsed.data;
}
