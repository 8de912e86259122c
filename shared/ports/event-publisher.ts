import type { OutboxEvent } from '../domain/model.js';

export interface PublishResult {
  /** Events the bus did not take, with the reason; the caller keeps them for a retry. */
  failed: { eventId: string; reason: string }[];
}

/** EventBridge (or the local sink). The adapter adds the deployment's source and bus. */
export interface EventPublisher {
  publish(events: OutboxEvent[]): Promise<PublishResult>;
}
