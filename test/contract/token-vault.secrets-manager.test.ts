import { describe, expect, it } from 'vitest';
import { SecretsManagerIntegrationTokenVault } from '../../shared/adapters/aws/secrets-manager-integration-token-vault.js';
import { fakeSecretsManager } from '../support/secrets-manager-fake.js';
import { integrationTokenVaultContract } from './token-vault.contract.js';

const PREFIX = 'mews-provisioner/test/';
const KMS_KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** The integration vault over a fake Secrets Manager (the connection vault has its own unit tests). */
function vaults() {
  const fake = fakeSecretsManager();
  const integrations = new SecretsManagerIntegrationTokenVault({
    client: fake.client,
    prefix: `${PREFIX}integrations/`,
    kmsKeyId: KMS_KEY,
  });
  return { fake, integrations };
}

describe('IntegrationTokenVault contract: Secrets Manager (its own prefix)', () => {
  integrationTokenVaultContract(async () => vaults().integrations);

  it('names access-token secrets under the integrations prefix, never the connections one', async () => {
    const { fake, integrations } = vaults();
    await integrations.putIntegrationToken('int_0123456789abcdef01234567', 'FAKE-access-token-1');
    await integrations.scheduleIntegrationTokenDeletion('int_0123456789abcdef01234567', 7);
    const names = fake.commands().map(([, input]) => String(input.Name ?? input.SecretId));
    expect(names).toEqual([
      `${PREFIX}integrations/int_0123456789abcdef01234567`,
      `${PREFIX}integrations/int_0123456789abcdef01234567`,
    ]);
  });
});
