import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
// In your repository: '@mews-connection-provisioner/events' (packages/events).
import type { SecretStore } from '../../packages/events/src/index.js';

/**
 * Reads a token from the store an event names (`secretStore`, with `secretRef`): Secrets Manager
 * (GetSecretValue), Parameter Store (GetParameter, WithDecryption: the tokens are SecureStrings)
 * or, for events of a local run (`npm start`), its vault directory. Errors name the store and the
 * reference, never a value.
 */
export interface TokenStores {
  read(ref: string, store: SecretStore, what: string): Promise<string>;
  destroy(): void;
}

const STORE_NAMES: Record<SecretStore, string> = {
  'secrets-manager': 'Secrets Manager',
  'parameter-store': 'Parameter Store',
  'local-vault': 'the local vault',
};

/** `local-vault:<id>`, where the id names a file of the vault directory (nothing that could leave it). */
const LOCAL_VAULT_REF = /^local-vault:((?:con|int)_[0-9a-f]+)$/;

export function tokenStores(options: {
  region?: string | undefined;
  localVaultDir?: string | undefined;
}): TokenStores {
  const config = options.region ? { region: options.region } : {};
  let secretsManager: SecretsManagerClient | undefined;
  let ssm: SSMClient | undefined;

  const readers: Record<SecretStore, (ref: string) => Promise<string | undefined>> = {
    'secrets-manager': async (ref) => {
      secretsManager ??= new SecretsManagerClient(config);
      return (await secretsManager.send(new GetSecretValueCommand({ SecretId: ref }))).SecretString;
    },
    'parameter-store': async (ref) => {
      ssm ??= new SSMClient(config);
      return (await ssm.send(new GetParameterCommand({ Name: ref, WithDecryption: true }))).Parameter?.Value;
    },
    'local-vault': async (ref) => {
      const id = LOCAL_VAULT_REF.exec(ref)?.[1];
      if (!id) throw new Error('not a local-vault:<con_…|int_…> reference');
      if (!options.localVaultDir) {
        throw new Error(
          'a local run wrote this event; set MEWS_LOCAL_VAULT_DIR (or --vault) to its vault directory, <state dir>/secrets',
        );
      }
      // Access tokens have a folder of their own in the vault (shared/adapters/local/file-token-vault.ts).
      const dir = id.startsWith('int_') ? join(options.localVaultDir, 'integrations') : options.localVaultDir;
      const file = JSON.parse(await readFile(join(dir, `${id}.json`), 'utf8')) as {
        token?: unknown;
      };
      return typeof file.token === 'string' ? file.token : undefined;
    },
  };

  return {
    async read(ref, store, what) {
      let value: string | undefined;
      try {
        value = await readers[store](ref);
      } catch (error) {
        // The SDK's errors name the secret or parameter at most; a JSON error names no content.
        const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        throw new Error(`cannot read ${what} from ${STORE_NAMES[store]} (${ref}): ${reason}`);
      }
      const trimmed = value?.trim() ?? '';
      if (trimmed === '') throw new Error(`${ref} in ${STORE_NAMES[store]} (${what}) has no string value`);
      return trimmed;
    },
    destroy() {
      secretsManager?.destroy();
      ssm?.destroy();
      secretsManager = undefined;
      ssm = undefined;
    },
  };
}
