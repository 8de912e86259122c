import { createHash } from 'node:crypto';
import { MemoryMewsWorld } from '../../shared/adapters/memory/memory-mews-world.js';
import { connectionIdFromToken } from '../../shared/domain/identity.js';
import type { ConnectionId } from '../../shared/domain/model.js';
import type { Configuration } from '../../shared/mews/configuration.schema.js';

/**
 * Mews' truth for the simulation, over the in-memory Mews world (shared/adapters/memory/
 * memory-mews-world.ts) that the in-memory Channel Manager answers from. This class keeps what
 * the simulation needs on top: readable slots (c0, c1, ...) for traces, every token ever issued
 * (for the leak scan), and the changes the commands make, expressed in Mews' terms.
 *
 * Layout: enterprises ent0..ent2, each with properties p0, p1, p2 and two employees. `front.N`
 * sees p0 and p1, `back.N` sees p1 and p2 (until their access changes), so where a connection
 * sits decides which accounts list it: moving it between properties moves it between accounts.
 * Deterministic: tokens derive from a counter, never from randomness.
 */

export const ENTERPRISES = 3;
export const PROPERTIES = 3;
/** Registered now and then, never an employee of anything: getProperties refuses it (code 8). */
export const STRANGER = 'nobody@unknown.example';

export const enterpriseId = (e: number) => `ent${e}`;
export const propertyId = (e: number, p: number) => `ent${e}-p${p}`;
export const emailOf = (enterprise: number, k: number) =>
  `${k === 0 ? 'front' : 'back'}.${enterprise}@ent${enterprise}.example`;

/** Every email the simulation registers: the employees, then the stranger. */
export const ALL_EMAILS: readonly string[] = [
  ...Array.from({ length: ENTERPRISES }, (_, e) => [emailOf(e, 0), emailOf(e, 1)]).flat(),
  STRANGER,
];

/** Which properties of its enterprise an employee sees. */
export type Access = 'default' | 'all' | 'first-only' | 'none-but-last';

const accessProperties = (k: number, access: Access): number[] => {
  switch (access) {
    case 'default':
      return k === 0 ? [0, 1] : [1, 2];
    case 'all':
      return [0, 1, 2];
    case 'first-only':
      return [0];
    case 'none-but-last':
      return [2];
  }
};

export type ConfigShape =
  /** A handful of categories and rate plans. */
  | 'small'
  /** Hundreds of space categories and rate plans. */
  | 'huge'
  /** Hundreds, every name different from the last configuration's. */
  | 'huge-renamed';

export interface ConfigSpec {
  shape: ConfigShape;
  variant: number;
  /** Descriptions and images only (no mapping-relevant change): bumped by a cosmetic change. */
  cosmetic?: number;
}

export interface WorldConnection {
  /** A stable, readable name for traces: c0, c1, ... */
  slot: string;
  token: string;
  enterprise: number;
  property: number;
  name: string | null;
  enabled: boolean;
  config: ConfigSpec;
}

export type TokenFate = 'live' | 'removed' | 'revoked';

/** A Connector API integration as Mews knows it (its webhooks tell the service). */
export interface WorldIntegration {
  slot: string;
  /** Mews' integration id (a GUID in Mews; not a secret). */
  mewsId: string;
  enterprise: number;
  accessToken: string;
  enabled: boolean;
  canceled: boolean;
  deleted: boolean;
}

export type IntegrationAction = 'enable' | 'disable' | 'cancel' | 'reinstate' | 'delete' | 'rotate';

/** A webhook Mews has to deliver (and re-sends until it is answered with a 2xx). */
export interface PendingWebhook {
  id: number;
  label: string;
  body: Record<string, unknown>;
}

export class World {
  readonly mews = new MemoryMewsWorld();
  readonly connections: WorldConnection[] = [];
  /** Connections that disconnected; they may reconnect with the same token. */
  readonly gone: WorldConnection[] = [];
  /** Every token Mews ever issued, with what became of it (the leak scan looks for all of them). */
  readonly tokens = new Map<string, { slot: string; fate: TokenFate }>();
  readonly access = new Map<string, Access>();
  readonly integrations: WorldIntegration[] = [];
  /** Every access token Mews ever issued (the leak scan looks for them too). */
  readonly accessTokens = new Set<string>();
  /** Webhooks on their way, in the order Mews sent them. */
  readonly webhooks: PendingWebhook[] = [];
  #webhookIds = 0;
  readonly locked = new Set<string>();
  #slots = 0;
  #generation = 0;

  constructor() {
    for (let e = 0; e < ENTERPRISES; e++) {
      this.mews.addEnterprise({ id: enterpriseId(e), name: `Enterprise ${e}` });
      for (let p = 0; p < PROPERTIES; p++) {
        this.mews.addProperty(enterpriseId(e), {
          id: propertyId(e, p),
          name: `Enterprise ${e} property ${p}`,
        });
      }
      for (let k = 0; k < 2; k++) this.setAccess(emailOf(e, k), 'default');
    }
    // A fixed start: every enterprise has connections, some seen by both employees.
    this.addConnection(0, 0, { shape: 'small', variant: 0 });
    this.addConnection(0, 1, { shape: 'small', variant: 1 });
    this.addConnection(0, 2, { shape: 'small', variant: 2 });
    this.addConnection(1, 1, { shape: 'small', variant: 3 });
    this.addConnection(1, 2, { shape: 'small', variant: 4 });
    this.addConnection(2, 1, { shape: 'small', variant: 5 });
  }

  #newToken(slot: string): string {
    const n = ++this.#generation;
    const hex = createHash('sha256').update(`sim-token:${slot}:${n}`).digest('hex').slice(0, 20);
    return `cmtoken-${slot}-${n}-${hex}`;
  }

  addConnection(enterprise: number, property: number, config: ConfigSpec): WorldConnection {
    const slot = `c${this.#slots++}`;
    const connection: WorldConnection = {
      slot,
      token: this.#newToken(slot),
      enterprise: enterprise % ENTERPRISES,
      property: property % PROPERTIES,
      name: this.#slots % 4 === 0 ? null : `Connection ${slot}`,
      enabled: true,
      config,
    };
    this.connections.push(connection);
    this.tokens.set(connection.token, { slot, fate: 'live' });
    this.#connect(connection);
    return connection;
  }

  #connect(c: WorldConnection): void {
    this.mews.addConnection(propertyId(c.enterprise, c.property), {
      token: c.token,
      name: c.name,
      configuration: configuration(c),
    });
    if (!c.enabled) this.mews.setConnectionEnabled(c.token, false);
  }

  /** The live connection at `index` (modulo how many there are), if any. */
  pick(index: number): WorldConnection | undefined {
    if (this.connections.length === 0) return undefined;
    return this.connections[index % this.connections.length];
  }

  remove(c: WorldConnection): void {
    this.connections.splice(this.connections.indexOf(c), 1);
    this.gone.push(c);
    this.tokens.set(c.token, { slot: c.slot, fate: 'removed' });
    this.mews.removeConnection(c.token);
  }

  /** A connection that disconnected connects again, with the same token (the same id for us). */
  restore(index: number): WorldConnection | undefined {
    const c = this.gone[index % Math.max(1, this.gone.length)];
    if (!c) return undefined;
    this.gone.splice(this.gone.indexOf(c), 1);
    this.connections.push(c);
    this.tokens.set(c.token, { slot: c.slot, fate: 'live' });
    this.#connect(c);
    return c;
  }

  /** The connection moves to another property (of the same or another enterprise), token and all. */
  move(c: WorldConnection, enterprise: number, property: number): void {
    this.mews.removeConnection(c.token);
    c.enterprise = enterprise % ENTERPRISES;
    c.property = property % PROPERTIES;
    this.#connect(c);
  }

  // ---- Connector API integrations ----

  #accessToken(slot: string): string {
    const n = ++this.#generation;
    const hex = createHash('sha256').update(`sim-access-token:${slot}:${n}`).digest('hex').slice(0, 24);
    const token = `acctoken-${slot}-${n}-${hex}`;
    this.accessTokens.add(token);
    return token;
  }

  #send(label: string, body: Record<string, unknown>): void {
    this.webhooks.push({ id: ++this.#webhookIds, label, body });
  }

  #ref(i: WorldIntegration) {
    return { Id: i.mewsId, Name: `Integration ${i.slot}` };
  }

  /** An enterprise installs an integration: Mews creates it and announces it (IntegrationCreated). */
  createIntegration(enterprise: number, enabled: boolean): WorldIntegration {
    const slot = `i${this.integrations.length}`;
    const i: WorldIntegration = {
      slot,
      mewsId: `0b7d${String(this.integrations.length).padStart(4, '0')}-5e2f-4c1a-9d3b-${slot.padStart(12, '0')}`,
      enterprise: enterprise % ENTERPRISES,
      accessToken: this.#accessToken(slot),
      enabled,
      canceled: false,
      deleted: false,
    };
    this.integrations.push(i);
    this.mews.addIntegration({
      accessToken: i.accessToken,
      enterpriseId: enterpriseId(i.enterprise),
      status: 'enabled',
    });
    this.#syncIntegration(i);
    this.#send(`IntegrationCreated ${slot}`, {
      Action: 'IntegrationCreated',
      Data: {
        Enterprise: { Id: enterpriseId(i.enterprise), Name: `Enterprise ${i.enterprise}` },
        Service: { Id: 'svc-1', Name: 'Channel manager' },
        Requestor: { Name: 'Front desk', Email: emailOf(i.enterprise, 0) },
        AccessToken: i.accessToken,
        CreatedUtc: '2026-03-02T08:00:00Z',
        IsEnabled: enabled,
        Integration: this.#ref(i),
      },
    });
    return i;
  }

  /** Something happens to an integration in Mews (and its webhook goes out); false when it cannot. */
  changeIntegration(index: number, action: IntegrationAction): string {
    const i = this.integrations[index % Math.max(1, this.integrations.length)];
    if (!i) return 'Mews: (no integration)';
    if (i.deleted) return `Mews: ${i.slot} is deleted; nothing happens`;
    const applies = {
      enable: !i.enabled,
      disable: i.enabled,
      cancel: !i.canceled,
      reinstate: i.canceled,
      delete: true,
      rotate: true,
    }[action];
    if (!applies) return `Mews: ${i.slot} cannot ${action} (already so)`;
    const ref = this.#ref(i);
    switch (action) {
      case 'enable':
      case 'disable':
        i.enabled = action === 'enable';
        this.#send(`Integration${action === 'enable' ? 'Enabled' : 'Disabled'} ${i.slot}`, {
          Action: action === 'enable' ? 'IntegrationEnabled' : 'IntegrationDisabled',
          Data: { Integration: ref },
        });
        break;
      case 'cancel':
      case 'reinstate':
        i.canceled = action === 'cancel';
        this.#send(`Integration${action === 'cancel' ? 'Canceled' : 'Reinstated'} ${i.slot}`, {
          Action: action === 'cancel' ? 'IntegrationCanceled' : 'IntegrationReinstated',
          Data: { Integration: ref },
        });
        break;
      case 'delete':
        i.deleted = true;
        this.#send(`IntegrationDeleted ${i.slot}`, {
          Action: 'IntegrationDeleted',
          Data: { Integration: ref, DeletedUtc: '2026-03-03T08:00:00Z' },
        });
        break;
      case 'rotate': {
        const next = this.#accessToken(i.slot);
        this.mews.rotateAccessToken(i.accessToken, next);
        i.accessToken = next;
        this.#send(`IntegrationApiKeyCreated ${i.slot}`, {
          Action: 'IntegrationApiKeyCreated',
          Data: { Integration: ref, ApiKey: next },
        });
        break;
      }
    }
    this.#syncIntegration(i);
    return `Mews: ${i.slot} ${action}${action.endsWith('e') ? 'd' : 'ed'}`;
  }

  #syncIntegration(i: WorldIntegration): void {
    this.mews.setIntegrationStatus(
      i.accessToken,
      i.deleted ? 'deleted' : i.canceled ? 'canceled' : i.enabled ? 'enabled' : 'disabled',
    );
  }

  byToken(token: string): WorldConnection | undefined {
    return this.connections.find((c) => c.token === token);
  }

  setEnabled(c: WorldConnection, enabled: boolean): void {
    c.enabled = enabled;
    this.mews.setConnectionEnabled(c.token, enabled);
  }

  setConfig(c: WorldConnection, config: ConfigSpec): void {
    c.config = config;
    this.mews.setConfiguration(c.token, configuration(c));
  }

  /** Mews revokes the token and issues a new one for the same connection (a new id for us). */
  revoke(c: WorldConnection): void {
    this.tokens.set(c.token, { slot: c.slot, fate: 'revoked' });
    this.mews.removeConnection(c.token);
    c.token = this.#newToken(c.slot);
    this.tokens.set(c.token, { slot: c.slot, fate: 'live' });
    this.#connect(c);
  }

  setAccess(email: string, access: Access): void {
    const e = this.enterpriseOf(email);
    if (e === undefined) return;
    const k = email.startsWith('front.') ? 0 : 1;
    this.access.set(email, access);
    this.mews.grantAccess(email, enterpriseId(e), {
      propertyIds: accessProperties(k, access).map((p) => propertyId(e, p)),
    });
    if (this.locked.has(email)) this.mews.setEmployeeLocked(email, true);
  }

  /** Mews refuses the employee (code 8 on getProperties) until unlocked. */
  setLocked(email: string, locked: boolean): void {
    if (this.enterpriseOf(email) === undefined) return;
    if (locked) this.locked.add(email);
    else this.locked.delete(email);
    this.mews.setEmployeeLocked(email, locked);
  }

  enterpriseOf(email: string): number | undefined {
    const match = /^(?:front|back)\.(\d+)@ent\d+\.example$/.exec(email);
    return match ? Number(match[1]) : undefined;
  }

  /** Whether getProperties answers this email now. */
  answers(email: string): boolean {
    return this.mews.visibleProperties(email) !== null;
  }

  /** The connection ids getProperties lists for an email now (empty when it refuses), with their tokens. */
  listed(email: string): Map<ConnectionId, string> {
    const listed = new Map<ConnectionId, string>();
    for (const p of this.mews.visibleProperties(email) ?? []) {
      for (const c of p.connections) listed.set(connectionIdFromToken(c.token), c.token);
    }
    return listed;
  }

  /** A token by id, among every token ever issued (for traces). */
  slotOf(id: ConnectionId): string {
    for (const [token, { slot, fate }] of this.tokens) {
      if (connectionIdFromToken(token) === id) return fate === 'live' ? slot : `${slot}(${fate})`;
    }
    return '?';
  }

  describe(c: WorldConnection): string {
    const { shape, variant, cosmetic } = c.config;
    return `${c.slot} ${propertyId(c.enterprise, c.property)}${c.enabled ? '' : ' disabled'} ${shape}#${variant}${cosmetic ? `~${cosmetic}` : ''}`;
  }
}

const LONG = 'with sea view, balcony, breakfast for two, late check-out and a welcome drink on arrival';

/** The configuration Mews answers for a connection. */
export function configuration(c: WorldConnection): Configuration {
  const { shape, variant, cosmetic } = c.config;
  const huge = shape === 'huge' || shape === 'huge-renamed';
  const categories = huge ? 400 : 1 + (variant % 3);
  const rates = huge ? 250 : 1 + (variant % 2);
  // huge-renamed renames everything with each variant; huge keeps its names whatever the variant.
  const tag = shape === 'huge' ? 'h' : shape === 'huge-renamed' ? `r${variant}` : `v${variant}`;
  const spaceCategories = Array.from({ length: categories }, (_, i) => ({
    code: `SC${i}`,
    name: huge ? `Category ${i} ${LONG} (${tag})` : `Room ${i} ${tag}`,
    description: cosmetic ? `  described   ${cosmetic} ` : null,
    isSynchronized: huge ? true : (variant + i) % 2 === 0,
    classification: 1,
    bedCount: 2,
    extraBedCount: null,
    spaceCount: 3 + i,
    images: cosmetic ? [{ type: 2, url: `https://img.example/${cosmetic}.jpg` }] : [],
  }));
  const ratePlans = Array.from({ length: rates }, (_, i) => ({
    code: `RP${i}`,
    name: huge ? `Rate ${i} ${LONG} (${tag})` : `Rate ${i} ${tag}`,
    description: null,
    currencyCode: 'EUR',
    isSynchronized: true,
    rateType: 1,
    cancellationPolicies: [],
  }));
  const inventoryMappings = ratePlans.flatMap((r, i) =>
    spaceCategories
      .filter((_, j) => (huge ? j % rates === i : true))
      .map((s) => ({ ratePlanCode: r.code, spaceTypeCode: s.code })),
  );
  return {
    success: true,
    property: {
      name: `Enterprise ${c.enterprise} property ${c.property}`,
      description: null,
      languageCode: 'en-US',
      timeZoneIdentifier: 'Europe/Prague',
      websiteUrl: null,
      email: null,
      telephone: null,
      spaceCount: categories * 3,
      pricingMode: 0,
      address: null,
      images: null,
    },
    spaceCategories,
    ratePlans,
    inventoryMappings,
    products: [],
    productMappings: [],
    companies: [],
    travelAgencies: [],
    ageCategories: [],
  };
}
