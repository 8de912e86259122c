import type { EnterpriseConfiguration } from '../../domain/model.js';
import type { Channel } from '../../mews/channels.schema.js';
import type { Configuration } from '../../mews/configuration.schema.js';

/**
 * Mews' world as the in-memory Channel Manager and Connector APIs answer from it (the same model
 * as the simulator's, shared/simulator/simulator-state.ts, without HTTP): enterprises, their
 * properties, each property's connections (a token, an optional name) with a configuration per
 * token, employee emails with access to all or some of an enterprise's properties, connections
 * disabled in Mews, and Connector API integrations with their access tokens.
 *
 * Plain, synchronous and mutable: a simulation changes it between port calls (a property connects,
 * a connection is removed or disabled, an employee loses access, a configuration changes). Tokens
 * are whatever the test gives (fake ones, please).
 */

interface MewsConnectionRecord {
  token: string;
  name: string | null;
}

export interface MewsPropertyRecord {
  id: string;
  name: string;
  enterpriseId: string;
  connections: MewsConnectionRecord[];
}

export interface MewsEmployeeRecord {
  /** Lower-cased. */
  email: string;
  enterpriseId: string;
  /** Null: every property of the enterprise. */
  propertyIds: string[] | null;
  /** A locked-out (or unverified) employee: getProperties answers code 8, as for an unknown email. */
  lockedOut: boolean;
}

export type MewsIntegrationStatus = 'enabled' | 'disabled' | 'canceled' | 'deleted';

export interface MewsIntegrationRecord {
  accessToken: string;
  enterpriseId: string;
  status: MewsIntegrationStatus;
}

const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** A small, valid configuration (two categories, one rate plan, a mapping), named after the property. */
function defaultConfiguration(propertyName: string): Configuration {
  return {
    success: true,
    property: {
      name: propertyName,
      description: null,
      languageCode: 'en-GB',
      timeZoneIdentifier: 'Europe/London',
      websiteUrl: null,
      email: null,
      telephone: null,
      spaceCount: 10,
      pricingMode: 0,
      address: null,
      images: null,
    },
    spaceCategories: [
      { code: 'DBL', name: 'Double', isSynchronized: true, bedCount: 2, spaceCount: 6 },
      { code: 'SGL', name: 'Single', isSynchronized: true, bedCount: 1, spaceCount: 4 },
    ],
    ratePlans: [{ code: 'FLEX', name: 'Flexible', currencyCode: 'GBP', isSynchronized: true }],
    inventoryMappings: [
      { ratePlanCode: 'FLEX', spaceTypeCode: 'DBL' },
      { ratePlanCode: 'FLEX', spaceTypeCode: 'SGL' },
    ],
    products: [],
    productMappings: [],
    companies: [],
    travelAgencies: [],
    ageCategories: [],
  };
}

export class MemoryMewsWorld {
  channels: Channel[] = [];
  readonly #enterprises = new Map<
    string,
    { id: string; name: string; configuration: EnterpriseConfiguration }
  >();
  readonly #properties = new Map<string, MewsPropertyRecord>();
  readonly #tokens = new Map<string, string>();
  readonly #configurations = new Map<string, Configuration>();
  readonly #disabled = new Set<string>();
  readonly #employees = new Map<string, MewsEmployeeRecord>();
  readonly #integrations = new Map<string, MewsIntegrationRecord>();

  // ---- enterprises and properties ----

  addEnterprise(spec: { id: string; name?: string; configuration?: Partial<EnterpriseConfiguration> }): void {
    if (this.#enterprises.has(spec.id)) throw new Error(`enterprise ${spec.id} already exists`);
    const name = spec.name ?? `Enterprise ${spec.id}`;
    this.#enterprises.set(spec.id, {
      id: spec.id,
      name,
      configuration: {
        id: spec.id,
        name,
        chainId: null,
        timeZoneIdentifier: 'Europe/London',
        defaultLanguageCode: 'en-GB',
        legalEnvironmentCode: 'UK',
        pricing: 'Gross',
        countryCode: 'GB',
        currencies: [{ currency: 'GBP', isDefault: true, isEnabled: true }],
        ...spec.configuration,
      },
    });
  }

  addProperty(enterpriseId: string, spec: { id: string; name?: string }): void {
    this.#enterprise(enterpriseId);
    if (this.#properties.has(spec.id)) throw new Error(`property ${spec.id} already exists`);
    this.#properties.set(spec.id, {
      id: spec.id,
      name: spec.name ?? `Property ${spec.id}`,
      enterpriseId,
      connections: [],
    });
  }

  /** Renames the property in getProperties (configurations keep what they say). */
  renameProperty(propertyId: string, name: string): void {
    this.#property(propertyId).name = name;
  }

  /** Removes the property and its connections (their tokens then fail with code 8). */
  removeProperty(propertyId: string): void {
    const property = this.#property(propertyId);
    for (const c of [...property.connections]) this.removeConnection(c.token);
    this.#properties.delete(propertyId);
  }

  // ---- connections ----

  /** Connects the property (the channel manager shows up in its getProperties); returns the token. */
  addConnection(
    propertyId: string,
    spec: { token: string; name?: string | null; configuration?: Configuration },
  ): string {
    const property = this.#property(propertyId);
    if (spec.token.trim() === '') throw new Error('a connection token must not be empty');
    if (this.#tokens.has(spec.token)) throw new Error('connection token already in use');
    property.connections.push({ token: spec.token, name: spec.name ?? null });
    this.#tokens.set(spec.token, propertyId);
    this.#configurations.set(
      spec.token,
      structuredClone(spec.configuration ?? defaultConfiguration(property.name)),
    );
    return spec.token;
  }

  /** The property disconnects: the token disappears from getProperties and fails with code 8. */
  removeConnection(token: string): boolean {
    const propertyId = this.#tokens.get(token);
    if (propertyId === undefined) return false;
    const property = this.#property(propertyId);
    property.connections = property.connections.filter((c) => c.token !== token);
    this.#tokens.delete(token);
    this.#configurations.delete(token);
    this.#disabled.delete(token);
    return true;
  }

  /** Disabled: still listed by getProperties, refused by getConfiguration with code 3. */
  setConnectionEnabled(token: string, enabled: boolean): void {
    this.#requireToken(token);
    if (enabled) this.#disabled.delete(token);
    else this.#disabled.add(token);
  }

  isConnectionEnabled(token: string): boolean {
    return !this.#disabled.has(token);
  }

  hasConnection(token: string): boolean {
    return this.#tokens.has(token);
  }

  /** Every connection token, by property (for "the state converges to Mews' truth" checks). */
  connectionTokens(): string[] {
    return [...this.#properties.values()].flatMap((p) => p.connections.map((c) => c.token));
  }

  propertyOfToken(token: string): MewsPropertyRecord | undefined {
    const propertyId = this.#tokens.get(token);
    return propertyId === undefined ? undefined : structuredClone(this.#property(propertyId));
  }

  setConfiguration(token: string, configuration: Configuration): void {
    this.#requireToken(token);
    this.#configurations.set(token, structuredClone(configuration));
  }

  /** A copy of the connection's configuration. */
  configurationOf(token: string): Configuration {
    const configuration = this.#configurations.get(token);
    if (!configuration) throw new Error('no such connection');
    return structuredClone(configuration);
  }

  updateConfiguration(token: string, update: (configuration: Configuration) => Configuration): void {
    this.setConfiguration(token, update(this.configurationOf(token)));
  }

  // ---- employees (the accounts' emails) ----

  /** The email becomes a verified employee of the enterprise, seeing all (or `propertyIds`) of its properties. */
  grantAccess(email: string, enterpriseId: string, options: { propertyIds?: string[] } = {}): void {
    this.#enterprise(enterpriseId);
    for (const id of options.propertyIds ?? []) {
      if (this.#property(id).enterpriseId !== enterpriseId)
        throw new Error(`${id} is not a property of ${enterpriseId}`);
    }
    this.#employees.set(normalizeEmail(email), {
      email: normalizeEmail(email),
      enterpriseId,
      propertyIds: options.propertyIds ? [...options.propertyIds] : null,
      lockedOut: false,
    });
  }

  /** The email is no employee any more: getProperties answers code 8. */
  revokeAccess(email: string): boolean {
    return this.#employees.delete(normalizeEmail(email));
  }

  setEmployeeLocked(email: string, lockedOut: boolean): void {
    const employee = this.#employees.get(normalizeEmail(email));
    if (!employee) throw new Error('no such employee');
    employee.lockedOut = lockedOut;
  }

  /** The properties an email sees, or null when it is not a verified, active employee. */
  visibleProperties(email: string): MewsPropertyRecord[] | null {
    const employee = this.#employees.get(normalizeEmail(email));
    if (!employee || employee.lockedOut) return null;
    return [...this.#properties.values()]
      .filter((p) => p.enterpriseId === employee.enterpriseId)
      .filter((p) => employee.propertyIds === null || employee.propertyIds.includes(p.id))
      .map((p) => structuredClone(p));
  }

  // ---- Connector API integrations ----

  addIntegration(spec: { accessToken: string; enterpriseId: string; status?: MewsIntegrationStatus }): void {
    this.#enterprise(spec.enterpriseId);
    if (this.#integrations.has(spec.accessToken)) throw new Error('access token already in use');
    this.#integrations.set(spec.accessToken, {
      accessToken: spec.accessToken,
      enterpriseId: spec.enterpriseId,
      status: spec.status ?? 'enabled',
    });
  }

  setIntegrationStatus(accessToken: string, status: MewsIntegrationStatus): void {
    const integration = this.#integrations.get(accessToken);
    if (!integration) throw new Error('no such integration');
    integration.status = status;
  }

  /** Mews regenerated the access token: the old one stops working. */
  rotateAccessToken(accessToken: string, newAccessToken: string): void {
    const integration = this.#integrations.get(accessToken);
    if (!integration) throw new Error('no such integration');
    if (this.#integrations.has(newAccessToken)) throw new Error('access token already in use');
    this.#integrations.delete(accessToken);
    this.#integrations.set(newAccessToken, { ...integration, accessToken: newAccessToken });
  }

  integrationOf(accessToken: string): MewsIntegrationRecord | undefined {
    const integration = this.#integrations.get(accessToken);
    return integration ? { ...integration } : undefined;
  }

  enterpriseConfiguration(enterpriseId: string): EnterpriseConfiguration {
    return structuredClone(this.#enterprise(enterpriseId).configuration);
  }

  // ---- internals ----

  #enterprise(id: string) {
    const enterprise = this.#enterprises.get(id);
    if (!enterprise) throw new Error(`no enterprise ${id}`);
    return enterprise;
  }

  #property(id: string): MewsPropertyRecord {
    const property = this.#properties.get(id);
    if (!property) throw new Error(`no property ${id}`);
    return property;
  }

  #requireToken(token: string): void {
    if (!this.#tokens.has(token)) throw new Error('no such connection');
  }
}
