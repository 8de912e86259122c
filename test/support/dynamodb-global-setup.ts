import type { TestProject } from 'vitest/node';
import {
  type DynamoDbLocal,
  freePort,
  startDynamoDbLocal,
} from '../../shared/adapters/local/dynamodb-local.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** DynamoDB Local shared by the whole test run (see test/support/dynamo.ts). */
    dynamoEndpoint: string;
  }
}

/**
 * Starts ONE DynamoDB Local (in memory, free port) for the test run and stops it at the end.
 * Test files ask for a fresh table through `test/support/dynamo.ts`.
 *
 * The start is not awaited here: a run of unit tests alone pays nothing for it (and does not
 * need Java); `freshTable()` waits until the emulator answers. Set TEST_DYNAMODB_ENDPOINT to
 * use an emulator that is already running instead.
 */
export default async function setup(project: TestProject) {
  const external = process.env.TEST_DYNAMODB_ENDPOINT;
  if (external) {
    project.provide('dynamoEndpoint', external);
    return;
  }
  const port = await freePort();
  const starting: Promise<DynamoDbLocal | undefined> = startDynamoDbLocal({
    port,
    startTimeoutMs: 90_000,
  }).then(
    (local) => {
      if (process.env.TEST_DYNAMODB_TIMING)
        console.info(`DynamoDB Local answered after ${local.startupMs} ms`);
      return local;
    },
    (error: unknown) => {
      console.error(`DynamoDB Local did not start for the test run:\n${(error as Error).message}`);
      return undefined;
    },
  );
  project.provide('dynamoEndpoint', `http://127.0.0.1:${port}`);
  return async () => {
    await (await starting)?.stop();
  };
}
