import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createDocumentClient } from '../adapters/aws/dynamo-client.js';
import { DynamoStateStore } from '../adapters/aws/dynamo-state-store.js';
import {
  ensureTable,
  localDocumentClient,
  localLowLevelClient,
  startDynamoDbLocal,
} from '../adapters/local/dynamodb-local.js';
import { FileTokenVault } from '../adapters/local/file-token-vault.js';
import { InProcessQueue } from '../adapters/local/in-process-queue.js';
import { type DeliveredEvent, JsonlEventSink } from '../adapters/local/jsonl-event-sink.js';
import { stderrLogger } from '../adapters/local/stderr-logger.js';
import { DEFAULT_CONNECTOR_CLIENT_NAME } from '../adapters/mews-connector/client-name.js';
import { ConnectorClient } from '../adapters/mews-connector/connector-client.js';
import { ConfigError, type LocalConfig } from '../config/local-config.js';
import type { MewsEnvironment } from '../domain/events/event-parts.js';
import { secretMatcher } from '../lib/secret-matcher.js';
import { ChannelManagerClient } from '../mews/channel-manager-client.js';
import type { HttpTransportOptions } from '../mews/http-transport.js';
import { systemClock } from '../ports/clock.js';
import type { ConnectorApi } from '../ports/connector-api.js';
import type { IntegrationStore } from '../ports/integration-store.js';
import type { Logger } from '../ports/logger.js';
import type { IntegrationTokenVault } from '../ports/token-vault.js';
import { loadDefaultSeed } from '../simulator/default-seed.js';
import { startMewsSimulator } from '../simulator/start-simulator.js';
import type { LocalPipeline } from './run-cycle.js';
import {
  keptDynamoDbRecord,
  readKeptDynamoDb,
  readRuntimeFile,
  stateDirLockHolder,
  touchKeptDynamoDb,
} from './runtime-file.js';

export interface LocalServices extends LocalPipeline {
  dynamodbEndpoint: string;
  mewsAddress: string;
  /** Integrations, in the same DynamoDB table (the same store object as `store`, when it is built here). */
  integrations: IntegrationStore;
  /** Integration access tokens, in the same vault (the same object as `vault`, when it is built here). */
  integrationVault: IntegrationTokenVault;
  /** Mews' Connector API (configuration/get), on the same platform address. */
  connector: ConnectorApi;
  /** Constant-time check of a presented client token (change notifications) against the configured one. */
  clientTokenMatches: (candidate: unknown) => boolean;
  /** Stops what this call started (DynamoDB Local, simulator); leaves a running `npm start` alone. */
  close(): Promise<void>;
}

export interface LocalServicesOptions {
  onEvent?: (event: DeliveredEvent) => void;
  logger?: Logger;
  /**
   * Use this DynamoDB endpoint (else AWS_ENDPOINT_URL_DYNAMODB, a running `npm start`'s, the one
   * an earlier CLI command kept running, or a new one kept for the next commands).
   */
  dynamodbEndpoint?: string;
  /** Use this Mews (else config.mews, a running `npm start`'s simulator, or a new in-process simulator). */
  mews?: { platformAddress: string; clientToken: string; environment: MewsEnvironment };
  /** The Channel Manager client's call budget and attempt hook (the CLI's bounded wait and progress). */
  mewsTransport?: Pick<HttpTransportOptions, 'timeoutMs' | 'maxElapsedMs' | 'onAttempt'>;
  /** Connector API: the `Client` name (default DEFAULT_CONNECTOR_CLIENT_NAME) and client token (default: the Mews client token). */
  connector?: { clientName?: string; clientToken?: string };
}

/**
 * The composition root of local runs: the same use cases as on AWS, behind DynamoDB Local,
 * the file vault, the JSON-lines event sink, in-process queues and Mews (or its simulator).
 */
export async function openLocalServices(
  config: LocalConfig,
  options: LocalServicesOptions = {},
): Promise<LocalServices> {
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) await c();
  };
  try {
    const running = await readRuntimeFile(config.stateDir);
    const dynamo = await openDynamo(config, options.dynamodbEndpoint, running?.dynamodbEndpoint, closers);
    const mews = await openMews(config, options.mews, running?.simulatorAddress ?? null, closers);
    const logger = options.logger ?? stderrLogger(config.logLevel);

    const store = new DynamoStateStore({ client: dynamo.client, tableName: config.tableName });
    const vault = new FileTokenVault({ dir: join(config.stateDir, 'secrets') });
    return {
      dynamodbEndpoint: dynamo.endpoint,
      mewsAddress: mews.platformAddress,
      store,
      integrations: store,
      mews: new ChannelManagerClient({
        platformAddress: mews.platformAddress,
        clientToken: mews.clientToken,
        logger,
        ...(config.mewsRateLimit ? { rateLimit: config.mewsRateLimit } : {}),
        ...options.mewsTransport,
      }),
      vault,
      integrationVault: vault,
      connector: new ConnectorClient({
        platformAddress: mews.platformAddress,
        clientToken: options.connector?.clientToken ?? mews.clientToken,
        clientName: options.connector?.clientName ?? DEFAULT_CONNECTOR_CLIENT_NAME,
        logger,
      }),
      clientTokenMatches: secretMatcher(mews.clientToken),
      publisher: new JsonlEventSink({
        file: join(config.stateDir, 'events.jsonl'),
        source: config.eventSource,
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      }),
      polls: new InProcessQueue(),
      syncs: new InProcessQueue(),
      clock: systemClock,
      logger,
      environment: mews.environment,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function openDynamo(
  config: LocalConfig,
  explicit: string | undefined,
  running: string | undefined,
  closers: (() => Promise<void>)[],
) {
  // An endpoint from the environment is the AWS SDK's own setting: the SDK reads it itself.
  const fromEnv = process.env.AWS_ENDPOINT_URL_DYNAMODB ?? process.env.AWS_ENDPOINT_URL;
  let endpoint = explicit ?? fromEnv ?? running;
  if (!endpoint) endpoint = await keptDynamoDbLocal(config.stateDir, closers);
  const client = explicit || !fromEnv ? localDocumentClient(endpoint) : createDocumentClient();
  closers.push(async () => client.destroy());
  try {
    await ensureTable(client, config.tableName);
  } catch (error) {
    throw new Error(
      `the state store (DynamoDB at ${endpoint}, table ${config.tableName}) is unreachable: ${(error as Error).message}. ` +
        'Check AWS_ENDPOINT_URL_DYNAMODB, or unset it to let the provisioner start DynamoDB Local.',
    );
  }
  return { endpoint, client };
}

/** Seconds a DynamoDB Local a CLI command started stays up after the last command (PROVISIONER_DYNAMODB_IDLE_SECONDS). */
const DEFAULT_IDLE_SECONDS = 300;

/**
 * Without `npm start`, the CLI starts DynamoDB Local once and leaves it running (detached, on
 * the same data) for the next commands; it stops itself after the idle timeout. `npm start`
 * stops it and runs its own.
 */
async function keptDynamoDbLocal(stateDir: string, closers: (() => Promise<void>)[]): Promise<string> {
  const holder = await stateDirLockHolder(stateDir);
  if (holder !== undefined) {
    throw new Error(
      `npm start (pid ${holder}) is starting on ${stateDir}; run the command again once it is up`,
    );
  }
  closers.push(() => touchKeptDynamoDb(stateDir));
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const record = keptDynamoDbRecord(stateDir);
  for (let attempt = 0; ; attempt++) {
    const kept = await readKeptDynamoDb(stateDir);
    if (kept) {
      await touchKeptDynamoDb(stateDir);
      // It may be a moment old: started by a command running now.
      if (await answers(kept.endpoint, 30_000)) return kept.endpoint;
    }
    // Claim the start, so two commands at once start one DynamoDB Local, not two on the same files.
    try {
      await writeFile(record, `${JSON.stringify({ pid: process.pid, starting: true })}\n`, {
        flag: 'wx',
        mode: 0o600,
      });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 300) throw error;
    }
    const claim = await readClaim(record);
    if (claim && !claim.endpoint && claim.pid !== process.pid && !alive(claim.pid)) {
      await rm(record, { force: true }); // its command is gone
    } else if (claim?.endpoint && !alive(claim.pid)) {
      await rm(record, { force: true }); // its guard is gone
    } else {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    return await startKept(stateDir, record);
  } catch (error) {
    if ((await readClaim(record))?.pid === process.pid) await rm(record, { force: true });
    throw error;
  }
}

async function readClaim(record: string): Promise<{ pid: number; endpoint?: string } | undefined> {
  try {
    return JSON.parse(await readFile(record, 'utf8')) as { pid: number; endpoint?: string };
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether DynamoDB Local answers on `endpoint` within `timeoutMs`. */
async function answers(endpoint: string, timeoutMs: number): Promise<boolean> {
  const client = localLowLevelClient(endpoint);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(1_000) });
        return true;
      } catch {
        if (Date.now() > deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    client.destroy();
  }
}

async function startKept(stateDir: string, record: string): Promise<string> {
  const raw = process.env.PROVISIONER_DYNAMODB_IDLE_SECONDS;
  const idleSeconds = raw === undefined || raw === '' ? DEFAULT_IDLE_SECONDS : Number(raw);
  if (!Number.isFinite(idleSeconds) || idleSeconds <= 0) {
    throw new ConfigError(
      `PROVISIONER_DYNAMODB_IDLE_SECONDS=${JSON.stringify(raw)} must be a positive number of seconds, like 300`,
    );
  }
  const local = await startDynamoDbLocal({
    dbPath: await dataDir(stateDir),
    keep: { record, idleSeconds, log: join(stateDir, 'dynamodb-local.log') },
  });
  return local.endpoint;
}

async function dataDir(stateDir: string): Promise<string> {
  const dir = join(stateDir, 'dynamodb');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}

async function openMews(
  config: LocalConfig,
  explicit: LocalServicesOptions['mews'],
  runningSimulator: string | null,
  closers: (() => Promise<void>)[],
) {
  const chosen = explicit ?? config.mews;
  if (chosen) return chosen;
  const clientToken = loadDefaultSeed().clientToken;
  if (runningSimulator)
    return { platformAddress: runningSimulator, clientToken, environment: 'simulator' as const };
  const simulator = await startMewsSimulator();
  closers.push(() => simulator.close());
  return {
    platformAddress: simulator.url,
    clientToken: simulator.clientToken,
    environment: 'simulator' as const,
  };
}
