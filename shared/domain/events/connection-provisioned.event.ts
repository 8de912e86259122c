import type * as z from 'zod';
import {
  CONNECTION_PROVISIONED,
  connectionProvisionedSchema,
} from '../../../packages/events/src/connection-events.js';
import { eventIdFor } from '../identity.js';
import type { ConfigurationState, Connection, OutboxEvent } from '../model.js';
import { connectionRef, type MewsEnvironment, SCHEMA_VERSION } from './event-parts.js';

export { CONNECTION_PROVISIONED };

type ConnectionProvisioned = z.infer<typeof connectionProvisionedSchema>;

/** Once per connection, ever: its id depends on the connection alone. */
export function connectionProvisioned(input: {
  connection: Pick<Connection, 'id' | 'name' | 'propertyId' | 'propertyName'>;
  accountId: string;
  secretRef: string;
  configuration: ConfigurationState;
  environment: MewsEnvironment;
  at: string;
}): OutboxEvent {
  const { connection, configuration } = input;
  const detail: ConnectionProvisioned = {
    schemaVersion: SCHEMA_VERSION,
    eventId: eventIdFor(CONNECTION_PROVISIONED, connection.id),
    occurredAt: input.at,
    environment: input.environment,
    connection: connectionRef({ ...connection, secretRef: input.secretRef }, input.accountId),
    configuration: {
      digest: configuration.digest,
      summary: configuration.summary,
      snapshot: { connectionId: connection.id, digest: configuration.digest },
    },
  };
  return {
    eventId: detail.eventId,
    detailType: CONNECTION_PROVISIONED,
    subject: connection.id,
    time: input.at,
    detail: connectionProvisionedSchema.parse(detail),
  };
}
