import type { Channel } from '../mews/channels.schema.js';
import type { Configuration, ConfigurationExtent } from '../mews/configuration.schema.js';
import type { PropertiesResponse } from '../mews/properties.schema.js';

/**
 * Mews Channel Manager API, the operations we call. Implementations retry transient
 * failures themselves and throw a MewsFailure (./mews-failure.ts) when they give up: a
 * MewsRefusal (permanent, with Mews' code) or a MewsTransientFailure.
 */
export interface ChannelManagerApi {
  getProperties(email: string): Promise<PropertiesResponse>;
  getConfiguration(connectionToken: string, extent?: ConfigurationExtent): Promise<Configuration>;
  getChannels(): Promise<Channel[]>;
}
