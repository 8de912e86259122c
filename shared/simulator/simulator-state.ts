import {
  type ConfigurationPatch,
  configurationPatchSchema,
  type MewsConfiguration,
  type MewsConfigurationInput,
  mewsConfigurationSchema,
} from './configuration-schema.js';
import { CONFIGURATION_PRESETS, generateConfiguration } from './large-property.js';
import {
  type AccountSpec,
  accountSpecSchema,
  type EnterpriseSpec,
  enterpriseSpecSchema,
  type ParsedAccountSpec,
  type ParsedPropertySpec,
  type ParsedSeed,
  type PropertySpec,
  parseInput,
  propertySpecSchema,
  SimulatorInputError,
} from './simulator-specs.js';

/**
 * The simulated Mews world: enterprises, their employees (accounts), properties,
 * connections and configurations. Plain in-memory data; every change goes through
 * a method that checks its input, so the HTTP routes and tests see one consistent state.
 * Generated ids and tokens come from counters: the same calls give the same tokens.
 */

interface ConnectionRecord {
  token: string;
  name: string | null;
}

export interface PropertyRecord {
  id: string;
  name: string;
  enterpriseId: string;
  connections: ConnectionRecord[];
  configuration: MewsConfiguration;
}

export interface AccountRecord {
  /** Lower-cased. */
  email: string;
  enterpriseId: string;
  lockedOut: boolean;
  /** Null: every property of the enterprise. */
  propertyIds: string[] | null;
}

interface EnterpriseRecord {
  id: string;
  name: string;
  propertyIds: string[];
}

export interface AddedProperty {
  id: string;
  name: string;
  connectionTokens: string[];
}

export interface AddedEnterprise {
  id: string;
  name: string;
  accounts: string[];
  properties: AddedProperty[];
}

/** A readable summary of the world (tokens are fake, so they are included). */
export interface StateSummary {
  enterprises: Array<{
    id: string;
    name: string;
    accounts: Array<{ email: string; lockedOut: boolean; propertyIds: string[] | null }>;
    properties: Array<{ id: string; name: string; connections: ConnectionRecord[] }>;
  }>;
}

export interface Channel {
  code: number;
  name: string;
}

const normalizeEmail = (email: string) => email.trim().toLowerCase();
const pad = (n: number) => String(n).padStart(4, '0');

export class SimulatorState {
  private enterprises = new Map<string, EnterpriseRecord>();
  private properties = new Map<string, PropertyRecord>();
  private accounts = new Map<string, AccountRecord>();
  private tokens = new Map<string, string>();
  /** Connections disabled in Mews: listed by getProperties, refused by getConfiguration (code 3). */
  private disabled = new Set<string>();
  private counters = { token: 0, enterprise: 0, property: 0 };
  channels: Channel[] = [];

  constructor(seed: ParsedSeed) {
    this.load(seed);
  }

  /** Replaces everything with the seed's world and restarts the id and token counters. */
  load(seed: ParsedSeed): void {
    this.enterprises.clear();
    this.properties.clear();
    this.accounts.clear();
    this.tokens.clear();
    this.disabled.clear();
    this.counters = { token: 0, enterprise: 0, property: 0 };
    this.channels = seed.channels.map((c) => ({ ...c }));
    for (const enterprise of seed.enterprises) this.addEnterprise(enterprise);
  }

  // ---- reads (what the Channel Manager routes answer from) ----

  /** The properties an employee sees, or null when the email is not a verified, active employee. */
  visibleProperties(email: string): PropertyRecord[] | null {
    const account = this.accounts.get(normalizeEmail(email));
    if (!account || account.lockedOut) return null;
    const enterprise = this.enterprises.get(account.enterpriseId);
    if (!enterprise) return null;
    const ids = account.propertyIds
      ? enterprise.propertyIds.filter((id) => account.propertyIds?.includes(id))
      : enterprise.propertyIds;
    return ids.map((id) => this.properties.get(id)).filter((p) => p !== undefined);
  }

  propertyOfToken(token: string): PropertyRecord | undefined {
    const propertyId = this.tokens.get(token);
    return propertyId === undefined ? undefined : this.properties.get(propertyId);
  }

  configurationOf(propertyId: string): MewsConfiguration {
    return structuredClone(this.property(propertyId).configuration);
  }

  summary(): StateSummary {
    return {
      enterprises: [...this.enterprises.values()].map((e) => ({
        id: e.id,
        name: e.name,
        accounts: [...this.accounts.values()]
          .filter((a) => a.enterpriseId === e.id)
          .map((a) => ({ email: a.email, lockedOut: a.lockedOut, propertyIds: a.propertyIds })),
        properties: e.propertyIds.map((id) => {
          const p = this.property(id);
          return { id: p.id, name: p.name, connections: p.connections.map((c) => ({ ...c })) };
        }),
      })),
    };
  }

  // ---- connections ----

  addConnection(propertyId: string, options: { name?: string; token?: string } = {}): string {
    const property = this.property(propertyId);
    const token = options.token ?? this.nextToken();
    if (this.tokens.has(token)) throw new SimulatorInputError(`connection token already in use`);
    property.connections.push({ token, name: options.name ?? null });
    this.tokens.set(token, property.id);
    return token;
  }

  /** Removes the connection; its token then fails with code 8. False when it was not there. */
  removeConnection(token: string): boolean {
    const property = this.propertyOfToken(token);
    if (!property) return false;
    property.connections = property.connections.filter((c) => c.token !== token);
    this.tokens.delete(token);
    this.disabled.delete(token);
    return true;
  }

  /** Disables (or enables again) a connection, as a property can in Mews: getConfiguration answers code 3 meanwhile. */
  setConnectionEnabled(token: string, enabled: boolean): void {
    if (!this.tokens.has(token)) throw new SimulatorInputError('no such connection');
    if (enabled) this.disabled.delete(token);
    else this.disabled.add(token);
  }

  isConnectionEnabled(token: string): boolean {
    return !this.disabled.has(token);
  }

  /** An enterprise's id, name and property ids (for the Connector API). */
  enterpriseInfo(id: string): { id: string; name: string; propertyIds: string[] } {
    const enterprise = this.enterprise(id);
    return { id: enterprise.id, name: enterprise.name, propertyIds: [...enterprise.propertyIds] };
  }

  // ---- properties and configurations ----

  setConfiguration(propertyId: string, configuration: MewsConfigurationInput): void {
    const property = this.property(propertyId);
    property.configuration = parseInput(mewsConfigurationSchema, configuration, 'configuration');
  }

  patchConfiguration(propertyId: string, patch: ConfigurationPatch): void {
    const property = this.property(propertyId);
    const { property: details, ...lists } = parseInput(
      configurationPatchSchema,
      patch,
      'configuration patch',
    );
    const current = property.configuration;
    const defined = Object.fromEntries(Object.entries(lists).filter(([, v]) => v !== undefined));
    property.configuration = {
      ...current,
      ...defined,
      property: details ? { ...current.property, ...details } : current.property,
    };
  }

  /** In-process only: edit a copy of the configuration and store what the function returns. */
  updateConfiguration(
    propertyId: string,
    update: (configuration: MewsConfiguration) => MewsConfiguration,
  ): void {
    this.setConfiguration(propertyId, update(this.configurationOf(propertyId)));
  }

  /** Renames the property in getProperties and in its configuration. */
  renameProperty(propertyId: string, name: string): void {
    if (!name.trim()) throw new SimulatorInputError('property name must not be empty');
    const property = this.property(propertyId);
    property.name = name;
    property.configuration = {
      ...property.configuration,
      property: { ...property.configuration.property, name },
    };
  }

  addProperty(enterpriseId: string, spec: PropertySpec): AddedProperty {
    const enterprise = this.enterprise(enterpriseId);
    const parsed = parseInput(propertySpecSchema, spec, 'property');
    return this.insertProperty(enterprise, parsed);
  }

  // ---- accounts and enterprises ----

  addAccount(enterpriseId: string, spec: AccountSpec): string {
    const enterprise = this.enterprise(enterpriseId);
    return this.insertAccount(enterprise, parseInput(accountSpecSchema, spec, 'account'));
  }

  removeAccount(email: string): boolean {
    return this.accounts.delete(normalizeEmail(email));
  }

  setAccountLocked(email: string, lockedOut: boolean): void {
    const account = this.accounts.get(normalizeEmail(email));
    if (!account) throw new SimulatorInputError('no such account');
    account.lockedOut = lockedOut;
  }

  /** Adds an enterprise with its properties (generated connections and configurations by default) and accounts. */
  addEnterprise(spec: EnterpriseSpec): AddedEnterprise {
    const parsed = parseInput(enterpriseSpecSchema, spec, 'enterprise');
    const id = parsed.id ?? `generated-enterprise-${pad(++this.counters.enterprise)}`;
    if (this.enterprises.has(id)) throw new SimulatorInputError(`enterprise ${id} already exists`);
    const enterprise: EnterpriseRecord = {
      id,
      name: parsed.name ?? `Generated Enterprise ${id}`,
      propertyIds: [],
    };
    this.enterprises.set(id, enterprise);
    try {
      const properties = parsed.properties.map((p) => this.insertProperty(enterprise, p));
      const accounts = parsed.accounts.map((a) => this.insertAccount(enterprise, a));
      return { id, name: enterprise.name, accounts, properties };
    } catch (error) {
      this.dropEnterprise(enterprise);
      throw error;
    }
  }

  // ---- internals ----

  private insertProperty(enterprise: EnterpriseRecord, spec: ParsedPropertySpec): AddedProperty {
    const id = spec.id ?? `generated-property-${pad(++this.counters.property)}`;
    if (this.properties.has(id)) throw new SimulatorInputError(`property ${id} already exists`);
    const name = spec.name ?? `Generated Property ${id}`;
    const generated = spec.generatedConfiguration ?? 'small';
    const configuration =
      spec.configuration ??
      generateConfiguration(
        name,
        typeof generated === 'string' ? CONFIGURATION_PRESETS[generated] : generated,
      );
    this.properties.set(id, { id, name, enterpriseId: enterprise.id, connections: [], configuration });
    enterprise.propertyIds.push(id);
    const connections = spec.connections ?? 1;
    const list =
      typeof connections === 'number' ? Array.from({ length: connections }, () => ({})) : connections;
    try {
      const connectionTokens = list.map((c) => this.addConnection(id, c));
      return { id, name, connectionTokens };
    } catch (error) {
      this.dropProperty(id);
      throw error;
    }
  }

  private insertAccount(enterprise: EnterpriseRecord, spec: ParsedAccountSpec): string {
    const account = typeof spec === 'string' ? { email: spec } : spec;
    const email = normalizeEmail(account.email);
    if (this.accounts.has(email)) throw new SimulatorInputError(`account ${email} already exists`);
    const unknown = account.propertyIds?.filter((id) => !enterprise.propertyIds.includes(id)) ?? [];
    if (unknown.length > 0) {
      throw new SimulatorInputError(
        `account ${email}: not properties of ${enterprise.id}: ${unknown.join(', ')}`,
      );
    }
    this.accounts.set(email, {
      email,
      enterpriseId: enterprise.id,
      lockedOut: account.lockedOut ?? false,
      propertyIds: account.propertyIds ?? null,
    });
    return email;
  }

  private dropProperty(id: string): void {
    const property = this.properties.get(id);
    if (!property) return;
    for (const c of property.connections) this.tokens.delete(c.token);
    this.properties.delete(id);
    const enterprise = this.enterprises.get(property.enterpriseId);
    if (enterprise) enterprise.propertyIds = enterprise.propertyIds.filter((p) => p !== id);
  }

  private dropEnterprise(enterprise: EnterpriseRecord): void {
    for (const id of [...enterprise.propertyIds]) this.dropProperty(id);
    for (const [email, a] of this.accounts) if (a.enterpriseId === enterprise.id) this.accounts.delete(email);
    this.enterprises.delete(enterprise.id);
  }

  private nextToken(): string {
    let token: string;
    do token = `fake-conn-${pad(++this.counters.token)}`;
    while (this.tokens.has(token));
    return token;
  }

  private property(id: string): PropertyRecord {
    const property = this.properties.get(id);
    if (!property) throw new SimulatorInputError(`no property ${id}`);
    return property;
  }

  private enterprise(id: string): EnterpriseRecord {
    const enterprise = this.enterprises.get(id);
    if (!enterprise) throw new SimulatorInputError(`no enterprise ${id}`);
    return enterprise;
  }
}
