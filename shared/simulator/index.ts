export { ADMIN_ROUTES } from './admin-routes.js';
export type { CallCounts, RequestLogEntry } from './call-log.js';
export { CHANNEL_MANAGER_BASE_PATH } from './channel-manager-routes.js';
export type {
  ConfigurationPatch,
  MewsConfiguration,
  MewsConfigurationInput,
} from './configuration-schema.js';
export type { ConnectorRequestLogEntry } from './connector-routes.js';
export { CONNECTOR_BASE_PATH } from './connector-routes.js';
export { loadDefaultSeed } from './default-seed.js';
export type { ActiveFault, FaultKind, FaultSpec, OperationName } from './faults.js';
export { OPERATIONS } from './faults.js';
export { generateConfiguration, LARGE_PROPERTY_SIZE } from './large-property.js';
export type { ServerRateLimitSpec, ServerRateLimitStatus } from './rate-limit.js';
export type { SimulatorControl } from './simulator-control.js';
export type {
  AddedIntegration,
  IntegrationRecord,
  IntegrationSpec,
  IntegrationStatus,
} from './simulator-integrations.js';
export type {
  AccountSpec,
  ConfigurationSize,
  ConnectionSpec,
  EnterpriseSpec,
  PropertySpec,
  SeedFile,
} from './simulator-specs.js';
export { SimulatorInputError } from './simulator-specs.js';
export type { AddedEnterprise, AddedProperty, StateSummary } from './simulator-state.js';
export type { MewsSimulator, MewsSimulatorOptions } from './start-simulator.js';
export { startMewsSimulator } from './start-simulator.js';
export type {
  NotificationTypeName,
  SentWebhook,
  SentWebhookLogEntry,
  WebhookTarget,
} from './webhook-sender.js';
