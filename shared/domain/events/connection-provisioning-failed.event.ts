import type * as z from 'zod';
import {
  CONNECTION_PROVISIONING_FAILED,
  connectionProvisioningFailedSchema,
} from '../../../packages/events/src/connection-events.js';
import { eventIdFor } from '../identity.js';
import type { Connection, OutboxEvent } from '../model.js';
import { capText, connectionRef, type MewsEnvironment, SCHEMA_VERSION } from './event-parts.js';

export { CONNECTION_PROVISIONING_FAILED };

type ConnectionProvisioningFailed = z.infer<typeof connectionProvisioningFailedSchema>;

/** Once per connection version and error code: retries that fail the same way repeat the same id. */
export function connectionProvisioningFailed(input: {
  connection: Pick<Connection, 'id' | 'name' | 'propertyId' | 'propertyName' | 'secretRef' | 'version'>;
  accountId: string;
  code: number | null;
  message: string;
  environment: MewsEnvironment;
  at: string;
}): OutboxEvent {
  const { connection } = input;
  const detail: ConnectionProvisioningFailed = {
    schemaVersion: SCHEMA_VERSION,
    eventId: eventIdFor(
      CONNECTION_PROVISIONING_FAILED,
      connection.id,
      connection.version,
      input.code ?? 'none',
    ),
    occurredAt: input.at,
    environment: input.environment,
    connection: connectionRef(connection, input.accountId),
    error: { code: input.code, message: capText(input.message) },
  };
  return {
    eventId: detail.eventId,
    detailType: CONNECTION_PROVISIONING_FAILED,
    subject: connection.id,
    time: input.at,
    detail: connectionProvisioningFailedSchema.parse(detail),
  };
}
