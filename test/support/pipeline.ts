import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { SsmParameterTokenVault } from '../../shared/adapters/aws/ssm-parameter-token-vault.js';
import type { DeliveredEvent } from '../../shared/adapters/local/jsonl-event-sink.js';
import { stderrLogger } from '../../shared/adapters/local/stderr-logger.js';
import { loadLocalConfig } from '../../shared/config/local-config.js';
import { type LocalServices, openLocalServices } from '../../shared/local/local-services.js';
import { loadDefaultSeed } from '../../shared/simulator/default-seed.js';
import { type MewsSimulator, startMewsSimulator } from '../../shared/simulator/index.js';
import { freshTable, type TestTable } from './dynamo.js';
import { ParameterStoreFake } from './parameter-store-fake.js';

/** Where the pipeline keeps tokens: the local file vault (as `npm start`), or Parameter Store (the stateful fake). */
export type TokenLayoutName = 'file' | 'parameter-store';

/** The token store as the checks see it, whichever the layout. */
export interface TokenStoreView {
  layout: TokenLayoutName;
  /** Connection ids whose token is live. */
  liveIds(): Promise<string[]>;
  /** Connection ids whose token waits out its recovery window. */
  scheduledIds(): Promise<string[]>;
  /** Anything else in the store (temp files, names no token has). */
  strays(): Promise<string[]>;
  /** The Parameter Store fake (layout parameter-store only). */
  fake?: ParameterStoreFake;
}

export interface TestPipeline {
  services: LocalServices;
  simulator: MewsSimulator;
  table: TestTable;
  stateDir: string;
  /** Events as the sink delivered them, in order. */
  events: DeliveredEvent[];
  logLines: string[];
  eventsOf(detailType: string): DeliveredEvent[];
  tokens: TokenStoreView;
  close(): Promise<void>;
}

/**
 * The local pipeline on real parts: a fresh DynamoDB Local table, the Mews simulator over
 * HTTP, the file vault and the JSON-lines sink in a temporary state directory.
 * Mews retries wait briefly so fault tests stay fast.
 */
export async function startPipeline(
  label: string,
  options: { tokens?: TokenLayoutName } = {},
): Promise<TestPipeline> {
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
  const tokens =
    options.tokens === 'parameter-store'
      ? parameterStoreTokens(services)
      : fileTokens(join(stateDir, 'secrets'));
  return {
    services,
    tokens,
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

/** The file vault's folder: `<id>.json` live, `deleted/<id>.json` scheduled. */
function fileTokens(dir: string): TokenStoreView {
  const names = () => readdir(dir).catch(() => [] as string[]);
  const ids = (list: string[]) =>
    list.filter((n) => /^con_[0-9a-f]+\.json$/.test(n)).map((n) => n.slice(0, -5));
  return {
    layout: 'file',
    liveIds: async () => ids(await names()),
    scheduledIds: async () => ids(await readdir(join(dir, 'deleted')).catch(() => [] as string[])),
    strays: async () => (await names()).filter((n) => !/^con_[0-9a-f]{24}\.json$/.test(n) && n !== 'deleted'),
  };
}

const PARAMETER_PATHS = {
  connectionPath: '/mews-provisioner/test/connections/',
  integrationPath: '/mews-provisioner/test/integrations/',
};
const DELETED_CONNECTIONS = '/mews-provisioner/test/deleted/connections/';

/** The Parameter Store layout over the stateful fake, in place of the file vault (the rest stays local). */
function parameterStoreTokens(services: LocalServices): TokenStoreView {
  const fake = new ParameterStoreFake();
  const vault = new SsmParameterTokenVault({
    client: fake.client,
    ...PARAMETER_PATHS,
    kmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  });
  services.vault = vault;
  services.integrationVault = vault;
  const under = (prefix: string) =>
    [...fake.parameters.keys()].filter((n) => n.startsWith(prefix)).map((n) => n.slice(prefix.length));
  const known = [
    PARAMETER_PATHS.connectionPath,
    PARAMETER_PATHS.integrationPath,
    '/mews-provisioner/test/deleted/',
  ];
  return {
    layout: 'parameter-store',
    fake,
    liveIds: async () => under(PARAMETER_PATHS.connectionPath),
    // A moved copy beside a live token is what a restore leaves for the sweep: not scheduled.
    scheduledIds: async () => {
      const live = new Set(under(PARAMETER_PATHS.connectionPath));
      return under(DELETED_CONNECTIONS).filter((id) => !live.has(id));
    },
    strays: async () => [...fake.parameters.keys()].filter((n) => !known.some((k) => n.startsWith(k))),
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
