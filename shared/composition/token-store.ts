import { ssmClient } from '../adapters/aws/ssm-client.js';
import { SsmParameterTokenVault } from '../adapters/aws/ssm-parameter-token-vault.js';
import type { SyncConnectionEnv } from '../config/function-env.js';

/** What a function's environment says about where tokens live (shared/config/function-env.ts). */
export type TokenStoreEnv = Pick<
  SyncConnectionEnv,
  | 'TOKEN_STORE'
  | 'CONNECTION_PARAMETER_PATH'
  | 'INTEGRATION_PARAMETER_PATH'
  | 'TOKEN_PARAMETER_TIER'
  | 'CONNECTION_SECRETS_KMS_KEY_ARN'
>;

/**
 * The Parameter Store vault when the stage's tokenStore is parameter-store; undefined for the
 * default (Secrets Manager), which the composition builds as before.
 */
export function parameterStoreVault(e: TokenStoreEnv): SsmParameterTokenVault | undefined {
  if (e.TOKEN_STORE !== 'parameter-store') return undefined;
  const missing = (['CONNECTION_PARAMETER_PATH', 'INTEGRATION_PARAMETER_PATH'] as const).filter(
    (k) => e[k] === '',
  );
  if (missing.length > 0) {
    throw new Error(
      `Invalid function environment (fix the stack's configuration): TOKEN_STORE is parameter-store but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} empty`,
    );
  }
  return new SsmParameterTokenVault({
    client: ssmClient(),
    connectionPath: e.CONNECTION_PARAMETER_PATH,
    integrationPath: e.INTEGRATION_PARAMETER_PATH,
    kmsKeyId: e.CONNECTION_SECRETS_KMS_KEY_ARN,
    tier: e.TOKEN_PARAMETER_TIER,
  });
}
