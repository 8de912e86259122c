import { describe } from 'vitest';
import { SsmParameterTokenVault } from '../../shared/adapters/aws/ssm-parameter-token-vault.js';
import { ParameterStoreFake } from '../support/parameter-store-fake.js';
import { tokenSweepContract, tokenVaultContract } from './token-vault.contract.js';

const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** A new vault over a new, empty fake Parameter Store. */
function vaultOver(
  fake: ParameterStoreFake,
  clock?: ConstructorParameters<typeof SsmParameterTokenVault>[0]['clock'],
) {
  return new SsmParameterTokenVault({
    client: fake.client,
    connectionPath: '/mews-provisioner/test/connections/',
    integrationPath: '/mews-provisioner/test/integrations/',
    kmsKeyId: KEY,
    ...(clock ? { clock } : {}),
  });
}

describe('TokenVault contract: Parameter Store (stateful fake over aws-sdk-client-mock)', () => {
  tokenVaultContract(async () => vaultOver(new ParameterStoreFake()));
  tokenSweepContract(async (clock) => vaultOver(new ParameterStoreFake(), clock));
});
