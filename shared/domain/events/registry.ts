/** The public contract (detail-type -> detail schema, and its parser) is the subscriber kit's. */
export { eventRegistry, parseEventDetail } from '../../../packages/events/src/registry.js';
