import 'aws-sdk-client-mock-vitest/extend';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  DeleteArchiveCommand,
  DeleteEventBusCommand,
  DescribeArchiveCommand,
  DescribeEventBusCommand,
  EventBridgeClient,
  ResourceNotFoundException as EventsNotFound,
  ListRulesCommand,
} from '@aws-sdk/client-eventbridge';
import {
  DeleteSecretCommand,
  DescribeSecretCommand,
  ListSecretsCommand,
  ResourceNotFoundException as SecretNotFound,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CliIo } from '../../../shared/cli/cli-io.js';
import { main } from '../../../shared/cli/main.js';

/**
 * `provisioner cleanup --stack NAME` after `cdk destroy` of a retain stage: what it finds by the
 * stack's known names, and exactly which AWS calls it makes (none beyond reads with --dry-run).
 */
const STACK = 'mews-provisioner-production';
const cloudFormation = mockClient(CloudFormationClient);
const eventBridge = mockClient(EventBridgeClient);
const secrets = mockClient(SecretsManagerClient);

const eventsNotFound = () => new EventsNotFound({ message: 'not found', $metadata: {} });
const secretNotFound = () => new SecretNotFound({ message: 'not found', $metadata: {} });

/** What a destroyed production stack leaves: archive, bus (no rules), both named secrets, three token secrets over two pages. */
function leftBehind() {
  cloudFormation.on(DescribeStacksCommand).rejects(new Error(`Stack with id ${STACK} does not exist`));
  eventBridge.on(DescribeArchiveCommand).resolves({ ArchiveName: `${STACK}-all` });
  eventBridge.on(DescribeEventBusCommand).resolves({ Name: STACK });
  eventBridge.on(ListRulesCommand).resolves({ Rules: [] });
  secrets.on(DescribeSecretCommand).resolves({});
  secrets
    .on(ListSecretsCommand, { Filters: [{ Key: 'name', Values: [`${STACK}/connections/`] }] })
    .resolvesOnce({
      SecretList: [
        { Name: `${STACK}/connections/con_0123456789abcdef01234567` },
        // The name filter is case-insensitive: this one is not ours.
        { Name: `${STACK.toUpperCase()}/connections/con_ffffffffffffffffffffffff` },
      ],
      NextToken: 'page-2',
    })
    .resolvesOnce({ SecretList: [{ Name: `${STACK}/connections/con_1111111111111111aaaaaaaa` }] });
  secrets
    .on(ListSecretsCommand, { Filters: [{ Key: 'name', Values: [`${STACK}/integrations/`] }] })
    .resolves({ SecretList: [{ Name: `${STACK}/integrations/int_0123456789abcdef01234567` }] });
  eventBridge.on(DeleteArchiveCommand).resolves({});
  eventBridge.on(DeleteEventBusCommand).resolves({});
  secrets.on(DeleteSecretCommand).resolves({});
}

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    out: (t) => {
      stdout += t;
    },
    err: (t) => {
      stderr += t;
    },
    progress: () => {},
    env: {},
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const deletes = () => [
  ...eventBridge.commandCalls(DeleteArchiveCommand),
  ...eventBridge.commandCalls(DeleteEventBusCommand),
  ...secrets.commandCalls(DeleteSecretCommand),
];

beforeEach(() => {
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'fake-access-key-id');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'fake-secret-access-key');
  cloudFormation.reset();
  eventBridge.reset();
  secrets.reset();
});
afterAll(() => {
  cloudFormation.restore();
  eventBridge.restore();
  secrets.restore();
  vi.unstubAllEnvs();
});

describe('provisioner cleanup', () => {
  it('--dry-run lists what the destroyed stack left and deletes nothing', async () => {
    leftBehind();
    const { code, stdout } = await cli(['cleanup', '--stack', STACK, '--dry-run']);

    expect(code).toBe(0);
    expect(stdout).toMatch(/delete now +event archive mews-provisioner-production-all/);
    expect(stdout).toMatch(/delete now +event bus mews-provisioner-production\n/);
    expect(stdout).toMatch(
      /delete now +secret mews-provisioner-production\/mews-client-token \(the next deployment creates it empty/,
    );
    expect(stdout).toMatch(/delete now +secret mews-provisioner-production\/integration-webhook-secret/);
    expect(stdout).toMatch(
      /delete in 7 days +token secret mews-provisioner-production\/connections\/con_0123456789abcdef01234567/,
    );
    expect(stdout).toMatch(
      /token secret mews-provisioner-production\/integrations\/int_0123456789abcdef01234567/,
    );
    expect(stdout).not.toMatch(/ffffffff/);
    expect(stdout).toMatch(/dry run: nothing was changed/);
    expect(deletes()).toEqual([]);
    expect(secrets).toHaveReceivedCommandWith(ListSecretsCommand, { NextToken: 'page-2' });
  });

  it('--yes deletes exactly those: the named resources at once, token secrets with a 7-day recovery window', async () => {
    leftBehind();
    const { code, stdout } = await cli(['cleanup', '--stack', STACK, '--yes', '--json']);

    expect(code).toBe(0);
    expect(eventBridge).toHaveReceivedCommandExactlyOnceWith(DeleteArchiveCommand, {
      ArchiveName: `${STACK}-all`,
    });
    expect(eventBridge).toHaveReceivedCommandExactlyOnceWith(DeleteEventBusCommand, { Name: STACK });
    expect(secrets.commandCalls(DeleteSecretCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: `${STACK}/mews-client-token`, ForceDeleteWithoutRecovery: true },
      { SecretId: `${STACK}/integration-webhook-secret`, ForceDeleteWithoutRecovery: true },
      { SecretId: `${STACK}/connections/con_0123456789abcdef01234567`, RecoveryWindowInDays: 7 },
      { SecretId: `${STACK}/connections/con_1111111111111111aaaaaaaa`, RecoveryWindowInDays: 7 },
      { SecretId: `${STACK}/integrations/int_0123456789abcdef01234567`, RecoveryWindowInDays: 7 },
    ]);
    // The archive goes before its bus.
    const [archive] = eventBridge.commandCalls(DeleteArchiveCommand);
    const [bus] = eventBridge.commandCalls(DeleteEventBusCommand);
    expect(archive && bus && archive.calledBefore(bus)).toBe(true);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ stack: STACK, dryRun: false });
    expect(report.deleted).toHaveLength(7); // archive, bus, two named secrets, three token secrets
  });

  it('keeps a bus that subscribers still have rules on, names them, and exits 1', async () => {
    leftBehind();
    eventBridge
      .on(ListRulesCommand)
      .resolves({ Rules: [{ Name: 'billing-provisioned' }, { Name: 'crm-removed' }] });
    const { code, stdout } = await cli(['cleanup', '--stack', STACK, '--yes']);

    expect(code).toBe(1);
    expect(eventBridge).not.toHaveReceivedCommand(DeleteEventBusCommand);
    expect(eventBridge).toHaveReceivedCommandWith(ListRulesCommand, { EventBusName: STACK });
    expect(stdout).toMatch(
      /still fails on it: mews-provisioner-production \(rules billing-provisioned, crm-removed are on it: have their owners remove them, then run cleanup again\)/,
    );
  });

  it('refuses while the stack exists, changing nothing', async () => {
    leftBehind();
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [{ StackName: STACK, StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date() }],
    });
    const { code, stderr } = await cli(['cleanup', '--stack', STACK, '--yes']);

    expect(code).toBe(1);
    expect(stderr).toMatch(
      /stack mews-provisioner-production still exists \(UPDATE_COMPLETE\): cleanup removes what `npx cdk destroy` left behind; nothing was changed/,
    );
    expect(deletes()).toEqual([]);
    expect(eventBridge).not.toHaveReceivedCommand(DescribeArchiveCommand);
  });

  it('says so when nothing is left', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(new Error(`Stack with id ${STACK} does not exist`));
    eventBridge.on(DescribeArchiveCommand).rejects(eventsNotFound());
    eventBridge.on(DescribeEventBusCommand).rejects(eventsNotFound());
    secrets.on(DescribeSecretCommand).rejects(secretNotFound());
    secrets.on(ListSecretsCommand).resolves({ SecretList: [] });
    const { code, stdout } = await cli(['cleanup', '--stack', STACK]);

    expect(code).toBe(0);
    expect(stdout).toBe(`nothing of ${STACK} is left: a deployment can create it anew\n`);
    expect(deletes()).toEqual([]);
  });

  it('needs --yes without a terminal, and a stack name', async () => {
    leftBehind();
    const unconfirmed = await cli(['cleanup', '--stack', STACK]);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toMatch(
      /there is no terminal to confirm on: look with --dry-run, then add --yes/,
    );
    expect(deletes()).toEqual([]);

    const nameless = await cli(['cleanup', '--yes']);
    expect(nameless.code).toBe(2);
    expect(nameless.stderr).toMatch(/cleanup needs --stack NAME/);

    const extra = await cli(['cleanup', 'now', '--stack', STACK]);
    expect(extra.code).toBe(2);
  });

  it('stops at the first failed delete and says what was already deleted', async () => {
    leftBehind();
    secrets
      .on(DeleteSecretCommand, { SecretId: `${STACK}/mews-client-token` })
      .rejects(new Error('AccessDeniedException: not authorized to perform secretsmanager:DeleteSecret'));
    const { code, stderr } = await cli(['cleanup', '--stack', STACK, '--yes']);

    expect(code).toBe(1);
    expect(stderr).toMatch(
      /could not delete the secret mews-provisioner-production\/mews-client-token: AccessDeniedException.*\(deleted before it: mews-provisioner-production-all, mews-provisioner-production\)/,
    );
    expect(secrets).toHaveReceivedCommandTimes(DeleteSecretCommand, 1);
  });
});
