import type { EnterpriseConfiguration } from '../domain/model.js';

/**
 * Mews' Connector API, the one call the provisioner makes with an integration's access token.
 * Implementations retry transient failures themselves within a short budget (the webhook that
 * needs it must answer Mews within 5 s) and throw a MewsFailure (./mews-failure.ts) when they give
 * up: a MewsRefusal (HTTP 400/401/403: the token is not, or no longer, accepted; code null) or a
 * MewsTransientFailure.
 */
export interface ConnectorApi {
  getConfiguration(accessToken: string): Promise<EnterpriseConfiguration>;
}
