import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { ensureTable, localLowLevelClient } from '../adapters/local/dynamodb-local.js';
import type { LocalConfig } from '../config/local-config.js';
import { openLocalServices } from '../local/local-services.js';
import { readRuntimeFile } from '../local/runtime-file.js';
import { type CliIo, EXIT, json, terminalConfirm, UsageError } from './cli-io.js';
import { CommandFailure } from './command-failure.js';

/** What reset removes from the state directory (DynamoDB Local's own files stay: the table is emptied). */
const STATE_FILES = ['secrets', 'events.jsonl', 'dead-letters.jsonl', 'last-cycle.json', 'environment.json'];

export interface ResetOptions {
  /** Asks the person at the terminal; resolves true to go ahead. Default: stdin when it is a TTY. */
  confirm?: (question: string) => Promise<boolean>;
}

export async function resetCommand(
  args: { yes: boolean; json: boolean },
  config: LocalConfig,
  io: CliIo,
  options: ResetOptions = {},
): Promise<number> {
  const dir = config.stateDir;
  const running = await readRuntimeFile(dir);
  if (running) {
    throw new CommandFailure(
      `npm start (pid ${running.pid}) is running on ${dir}: stop it (Ctrl-C) before resetting the state directory`,
    );
  }
  if (!args.yes) {
    const confirm = options.confirm ?? terminalConfirm();
    if (!confirm) {
      throw new UsageError(
        `reset deletes everything in ${dir} and there is no terminal to confirm on: add --yes to go ahead`,
      );
    }
    const ok = await confirm(
      `Delete everything in ${dir} (table ${config.tableName}: accounts, connections, events; the token vault; dead letters)? [y/N] `,
    );
    if (!ok) {
      io.err('reset cancelled: nothing was changed\n');
      return EXIT.failed;
    }
  }

  const services = await openLocalServices(config);
  try {
    if (!isLoopback(services.dynamodbEndpoint)) {
      throw new CommandFailure(
        `reset clears local state only, and the state table is at ${services.dynamodbEndpoint} (AWS_ENDPOINT_URL_DYNAMODB): nothing was changed`,
      );
    }
    const dynamo = localLowLevelClient(services.dynamodbEndpoint);
    try {
      try {
        await dynamo.send(new DeleteTableCommand({ TableName: config.tableName }));
      } catch (error) {
        if (!(error instanceof Error && error.name === 'ResourceNotFoundException')) throw error;
      }
      await ensureTable(dynamo, config.tableName);
    } finally {
      dynamo.destroy();
    }
  } finally {
    await services.close();
  }
  for (const name of STATE_FILES) await rm(join(dir, name), { recursive: true, force: true });

  if (args.json) {
    io.out(json({ stateDir: dir, table: config.tableName, removed: STATE_FILES, reset: true }));
  } else {
    io.out(
      `reset ${dir}: table ${config.tableName} emptied; token vault, events, dead letters and the Mews environment record removed\n`,
    );
  }
  return EXIT.ok;
}

function isLoopback(endpoint: string): boolean {
  try {
    const host = new URL(endpoint).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
}
