import { connectionIdFromToken } from '../../domain/identity.js';
import type { ConnectionId } from '../../domain/model.js';
import type { Channel } from '../../mews/channels.schema.js';
import type { Configuration, ConfigurationExtent } from '../../mews/configuration.schema.js';
import type { PropertiesResponse } from '../../mews/properties.schema.js';
import type { ChannelManagerApi } from '../../ports/channel-manager-api.js';
import {
  faultError,
  type MewsFault,
  MewsFaultBook,
  type MewsFaultDecider,
  type MewsFaultRule,
  refusal,
} from './memory-mews-faults.js';
import type { MemoryMewsWorld } from './memory-mews-world.js';
import { beforeCall, type MemoryAdapterOptions, type OnPortCall } from './port-call.js';

/** One call, as the log keeps it: never the token (the connection id stands for it). */
export interface MewsCallRecord {
  operation: 'getProperties' | 'getConfiguration' | 'getChannels';
  email?: string;
  connectionId?: ConnectionId;
  /** 'ok', or the kind of failure the call got (an injected fault, or the world's answer). */
  outcome: 'ok' | 'unknown-email' | 'unknown-token' | MewsFault['kind'];
}

export interface MemoryChannelManagerOptions extends MemoryAdapterOptions {
  world: MemoryMewsWorld;
  /** Decides a fault for calls no injected rule matched (e.g. a seeded random source). */
  faults?: MewsFaultDecider;
  /** Default extent (the HTTP client's default is everything). */
  defaultExtent?: ConfigurationExtent;
}

const FULL_EXTENT: Required<ConfigurationExtent> = {
  includeUnsynchronizedRates: true,
  includeUnsynchronizedCategories: true,
  includeProducts: true,
  includeCompanies: true,
  includeAgeCategories: true,
};

/**
 * Mews' Channel Manager API over an in-memory world, answering as Mews (and the simulator) do:
 * an unknown or locked-out email and an unknown or removed token are refused with code 8, a
 * disabled connection with code 3, and injected faults (`failCalls`, or the `faults` decider)
 * stand for what the HTTP client throws once it gives up. Every failure is a port type
 * (MewsRefusal, MewsTransientFailure). Answers are copies.
 */
export class MemoryChannelManager implements ChannelManagerApi {
  readonly world: MemoryMewsWorld;
  readonly #faults: MewsFaultBook;
  readonly #onCall: OnPortCall | undefined;
  readonly #defaultExtent: ConfigurationExtent;
  readonly #calls: MewsCallRecord[] = [];

  constructor(options: MemoryChannelManagerOptions) {
    this.world = options.world;
    this.#faults = new MewsFaultBook(options.faults);
    this.#onCall = options.onCall;
    this.#defaultExtent = { ...(options.defaultExtent ?? FULL_EXTENT) };
  }

  async getProperties(email: string): Promise<PropertiesResponse> {
    await beforeCall(this.#onCall, 'ChannelManagerApi', 'getProperties', [email]);
    const operation = 'getProperties';
    const fault = this.#faults.take({ operation, email });
    if (fault) throw this.#fail({ operation, email, outcome: fault.kind }, faultError(operation, fault));
    const properties = this.world.visibleProperties(email);
    if (!properties) throw this.#fail({ operation, email, outcome: 'unknown-email' }, refusal(operation, 8));
    this.#calls.push({ operation, email, outcome: 'ok' });
    return {
      success: true,
      properties: properties.map((p) => ({
        id: p.id,
        name: p.name,
        connections: p.connections.map((c) => ({ token: c.token, name: c.name })),
      })),
    };
  }

  async getConfiguration(connectionToken: string, extent?: ConfigurationExtent): Promise<Configuration> {
    await beforeCall(this.#onCall, 'ChannelManagerApi', 'getConfiguration', [connectionToken, extent]);
    const operation = 'getConfiguration';
    const connectionId = connectionIdFromToken(connectionToken);
    const fault = this.#faults.take({ operation, token: connectionToken });
    if (fault)
      throw this.#fail({ operation, connectionId, outcome: fault.kind }, faultError(operation, fault));
    if (!this.world.hasConnection(connectionToken)) {
      throw this.#fail({ operation, connectionId, outcome: 'unknown-token' }, refusal(operation, 8));
    }
    if (!this.world.isConnectionEnabled(connectionToken)) {
      throw this.#fail(
        { operation, connectionId, outcome: 'disabled' },
        faultError(operation, { kind: 'disabled' }),
      );
    }
    this.#calls.push({ operation, connectionId, outcome: 'ok' });
    return withExtent(this.world.configurationOf(connectionToken), extent ?? this.#defaultExtent);
  }

  async getChannels(): Promise<Channel[]> {
    await beforeCall(this.#onCall, 'ChannelManagerApi', 'getChannels', []);
    const operation = 'getChannels';
    const fault = this.#faults.take({ operation });
    if (fault) throw this.#fail({ operation, outcome: fault.kind }, faultError(operation, fault));
    this.#calls.push({ operation, outcome: 'ok' });
    return this.world.channels.map((c) => ({ ...c }));
  }

  // ---- fault injection and inspection (no port call, no hook) ----

  /** Fails matching calls with `fault` (in the order rules were added); returns an id for `removeFault`. */
  failCalls(rule: MewsFaultRule): number {
    return this.#faults.add(rule);
  }

  removeFault(id: number): boolean {
    return this.#faults.remove(id);
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  /** Every call so far, oldest first. */
  calls(): MewsCallRecord[] {
    return this.#calls.map((c) => ({ ...c }));
  }

  clearCalls(): void {
    this.#calls.length = 0;
  }

  #fail(record: MewsCallRecord, error: Error): Error {
    this.#calls.push(record);
    return error;
  }
}

/** Cuts the configuration down as Mews does for the extent asked (what is left out reads as empty). */
function withExtent(c: Configuration, extent: ConfigurationExtent): Configuration {
  return {
    ...c,
    spaceCategories: extent.includeUnsynchronizedCategories
      ? c.spaceCategories
      : c.spaceCategories.filter((s) => s.isSynchronized !== false),
    ratePlans: extent.includeUnsynchronizedRates
      ? c.ratePlans
      : c.ratePlans.filter((r) => r.isSynchronized !== false),
    products: extent.includeProducts ? c.products : [],
    productMappings: extent.includeProducts ? c.productMappings : [],
    companies: extent.includeCompanies ? c.companies : [],
    travelAgencies: extent.includeCompanies ? c.travelAgencies : [],
    ageCategories: extent.includeAgeCategories ? c.ageCategories : [],
  };
}
