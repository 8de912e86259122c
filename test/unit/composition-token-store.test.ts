import { describe, expect, it } from 'vitest';
import { SsmParameterTokenVault } from '../../shared/adapters/aws/ssm-parameter-token-vault.js';
import { parameterStoreVault, type TokenStoreEnv } from '../../shared/composition/token-store.js';

const env: TokenStoreEnv = {
  TOKEN_STORE: 'parameter-store',
  CONNECTION_PARAMETER_PATH: '/mews-provisioner/demo/connections/',
  INTEGRATION_PARAMETER_PATH: '/mews-provisioner/demo/integrations/',
  TOKEN_PARAMETER_TIER: 'Intelligent-Tiering',
  CONNECTION_SECRETS_KMS_KEY_ARN:
    'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
};

describe('the tokenStore selection of the functions', () => {
  it('secrets-manager (the default): no Parameter Store vault, the composition builds Secrets Manager', () => {
    expect(parameterStoreVault({ ...env, TOKEN_STORE: 'secrets-manager' })).toBeUndefined();
  });

  it('parameter-store: the vault over the paths the environment names, refs in the parameter format', () => {
    const vault = parameterStoreVault(env);
    expect(vault).toBeInstanceOf(SsmParameterTokenVault);
    expect(vault?.refFor('con_0123456789abcdef01234567')).toBe(
      '/mews-provisioner/demo/connections/con_0123456789abcdef01234567',
    );
    expect(vault?.integrationRefFor('int_0123')).toBe('/mews-provisioner/demo/integrations/int_0123');
  });

  it('parameter-store without its paths is a configuration error naming them', () => {
    expect(() =>
      parameterStoreVault({ ...env, CONNECTION_PARAMETER_PATH: '', INTEGRATION_PARAMETER_PATH: '' }),
    ).toThrow(
      /TOKEN_STORE is parameter-store but CONNECTION_PARAMETER_PATH and INTEGRATION_PARAMETER_PATH are empty/,
    );
  });
});
