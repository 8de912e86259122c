import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoStateStore } from '../../shared/adapters/aws/dynamo-state-store.js';
import { openAwsTokenStores } from '../../shared/cli/aws-token-stores.js';
import type { TokenStoreName } from '../../shared/use-cases/migrate-tokens.js';
import { runCli } from '../support/cli-run.js';
import { freshTable, type TestTable } from '../support/dynamo.js';
import { ParameterStoreFake } from '../support/parameter-store-fake.js';
import { fakeSecretsManager } from '../support/secrets-manager-fake.js';
import { populateDeployment, type TokenDeployment, unreadableTokens } from '../support/token-deployment.js';

/**
 * `provisioner tokens migrate` on its real path: the CLI, the stack's outputs (CloudFormation
 * mocked), the state on DynamoDB Local, Secrets Manager and Parameter Store as stateful fakes
 * behind aws-sdk-client-mock. A crash in each direction, then a rerun that finishes; no token lost.
 */
const STACK = 'MewsProvisioner-demo';
const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

let table: TestTable;
const sm = fakeSecretsManager();
const ssm = new ParameterStoreFake();
const cloudFormation = new CloudFormationClient({ region: 'eu-west-1' });
const cfn = mockClient(cloudFormation);
let deployed: TokenStoreName = 'secrets-manager';

function outputs() {
  const all: Record<string, string> = {
    TableName: table.tableName,
    MewsEnvironment: 'demo',
    ConnectionSecretPrefix: 'mews-provisioner/demo/connections/',
    IntegrationSecretPrefix: 'mews-provisioner/demo/integrations/',
    ConnectionSecretsKeyArn: KEY,
    SecretRecoveryWindowDays: '7',
    ...(deployed === 'parameter-store'
      ? {
          TokenStore: 'parameter-store',
          ConnectionParameterPath: '/mews-provisioner/demo/connections/',
          IntegrationParameterPath: '/mews-provisioner/demo/integrations/',
        }
      : {}),
  };
  return Object.entries(all).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue }));
}

const open = (stack: string) =>
  openAwsTokenStores(stack, { cloudFormation, secretsManager: sm.client, ssm: ssm.client });

function cli(args: string[]) {
  return runCli([...args, '--stack', STACK], undefined, {
    // close() would destroy the shared fakes' clients: keep them for the next run
    openTokenStores: async (stack) => ({ ...(await open(stack)), close: async () => {} }),
  });
}

let deployment: TokenDeployment;
let store: DynamoStateStore;

/** Per reference in the state: the token-moved events in the outbox that moved it out of `from`. */
async function announcedMoves(from: TokenStoreName) {
  const ids = [
    ...(await store.listConnections()).filter((c) => c.secretRef).map((c) => c.id),
    ...(await store.listIntegrations()).map((i) => i.id),
  ];
  const counts: Record<string, number> = {};
  for (const id of ids) {
    const events = await store.listEventsFor(id);
    counts[id] = events.filter(
      (e) =>
        e.detailType.endsWith(' Token Moved') &&
        (e.detail as { previous: { secretStore: string } }).previous.secretStore === from,
    ).length;
  }
  return counts;
}

const once = (counts: Record<string, number>) => Object.fromEntries(Object.keys(counts).map((id) => [id, 1]));

beforeAll(async () => {
  table = await freshTable('tokens-migrate');
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', table.endpoint);
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  cfn.on(DescribeStacksCommand).callsFake(() => ({
    Stacks: [
      { StackName: STACK, CreationTime: new Date(), StackStatus: 'UPDATE_COMPLETE', Outputs: outputs() },
    ],
  }));
  store = new DynamoStateStore({ client: table.client, tableName: table.tableName });
  const stores = await open(STACK);
  deployment = await populateDeployment(store, stores.layouts['secrets-manager']);
}, 120_000);

afterAll(() => {
  vi.unstubAllEnvs();
});

describe('tokens migrate over DynamoDB Local and the AWS fakes', () => {
  it('the dry run prices it; a stack still on Secrets Manager is refused', async () => {
    const dry = await cli(['tokens', 'migrate', '--to', 'parameter-store', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('connection tokens: 6 to move');
    expect(dry.stdout).toContain('saves $2.80');
    expect(ssm.callCount()).toBe(0);
    const refused = await cli(['tokens', 'migrate', '--to', 'parameter-store']);
    expect(refused.code).toBe(2);
    expect(ssm.callCount()).toBe(0);
  });

  it('to Parameter Store: a crash while scheduling the old secrets, then a rerun; every token readable through its ref', async () => {
    deployed = 'parameter-store';
    let deletes = 0;
    sm.setBeforeCommand((name) => {
      if (name === 'DeleteSecret' && ++deletes >= 3) throw new Error('the process died');
    });
    const crashed = await cli(['tokens', 'migrate', '--to', 'parameter-store']);
    expect(crashed.code).toBe(1);
    expect(crashed.stderr).toContain('the process died');
    sm.setBeforeCommand(undefined);
    const stores = await open(STACK);
    const layouts = [stores.layouts['secrets-manager'], stores.layouts['parameter-store']];
    expect(await unreadableTokens(store, layouts, deployment)).toEqual([]);

    const resumed = await cli(['tokens', 'migrate', '--to', 'parameter-store']);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('9 already');
    // each move announced once, in the switch's write, though the run crashed after it
    const announced = await announcedMoves('secrets-manager');
    expect(Object.keys(announced)).toHaveLength(9);
    expect(announced).toEqual(once(announced));
    expect(await unreadableTokens(store, [stores.layouts['parameter-store']], deployment)).toEqual([]);
    // the old secrets wait out their recovery window, restorable
    const live = [...deployment.live.keys()];
    for (const id of live) {
      const secret = [...sm.secrets.values()].find((s) => s.name.endsWith(id));
      expect(secret?.deletionWindowDays, id).toBe(7);
    }
    // SecureString under the stack key, in the stage's paths
    const parameters = [...ssm.parameters.entries()].filter(([n]) => !n.includes('/deleted/'));
    expect(parameters.length).toBe(live.length);
    for (const [name, p] of parameters) {
      expect(name).toMatch(/^\/mews-provisioner\/demo\/(connections|integrations)\/(con|int)_/);
      expect(p).toMatchObject({ type: 'SecureString', keyId: KEY, tier: 'Standard' });
    }
    expect(`${crashed.stdout}${resumed.stdout}${crashed.stderr}`).not.toContain('FAKE-');
  });

  it('back to Secrets Manager: Parameter Store throttled past its retries mid-copy, then a rerun', async () => {
    deployed = 'secrets-manager';
    ssm.throttleNext(6);
    const failed = await cli(['tokens', 'migrate', '--to', 'secrets-manager']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('Nothing was scheduled for deletion');
    expect(failed.stdout).toMatch(
      /failed: (connection|integration) (con|int)_\w+: SSM GetParameter failed for/,
    );
    const stores = await open(STACK);
    const layouts = [stores.layouts['secrets-manager'], stores.layouts['parameter-store']];
    expect(await unreadableTokens(store, layouts, deployment)).toEqual([]);

    const resumed = await cli(['tokens', 'migrate', '--to', 'secrets-manager']);
    expect(resumed.code).toBe(0);
    const announced = await announcedMoves('parameter-store');
    expect(Object.keys(announced)).toHaveLength(9);
    expect(announced).toEqual(once(announced));
    expect(await unreadableTokens(store, [stores.layouts['secrets-manager']], deployment)).toEqual([]);
    // every live token is back in a live secret; the parameters moved to the deleted path for the sweep
    const liveParameters = [...ssm.parameters.keys()].filter((n) => !n.includes('/deleted/'));
    expect(liveParameters).toEqual([]);
    expect(`${failed.stdout}${resumed.stdout}`).not.toContain('FAKE-');
  });
});
