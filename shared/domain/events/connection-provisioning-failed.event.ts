import * as z from 'zod';
import { eventIdFor } from '../identity.js';
import type { Connection, OutboxEvent } from '../model.js';
import {
  capText,
  connectionRef,
  connectionRefSchema,
  eventBase,
  type MewsEnvironment,
  SCHEMA_VERSION,
} from './event-parts.js';

export const CONNECTION_PROVISIONING_FAILED = 'Connection Provisioning Failed';

export const connectionProvisioningFailedSchema = z.object({
  ...eventBase,
  connection: connectionRefSchema,
  error: z.object({
    /** Mews error code when Mews refused (3: connection not found, 8: token invalid, 9: disabled). */
    code: z.number().int().nullable(),
    message: z.string(),
  }),
});

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
