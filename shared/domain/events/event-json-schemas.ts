import * as z from 'zod';
import { eventRegistry } from './registry.js';

/**
 * JSON Schema (draft-04, the dialect the EventBridge schema registry reads) of each event as a
 * subscriber receives it: the EventBridge envelope around the detail's zod schema.
 */
export function eventJsonSchema(detailType: keyof typeof eventRegistry): Record<string, unknown> {
  const detail = z.toJSONSchema(eventRegistry[detailType], { target: 'draft-4', io: 'input' });
  delete detail.$schema;
  return {
    $schema: 'http://json-schema.org/draft-04/schema#',
    title: detailType,
    description: `The "${detailType}" event as an EventBridge rule target receives it.`,
    type: 'object',
    properties: {
      version: { type: 'string' },
      id: { type: 'string' },
      'detail-type': { type: 'string', enum: [detailType] },
      source: { type: 'string' },
      account: { type: 'string' },
      time: { type: 'string', format: 'date-time' },
      region: { type: 'string' },
      resources: { type: 'array', items: { type: 'string' } },
      detail,
    },
    required: ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail'],
  };
}

/** `Connection Provisioned` -> `connection-provisioned.json` */
export const schemaFileName = (detailType: string) => `${detailType.toLowerCase().replaceAll(' ', '-')}.json`;

/** Every event's schema file name and content, as checked in under docs/schemas/. */
export function allEventJsonSchemas(): { file: string; content: string }[] {
  return (Object.keys(eventRegistry) as (keyof typeof eventRegistry)[]).map((type) => ({
    file: schemaFileName(type),
    content: `${JSON.stringify(eventJsonSchema(type), null, 2)}\n`,
  }));
}
