import type { CallCounts, CallLog, RequestLogEntry } from './call-log.js';
import type {
  ConfigurationPatch,
  MewsConfiguration,
  MewsConfigurationInput,
} from './configuration-schema.js';
import type { ActiveFault, FaultBook, FaultSpec, OperationName } from './faults.js';
import type { AccountSpec, EnterpriseSpec, ParsedSeed, PropertySpec } from './simulator-specs.js';
import type { AddedEnterprise, AddedProperty, SimulatorState, StateSummary } from './simulator-state.js';

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
  /** Back to the seed: state, token counter, faults and counters. */
  reset(): void;
}

export function createSimulatorControl(deps: {
  state: SimulatorState;
  faults: FaultBook;
  log: CallLog;
  seed: ParsedSeed;
}): SimulatorControl {
  const { state, faults, log, seed } = deps;
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
    },
  };
}
