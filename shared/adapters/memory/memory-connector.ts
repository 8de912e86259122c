import type { EnterpriseConfiguration } from '../../domain/model.js';
import type { ConnectorApi } from '../../ports/connector-api.js';
import {
  connectorRefusal,
  faultError,
  MewsFaultBook,
  type MewsFaultDecider,
  type MewsFaultRule,
} from './memory-mews-faults.js';
import type { MemoryMewsWorld } from './memory-mews-world.js';
import { beforeCall, type MemoryAdapterOptions, type OnPortCall } from './port-call.js';

const OPERATION = 'configuration/get';

export interface MemoryConnectorOptions extends MemoryAdapterOptions {
  world: MemoryMewsWorld;
  faults?: MewsFaultDecider;
}

/**
 * Mews' Connector API (`configuration/get`) over the in-memory world, answering as Mews does: an
 * unknown or deleted access token is refused (HTTP 401), a disabled or canceled integration too
 * (HTTP 403), both as a MewsRefusal without a code; injected faults as the Channel Manager's.
 */
export class MemoryConnector implements ConnectorApi {
  readonly world: MemoryMewsWorld;
  readonly #faults: MewsFaultBook;
  readonly #onCall: OnPortCall | undefined;

  constructor(options: MemoryConnectorOptions) {
    this.world = options.world;
    this.#faults = new MewsFaultBook(options.faults);
    this.#onCall = options.onCall;
  }

  async getConfiguration(accessToken: string): Promise<EnterpriseConfiguration> {
    await beforeCall(this.#onCall, 'ConnectorApi', 'getConfiguration', [accessToken]);
    const fault = this.#faults.take({ operation: OPERATION, token: accessToken });
    if (fault) throw faultError(OPERATION, fault, true);
    const integration = this.world.integrationOf(accessToken);
    if (!integration || integration.status === 'deleted') {
      throw connectorRefusal(OPERATION, 401, 'Invalid AccessToken.');
    }
    if (integration.status !== 'enabled') {
      throw connectorRefusal(OPERATION, 403, `The integration is ${integration.status}.`);
    }
    return this.world.enterpriseConfiguration(integration.enterpriseId);
  }

  /** Fails matching calls with `fault`; returns an id for `removeFault`. */
  failCalls(rule: Omit<MewsFaultRule, 'operation' | 'email'>): number {
    return this.#faults.add({ ...rule, operation: OPERATION });
  }

  removeFault(id: number): boolean {
    return this.#faults.remove(id);
  }

  clearFaults(): void {
    this.#faults.clear();
  }
}
