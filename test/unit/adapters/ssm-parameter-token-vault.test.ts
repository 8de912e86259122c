import 'aws-sdk-client-mock-vitest/extend';
import {
  DeleteParameterCommand,
  DeleteParametersCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  PutParameterCommand,
} from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { AwsAdapterError } from '../../../shared/adapters/aws/aws-support.js';
import { SSM_RETRY, ssmClient } from '../../../shared/adapters/aws/ssm-client.js';
import {
  deletedPathFor,
  SsmParameterTokenVault,
} from '../../../shared/adapters/aws/ssm-parameter-token-vault.js';
import { ManualClock } from '../../../shared/adapters/memory/manual-clock.js';
import type { ConnectionId, IntegrationId } from '../../../shared/domain/model.js';
import { ParameterStoreFake } from '../../support/parameter-store-fake.js';

const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const CON = 'con_0123456789abcdef01234567' as ConnectionId;
const INT = 'int_0123456789abcdef01234567' as IntegrationId;
const LIVE = `/mews-provisioner/test/connections/${CON}`;
const MOVED = `/mews-provisioner/test/deleted/connections/${CON}`;
const TOKEN = 'FAKE0CONNECTION0TOKEN0000000000000-FAKE000000000000000000000000001';

const fake = new ParameterStoreFake();
const clock = new ManualClock({ start: '2026-01-01T00:00:00.000Z' });
const vault = new SsmParameterTokenVault({
  client: fake.client,
  connectionPath: '/mews-provisioner/test/connections/',
  integrationPath: '/mews-provisioner/test/integrations/',
  kmsKeyId: KEY,
  tags: { stage: 'test' },
  clock,
});

const sent = () => fake.mock.calls().map((c) => (c.args[0] as object).constructor.name);
const inputs = (command: Parameters<typeof fake.mock.commandCalls>[0]) =>
  fake.mock.commandCalls(command).map((c) => c.args[0].input);

function expectNoToken(error: unknown) {
  expect(error).toBeInstanceOf(AwsAdapterError);
  const e = error as AwsAdapterError;
  expect(e.message).not.toContain(TOKEN);
  expect(e.stack ?? '').not.toContain(TOKEN);
  expect(JSON.stringify(e)).not.toContain(TOKEN);
  expect(e.cause).toBeUndefined();
}

beforeEach(() => fake.reset());

describe('SsmParameterTokenVault: the commands it sends', () => {
  it('put: one SecureString under the stack key, Intelligent-Tiering, no Overwrite, tagged; then whether a moved copy exists (no decryption)', async () => {
    await expect(vault.put(CON, TOKEN)).resolves.toEqual({ ref: LIVE, created: true });
    expect(sent()).toEqual(['PutParameterCommand', 'GetParameterCommand']);
    expect(inputs(PutParameterCommand)).toEqual([
      {
        Name: LIVE,
        Description: `Mews connection token of ${CON} (managed by the connection provisioner)`,
        Value: TOKEN,
        Type: 'SecureString',
        KeyId: KEY,
        Tier: 'Intelligent-Tiering',
        Overwrite: false,
        Tags: [
          { Key: 'provisioner:token-of', Value: CON },
          { Key: 'stage', Value: 'test' },
        ],
      },
    ]);
    expect(inputs(GetParameterCommand)).toEqual([{ Name: MOVED, WithDecryption: false }]);
    expect(vault.refFor(CON)).toBe(LIVE);
  });

  it('put of a stored token: one PutParameter, refused as existing, and nothing else (storing twice stores once)', async () => {
    await vault.put(CON, TOKEN);
    fake.mock.resetHistory();
    await expect(vault.put(CON, 'FAKE-other')).resolves.toEqual({ ref: LIVE, created: false });
    expect(sent()).toEqual(['PutParameterCommand']);
    expect(fake.parameters.get(LIVE)?.value).toBe(TOKEN);
  });

  it('a tier given to the constructor is the one sent', async () => {
    const standard = new SsmParameterTokenVault({
      client: fake.client,
      connectionPath: '/p/connections/',
      integrationPath: '/p/integrations/',
      kmsKeyId: KEY,
      tier: 'Standard',
    });
    await standard.put(CON, TOKEN);
    expect(fake.mock).toHaveReceivedCommandWith(PutParameterCommand, { Tier: 'Standard' });
  });

  it('get: one GetParameter with decryption', async () => {
    await vault.put(CON, TOKEN);
    fake.mock.resetHistory();
    expect(await vault.get(CON)).toBe(TOKEN);
    expect(sent()).toEqual(['GetParameterCommand']);
    expect(inputs(GetParameterCommand)).toEqual([{ Name: LIVE, WithDecryption: true }]);
  });

  it('scheduleDeletion: read, copy to the deleted path with its due time (Overwrite, no Tags), then delete the live one', async () => {
    await vault.put(CON, TOKEN);
    fake.mock.resetHistory();
    await vault.scheduleDeletion(CON, 7);
    expect(sent()).toEqual(['GetParameterCommand', 'PutParameterCommand', 'DeleteParameterCommand']);
    expect(inputs(PutParameterCommand)).toEqual([
      {
        Name: MOVED,
        Description: 'scheduled for deletion; delete after 2026-01-08T00:00:00.000Z',
        Value: TOKEN,
        Type: 'SecureString',
        KeyId: KEY,
        Tier: 'Intelligent-Tiering',
        Overwrite: true,
      },
    ]);
    expect(inputs(DeleteParameterCommand)).toEqual([{ Name: LIVE }]);
    expect([...fake.parameters.keys()]).toEqual([MOVED]);
    // already scheduled: one GetParameter finds nothing live, nothing else
    fake.mock.resetHistory();
    await vault.scheduleDeletion(CON, 7);
    expect(sent()).toEqual(['GetParameterCommand']);
  });

  it('cancelDeletion: the moved token back under its live name (no Overwrite)', async () => {
    await vault.put(CON, TOKEN);
    await vault.scheduleDeletion(CON, 7);
    fake.mock.resetHistory();
    await vault.cancelDeletion(CON);
    expect(sent()).toEqual(['GetParameterCommand', 'PutParameterCommand']);
    expect(inputs(GetParameterCommand)).toEqual([{ Name: MOVED, WithDecryption: true }]);
    expect(fake.mock).toHaveReceivedCommandWith(PutParameterCommand, {
      Name: LIVE,
      Overwrite: false,
      Value: TOKEN,
    });
  });

  it('integration tokens: their own path; a regenerated token overwrites, the same one sends no write', async () => {
    const ref = `/mews-provisioner/test/integrations/${INT}`;
    await expect(vault.putIntegrationToken(INT, 'FAKE-access-1')).resolves.toEqual({ ref, created: true });
    fake.mock.resetHistory();
    await vault.putIntegrationToken(INT, 'FAKE-access-1');
    expect(sent()).toEqual(['PutParameterCommand', 'GetParameterCommand']);
    fake.mock.resetHistory();
    await vault.putIntegrationToken(INT, 'FAKE-access-2');
    expect(sent()).toEqual(['PutParameterCommand', 'GetParameterCommand', 'PutParameterCommand']);
    expect(inputs(PutParameterCommand)[1]).toMatchObject({
      Name: ref,
      Overwrite: true,
      Type: 'SecureString',
      KeyId: KEY,
    });
    expect(inputs(PutParameterCommand)[1]).not.toHaveProperty('Tags');
    expect(await vault.getIntegrationToken(INT)).toBe('FAKE-access-2');
  });

  it('the sweep: DescribeParameters by the deleted path (recursive, 50 a page), DeleteParameters 10 at a time', async () => {
    const ids = Array.from({ length: 23 }, (_, i) => `con_${String(i).padStart(24, '0')}` as ConnectionId);
    for (const id of ids) {
      await vault.put(id, TOKEN);
      await vault.scheduleDeletion(id, 1);
    }
    await vault.put(CON, TOKEN);
    await vault.scheduleDeletion(CON, 30);
    fake.mock.resetHistory();
    const page = await vault.deleteExpired(new Date('2026-01-02T00:00:00.000Z'));
    expect(page).toEqual({ deleted: ids, pending: 1 });
    expect(inputs(DescribeParametersCommand)).toEqual([
      {
        ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: ['/mews-provisioner/test/deleted'] }],
        MaxResults: 50,
      },
    ]);
    expect(inputs(DeleteParametersCommand).map((i) => i.Names?.length)).toEqual([10, 10, 3]);
    // one existence check of the live name per due token (a restored one is not reported)
    expect(fake.mock.commandCalls(GetParameterCommand)).toHaveLength(23);
    expect([...fake.parameters.keys()]).toEqual([MOVED]);
  });

  it('the sweep leaves alone what is not a moved token (another description, another name)', async () => {
    fake.parameters.set('/mews-provisioner/test/deleted/connections/con_x', {
      value: 'FAKE',
      type: 'SecureString',
      keyId: KEY,
      tier: 'Standard',
      version: 1,
      description: 'set by hand',
      tags: [],
    });
    fake.parameters.set('/mews-provisioner/test/deleted/notes', {
      value: 'x',
      type: 'String',
      keyId: undefined,
      tier: 'Standard',
      version: 1,
      description: 'scheduled for deletion; delete after 2000-01-01T00:00:00.000Z',
      tags: [],
    });
    expect(await vault.deleteExpired(new Date('2030-01-01T00:00:00.000Z'))).toEqual({
      deleted: [],
      pending: 2,
    });
    expect(fake.mock).not.toHaveReceivedCommand(DeleteParametersCommand);
  });
});

describe('SsmParameterTokenVault: failures', () => {
  it('throttling becomes a retryable AwsAdapterError naming the call and the connection, never the token', async () => {
    fake.throttleNext(1);
    const error = await vault.put(CON, TOKEN).catch((e: unknown) => e);
    expectNoToken(error);
    expect(error).toMatchObject({
      message: expect.stringContaining(`SSM PutParameter failed for connection ${CON}: ThrottlingException`),
      retryable: true,
    });
    expect(fake.parameters.size).toBe(0);
  });

  it('a failed read names the call and the integration', async () => {
    fake.throttleNext(1);
    await expect(vault.getIntegrationToken(INT)).rejects.toThrow(
      `SSM GetParameter failed for integration ${INT}: ThrottlingException`,
    );
  });

  it('a crash between copy and delete leaves the token live (and the deletion can be retried)', async () => {
    await vault.put(CON, TOKEN);
    fake.mock.on(DeleteParameterCommand).rejects(new Error('process died'));
    await expect(vault.scheduleDeletion(CON, 7)).rejects.toThrow(/DeleteParameter failed for connection/);
    expect(await vault.get(CON)).toBe(TOKEN);
    fake.reset();
  });

  it('refuses a path that is not a parameter path, or paths that overlap', () => {
    const make =
      (connectionPath: string, integrationPath = '/p/integrations/') =>
      () =>
        new SsmParameterTokenVault({ client: fake.client, connectionPath, integrationPath, kmsKeyId: KEY });
    expect(make('p/connections/')).toThrow(/must start and end with \//);
    expect(make('/p/connections')).toThrow(/must start and end with \//);
    expect(make('/p/con nections/')).toThrow(/must start and end with \//);
    expect(make('/p/integrations/')).toThrow(/must differ/);
    expect(deletedPathFor('/mews-provisioner/prod/connections/')).toBe('/mews-provisioner/prod/deleted/');
  });

  it("the client's retries: 8 attempts in adaptive mode (backoff, slowed while throttled)", async () => {
    expect(SSM_RETRY).toEqual({ maxAttempts: 8, retryMode: 'adaptive' });
    const client = ssmClient();
    expect(await client.config.maxAttempts()).toBe(8);
    expect(await client.config.retryStrategy()).toMatchObject({ mode: 'adaptive' });
  });
});
