/** The records this service keeps. Plain data: no AWS types, no tokens. */

export type AccountId = `acc_${string}`;
export type ConnectionId = `con_${string}`;

export type AccountAccess =
  | { status: 'ok' }
  | { status: 'failing'; code: number | null; reason: string; since: string };

/** A registered Mews employee email whose getProperties answer we poll. */
export interface Account {
  id: AccountId;
  /** Lower-cased. Personal data: log only masked. */
  email: string;
  label: string | null;
  createdAt: string;
  /**
   * Random, one per registration: an account removed and registered again restarts its
   * accessVersion, and this keeps its events from reusing the ids of the old registration's.
   */
  registration: string;
  access: AccountAccess;
  /** Bumped on every access transition; makes the transition's event id deterministic. */
  accessVersion: number;
  /** Set while a sudden mass disappearance of this account's connections is held back. */
  hold: AccountHold | null;
}

/**
 * A successful answer lacked more than the allowed share of the account's connections at once.
 * Their removal waits until the listing recovers (hold lifted) or an operator releases it.
 */
export interface AccountHold {
  since: string;
  missing: number;
  known: number;
  /** An operator confirmed the disappearance: the next poll counts the missing connections. */
  released: boolean;
}

/** "This account's getProperties lists this connection." One per (account, connection). */
export interface Membership {
  accountId: AccountId;
  connectionId: ConnectionId;
  /**
   * pending until a sync has run for this account's discovery (the poll stored its token right
   * after recording it); awaiting-token when a sync found no token, so this account's next poll
   * stores it again (docs/lifecycle.md, Tokens).
   */
  status: 'pending' | 'awaiting-token' | 'synced';
  propertyId: string;
  propertyName: string;
  connectionName: string | null;
  firstSeenAt: string;
  /** Consecutive successful polls of this account that lacked the connection. */
  missingPolls: number;
}

export interface ConfigurationSummary {
  spaceCategories: number;
  synchronizedSpaceCategories: number;
  ratePlans: number;
  synchronizedRatePlans: number;
  inventoryMappings: number;
  products: number;
  ageCategories: number;
  companies: number;
  travelAgencies: number;
}

export interface ConfigurationState {
  digest: string;
  summary: ConfigurationSummary;
  fetchedAt: string;
}

/** The connection lifecycle: see docs/lifecycle.md and shared/domain/lifecycle/. */
export type ConnectionStatus = 'discovered' | 'provisioned' | 'deactivated' | 'removed';

export interface Connection {
  id: ConnectionId;
  status: ConnectionStatus;
  propertyId: string;
  propertyName: string;
  name: string | null;
  /** The account whose poll found it first. */
  discoveredBy: AccountId;
  discoveredAt: string;
  provisionedAt: string | null;
  /** Last lifecycle change after provisioning (configuration, status). */
  changedAt: string | null;
  /** Bumped by every applied change; changes are conditional on it, and it keys their event ids. */
  version: number;
  /** Where the token lives: a Secrets Manager ARN, or a local vault reference. */
  secretRef: string | null;
  configuration: ConfigurationState | null;
}

/** A newly listed connection as the poll saw it (the token stays in the vault). */
export interface Discovery {
  connectionId: ConnectionId;
  propertyId: string;
  propertyName: string;
  connectionName: string | null;
  /** Where the poll stored the token (returned by the vault). */
  secretRef: string;
}

/** An event waiting in (or relayed from) the transactional outbox. */
export interface OutboxEvent {
  eventId: string;
  detailType: string;
  /** Partition for replay: the connection or account it is about. */
  subject: string;
  time: string;
  detail: Record<string, unknown>;
}

export type IntegrationId = `int_${string}`;

/** The enterprise's configuration as Mews' Connector API `configuration/get` describes it (no token). */
export interface EnterpriseConfiguration {
  id: string;
  name: string;
  chainId: string | null;
  timeZoneIdentifier: string | null;
  defaultLanguageCode: string | null;
  legalEnvironmentCode: string | null;
  /** Gross or Net. */
  pricing: string | null;
  countryCode: string | null;
  currencies: { currency: string; isDefault: boolean; isEnabled: boolean }[];
}

/**
 * A Connector API integration of an enterprise (Mews: "the connection between an enterprise and an
 * API client, with its own access token"), announced by Mews' integration webhooks. The access
 * token lives in the vault only.
 */
export interface Integration {
  /** `int_` + a hash of Mews' integration id: a stable key with a safe alphabet. */
  id: IntegrationId;
  /** Mews' integration id (a GUID, not a secret). */
  mewsId: string;
  name: string;
  enterprise: { id: string; name: string };
  service: { id: string; name: string } | null;
  enabled: boolean;
  canceled: boolean;
  /** Set by IntegrationDeleted (Mews' DeletedUtc, or when it arrived); nothing changes it afterwards. */
  deletedAt: string | null;
  /** Bumped on every applied change; part of the change events' ids. */
  version: number;
  /** Mews' CreatedUtc. */
  createdUtc: string;
  recordedAt: string;
  changedAt: string | null;
  /** Where the access token lives: a Secrets Manager ARN, or a local vault reference. */
  secretRef: string;
  /** Null when Mews refused `configuration/get` (e.g. the integration was created disabled). */
  enterpriseConfiguration: EnterpriseConfiguration | null;
}
