import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveredEvent } from '../../shared/adapters/local/jsonl-event-sink.js';
import { stderrLogger } from '../../shared/adapters/local/stderr-logger.js';
import { loadLocalConfig } from '../../shared/config/local-config.js';
import { type LocalServices, openLocalServices } from '../../shared/local/local-services.js';
import { loadDefaultSeed } from '../../shared/simulator/default-seed.js';
import { type MewsSimulator, startMewsSimulator } from '../../shared/simulator/index.js';
import { freshTable, type TestTable } from './dynamo.js';

export interface TestPipeline {
  services: LocalServices;
  simulator: MewsSimulator;
  table: TestTable;
  stateDir: string;
  /** Events as the sink delivered them, in order. */
  events: DeliveredEvent[];
  logLines: string[];
  eventsOf(detailType: string): DeliveredEvent[];
  close(): Promise<void>;
}

/**
 * The local pipeline on real parts: a fresh DynamoDB Local table, the Mews simulator over
 * HTTP, the file vault and the JSON-lines sink in a temporary state directory.
 * Mews retries wait briefly so fault tests stay fast.
 */
export async function startPipeline(label: string): Promise<TestPipeline> {
  const table = await freshTable(label);
  const simulator = await startMewsSimulator();
  const stateDir = await mkdtemp(join(tmpdir(), `provisioner-${label}-`));
  const events: DeliveredEvent[] = [];
  const logLines: string[] = [];
  const config = loadLocalConfig({
    PROVISIONER_STATE_DIR: stateDir,
    PROVISIONER_TABLE_NAME: table.tableName,
  });
  const services = await openLocalServices(config, {
    dynamodbEndpoint: table.endpoint,
    mews: { platformAddress: simulator.url, clientToken: simulator.clientToken, environment: 'simulator' },
    onEvent: (e) => events.push(e),
    logger: stderrLogger('debug', (line) => logLines.push(line)),
  });
  return {
    services,
    simulator,
    table,
    stateDir,
    events,
    logLines,
    eventsOf: (detailType) => events.filter((e) => e['detail-type'] === detailType),
    async close() {
      await services.close();
      await simulator.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/** Every token the simulator's seed knows (client and connections): none may leak. */
export function seedSecrets(): string[] {
  const seed = loadDefaultSeed();
  const tokens = seed.enterprises.flatMap((e) =>
    (e.properties ?? []).flatMap((p) =>
      Array.isArray(p.connections) ? p.connections.map((c) => c.token) : [],
    ),
  );
  return [seed.clientToken, ...tokens].filter((t): t is string => typeof t === 'string' && t.length > 0);
}

/** Where each secret shows up: files under the state dir (outside secrets/), table items, and the given texts. */
export async function findLeaks(
  p: Pick<TestPipeline, 'stateDir' | 'table'>,
  secrets: string[],
  texts: Record<string, string>,
): Promise<string[]> {
  const places: Record<string, string> = { ...texts };
  for (const file of await listFiles(p.stateDir)) {
    if (file.startsWith(join(p.stateDir, 'secrets'))) continue;
    places[file] = (await readFile(file)).toString('latin1');
  }
  const items = await p.table.client.send(new ScanCommand({ TableName: p.table.tableName }));
  places['dynamodb items'] = JSON.stringify(items.Items ?? [], (_k, v) =>
    v instanceof Uint8Array ? readable(v) : v,
  );
  const hits: string[] = [];
  for (const [where, text] of Object.entries(places)) {
    for (const secret of secrets) if (text.includes(secret)) hits.push(`${where} contains a token`);
  }
  return hits;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** Binary attributes (compressed snapshots) are scanned as what they contain. */
function readable(bytes: Uint8Array): string {
  try {
    return gunzipSync(bytes).toString('latin1');
  } catch {
    return Buffer.from(bytes).toString('latin1');
  }
}
