import * as z from 'zod';
import { parseInput, SimulatorInputError } from './simulator-specs.js';

/**
 * Connector API integrations of the simulated enterprises: each has an access token (fake, from a
 * counter unless given) and a state that `configuration/get` honours. Changing the state here does
 * not send a webhook: tests send the webhooks they want, when they want (duplicated, reordered...).
 */

export const INTEGRATION_STATUSES = ['enabled', 'disabled', 'canceled', 'deleted'] as const;
export type IntegrationStatus = (typeof INTEGRATION_STATUSES)[number];

export const integrationSpecSchema = z.strictObject({
  enterpriseId: z.string().min(1),
  /** Default `Integration N`. */
  name: z.string().min(1).optional(),
  /** Default `fake-access-NNNN`. */
  accessToken: z.string().min(1).optional(),
  /** Default true. */
  enabled: z.boolean().optional(),
  /** The service the integration is scoped to; default Accommodation. Null: none. */
  service: z
    .strictObject({ id: z.string().min(1), name: z.string().min(1) })
    .nullable()
    .optional(),
  requestor: z
    .strictObject({ name: z.string().min(1), email: z.email() })
    .nullable()
    .optional(),
});
export type IntegrationSpec = z.input<typeof integrationSpecSchema>;

export interface IntegrationRecord {
  /** GUID-shaped, from a counter. */
  id: string;
  name: string;
  enterpriseId: string;
  service: { id: string; name: string } | null;
  requestor: { name: string; email: string } | null;
  accessToken: string;
  createdUtc: string;
  status: IntegrationStatus;
  /** Set when the status became deleted. */
  deletedUtc: string | null;
}

export interface AddedIntegration {
  integrationId: string;
  accessToken: string;
  enterpriseId: string;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export class IntegrationBook {
  private byId = new Map<string, IntegrationRecord>();
  private counter = 0;
  private tokenCounter = 0;

  constructor(private readonly enterpriseExists: (id: string) => boolean) {}

  add(spec: IntegrationSpec): AddedIntegration {
    const parsed = parseInput(integrationSpecSchema, spec, 'integration');
    if (!this.enterpriseExists(parsed.enterpriseId)) {
      throw new SimulatorInputError(`no enterprise ${parsed.enterpriseId}`);
    }
    const n = ++this.counter;
    const accessToken = parsed.accessToken ?? this.nextToken();
    if ([...this.byId.values()].some((i) => i.accessToken === accessToken)) {
      throw new SimulatorInputError('access token already in use');
    }
    const record: IntegrationRecord = {
      id: `00000000-0000-4000-8000-${pad(n, 12)}`,
      name: parsed.name ?? `Integration ${n}`,
      enterpriseId: parsed.enterpriseId,
      service: parsed.service === undefined ? { id: 'accommodation', name: 'Accommodation' } : parsed.service,
      requestor: parsed.requestor ?? null,
      accessToken,
      createdUtc: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      status: parsed.enabled === false ? 'disabled' : 'enabled',
      deletedUtc: null,
    };
    this.byId.set(record.id, record);
    return { integrationId: record.id, accessToken, enterpriseId: record.enterpriseId };
  }

  get(id: string): IntegrationRecord {
    const record = this.byId.get(id);
    if (!record) throw new SimulatorInputError(`no integration ${id}`);
    return record;
  }

  byAccessToken(token: string): IntegrationRecord | undefined {
    return [...this.byId.values()].find((i) => i.accessToken === token);
  }

  setStatus(id: string, status: IntegrationStatus): void {
    if (!(INTEGRATION_STATUSES as readonly string[]).includes(status)) {
      throw new SimulatorInputError(`status must be one of ${INTEGRATION_STATUSES.join(', ')}`);
    }
    const record = this.get(id);
    if (record.status === 'deleted') throw new SimulatorInputError(`integration ${id} is deleted`);
    record.status = status;
    if (status === 'deleted') record.deletedUtc = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** Mews regenerates the key: the old one stops working. Returns the new one. */
  rotateAccessToken(id: string): string {
    const record = this.get(id);
    record.accessToken = this.nextToken();
    return record.accessToken;
  }

  /** Copies (the tokens are fake, so they are included). */
  list(): IntegrationRecord[] {
    return [...this.byId.values()].map((i) => structuredClone(i));
  }

  reset(): void {
    this.byId.clear();
    this.counter = 0;
    this.tokenCounter = 0;
  }

  private nextToken(): string {
    return `fake-access-${pad(++this.tokenCounter, 4)}`;
  }
}
