/**
 * @mews-connection-provisioner/events: the events the Mews connection provisioner publishes, as
 * zod schemas and TypeScript types, with a parser. No AWS dependency; zod 4 is a peer dependency.
 */
export * from './account-events.js';
export * from './connection-events.js';
export * from './event-parts.js';
export * from './integration-events.js';
export { type ProvisionerEvent, parseEvent } from './parse-event.js';
export * from './registry.js';
export * from './secret-store.js';
