import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestOf, mappingView, summarize } from '../../shared/domain/configuration-view.js';
import type { Configuration } from '../../shared/mews/configuration.schema.js';
import { type MewsSimulator, startMewsSimulator } from '../../shared/simulator/index.js';
import { runCli } from '../support/cli-run.js';
import { freshTable, type TestTable } from '../support/dynamo.js';
import { seedSecrets } from '../support/pipeline.js';

/**
 * What a subscriber does with an event's `configuration.snapshot`: `provisioner connections show
 * <connectionId> --configuration --digest <digest>` prints the full configuration it names, on
 * the real CLI path (DynamoDB Local, the simulator over HTTP).
 */
let table: TestTable;
let simulator: MewsSimulator;
let stateDir: string;

beforeAll(async () => {
  table = await freshTable('configuration-cli');
  simulator = await startMewsSimulator();
  stateDir = await mkdtemp(join(tmpdir(), 'provisioner-configuration-cli-'));
  expect((await cli(['accounts', 'add', 'reception@sample-hostel.example'])).code).toBe(0);
  expect((await cli(['run', '--once'])).code).toBe(0);
}, 120_000);
afterAll(async () => {
  await simulator.close();
  await rm(stateDir, { recursive: true, force: true });
});

function cli(args: string[]) {
  process.env.AWS_ENDPOINT_URL_DYNAMODB = table.endpoint;
  return runCli(args, {
    env: {
      PROVISIONER_STATE_DIR: stateDir,
      PROVISIONER_TABLE_NAME: table.tableName,
      MEWS_PLATFORM_ADDRESS: simulator.url,
      MEWS_CLIENT_TOKEN: simulator.clientToken,
    },
  });
}

/** The first Connection Provisioned of the run, as a subscriber received it. */
async function provisioned() {
  const lines = (await readFile(join(stateDir, 'events.jsonl'), 'utf8')).trim().split('\n');
  const event = lines.map((l) => JSON.parse(l)).find((e) => e['detail-type'] === 'Connection Provisioned');
  return event.detail as {
    connection: { id: string };
    configuration: {
      digest: string;
      summary: Record<string, number>;
      snapshot: { connectionId: string; digest: string };
    };
  };
}

describe('connections show --configuration', () => {
  it("prints the configuration an event's snapshot names: its digest and summary are the event's", async () => {
    // Prepare
    const { configuration } = await provisioned();

    // Act
    const shown = await cli([
      'connections',
      'show',
      configuration.snapshot.connectionId,
      '--configuration',
      '--digest',
      configuration.snapshot.digest,
    ]);

    // Assess
    expect(shown).toMatchObject({ code: 0, stderr: '' });
    const stored = JSON.parse(shown.stdout) as Configuration;
    expect(digestOf(mappingView(stored))).toBe(configuration.snapshot.digest);
    expect(summarize(stored)).toEqual(configuration.summary);
    for (const secret of seedSecrets()) expect(shown.stdout).not.toContain(secret);
    // Without --digest: the current one (the same here).
    const current = await cli([
      'connections',
      'show',
      configuration.snapshot.connectionId,
      '--configuration',
    ]);
    expect(current).toMatchObject({ code: 0, stdout: shown.stdout });
  });

  it('says what is wrong with a digest it does not keep or cannot be one, changing nothing', async () => {
    const { connection, configuration } = await provisioned();
    const missing = `sha256:${'0'.repeat(64)}`;
    const unknown = await cli(['connections', 'show', connection.id, '--digest', missing]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`no stored configuration ${missing} for ${connection.id}: the last 5`);
    expect(unknown.stderr).toContain(`its current one is ${configuration.digest}`);
    const malformed = await cli(['connections', 'show', connection.id, '--digest', 'abc']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain("'abc' is not a configuration digest");
    const elsewhere = await cli(['connections', 'list', '--configuration']);
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toContain('`provisioner connections list` does not take --configuration');
  });
});
