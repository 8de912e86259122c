import type { Integration, IntegrationId, OutboxEvent } from '../../domain/model.js';
import type { IntegrationStore, IntegrationUpdate } from '../../ports/integration-store.js';
import { type DynamoTable, EXISTS, NOT_EXISTS } from './dynamo-table.js';
import { integrationFromItem, integrationToItem } from './state-items.js';
import { INTEGRATIONS_PARTITION, keys } from './state-table.js';

/** IntegrationStore on the state table (Connector API integrations), each change with its events. */
export class DynamoIntegrationStore implements IntegrationStore {
  readonly #table: DynamoTable;

  constructor(options: { table: DynamoTable }) {
    this.#table = options.table;
  }

  async recordIntegration(integration: Integration, events: OutboxEvent[]): Promise<'created' | 'exists'> {
    this.#table.checkEvents(events, 1);
    const result = await this.#table.transact([
      {
        Put: {
          TableName: this.#table.name,
          Item: integrationToItem(integration),
          ConditionExpression: NOT_EXISTS,
        },
      },
      ...this.#table.eventPuts(events),
    ]);
    if (result.ok) return 'created';
    if (result.reasons[0]?.Code === 'ConditionalCheckFailed') return 'exists';
    throw this.#table.cancellationError(result, events, 1);
  }

  async getIntegration(id: IntegrationId): Promise<Integration | undefined> {
    const item = await this.#table.get(keys.integration(id));
    return item ? integrationFromItem(item) : undefined;
  }

  async listIntegrations(): Promise<Integration[]> {
    return (await this.#table.queryByType(INTEGRATIONS_PARTITION)).map(integrationFromItem);
  }

  async updateIntegration(update: IntegrationUpdate): Promise<'applied' | 'stale'> {
    const { id, expectedVersion, changes, events } = update;
    this.#table.checkEvents(events, 1);
    const names: Record<string, string> = { '#version': 'version' };
    const values: Record<string, unknown> = {
      ':expected': expectedVersion,
      ':next': expectedVersion + 1,
      ':at': update.at,
    };
    const sets = ['#version = :next', 'changedAt = :at'];
    for (const [field, value] of Object.entries(changes)) {
      if (value === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }
    const result = await this.#table.transact([
      {
        Update: {
          TableName: this.#table.name,
          Key: keys.integration(id),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: `${EXISTS} AND #version = :expected`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
      ...this.#table.eventPuts(events),
    ]);
    if (result.ok) return 'applied';
    if (result.reasons[0]?.Code === 'ConditionalCheckFailed') return 'stale';
    throw this.#table.cancellationError(result, events, 1);
  }
}
