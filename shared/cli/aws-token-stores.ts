import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { createDocumentClient } from '../adapters/aws/dynamo-client.js';
import { DynamoStateStore } from '../adapters/aws/dynamo-state-store.js';
import { SecretsManagerIntegrationTokenVault } from '../adapters/aws/secrets-manager-integration-token-vault.js';
import { SecretsManagerTokenVault } from '../adapters/aws/secrets-manager-token-vault.js';
import { ssmClient } from '../adapters/aws/ssm-client.js';
import { SsmParameterTokenVault } from '../adapters/aws/ssm-parameter-token-vault.js';
import { readStackOutputs } from '../adapters/aws/stack-outputs-reader.js';
import { OUTPUT_KEYS, tokenStoreOutputsSchema } from '../config/stack-outputs.js';
import { systemClock } from '../ports/clock.js';
import type { TokenLayout } from '../use-cases/migrate-tokens.js';
import type { TokenStores } from './tokens-command.js';

export interface TokenStoreClients {
  cloudFormation?: CloudFormationClient;
  secretsManager?: SecretsManagerClient;
  ssm?: SSMClient;
}

/**
 * Both token stores of a deployed stack, from its outputs. The Parameter Store paths are outputs
 * only of a stack deployed with tokenStore parameter-store; otherwise they are the stage's paths
 * the stack would use (`/` + the secret prefixes: `/<resourcePrefix>/connections/`, ...).
 */
export async function openAwsTokenStores(
  stackName: string,
  clients: TokenStoreClients = {},
): Promise<TokenStores> {
  const cloudFormation = clients.cloudFormation ?? new CloudFormationClient({});
  const secretsManager = clients.secretsManager ?? new SecretsManagerClient({});
  const ssm = clients.ssm ?? ssmClient();
  const outputs = await readStackOutputs(cloudFormation, stackName, tokenStoreOutputsSchema);
  const kmsKeyId = outputs[OUTPUT_KEYS.connectionSecretsKeyArn];
  const secretPrefixes = [
    outputs[OUTPUT_KEYS.connectionSecretPrefix],
    outputs[OUTPUT_KEYS.integrationSecretPrefix],
  ];
  const [connectionPath, integrationPath] = [
    outputs[OUTPUT_KEYS.connectionParameterPath] ?? `/${secretPrefixes[0]}`,
    outputs[OUTPUT_KEYS.integrationParameterPath] ?? `/${secretPrefixes[1]}`,
  ];
  const parameters = new SsmParameterTokenVault({ client: ssm, connectionPath, integrationPath, kmsKeyId });
  const integrationSecrets = new SecretsManagerIntegrationTokenVault({
    client: secretsManager,
    prefix: outputs[OUTPUT_KEYS.integrationSecretPrefix],
    kmsKeyId,
  });
  const layouts: Record<TokenLayout['name'], TokenLayout> = {
    'secrets-manager': {
      name: 'secrets-manager',
      vault: new SecretsManagerTokenVault({
        client: secretsManager,
        prefix: outputs[OUTPUT_KEYS.connectionSecretPrefix],
        kmsKeyId,
      }),
      integrations: integrationSecrets,
      holds: (ref) => secretPrefixes.some((p) => secretNameOf(ref).startsWith(p)),
      integrationRefFor: (id) => integrationSecrets.secretName(id),
    },
    'parameter-store': {
      name: 'parameter-store',
      vault: parameters,
      integrations: parameters,
      holds: (ref) => [connectionPath, integrationPath].some((p) => parameterNameOf(ref).startsWith(p)),
      integrationRefFor: (id) => parameters.integrationRefFor(id),
    },
  };
  const dynamo = createDocumentClient();
  return {
    where: `stack ${stackName}`,
    deployed: outputs[OUTPUT_KEYS.tokenStore],
    environment: outputs[OUTPUT_KEYS.mewsEnvironment],
    layouts,
    store: new DynamoStateStore({ client: dynamo, tableName: outputs[OUTPUT_KEYS.tableName] }),
    recoveryDays: outputs[OUTPUT_KEYS.secretRecoveryWindowDays],
    // The stage's default; a stage that set parameterTier pays what that tier costs.
    parameterTier: 'Intelligent-Tiering',
    clock: systemClock,
    async close() {
      dynamo.destroy();
      cloudFormation.destroy();
      secretsManager.destroy();
    },
  };
}

/** A secret's name from a SecretId: the name itself, or an ARN (whose name ends in `-` and 6 random characters). */
export function secretNameOf(ref: string): string {
  const arn = /^arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:(.+)-[A-Za-z0-9]{6}$/.exec(ref);
  return arn ? (arn[1] as string) : ref;
}

/** A parameter's name from a ref: the name itself (starts with `/`), or its ARN. */
export function parameterNameOf(ref: string): string {
  const arn = /^arn:[^:]+:ssm:[^:]*:[^:]*:parameter(\/.+)$/.exec(ref);
  return arn ? (arn[1] as string) : ref;
}
