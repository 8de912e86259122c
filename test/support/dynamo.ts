import { randomUUID } from 'node:crypto';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import {
  ensureTable,
  localDocumentClient,
  localLowLevelClient,
} from '../../shared/adapters/local/dynamodb-local.js';

export interface TestTable {
  endpoint: string;
  client: DynamoDBDocumentClient;
  tableName: string;
}

let ready: Promise<void> | undefined;

/** Waits until the run's DynamoDB Local (started by dynamodb-global-setup.ts) answers. */
function waitForDynamo(endpoint: string, timeoutMs = 90_000): Promise<void> {
  ready ??= (async () => {
    const client = localLowLevelClient(endpoint);
    const deadline = Date.now() + timeoutMs;
    try {
      for (;;) {
        try {
          await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(1_000) });
          return;
        } catch (error) {
          if (Date.now() > deadline) {
            throw new Error(
              `DynamoDB Local at ${endpoint} is not answering (see the test run's first lines for why; ` +
                'it needs Java 17+: check `java -version`)',
              { cause: error },
            );
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    } finally {
      client.destroy();
    }
  })();
  return ready;
}

export function dynamoEndpoint(): string {
  return inject('dynamoEndpoint');
}

/**
 * A new, empty state table (unique name) on the run's DynamoDB Local, so test files can run in
 * parallel. The first call waits for the emulator (up to 90 s on a busy machine): call it in a
 * `beforeAll` with a generous timeout.
 */
export async function freshTable(label = 'test'): Promise<TestTable> {
  const endpoint = dynamoEndpoint();
  await waitForDynamo(endpoint);
  const client = localDocumentClient(endpoint);
  const tableName = `${label.replace(/[^a-zA-Z0-9_.-]/g, '-').slice(0, 40)}-${randomUUID().slice(0, 8)}`;
  await ensureTable(client, tableName);
  return { endpoint, client, tableName };
}
