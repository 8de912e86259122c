import 'aws-sdk-client-mock-vitest/extend';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  InvalidRequestException,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  RestoreSecretCommand,
  SecretsManagerClient,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AwsAdapterError } from '../../../shared/adapters/aws/aws-support.js';
import {
  CONNECTION_ID_TAG,
  readClientToken,
  requestTokenFor,
  SecretsManagerTokenVault,
} from '../../../shared/adapters/aws/secrets-manager-token-vault.js';
import type { ConnectionId } from '../../../shared/domain/model.js';

const client = new SecretsManagerClient({ region: 'eu-west-1' });
const sm = mockClient(client);

const PREFIX = 'mews-provisioner/test/connections/';
const KMS_KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const CON = 'con_0123456789abcdef01234567' as ConnectionId;
const OTHER = 'con_fedcba9876543210fedcba98' as ConnectionId;
const NAME = `${PREFIX}${CON}`;
const ARN = `arn:aws:secretsmanager:eu-west-1:111122223333:secret:${NAME}-AbCdEf`;
const TOKEN = 'FAKE0CONNECTION0TOKEN0000000000000-FAKE000000000000000000000000001';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const vault = new SecretsManagerTokenVault({
  client,
  prefix: PREFIX,
  kmsKeyId: KMS_KEY,
  tags: { stage: 'test' },
});

const meta = { httpStatusCode: 400, requestId: 'req-1' };
const throttled = () =>
  new SecretsManagerServiceException({
    name: 'ThrottlingException',
    $fault: 'client',
    $metadata: meta,
    message: 'Rate exceeded',
  });
const sentCommands = () => sm.calls().map((c) => (c.args[0] as object).constructor.name);

/** Every way an error could carry the token to a log. */
function expectNoToken(error: unknown) {
  expect(error).toBeInstanceOf(AwsAdapterError);
  const e = error as AwsAdapterError;
  expect(e.message).not.toContain(TOKEN);
  expect(e.stack ?? '').not.toContain(TOKEN);
  expect(JSON.stringify(e)).not.toContain(TOKEN);
  expect(e.cause).toBeUndefined();
}

beforeEach(() => {
  sm.reset();
});

describe('SecretsManagerTokenVault.put', () => {
  it('creates one secret named from the connection, with the KMS key, tags and a deterministic request token', async () => {
    sm.on(CreateSecretCommand).resolves({ ARN, Name: NAME, VersionId: requestTokenFor('create', CON) });

    // The ref is the name (refFor), not the ARN the response carries: one form of secretRef.
    await expect(vault.put(CON, TOKEN)).resolves.toEqual({ ref: NAME, created: true });
    expect(vault.refFor(CON)).toBe(NAME);

    expect(sm).toHaveReceivedCommandTimes(CreateSecretCommand, 1);
    expect(sm).toHaveReceivedCommandWith(CreateSecretCommand, {
      Name: NAME,
      KmsKeyId: KMS_KEY,
      SecretString: TOKEN,
      ClientRequestToken: requestTokenFor('create', CON),
    });
    expect(sm.commandCalls(CreateSecretCommand)[0]?.args[0].input).toEqual({
      Name: NAME,
      Description: `Mews connection token of ${CON} (managed by the connection provisioner)`,
      KmsKeyId: KMS_KEY,
      SecretString: TOKEN,
      ClientRequestToken: requestTokenFor('create', CON),
      Tags: [
        { Key: CONNECTION_ID_TAG, Value: CON },
        { Key: 'stage', Value: 'test' },
      ],
    });
    expect(sentCommands()).toEqual(['CreateSecretCommand']);
  });

  it('sends the same request token on every retry of the same connection, a different one per connection', async () => {
    sm.on(CreateSecretCommand).resolves({ ARN });
    await vault.put(CON, TOKEN);
    await new SecretsManagerTokenVault({ client, prefix: PREFIX, kmsKeyId: KMS_KEY }).put(CON, TOKEN);
    await vault.put(OTHER, 'another-token');

    const tokens = sm.commandCalls(CreateSecretCommand).map((c) => c.args[0].input.ClientRequestToken);
    expect(tokens[0]).toMatch(UUID);
    expect(tokens[0]).toHaveLength(36);
    expect(tokens[1]).toBe(tokens[0]);
    expect(tokens[2]).not.toBe(tokens[0]);
    expect(requestTokenFor('restore', CON)).not.toBe(requestTokenFor('create', CON));
  });

  it('never lets a caller override the connection-id tag', async () => {
    sm.on(CreateSecretCommand).resolves({ ARN });
    const v = new SecretsManagerTokenVault({
      client,
      prefix: PREFIX,
      kmsKeyId: KMS_KEY,
      tags: { [CONNECTION_ID_TAG]: 'spoofed', team: 'channels' },
    });
    await v.put(CON, TOKEN);
    expect(sm).toHaveReceivedCommandWith(CreateSecretCommand, {
      Tags: [
        { Key: CONNECTION_ID_TAG, Value: CON },
        { Key: 'team', Value: 'channels' },
      ],
    });
  });

  it('keeps an existing secret: ResourceExistsException -> its name, created false, no other call', async () => {
    sm.on(CreateSecretCommand).rejects(
      new ResourceExistsException({
        $metadata: meta,
        message: `The operation failed because the secret ${NAME} already exists.`,
      }),
    );

    await expect(vault.put(CON, TOKEN)).resolves.toEqual({ ref: NAME, created: false });

    expect(sentCommands()).toEqual(['CreateSecretCommand']);
  });

  it.each([
    "You can't create this secret because a secret with this name is already scheduled for deletion.",
    "You can't perform this operation on the secret because it was marked for deletion.",
  ])('restores a secret scheduled for deletion and stores the token again (%s)', async (message) => {
    sm.on(CreateSecretCommand).rejects(new InvalidRequestException({ $metadata: meta, message }));
    sm.on(RestoreSecretCommand).resolves({ ARN, Name: NAME });
    sm.on(PutSecretValueCommand).resolves({ ARN, Name: NAME, VersionId: requestTokenFor('restore', CON) });

    await expect(vault.put(CON, TOKEN)).resolves.toEqual({ ref: NAME, created: false });

    expect(sentCommands()).toEqual(['CreateSecretCommand', 'RestoreSecretCommand', 'PutSecretValueCommand']);
    expect(sm.commandCalls(RestoreSecretCommand)[0]?.args[0].input).toEqual({ SecretId: NAME });
    expect(sm.commandCalls(PutSecretValueCommand)[0]?.args[0].input).toEqual({
      SecretId: NAME,
      SecretString: TOKEN,
      ClientRequestToken: requestTokenFor('restore', CON),
    });
  });

  it('reports a failed restore as an error naming RestoreSecret, without the token', async () => {
    sm.on(CreateSecretCommand).rejects(
      new InvalidRequestException({
        $metadata: meta,
        message: 'a secret with this name is already scheduled for deletion.',
      }),
    );
    sm.on(RestoreSecretCommand).rejects(throttled());

    const error = await vault.put(CON, TOKEN).catch((e: unknown) => e);
    expectNoToken(error);
    expect((error as Error).message).toMatch(
      /RestoreSecret failed for connection con_0123456789abcdef01234567/,
    );
    expect(sm).not.toHaveReceivedCommand(PutSecretValueCommand);
  });

  it('does not restore on other InvalidRequestExceptions', async () => {
    sm.on(CreateSecretCommand).rejects(
      new InvalidRequestException({ $metadata: meta, message: 'The parameter KmsKeyId is not valid.' }),
    );
    const error = await vault.put(CON, TOKEN).catch((e: unknown) => e);
    expectNoToken(error);
    expect((error as AwsAdapterError).code).toBe('InvalidRequestException');
    expect(sentCommands()).toEqual(['CreateSecretCommand']);
  });

  it('wraps throttling into an AwsAdapterError that is retryable and names the call, not the token', async () => {
    sm.on(CreateSecretCommand).rejects(throttled());
    const error = await vault.put(CON, TOKEN).catch((e: unknown) => e);
    expectNoToken(error);
    expect(error).toMatchObject({
      code: 'ThrottlingException',
      retryable: true,
      httpStatusCode: 400,
      requestId: 'req-1',
      message: `Secrets Manager CreateSecret failed for connection ${CON}: ThrottlingException: Rate exceeded (request id req-1)`,
    });
  });

  it('redacts the token should an SDK message ever contain it', async () => {
    sm.on(CreateSecretCommand).rejects(
      new SecretsManagerServiceException({
        name: 'ValidationException',
        $fault: 'client',
        $metadata: meta,
        message: `Value '${TOKEN}' at 'secretString' failed to satisfy constraint`,
      }),
    );
    const error = await vault.put(CON, TOKEN).catch((e: unknown) => e);
    expectNoToken(error);
    expect((error as Error).message).toContain("Value '[redacted]'");
  });

  it('refuses an empty token without calling AWS', async () => {
    await expect(vault.put(CON, '')).rejects.toThrow(/empty token/);
    expect(sm).not.toHaveReceivedAnyCommand();
  });
});

describe('SecretsManagerTokenVault.get', () => {
  it('reads the secret by name', async () => {
    sm.on(GetSecretValueCommand).resolves({ ARN, Name: NAME, SecretString: TOKEN });
    await expect(vault.get(CON)).resolves.toBe(TOKEN);
    expect(sm).toHaveReceivedCommandExactlyOnceWith(GetSecretValueCommand, { SecretId: NAME });
    expect(sm.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({ SecretId: NAME });
  });

  it('answers undefined when there is no secret', async () => {
    sm.on(GetSecretValueCommand).rejects(
      new ResourceNotFoundException({
        $metadata: meta,
        message: "Secrets Manager can't find the specified secret.",
      }),
    );
    await expect(vault.get(CON)).resolves.toBeUndefined();
  });

  it('answers undefined for a secret marked for deletion (the next poll restores it)', async () => {
    sm.on(GetSecretValueCommand).rejects(
      new InvalidRequestException({
        $metadata: meta,
        message: "You can't perform this operation on the secret because it was marked for deletion.",
      }),
    );
    await expect(vault.get(CON)).resolves.toBeUndefined();
  });

  it('throws a wrapped error on throttling', async () => {
    sm.on(GetSecretValueCommand).rejects(throttled());
    const error = await vault.get(CON).catch((e: unknown) => e);
    expectNoToken(error);
    expect(error).toMatchObject({ code: 'ThrottlingException', retryable: true });
    expect((error as Error).message).toContain(`GetSecretValue failed for connection ${CON}`);
  });

  it('throws when the secret holds no string', async () => {
    sm.on(GetSecretValueCommand).resolves({ ARN, Name: NAME, SecretBinary: new Uint8Array([1, 2]) });
    await expect(vault.get(CON)).rejects.toThrow(`the secret of connection ${CON} has no string value`);
  });
});

describe('readClientToken', () => {
  const CLIENT_ARN =
    'arn:aws:secretsmanager:eu-west-1:111122223333:secret:mews-provisioner/test/client-token-XyZ123';
  const hint = `the client token secret ${CLIENT_ARN} has no value: set it with aws secretsmanager put-secret-value --secret-id ${CLIENT_ARN} --secret-string '<Mews client token>'`;

  it('reads the secret by ARN and trims it', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: '  client-token-value\n' });
    await expect(readClientToken(client, CLIENT_ARN)).resolves.toBe('client-token-value');
    expect(sm).toHaveReceivedCommandExactlyOnceWith(GetSecretValueCommand, { SecretId: CLIENT_ARN });
  });

  it.each([[''], ['   \n'], [undefined]])('says how to set an empty value (%j)', async (value) => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: value });
    await expect(readClientToken(client, CLIENT_ARN)).rejects.toThrow(hint);
  });

  it('says the same for a secret that never got a value (no AWSCURRENT version)', async () => {
    sm.on(GetSecretValueCommand).rejects(
      new ResourceNotFoundException({
        $metadata: meta,
        message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
      }),
    );
    await expect(readClientToken(client, CLIENT_ARN)).rejects.toThrow(hint);
  });

  it('wraps other failures', async () => {
    sm.on(GetSecretValueCommand).rejects(
      new SecretsManagerServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: meta,
        message: 'User is not authorized to perform: secretsmanager:GetSecretValue',
      }),
    );
    const error = await readClientToken(client, CLIENT_ARN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsAdapterError);
    expect(error).toMatchObject({ code: 'AccessDeniedException', retryable: false });
    expect((error as Error).message).toContain(CLIENT_ARN);
  });
});
