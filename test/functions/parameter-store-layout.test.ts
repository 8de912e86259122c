import 'aws-sdk-client-mock-vitest/extend';
import { CreateSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as pollHandler } from '../../functions/poll-account/handler.js';
import { handler as syncHandler } from '../../functions/sync-connection/handler.js';
import { DynamoStateStore } from '../../shared/adapters/aws/dynamo-state-store.js';
import { resetServicesForTests } from '../../shared/composition/aws-services.js';
import type { Account, ConnectionId } from '../../shared/domain/model.js';
import { systemClock } from '../../shared/ports/clock.js';
import { type MewsSimulator, startMewsSimulator } from '../../shared/simulator/index.js';
import { registerAccount } from '../../shared/use-cases/accounts.js';
import { freshTable, type TestTable } from '../support/dynamo.js';
import { ParameterStoreFake } from '../support/parameter-store-fake.js';
import {
  type Captured,
  CLIENT_TOKEN_SECRET_ARN,
  CONNECTION_SYNCS_QUEUE_URL,
  captureOutput,
  fakeSecretsManager,
  fakeSqs,
  KMS_KEY_ARN,
  lambdaContext,
  sqsEvent,
  sqsRecord,
  stubFunctionEnv,
} from './lambda-harness.js';

/**
 * poll-account and sync-connection on their real path (handler, environment, composition, the
 * Parameter Store vault) with TOKEN_STORE=parameter-store: DynamoDB Local, the Mews simulator, the
 * stateful Parameter Store fake (and Secrets Manager only for the client token).
 */
const ssm = vi.hoisted(() => ({ fake: undefined as ParameterStoreFake | undefined }));
vi.mock('../../shared/adapters/aws/ssm-client.js', async (original) => ({
  ...(await original<typeof import('../../shared/adapters/aws/ssm-client.js')>()),
  ssmClient: () => {
    if (!ssm.fake) throw new Error('no Parameter Store fake');
    return ssm.fake.client;
  },
}));

const PATHS = {
  CONNECTION_PARAMETER_PATH: '/mews-provisioner/test/connections/',
  INTEGRATION_PARAMETER_PATH: '/mews-provisioner/test/integrations/',
};

let table: TestTable;
let store: DynamoStateStore;
let sim: MewsSimulator;
let account: Account;
let out: Captured;
const fake = new ParameterStoreFake();
let secrets = fakeSecretsManager('replaced in beforeAll');
const queue = fakeSqs();

async function poll(): Promise<SQSRecord[]> {
  queue.sqs.resetHistory();
  const record = sqsRecord(JSON.stringify({ kind: 'poll-account', accountId: account.id }), 'account-polls');
  const response = await pollHandler(sqsEvent([record]), lambdaContext('mews-provisioner-test-poll-account'));
  expect(response.batchItemFailures).toEqual([]);
  return queue.sent(CONNECTION_SYNCS_QUEUE_URL).map((m) => sqsRecord(JSON.stringify(m), 'connection-syncs'));
}

beforeAll(async () => {
  [table, sim] = await Promise.all([freshTable('parameter-store-layout'), startMewsSimulator()]);
  store = new DynamoStateStore({ client: table.client, tableName: table.tableName });
  account = (
    await registerAccount({ email: 'reception@sample-hostel.example' }, { store, clock: systemClock })
  ).account;
  secrets.sm.restore();
  secrets = fakeSecretsManager(sim.clientToken);
  ssm.fake = fake;
}, 120_000);

beforeEach(() => {
  stubFunctionEnv({ tableName: table.tableName, dynamoEndpoint: table.endpoint, mewsAddress: sim.url });
  vi.stubEnv('TOKEN_STORE', 'parameter-store');
  for (const [key, value] of Object.entries(PATHS)) vi.stubEnv(key, value);
  resetServicesForTests();
  out = captureOutput();
  return () => out.restore();
});

afterAll(async () => {
  secrets.sm.restore();
  queue.sqs.restore();
  vi.unstubAllEnvs();
  resetServicesForTests();
  await sim?.close();
});

describe('tokenStore parameter-store: the functions keep tokens in Parameter Store', () => {
  it('poll stores each token as a SecureString under the stack key; sync reads it; refs and events name the parameter', async () => {
    const records = await poll();
    expect(records.length).toBeGreaterThan(1);
    const ids = records.map((r) => (JSON.parse(r.body) as { connectionId: ConnectionId }).connectionId);
    for (const id of ids) {
      const name = `${PATHS.CONNECTION_PARAMETER_PATH}${id}`;
      expect(fake.parameters.get(name)).toMatchObject({
        type: 'SecureString',
        keyId: KMS_KEY_ARN,
        version: 1,
      });
      expect((await store.getConnection(id))?.secretRef).toBe(name);
    }
    // Secrets Manager holds the client token only: no connection secret was created there.
    expect(secrets.sm).not.toHaveReceivedCommand(CreateSecretCommand);
    expect(secrets.sm).toHaveReceivedCommandWith(GetSecretValueCommand, {
      SecretId: CLIENT_TOKEN_SECRET_ARN,
    });

    fake.mock.resetHistory();
    expect(
      await syncHandler(sqsEvent(records), lambdaContext('mews-provisioner-test-sync-connection')),
    ).toEqual({
      batchItemFailures: [],
    });
    for (const id of ids) {
      const name = `${PATHS.CONNECTION_PARAMETER_PATH}${id}`;
      expect(fake.mock).toHaveReceivedCommandWith(GetParameterCommand, { Name: name, WithDecryption: true });
      const events = await store.listEventsFor(id);
      expect(events[0]).toMatchObject({
        detailType: 'Connection Provisioned',
        detail: { connection: { secretRef: name } },
      });
      const token = fake.parameters.get(name)?.value as string;
      expect(JSON.stringify(events)).not.toContain(token);
      expect(out.text()).not.toContain(token);
    }
    expect(fake.mock).not.toHaveReceivedCommand(PutParameterCommand);
  });

  it('a connection gone from Mews: its token moves to the deleted path after the confirming polls', async () => {
    const [connection] = await store.listConnections();
    const id = connection?.id as ConnectionId;
    const token = fake.parameters.get(`${PATHS.CONNECTION_PARAMETER_PATH}${id}`)?.value as string;
    sim.removeConnection(token);
    await poll();
    await poll();
    expect((await store.getConnection(id))?.status).toBe('removed');
    expect(fake.parameters.has(`${PATHS.CONNECTION_PARAMETER_PATH}${id}`)).toBe(false);
    expect(fake.parameters.get(`/mews-provisioner/test/deleted/connections/${id}`)).toMatchObject({
      value: token,
      type: 'SecureString',
      description: expect.stringMatching(/^scheduled for deletion; delete after \d{4}-/),
    });
  });
});
