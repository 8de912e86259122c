import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  type SecretsManagerClient,
  type Tag,
} from '@aws-sdk/client-secrets-manager';
import type { IntegrationId } from '../../domain/model.js';
import type { IntegrationTokenVault } from '../../ports/token-vault.js';
import { AwsAdapterError, awsErrorCode, describeAwsError } from './aws-support.js';
import { deleteSecret, isScheduledForDeletion, requestTokenFor } from './secrets-manager-token-vault.js';

/** Tag on every integration access-token secret, so the secret can be traced back without its name. */
const INTEGRATION_ID_TAG = 'provisioner:integration-id';

export interface SecretsManagerIntegrationTokenVaultOptions {
  client: SecretsManagerClient;
  /**
   * Secrets are named `${prefix}${integrationId}` (`<resourcePrefix>/integrations/`), apart from the
   * connection tokens: the integration policy is scoped to this prefix, the connection one is not.
   */
  prefix: string;
  /** The customer managed KMS key (id, ARN or alias) that encrypts the secrets. */
  kmsKeyId: string;
  /** Extra tags for new secrets (the integration-id tag is always set). */
  tags?: Record<string, string>;
}

/**
 * Secrets Manager behind the IntegrationTokenVault port: one secret per Connector API integration
 * (an access token is full PMS access to an enterprise), named from its id under a prefix of its own.
 * Errors are AwsAdapterError and name the integration and the call, never the token.
 */
export class SecretsManagerIntegrationTokenVault implements IntegrationTokenVault {
  private readonly client: SecretsManagerClient;
  private readonly prefix: string;
  private readonly kmsKeyId: string;
  private readonly tags: Tag[];

  constructor(options: SecretsManagerIntegrationTokenVaultOptions) {
    this.client = options.client;
    this.prefix = options.prefix;
    this.kmsKeyId = options.kmsKeyId;
    this.tags = Object.entries(options.tags ?? {})
      .filter(([key]) => key !== INTEGRATION_ID_TAG)
      .map(([Key, Value]) => ({ Key, Value }));
  }

  secretName(integrationId: IntegrationId): string {
    return `${this.prefix}${integrationId}`;
  }

  /**
   * CreateSecret (request token derived from the id, so a retry is the same request); a secret
   * that exists keeps its value when it is this token, else gets it as a new version (Mews
   * regenerated the key); one scheduled for deletion is restored first.
   */
  async putIntegrationToken(
    integrationId: IntegrationId,
    token: string,
  ): Promise<{ ref: string; created: boolean }> {
    const outcome = await this.create(integrationId, token);
    if (outcome.created) return outcome;
    return { ref: await this.replaceIfDifferent(integrationId, token), created: false };
  }

  /**
   * Stores the token unless the integration has a secret already, which is kept as it is (the
   * migration: a secret found under the new name was stored by the webhook since, so it is newer).
   * One scheduled for deletion is restored, keeping its value. The caller reads it back to verify.
   */
  async putIntegrationTokenIfAbsent(
    integrationId: IntegrationId,
    token: string,
  ): Promise<{ created: boolean }> {
    return { created: (await this.create(integrationId, token)).created };
  }

  getIntegrationToken(integrationId: IntegrationId): Promise<string | undefined> {
    return this.read(integrationId);
  }

  /** The integration's token; undefined when there is no secret or it is scheduled for deletion. `redact` never appears in an error. */
  read(integrationId: IntegrationId, redact?: string): Promise<string | undefined> {
    return readSecret(this.client, this.secretName(integrationId), (error) =>
      wrapIntegration('GetSecretValue', integrationId, error, redact),
    );
  }

  scheduleIntegrationTokenDeletion(integrationId: IntegrationId, recoveryDays: number): Promise<void> {
    return deleteSecret(this.client, this.secretName(integrationId), recoveryDays, (error) =>
      wrapIntegration('DeleteSecret', integrationId, error),
    );
  }

  /** CreateSecret; `created: false` when a secret of that name exists (restored first if it was scheduled for deletion). */
  private async create(
    integrationId: IntegrationId,
    token: string,
  ): Promise<{ ref: string; created: boolean }> {
    if (typeof token !== 'string' || token === '') {
      throw new Error(`refusing to store an empty access token for integration ${integrationId}`);
    }
    const name = this.secretName(integrationId);
    try {
      await this.client.send(
        new CreateSecretCommand({
          Name: name,
          Description: `Mews Connector API access token of ${integrationId} (managed by the connection provisioner)`,
          KmsKeyId: this.kmsKeyId,
          SecretString: token,
          ClientRequestToken: requestTokenFor('create', integrationId),
          Tags: [{ Key: INTEGRATION_ID_TAG, Value: integrationId }, ...this.tags],
        }),
      );
      return { ref: name, created: true };
    } catch (error) {
      if (awsErrorCode(error) === 'ResourceExistsException') return { ref: name, created: false };
      if (isScheduledForDeletion(error)) {
        try {
          await this.client.send(new RestoreSecretCommand({ SecretId: name }));
        } catch (restoreError) {
          throw wrapIntegration('RestoreSecret', integrationId, restoreError, token);
        }
        return { ref: name, created: false };
      }
      throw wrapIntegration('CreateSecret', integrationId, error, token);
    }
  }

  /** The secret's name after making sure it holds `token` (a new version only when it held another). */
  private async replaceIfDifferent(integrationId: IntegrationId, token: string): Promise<string> {
    const name = this.secretName(integrationId);
    let current: { SecretString?: string | undefined } | undefined;
    try {
      current = await this.client.send(new GetSecretValueCommand({ SecretId: name }));
    } catch (error) {
      // A secret created without a value has no current version: give it one below.
      if (awsErrorCode(error) !== 'ResourceNotFoundException')
        throw wrapIntegration('GetSecretValue', integrationId, error, token);
    }
    if (current?.SecretString === token) return name;
    try {
      // No request token: each differing value is a new version (a repeat finds it equal above).
      await this.client.send(new PutSecretValueCommand({ SecretId: name, SecretString: token }));
      return name;
    } catch (error) {
      throw wrapIntegration('PutSecretValue', integrationId, error, token);
    }
  }
}

/** GetSecretValue by name or ARN: the value, or undefined (no secret, no value, or scheduled for deletion). */
export async function readSecret(
  client: SecretsManagerClient,
  secretId: string,
  wrapError: (error: unknown) => Error,
): Promise<string | undefined> {
  try {
    const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (out.SecretString === undefined || out.SecretString === '') return undefined;
    return out.SecretString;
  } catch (error) {
    if (awsErrorCode(error) === 'ResourceNotFoundException' || isScheduledForDeletion(error))
      return undefined;
    throw wrapError(error);
  }
}

export function wrapIntegration(
  call: string,
  integrationId: IntegrationId,
  error: unknown,
  token?: string,
): AwsAdapterError {
  return new AwsAdapterError(
    `Secrets Manager ${call} failed for integration ${integrationId}`,
    describeAwsError(error, token === undefined ? [] : [token]),
  );
}
