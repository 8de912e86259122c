import 'aws-sdk-client-mock-vitest/extend';
import { GetSecretValueCommand, ResourceNotFoundException } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as pollAccount } from '../../functions/poll-account/handler.js';
import { handler as relayOutbox } from '../../functions/relay-outbox/handler.js';
import { handler as schedulePolls } from '../../functions/schedule-polls/handler.js';
import { handler as syncConnection } from '../../functions/sync-connection/handler.js';
import {
  observability,
  pollAccountDeps,
  resetServicesForTests,
  syncConnectionDeps,
} from '../../shared/composition/aws-services.js';
import { REDACTED, redactLogValue } from '../../shared/composition/log-redaction.js';
import type { Logger } from '../../shared/ports/logger.js';
import {
  type Captured,
  CLIENT_TOKEN_SECRET_ARN,
  captureOutput,
  fakeSecretsManager,
  lambdaContext,
  SERVICE,
  sqsEvent,
  sqsRecord,
  stubFunctionEnv,
} from './lambda-harness.js';

const CLIENT_TOKEN = 'FAKE0CLIENT0TOKEN000000000000000000-FAKE000000000000000000000000002';
const fake = fakeSecretsManager(CLIENT_TOKEN);
let out: Captured;

beforeEach(() => {
  // No DynamoDB or Mews call happens in these tests: the endpoints only have to be valid.
  stubFunctionEnv({ tableName: 'unused', dynamoEndpoint: 'http://127.0.0.1:9' });
  resetServicesForTests();
  fake.reset();
  out = captureOutput();
  return () => out.restore();
});

afterAll(() => {
  fake.sm.restore();
  vi.unstubAllEnvs();
  resetServicesForTests();
});

describe('the logger', () => {
  it('redacts secret-like attributes at any depth and masks emails', () => {
    // Prepare
    const logger: Logger = observability().logger;

    // Act
    logger.info('defence in depth', {
      token: CLIENT_TOKEN,
      clientToken: CLIENT_TOKEN,
      request: {
        connectionToken: CLIENT_TOKEN,
        AccessToken: CLIENT_TOKEN,
        headers: { authorization: 'Bearer x' },
      },
      list: [{ refresh_token: CLIENT_TOKEN }],
      secret: CLIENT_TOKEN,
      SecretString: CLIENT_TOKEN,
      secretRef: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:conn-AbCdEf',
      email: 'jane.doe@hotel.example',
      account: { email: 'ops@mail.grand-hotel.cz' },
      connectionId: 'con_0123456789abcdef01234567',
    });

    // Assess
    const [line] = out.logs();
    expect(line).toMatchObject({
      level: 'INFO',
      message: 'defence in depth',
      service: SERVICE,
      token: REDACTED,
      clientToken: REDACTED,
      request: { connectionToken: REDACTED, AccessToken: REDACTED, headers: { authorization: REDACTED } },
      list: [{ refresh_token: REDACTED }],
      secret: REDACTED,
      SecretString: REDACTED,
      secretRef: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:conn-AbCdEf',
      email: 'j***@h***.example',
      account: { email: 'o***@m***.cz' },
      connectionId: 'con_0123456789abcdef01234567',
    });
    expect(out.text()).not.toContain(CLIENT_TOKEN);
  });

  it('leaves other values alone, null and undefined included', () => {
    expect(redactLogValue('', { token: 'x' })).toEqual({ token: 'x' });
    expect(redactLogValue('token', null)).toBeNull();
    expect(redactLogValue('tokenCount', 3)).toBe(3);
    expect(redactLogValue('emails', ['a.b@c.example', 7])).toEqual(['a***@c***.example', REDACTED]);
  });
});

describe('the client token', () => {
  it('is read once per container', async () => {
    const first = await pollAccountDeps();
    const again = await pollAccountDeps();
    expect(again).toBe(first);
    expect(fake.sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(fake.sm).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: CLIENT_TOKEN_SECRET_ARN });
  });

  it('is read again on the next invocation when the first read failed, with a message saying how to set it', async () => {
    // Prepare: the secret exists without a value (created by the stack, never set).
    fake.sm
      .on(GetSecretValueCommand)
      .rejectsOnce(
        new ResourceNotFoundException({
          message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
          $metadata: { httpStatusCode: 400 },
        }),
      )
      .resolves({ ARN: CLIENT_TOKEN_SECRET_ARN, SecretString: CLIENT_TOKEN });

    // Act / Assess
    await expect(syncConnectionDeps()).rejects.toThrow(
      /has no value: set it with aws secretsmanager put-secret-value/,
    );
    await expect(syncConnectionDeps()).resolves.toBeDefined();
    expect(fake.sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });
});

describe('cold-start environment validation', () => {
  const context = lambdaContext('mews-provisioner-test');
  const record = sqsRecord('{}', 'queue');

  it.each([
    ['schedule-polls', 'TABLE_NAME', () => schedulePolls({}, context)],
    ['poll-account', 'MEWS_CLIENT_TOKEN_SECRET_ARN', () => pollAccount(sqsEvent([record]), context)],
    ['sync-connection', 'MEWS_PLATFORM_ADDRESS', () => syncConnection(sqsEvent([record]), context)],
    ['relay-outbox', 'EVENT_BUS_NAME', () => relayOutbox({ sweep: true }, context)],
  ])('%s names the missing %s', async (_, variable, invoke) => {
    vi.stubEnv(variable, undefined);
    resetServicesForTests();
    await expect(invoke()).rejects.toThrow(new RegExp(`Invalid function environment .*${variable}: `));
    const logged = out.logs().find((l) => l.message === 'invocation failed');
    expect(logged).toMatchObject({ level: 'ERROR', function_name: context.functionName });
    expect(JSON.stringify(logged)).toContain(variable);
  });

  it('names a variable with a bad value and what it must be', async () => {
    vi.stubEnv('MEWS_ENVIRONMENT', 'staging');
    vi.stubEnv('MEWS_PLATFORM_ADDRESS', 'api.mews.com');
    await expect(syncConnectionDeps()).rejects.toThrow(/MEWS_ENVIRONMENT: .*"demo".*MEWS_PLATFORM_ADDRESS: /);
    expect(fake.sm).not.toHaveReceivedCommand(GetSecretValueCommand);
  });
});
