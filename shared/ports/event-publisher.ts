import type { OutboxEvent } from '../domain/model.js';

export interface PublishResult {
  /** Events the bus did not take, with the reason. */
  failed: {
    eventId: string;
    reason: string;
    /**
     * True when publishing the same event again can never succeed (its entry is over 256 KB,
     * malformed, or its time unreadable): the relay dead-letters it. False for what a later
     * attempt may get through (throttling, an outage, missing permissions): it stays pending.
     */
    permanent: boolean;
  }[];
}

/** EventBridge (or the local sink). The adapter adds the deployment's source and bus. */
export interface EventPublisher {
  publish(events: OutboxEvent[]): Promise<PublishResult>;
}
