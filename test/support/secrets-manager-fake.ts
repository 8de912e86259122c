import { createHash } from 'node:crypto';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidRequestException,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  RestoreSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';

export const FAKE_REGION = 'eu-west-1';
export const FAKE_ACCOUNT = '111122223333';

export interface FakeSecret {
  name: string;
  arn: string;
  value: string | undefined;
  kmsKeyId: string | undefined;
  /** Set: scheduled for deletion with this recovery window. */
  deletionWindowDays: number | undefined;
  versions: number;
}

type CommandName =
  | 'CreateSecret'
  | 'GetSecretValue'
  | 'DescribeSecret'
  | 'PutSecretValue'
  | 'RestoreSecret'
  | 'DeleteSecret';

/** Called before each command takes effect; throwing makes the call fail with no effect (a crash). */
export type BeforeCommand = (name: CommandName, input: Record<string, unknown>) => void;

const meta = { $metadata: { httpStatusCode: 400 } };
const notFound = () =>
  new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", ...meta });
const markedForDeletion = (call: string) =>
  new InvalidRequestException({
    message: `You can't perform this operation on the secret because it was marked for deletion. (${call})`,
    ...meta,
  });

/**
 * Secrets Manager as its API answers the calls the vaults make (a secret found by its name or its
 * ARN with the random suffix, deletion scheduling and restore), behind aws-sdk-client-mock,
 * so tests can still assert the exact commands sent (`fake.sm.calls()`).
 */
export function fakeSecretsManager(options: { beforeCommand?: BeforeCommand } = {}) {
  const client = new SecretsManagerClient({ region: FAKE_REGION });
  const sm = mockClient(client);
  const secrets = new Map<string, FakeSecret>();
  let before = options.beforeCommand;
  const find = (id: unknown) =>
    typeof id !== 'string' ? undefined : (secrets.get(id) ?? [...secrets.values()].find((s) => s.arn === id));
  const arnFor = (name: string) =>
    `arn:aws:secretsmanager:${FAKE_REGION}:${FAKE_ACCOUNT}:secret:${name}-${createHash('sha256').update(name).digest('base64url').replace(/[-_]/g, 'x').slice(0, 6)}`;
  const guard = (name: CommandName, input: object) => before?.(name, input as Record<string, unknown>);

  sm.on(CreateSecretCommand).callsFake((input) => {
    guard('CreateSecret', input);
    const name = String(input.Name);
    const existing = secrets.get(name);
    if (existing?.deletionWindowDays !== undefined) {
      throw new InvalidRequestException({
        message: `You can't create this secret because a secret with this name is already scheduled for deletion.`,
        ...meta,
      });
    }
    // A repeat with the same request token is answered as any create of an existing name: the
    // vaults answer the secret's name then (or read it), so they do not depend on which AWS answers.
    if (existing)
      throw new ResourceExistsException({ message: `The secret ${name} already exists.`, ...meta });
    const secret: FakeSecret = {
      name,
      arn: arnFor(name),
      value: input.SecretString,
      kmsKeyId: input.KmsKeyId,
      deletionWindowDays: undefined,
      versions: input.SecretString === undefined ? 0 : 1,
    };
    secrets.set(name, secret);
    return { ARN: secret.arn, Name: name, VersionId: input.ClientRequestToken };
  });
  sm.on(GetSecretValueCommand).callsFake((input) => {
    guard('GetSecretValue', input);
    const s = find(input.SecretId);
    if (!s || s.value === undefined) throw notFound();
    if (s.deletionWindowDays !== undefined) throw markedForDeletion('GetSecretValue');
    return { ARN: s.arn, Name: s.name, SecretString: s.value, VersionStages: ['AWSCURRENT'] };
  });
  sm.on(DescribeSecretCommand).callsFake((input) => {
    guard('DescribeSecret', input);
    const s = find(input.SecretId);
    if (!s) throw notFound();
    return { ARN: s.arn, Name: s.name, KmsKeyId: s.kmsKeyId };
  });
  sm.on(PutSecretValueCommand).callsFake((input) => {
    guard('PutSecretValue', input);
    const s = find(input.SecretId);
    if (!s) throw notFound();
    if (s.deletionWindowDays !== undefined) throw markedForDeletion('PutSecretValue');
    s.value = input.SecretString;
    s.versions += 1;
    return { ARN: s.arn, Name: s.name };
  });
  sm.on(RestoreSecretCommand).callsFake((input) => {
    guard('RestoreSecret', input);
    const s = find(input.SecretId);
    if (!s) throw notFound();
    s.deletionWindowDays = undefined;
    return { ARN: s.arn, Name: s.name };
  });
  sm.on(DeleteSecretCommand).callsFake((input) => {
    guard('DeleteSecret', input);
    const s = find(input.SecretId);
    if (!s) throw notFound();
    if (s.deletionWindowDays !== undefined) throw markedForDeletion('DeleteSecret');
    s.deletionWindowDays = input.RecoveryWindowInDays ?? 30;
    return { ARN: s.arn, Name: s.name };
  });

  return {
    client,
    sm,
    secrets,
    /** Stores a secret as an earlier version of the service would have. */
    seed(name: string, value: string): FakeSecret {
      const secret: FakeSecret = {
        name,
        arn: arnFor(name),
        value,
        kmsKeyId: 'alias/seeded',
        deletionWindowDays: undefined,
        versions: 1,
      };
      secrets.set(name, secret);
      return secret;
    },
    setBeforeCommand(hook: BeforeCommand | undefined) {
      before = hook;
    },
    /** Every command sent, as [name, input], in order. */
    commands(): [string, Record<string, unknown>][] {
      return sm.calls().map((call) => {
        const command = call.args[0] as unknown as {
          constructor: { name: string };
          input: Record<string, unknown>;
        };
        return [command.constructor.name.replace(/Command$/, ''), command.input];
      });
    },
  };
}

export type FakeSecretsManager = ReturnType<typeof fakeSecretsManager>;
