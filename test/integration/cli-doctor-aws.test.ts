import 'aws-sdk-client-mock-vitest/extend';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { OUTPUT_KEYS } from '../../shared/config/stack-outputs.js';
import { runCli } from '../support/cli-run.js';

/** `provisioner doctor --stack`: credentials, region, the stack's outputs, the client token secret (AWS mocked). */
const STACK = 'mews-provisioner-demo';
const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:mews-client-token-AbCdEf';
const Q = 'https://sqs.eu-west-1.amazonaws.com/123456789012';
const OUTPUTS = {
  [OUTPUT_KEYS.tableName]: 'mews-provisioner-demo-state',
  [OUTPUT_KEYS.mewsEnvironment]: 'demo',
  [OUTPUT_KEYS.eventBusName]: 'mews-provisioner-demo-bus',
  [OUTPUT_KEYS.eventBusArn]: 'arn:aws:events:eu-west-1:123456789012:event-bus/mews-provisioner-demo-bus',
  [OUTPUT_KEYS.eventSource]: 'com.example.mews-provisioner.demo',
  [OUTPUT_KEYS.eventArchiveArn]: 'arn:aws:events:eu-west-1:123456789012:archive/mews-provisioner-demo-all',
  [OUTPUT_KEYS.accountPollsQueueUrl]: `${Q}/account-polls`,
  [OUTPUT_KEYS.accountPollsDeadLetterQueueUrl]: `${Q}/account-polls-dlq`,
  [OUTPUT_KEYS.connectionSyncsQueueUrl]: `${Q}/connection-syncs`,
  [OUTPUT_KEYS.connectionSyncsDeadLetterQueueUrl]: `${Q}/connection-syncs-dlq`,
  [OUTPUT_KEYS.failedRunsQueueUrl]: `${Q}/failed-runs`,
  [OUTPUT_KEYS.clientTokenSecretArn]: SECRET,
};

const cloudFormation = mockClient(CloudFormationClient);
const secrets = mockClient(SecretsManagerClient);

afterAll(() => {
  cloudFormation.restore();
  secrets.restore();
  vi.unstubAllEnvs();
});
beforeEach(() => {
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAFAKEFAKE1234');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'fake-secret-access-key');
  cloudFormation.reset();
  secrets.reset();
  cloudFormation.on(DescribeStacksCommand, { StackName: STACK }).resolves({
    Stacks: [
      {
        StackName: STACK,
        CreationTime: new Date(),
        StackStatus: 'CREATE_COMPLETE',
        Outputs: Object.entries(OUTPUTS).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
      },
    ],
  });
});

const cli = (args: string[]) => runCli(args);

describe('doctor --stack', () => {
  it('exits 0 with credentials, region, outputs and a client token secret that has a value', async () => {
    secrets
      .on(DescribeSecretCommand, { SecretId: SECRET })
      .resolves({ ARN: SECRET, VersionIdsToStages: { v1: ['AWSCURRENT'] } });
    const doctor = await cli(['--stack', STACK, 'doctor']);
    expect(doctor.stdout).toMatch(/^ok\s+aws region\s+eu-west-1/m);
    expect(doctor.stdout).toMatch(/^ok\s+aws creds\s+access key …1234/m);
    expect(doctor.stdout).toMatch(/^ok\s+stack\s+mews-provisioner-demo in eu-west-1: Mews demo/m);
    expect(doctor.stdout).toMatch(/^ok\s+client token\s+the secret .* has a value/m);
    expect(doctor.code).toBe(0);
    expect(secrets).toHaveReceivedCommandTimes(DescribeSecretCommand, 1);
    expect(doctor.stdout).not.toContain('fake-secret-access-key');
  });

  it('exits 1 when the client token secret has no value, with the command that sets it', async () => {
    secrets.on(DescribeSecretCommand).resolves({ ARN: SECRET, VersionIdsToStages: {} });
    const doctor = await cli(['doctor', '--stack', STACK, '--json']);
    expect(doctor.code).toBe(1);
    const report = JSON.parse(doctor.stdout);
    expect(report.ok).toBe(false);
    expect(report.checks.find((c: { check: string }) => c.check === 'client token')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining(`aws secretsmanager put-secret-value --secret-id ${SECRET}`),
    });
  });

  it('exits 1 for a stack that does not exist in the region', async () => {
    cloudFormation
      .on(DescribeStacksCommand, { StackName: 'nope' })
      .rejects(new Error('Stack with id nope does not exist'));
    const doctor = await cli(['doctor', '--stack', 'nope']);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(
      /^FAIL\s+stack\s+stack nope in eu-west-1: Stack with id nope does not exist/m,
    );
    expect(doctor.stdout).toMatch(/fix: deploy it/);
  });
});
