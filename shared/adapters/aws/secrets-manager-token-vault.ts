import { createHash } from 'node:crypto';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  type SecretsManagerClient,
  type Tag,
} from '@aws-sdk/client-secrets-manager';
import type { ConnectionId, IntegrationId } from '../../domain/model.js';
import type { TokenVault } from '../../ports/token-vault.js';
import { AwsAdapterError, awsErrorCode, describeAwsError } from './aws-support.js';

/** Tag on every connection secret, so the secret can be traced back without its name. */
export const CONNECTION_ID_TAG = 'provisioner:connection-id';

export interface SecretsManagerTokenVaultOptions {
  client: SecretsManagerClient;
  /** Secrets are named `${prefix}${connectionId}`; the consumer policy is scoped to the prefix. */
  prefix: string;
  /** The customer managed KMS key (id, ARN or alias) that encrypts the secrets. */
  kmsKeyId: string;
  /** Extra tags for new secrets (the connection-id tag is always set). */
  tags?: Record<string, string>;
}

/**
 * Secrets Manager behind the TokenVault port: one secret per connection, named from its id.
 * Errors are AwsAdapterError and name the connection and the call, never the token.
 */
export class SecretsManagerTokenVault implements TokenVault {
  private readonly client: SecretsManagerClient;
  private readonly prefix: string;
  private readonly kmsKeyId: string;
  private readonly tags: Tag[];

  constructor(options: SecretsManagerTokenVaultOptions) {
    this.client = options.client;
    this.prefix = options.prefix;
    this.kmsKeyId = options.kmsKeyId;
    this.tags = Object.entries(options.tags ?? {})
      .filter(([key]) => key !== CONNECTION_ID_TAG)
      .map(([Key, Value]) => ({ Key, Value }));
  }

  refFor(connectionId: ConnectionId): string {
    return this.secretName(connectionId);
  }

  secretName(connectionId: ConnectionId): string {
    return `${this.prefix}${connectionId}`;
  }

  /**
   * CreateSecret with a request token derived from the connection id, so a retried create is
   * the same request. An existing secret is kept (created: false); one scheduled for deletion
   * is restored and given the token again (created: false). The ref is always the secret's name
   * (refFor), never its ARN: one form of secretRef in the state and in every event.
   */
  async put(connectionId: ConnectionId, token: string): Promise<{ ref: string; created: boolean }> {
    if (typeof token !== 'string' || token === '') {
      throw new Error(`refusing to store an empty token for connection ${connectionId}`);
    }
    const name = this.secretName(connectionId);
    try {
      await this.client.send(
        new CreateSecretCommand({
          Name: name,
          Description: `Mews connection token of ${connectionId} (managed by the connection provisioner)`,
          KmsKeyId: this.kmsKeyId,
          SecretString: token,
          ClientRequestToken: requestTokenFor('create', connectionId),
          Tags: [{ Key: CONNECTION_ID_TAG, Value: connectionId }, ...this.tags],
        }),
      );
      return { ref: name, created: true };
    } catch (error) {
      if (awsErrorCode(error) === 'ResourceExistsException') return { ref: name, created: false };
      if (isScheduledForDeletion(error)) {
        await this.restore(name, connectionId, token);
        return { ref: name, created: false };
      }
      throw wrap('CreateSecret', connectionId, error, token);
    }
  }

  /** The token, or undefined when there is no secret (or it is scheduled for deletion). */
  async get(connectionId: ConnectionId): Promise<string | undefined> {
    let secretString: string | undefined;
    try {
      const out = await this.client.send(
        new GetSecretValueCommand({ SecretId: this.secretName(connectionId) }),
      );
      secretString = out.SecretString;
    } catch (error) {
      if (awsErrorCode(error) === 'ResourceNotFoundException' || isScheduledForDeletion(error))
        return undefined;
      throw wrap('GetSecretValue', connectionId, error);
    }
    if (secretString === undefined || secretString === '') {
      throw new Error(`the secret of connection ${connectionId} has no string value`);
    }
    return secretString;
  }

  /** DeleteSecret with a recovery window; a put within it restores the secret. */
  scheduleDeletion(connectionId: ConnectionId, recoveryDays: number): Promise<void> {
    return deleteSecret(this.client, this.secretName(connectionId), recoveryDays, (error) =>
      wrap('DeleteSecret', connectionId, error),
    );
  }

  /** RestoreSecret: the secret stays. One not scheduled for deletion, or none at all, is left as it is. */
  async cancelDeletion(connectionId: ConnectionId): Promise<void> {
    try {
      await this.client.send(new RestoreSecretCommand({ SecretId: this.secretName(connectionId) }));
    } catch (error) {
      if (awsErrorCode(error) === 'ResourceNotFoundException') return;
      throw wrap('RestoreSecret', connectionId, error);
    }
  }

  private async restore(name: string, connectionId: ConnectionId, token: string): Promise<void> {
    try {
      await this.client.send(new RestoreSecretCommand({ SecretId: name }));
    } catch (error) {
      throw wrap('RestoreSecret', connectionId, error, token);
    }
    try {
      await this.client.send(
        new PutSecretValueCommand({
          SecretId: name,
          SecretString: token,
          ClientRequestToken: requestTokenFor('restore', connectionId),
        }),
      );
    } catch (error) {
      throw wrap('PutSecretValue', connectionId, error, token);
    }
  }
}

/**
 * Reads the Mews client token (one secret per deployment, set by an operator). A secret
 * without a value (created by the stack, never set) gets an error that says how to set it.
 */
export async function readClientToken(client: SecretsManagerClient, secretArn: string): Promise<string> {
  const noValue = () =>
    new Error(
      `the client token secret ${secretArn} has no value: set it with aws secretsmanager put-secret-value --secret-id ${secretArn} --secret-string '<Mews client token>'`,
    );
  let value: string | undefined;
  try {
    const out = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    value = out.SecretString;
  } catch (error) {
    // A secret that was created without a value has no AWSCURRENT version: GetSecretValue
    // answers ResourceNotFoundException for it.
    if (awsErrorCode(error) === 'ResourceNotFoundException') throw noValue();
    throw new AwsAdapterError(
      `Secrets Manager GetSecretValue failed for the client token secret ${secretArn}`,
      describeAwsError(error),
    );
  }
  const token = value?.trim() ?? '';
  if (token === '') throw noValue();
  return token;
}

/**
 * 36 characters (the API takes 32 to 64), UUID-shaped, the same for the same connection and
 * purpose: it becomes the version id, so a retried request is recognised as the same one.
 */
export function requestTokenFor(
  purpose: 'create' | 'restore',
  connectionId: ConnectionId | IntegrationId,
): string {
  const hex = createHash('sha256').update(`mews-provisioner:${purpose}-secret:${connectionId}`).digest('hex');
  // RFC 9562 version 8 (custom) layout, so tools that check UUID syntax accept it.
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** DeleteSecret with a recovery window; already scheduled or already gone is not an error (the outcome is the same). */
export async function deleteSecret(
  client: SecretsManagerClient,
  name: string,
  recoveryDays: number,
  wrapError: (error: unknown) => Error,
): Promise<void> {
  try {
    await client.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: recoveryDays }));
  } catch (error) {
    if (awsErrorCode(error) === 'ResourceNotFoundException' || isScheduledForDeletion(error)) return;
    throw wrapError(error);
  }
}

export function isScheduledForDeletion(error: unknown): boolean {
  if (awsErrorCode(error) !== 'InvalidRequestException') return false;
  const message = (error as { message?: unknown }).message;
  // CreateSecret says "already scheduled for deletion", the other calls "marked for deletion".
  return typeof message === 'string' && /(scheduled|marked) for deletion/i.test(message);
}

function wrap(call: string, connectionId: ConnectionId, error: unknown, token?: string): AwsAdapterError {
  return new AwsAdapterError(
    `Secrets Manager ${call} failed for connection ${connectionId}`,
    describeAwsError(error, token === undefined ? [] : [token]),
  );
}

/**
 * A secret's string value by ARN (the integration webhook's URL secret, say); an error naming the
 * secret (never the value) when it cannot be read or is empty.
 */
export async function readSecretValue(
  client: SecretsManagerClient,
  secretArn: string,
  what: string,
): Promise<string> {
  let value: string | undefined;
  try {
    const out = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    value = out.SecretString;
  } catch (error) {
    throw new AwsAdapterError(
      `Secrets Manager GetSecretValue failed for the ${what} secret ${secretArn}`,
      describeAwsError(error),
    );
  }
  const text = value?.trim() ?? '';
  if (text === '') throw new Error(`the ${what} secret ${secretArn} has no value`);
  return text;
}
