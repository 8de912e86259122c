import type { Integration, IntegrationId, OutboxEvent } from '../../domain/model.js';
import type { IntegrationStore, IntegrationUpdate } from '../../ports/integration-store.js';
import { type MemoryStateTable, storedIntegration } from './memory-state-table.js';
import { beforeCall, type MemoryAdapterOptions, type OnPortCall } from './port-call.js';

const PORT = 'IntegrationStore';

/** IntegrationStore over the in-memory state table, with the DynamoDB adapter's conditions. */
export class MemoryIntegrationStore implements IntegrationStore {
  readonly #table: MemoryStateTable;
  readonly #onCall: OnPortCall | undefined;

  constructor(options: MemoryAdapterOptions & { table: MemoryStateTable }) {
    this.#table = options.table;
    this.#onCall = options.onCall;
  }

  async recordIntegration(integration: Integration, events: OutboxEvent[]): Promise<'created' | 'exists'> {
    await beforeCall(this.#onCall, PORT, 'recordIntegration', [integration, events]);
    this.#table.checkEvents(events, 1);
    if (this.#table.integrations.has(integration.id)) return 'exists';
    this.#table.requireNewEvents(events);
    this.#table.integrations.set(integration.id, storedIntegration(integration));
    for (const event of events) this.#table.putEvent(event);
    return 'created';
  }

  async getIntegration(id: IntegrationId): Promise<Integration | undefined> {
    await beforeCall(this.#onCall, PORT, 'getIntegration', [id]);
    const integration = this.#table.integrations.get(id);
    return integration ? structuredClone(integration) : undefined;
  }

  async listIntegrations(): Promise<Integration[]> {
    await beforeCall(this.#onCall, PORT, 'listIntegrations', []);
    return [...this.#table.integrations.values()]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((i) => structuredClone(i));
  }

  async updateIntegration(update: IntegrationUpdate): Promise<'applied' | 'stale'> {
    await beforeCall(this.#onCall, PORT, 'updateIntegration', [update]);
    const { id, expectedVersion, changes, events } = update;
    this.#table.checkEvents(events, 1);
    const integration = this.#table.integrations.get(id);
    if (!integration || integration.version !== expectedVersion) return 'stale';
    this.#table.requireNewEvents(events);
    if (changes.enabled !== undefined) integration.enabled = changes.enabled;
    if (changes.canceled !== undefined) integration.canceled = changes.canceled;
    if (changes.deletedAt !== undefined) integration.deletedAt = changes.deletedAt;
    if (changes.secretRef !== undefined) integration.secretRef = changes.secretRef;
    integration.version = expectedVersion + 1;
    integration.changedAt = update.at;
    for (const event of events) this.#table.putEvent(event);
    return 'applied';
  }
}
