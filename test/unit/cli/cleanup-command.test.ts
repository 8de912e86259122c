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
import { DeleteParametersCommand, DescribeParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../support/cli-run.js';

/**
 * `provisioner cleanup --stack NAME` after `cdk destroy` of a retain stage: what it finds by the
 * stack's known names, and exactly which AWS calls it makes (none beyond reads with --dry-run).
 */
const STACK = 'mews-provisioner-production';
const cloudFormation = mockClient(CloudFormationClient);
const eventBridge = mockClient(EventBridgeClient);
const secrets = mockClient(SecretsManagerClient);
const ssm = mockClient(SSMClient);

const eventsNotFound = () => new EventsNotFound({ message: 'not found', $metadata: {} });
const secretNotFound = () => new SecretNotFound({ message: 'not found', $metadata: {} });

/** Twelve connection token parameters of the Parameter Store layout: more than one DeleteParameters batch. */
const connectionParameters = Array.from(
  { length: 12 },
  (_, i) => `/${STACK}/connections/con_${i.toString(16).padStart(24, '0')}`,
);
const integrationParameter = `/${STACK}/integrations/int_0123456789abcdef01234567`;
const deletedParameters = [
  `/${STACK}/deleted/connections/con_aaaaaaaaaaaaaaaaaaaaaaaa`,
  `/${STACK}/deleted/integrations/int_bbbbbbbbbbbbbbbbbbbbbbbb`,
];
const underPath = (path: string) => ({
  ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: [path] }],
  MaxResults: 50,
});

/**
 * What a destroyed production stack leaves: archive, bus (no rules), both named secrets, three
 * token secrets over two pages, and (had it run the Parameter Store layout before) token
 * parameters: twelve connection ones over two pages, one access token, two scheduled for deletion.
 */
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
  ssm
    .on(DescribeParametersCommand, underPath(`/${STACK}/connections`))
    .resolvesOnce({
      Parameters: connectionParameters.slice(0, 7).map((Name) => ({ Name })),
      NextToken: 'parameters-2',
    })
    .resolvesOnce({ Parameters: connectionParameters.slice(7).map((Name) => ({ Name })) });
  ssm
    .on(DescribeParametersCommand, underPath(`/${STACK}/integrations`))
    .resolves({ Parameters: [{ Name: integrationParameter }] });
  ssm
    .on(DescribeParametersCommand, underPath(`/${STACK}/deleted`))
    .resolves({ Parameters: deletedParameters.map((Name) => ({ Name })) });
  ssm
    .on(DeleteParametersCommand)
    .callsFake((input: { Names: string[] }) => ({ DeletedParameters: input.Names }));
}

const cli = (args: string[]) => runCli(args);

const deletes = () => [
  ...eventBridge.commandCalls(DeleteArchiveCommand),
  ...eventBridge.commandCalls(DeleteEventBusCommand),
  ...secrets.commandCalls(DeleteSecretCommand),
  ...ssm.commandCalls(DeleteParametersCommand),
];

beforeEach(() => {
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'fake-access-key-id');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'fake-secret-access-key');
  cloudFormation.reset();
  eventBridge.reset();
  secrets.reset();
  ssm.reset();
});
afterAll(() => {
  cloudFormation.restore();
  eventBridge.restore();
  secrets.restore();
  ssm.restore();
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
    // Parameters by count, each path saying the deletion is immediate.
    expect(stdout).toMatch(
      /delete now +12 token parameters under \/mews-provisioner-production\/connections\/ \(connection tokens; Parameter Store has no recovery window: they cannot be restored\)\n/,
    );
    expect(stdout).toMatch(
      /delete now +1 token parameters under \/mews-provisioner-production\/integrations\/ \(Connector API access tokens; Parameter Store has no recovery window/,
    );
    expect(stdout).toMatch(
      /delete now +2 token parameters under \/mews-provisioner-production\/deleted\/ \(tokens removed within their recovery window; Parameter Store has no recovery window/,
    );
    expect(stdout).not.toMatch(/con_000000000000000000000000/);
    expect(stdout).toMatch(/dry run: nothing was changed/);
    expect(deletes()).toEqual([]);
    expect(secrets).toHaveReceivedCommandWith(ListSecretsCommand, { NextToken: 'page-2' });
    expect(ssm.commandCalls(DescribeParametersCommand).map((c) => c.args[0].input)).toEqual([
      underPath(`/${STACK}/connections`),
      { ...underPath(`/${STACK}/connections`), NextToken: 'parameters-2' },
      underPath(`/${STACK}/integrations`),
      underPath(`/${STACK}/deleted`),
    ]);
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
    // Parameters at once (no recovery window to ask for), ten a call.
    expect(ssm.commandCalls(DeleteParametersCommand).map((c) => c.args[0].input)).toEqual([
      { Names: connectionParameters.slice(0, 10) },
      { Names: connectionParameters.slice(10) },
      { Names: [integrationParameter] },
      { Names: deletedParameters },
    ]);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ stack: STACK, dryRun: false });
    expect(report.leftovers).toContainEqual({
      kind: 'token parameters',
      name: `/${STACK}/connections/`,
      count: 12,
      action: 'delete now',
      note: 'connection tokens; Parameter Store has no recovery window: they cannot be restored',
    });
    // archive, bus, two named secrets, three token secrets, three parameter paths
    expect(report.deleted).toHaveLength(10);
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
    ssm.on(DescribeParametersCommand).resolves({ Parameters: [] });
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

  it('stops at a failed parameter batch and says how many under its path were deleted', async () => {
    leftBehind();
    ssm
      .on(DeleteParametersCommand, { Names: connectionParameters.slice(10) })
      .rejects(new Error('ThrottlingException: Rate exceeded'));
    const { code, stderr } = await cli(['cleanup', '--stack', STACK, '--yes']);

    expect(code).toBe(1);
    expect(stderr).toMatch(
      /could not delete the token parameters \/mews-provisioner-production\/connections\/: ThrottlingException: Rate exceeded \(10 of the 12 parameters under it were deleted\) \(deleted before it: .*integrations\/int_0123456789abcdef01234567\)/,
    );
    expect(ssm).toHaveReceivedCommandTimes(DeleteParametersCommand, 2);
  });

  it('changes nothing when it cannot list the token parameters', async () => {
    leftBehind();
    ssm
      .on(DescribeParametersCommand, underPath(`/${STACK}/integrations`))
      .rejects(new Error('AccessDeniedException: not authorized to perform ssm:DescribeParameters'));
    const { code, stderr } = await cli(['cleanup', '--stack', STACK, '--yes']);

    expect(code).toBe(1);
    expect(stderr).toMatch(
      /could not list the token parameters under \/mews-provisioner-production\/integrations\/ \(ssm:DescribeParameters\): AccessDeniedException.*; nothing was changed/,
    );
    expect(deletes()).toEqual([]);
  });
});
