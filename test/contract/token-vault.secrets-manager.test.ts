import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { SecretsManagerIntegrationTokenVault } from '../../shared/adapters/aws/secrets-manager-integration-token-vault.js';
import { SecretsManagerTokenVault } from '../../shared/adapters/aws/secrets-manager-token-vault.js';
import { fakeSecretsManager } from '../support/secrets-manager-fake.js';
import { tokenVaultContract, type VaultUnderTest } from './token-vault.contract.js';

const PREFIX = 'mews-provisioner/test/';
const KMS_KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const CON = 'con_0123456789abcdef01234567';
const INT = 'int_0123456789abcdef01234567';

/** The layout's two vaults (connection tokens, integration access tokens) over one fake Secrets Manager. */
function vaults() {
  const fake = fakeSecretsManager();
  const connections = new SecretsManagerTokenVault({
    client: fake.client,
    prefix: `${PREFIX}connections/`,
    kmsKeyId: KMS_KEY,
  });
  const integrations = new SecretsManagerIntegrationTokenVault({
    client: fake.client,
    prefix: `${PREFIX}integrations/`,
    kmsKeyId: KMS_KEY,
  });
  return { fake, connections, integrations };
}

/** Both vaults as the one vault the shared contract takes (the composition wires them apart). */
function layout(): VaultUnderTest {
  const { connections, integrations } = vaults();
  return {
    refFor: (id) => connections.refFor(id),
    put: (id, token) => connections.put(id, token),
    get: (id) => connections.get(id),
    scheduleDeletion: (id, days) => connections.scheduleDeletion(id, days),
    cancelDeletion: (id) => connections.cancelDeletion(id),
    putIntegrationToken: (id, token) => integrations.putIntegrationToken(id, token),
    getIntegrationToken: (id) => integrations.getIntegrationToken(id),
    scheduleIntegrationTokenDeletion: (id, days) => integrations.scheduleIntegrationTokenDeletion(id, days),
  };
}

/** What a consumer does with a secretRef: GetSecretValue with it as SecretId. */
async function readByRef(fake: ReturnType<typeof fakeSecretsManager>, ref: string) {
  return (await fake.client.send(new GetSecretValueCommand({ SecretId: ref }))).SecretString;
}

describe('TokenVault contract: Secrets Manager (connection and integration vaults)', () => {
  tokenVaultContract(async () => layout());
});

describe('Secrets Manager integration vault: its own prefix', () => {
  it('names access-token secrets under the integrations prefix, never the connections one', async () => {
    const { fake, integrations } = vaults();
    await integrations.putIntegrationToken(INT, 'FAKE-access-token-1');
    await integrations.scheduleIntegrationTokenDeletion(INT, 7);
    const names = fake.commands().map(([, input]) => String(input.Name ?? input.SecretId));
    expect(names).toEqual([`${PREFIX}integrations/${INT}`, `${PREFIX}integrations/${INT}`]);
  });
});

describe('secretRef in the Secrets Manager layout: the secret name, never its ARN', () => {
  it('a connection ref is the name on every path (created, existing, restored), and reads the token as SecretId', async () => {
    const { fake, connections } = vaults();
    const name = `${PREFIX}connections/${CON}`;
    expect(connections.refFor(CON)).toBe(name);
    expect(await connections.put(CON, 'FAKE-conn-token-1')).toEqual({ ref: name, created: true });
    expect(await connections.put(CON, 'FAKE-conn-token-2')).toEqual({ ref: name, created: false });
    await connections.scheduleDeletion(CON, 7);
    expect(await connections.put(CON, 'FAKE-conn-token-3')).toEqual({ ref: name, created: false });
    expect(await readByRef(fake, name)).toBe('FAKE-conn-token-3');
    // An ARN recorded by an earlier version names the same secret.
    expect(await readByRef(fake, fake.secrets.get(name)?.arn ?? '')).toBe('FAKE-conn-token-3');
  });

  it('an integration ref is the name on every path (created, same, regenerated, restored), and reads the token as SecretId', async () => {
    const { fake, integrations } = vaults();
    const name = integrations.secretName(INT);
    expect(name).toBe(`${PREFIX}integrations/${INT}`);
    expect(await integrations.putIntegrationToken(INT, 'FAKE-access-token-1')).toEqual({
      ref: name,
      created: true,
    });
    expect(await integrations.putIntegrationToken(INT, 'FAKE-access-token-1')).toEqual({
      ref: name,
      created: false,
    });
    expect(await integrations.putIntegrationToken(INT, 'FAKE-access-token-2')).toEqual({
      ref: name,
      created: false,
    });
    await integrations.scheduleIntegrationTokenDeletion(INT, 7);
    expect(await integrations.putIntegrationToken(INT, 'FAKE-access-token-3')).toEqual({
      ref: name,
      created: false,
    });
    expect(await readByRef(fake, name)).toBe('FAKE-access-token-3');
  });
});
