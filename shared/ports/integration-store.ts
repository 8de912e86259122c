import type { Integration, IntegrationId, OutboxEvent } from '../domain/model.js';

/** A change of a known integration, applied only if nothing changed it since it was read. */
export interface IntegrationUpdate {
  id: IntegrationId;
  /** The version the change was computed from; anything else means it is stale (or replayed). */
  expectedVersion: number;
  /** secretRef: only the token migration, once the token is verified at its new place. */
  changes: Partial<Pick<Integration, 'enabled' | 'canceled' | 'deletedAt' | 'secretRef'>>;
  at: string;
  events: OutboxEvent[];
}

/**
 * Connector API integrations (announced by Mews' integration webhooks), kept in the state table
 * beside the connections. Changes and their events are written in one transaction (outbox), and
 * repeating any call changes nothing.
 */
export interface IntegrationStore {
  /** Records a new integration with its events; 'exists' (nothing written) when it is known already. */
  recordIntegration(integration: Integration, events: OutboxEvent[]): Promise<'created' | 'exists'>;
  getIntegration(id: IntegrationId): Promise<Integration | undefined>;
  listIntegrations(): Promise<Integration[]>;
  /** Applies the changes, bumps the version and writes the events, if the version is still the expected one. */
  updateIntegration(update: IntegrationUpdate): Promise<'applied' | 'stale'>;
}
