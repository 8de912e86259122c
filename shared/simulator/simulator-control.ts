import type { CallCounts, CallLog, RequestLogEntry } from './call-log.js';
import type {
  ConfigurationPatch,
  MewsConfiguration,
  MewsConfigurationInput,
} from './configuration-schema.js';
import type { ConnectorRequestLogEntry } from './connector-routes.js';
import type { ActiveFault, FaultBook, FaultSpec, OperationName } from './faults.js';
import type {
  AddedIntegration,
  IntegrationBook,
  IntegrationRecord,
  IntegrationSpec,
  IntegrationStatus,
} from './simulator-integrations.js';
import type { AccountSpec, EnterpriseSpec, ParsedSeed, PropertySpec } from './simulator-specs.js';
import type { AddedEnterprise, AddedProperty, SimulatorState, StateSummary } from './simulator-state.js';
import type {
  NotificationTypeName,
  SentWebhook,
  SentWebhookLogEntry,
  WebhookSender,
  WebhookTarget,
} from './webhook-sender.js';

/**
 * The simulator's control API, used in-process by tests and over HTTP by the admin
 * routes. Methods throw SimulatorInputError for bad input or unknown ids.
 */
export interface SimulatorControl {
  /** Adds a connection; returns its token (`fake-conn-NNNN` from a counter unless given). */
  addConnection(propertyId: string, options?: { name?: string; token?: string }): string;
  /** False when no such connection. Its token then fails with code 8. */
  removeConnection(token: string): boolean;
  setConfiguration(propertyId: string, configuration: MewsConfigurationInput): void;
  /** Lists given replace the held ones; `property` fields are merged. */
  patchConfiguration(propertyId: string, patch: ConfigurationPatch): void;
  /** In-process only: edit a copy and store what the function returns. */
  updateConfiguration(
    propertyId: string,
    update: (configuration: MewsConfiguration) => MewsConfiguration,
  ): void;
  /** A copy of the held configuration (everything, before extent filtering). */
  configurationOf(propertyId: string): MewsConfiguration;
  renameProperty(propertyId: string, name: string): void;
  addProperty(enterpriseId: string, spec?: PropertySpec): AddedProperty;
  /** Adds an employee email to an enterprise; returns it lower-cased. */
  addAccount(enterpriseId: string, account: AccountSpec): string;
  removeAccount(email: string): boolean;
  setAccountLocked(email: string, lockedOut: boolean): void;
  addEnterprise(spec: EnterpriseSpec): AddedEnterprise;
  /** Bulk version for load tests; not atomic across enterprises. */
  addEnterprises(specs: EnterpriseSpec[]): AddedEnterprise[];
  /** Returns the fault's id. */
  addFault(spec: FaultSpec): string;
  removeFault(id: string): boolean;
  /** Clears one operation's faults, or all. */
  clearFaults(operation?: OperationName): void;
  faults(): ActiveFault[];
  /** Requests per operation since start, reset or clearCalls (faulted ones included). */
  calls(): CallCounts;
  /** The request log (no tokens), oldest first. */
  requests(): RequestLogEntry[];
  clearCalls(): void;
  state(): StateSummary;
  /** Back to the seed: state, token counter, faults and counters (integrations and webhook log too; the target stays). */
  reset(): void;

  // ---- lifecycle in Mews, and Mews' push channels ----

  /** Disables (enabled: false) or enables a connection: while disabled, getConfiguration answers code 3. */
  setConnectionEnabled(token: string, enabled: boolean): void;
  /** Where change notifications and integration webhooks go (the channel manager's address). */
  setWebhookTarget(target: WebhookTarget): void;
  /**
   * Sends a change notification about a connection (type 0-4 or its name) with the client token
   * (or `clientToken`), to `/changeNotification` (or `path`). Resolves with the answer.
   */
  notify(
    connectionToken: string,
    type: number | NotificationTypeName,
    options?: { clientToken?: string; path?: string },
  ): Promise<SentWebhook>;
  /** Sends an integration webhook; `data` is an integration id (documented Data built from it) or the Data itself. */
  sendIntegrationWebhook(
    action: string,
    data: string | Record<string, unknown>,
    options?: { secret?: string },
  ): Promise<SentWebhook>;
  /** POSTs a raw body (string or object) to a path of the webhook target (malformed-input tests). */
  postWebhook(path: string, body: string | Record<string, unknown>): Promise<SentWebhook>;
  /** Change notifications and webhooks sent so far (no tokens). */
  sentWebhooks(): SentWebhookLogEntry[];
  /** Creates a Connector API integration of an enterprise with a (fake) access token. */
  addIntegration(spec: IntegrationSpec): AddedIntegration;
  setIntegrationStatus(integrationId: string, status: IntegrationStatus): void;
  /** Regenerates the access token (the old one stops working); returns the new one. */
  rotateIntegrationAccessToken(integrationId: string): string;
  integrations(): IntegrationRecord[];
  /** Connector API requests (configuration/get), with the `Client` each named; no tokens. */
  connectorRequests(): ConnectorRequestLogEntry[];
}

export function createSimulatorControl(deps: {
  state: SimulatorState;
  faults: FaultBook;
  log: CallLog;
  seed: ParsedSeed;
  integrations: IntegrationBook;
  sender: WebhookSender;
  connector: { requests(): ConnectorRequestLogEntry[]; clear(): void };
}): SimulatorControl {
  const { state, faults, log, seed, integrations, sender, connector } = deps;
  return {
    addConnection: (propertyId, options) => state.addConnection(propertyId, options),
    removeConnection: (token) => state.removeConnection(token),
    setConfiguration: (propertyId, configuration) => state.setConfiguration(propertyId, configuration),
    patchConfiguration: (propertyId, patch) => state.patchConfiguration(propertyId, patch),
    updateConfiguration: (propertyId, update) => state.updateConfiguration(propertyId, update),
    configurationOf: (propertyId) => state.configurationOf(propertyId),
    renameProperty: (propertyId, name) => state.renameProperty(propertyId, name),
    addProperty: (enterpriseId, spec = {}) => state.addProperty(enterpriseId, spec),
    addAccount: (enterpriseId, account) => state.addAccount(enterpriseId, account),
    removeAccount: (email) => state.removeAccount(email),
    setAccountLocked: (email, lockedOut) => state.setAccountLocked(email, lockedOut),
    addEnterprise: (spec) => state.addEnterprise(spec),
    addEnterprises: (specs) => specs.map((spec) => state.addEnterprise(spec)),
    addFault: (spec) => faults.add(spec),
    removeFault: (id) => faults.remove(id),
    clearFaults: (operation) => faults.clear(operation),
    faults: () => faults.list(),
    calls: () => log.calls(),
    requests: () => log.requests(),
    clearCalls: () => log.clear(),
    state: () => state.summary(),
    reset: () => {
      state.load(seed);
      faults.reset();
      log.clear();
      integrations.reset();
      sender.clear();
      connector.clear();
    },
    setConnectionEnabled: (token, enabled) => state.setConnectionEnabled(token, enabled),
    setWebhookTarget: (target) => sender.setTarget(target),
    notify: (connectionToken, type, options) => sender.notify(connectionToken, type, options),
    sendIntegrationWebhook: (action, data, options) => sender.sendIntegrationWebhook(action, data, options),
    postWebhook: (path, body) => sender.postRaw(path, body),
    sentWebhooks: () => sender.sent(),
    addIntegration: (spec) => integrations.add(spec),
    setIntegrationStatus: (integrationId, status) => integrations.setStatus(integrationId, status),
    rotateIntegrationAccessToken: (integrationId) => integrations.rotateAccessToken(integrationId),
    integrations: () => integrations.list(),
    connectorRequests: () => connector.requests(),
  };
}
