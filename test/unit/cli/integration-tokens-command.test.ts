import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/adapters/memory/manual-clock.js';
import { MemoryStateStore } from '../../../shared/adapters/memory/memory-state-store.js';
import type { CliIo } from '../../../shared/cli/cli-io.js';
import {
  type IntegrationMigrationTarget,
  migrateIntegrationsCommand,
  openIntegrationMigrationTarget,
} from '../../../shared/cli/integration-tokens-command.js';
import { main } from '../../../shared/cli/main.js';
import { OUTPUT_KEYS } from '../../../shared/config/stack-outputs.js';
import { integration } from '../../contract/integration-store.contract.js';
import { fakeSecretsManager } from '../../support/secrets-manager-fake.js';

const PREFIX = 'mews-provisioner-demo';
const TOKEN = 'FAKE-connector-access-token-0003';

function buffers() {
  const out = { stdout: '', stderr: '', progress: [] as string[] };
  const io: CliIo = {
    out: (t) => {
      out.stdout += t;
    },
    err: (t) => {
      out.stderr += t;
    },
    progress: (t) => out.progress.push(t),
    env: {},
  };
  return { io, out };
}

/** A deployed stack (faked): one active integration with its token at the old name, one whose token is gone. */
function stack() {
  const fake = fakeSecretsManager();
  const store = new MemoryStateStore();
  const [active, lost] = [integration(), integration()];
  for (const i of [active, lost]) {
    const secret = fake.seed(`${PREFIX}/connections/${i.id}`, TOKEN);
    store.table.integrations.set(i.id, { ...i, secretRef: secret.arn });
  }
  fake.secrets.delete(`${PREFIX}/connections/${lost.id}`);
  let closed = 0;
  const target: IntegrationMigrationTarget = {
    where: 'stack Demo',
    options: {
      client: fake.client,
      integrations: store,
      legacyPrefix: `${PREFIX}/connections/`,
      prefix: `${PREFIX}/integrations/`,
      kmsKeyId: 'alias/demo',
      recoveryDays: 7,
      environment: 'demo',
      clock: new ManualClock(),
    },
    close: async () => {
      closed += 1;
    },
  };
  return { fake, store, active, lost, target, closed: () => closed };
}

describe('provisioner tokens migrate-integrations', () => {
  it('moves what it can, names what it cannot, exits 1 for a missing token, and never prints a token', async () => {
    const s = stack();
    const { io, out } = buffers();

    const code = await migrateIntegrationsCommand(
      { dryRun: false, json: false, stack: 'Demo' },
      io,
      async () => s.target,
    );

    expect(code).toBe(1);
    expect(out.stdout).toBe(
      [
        'Integration access tokens (old secrets are restorable for 7 days):',
        ...[
          [s.active.id, '  1 moved'],
          [
            s.lost.id,
            `  1 MISSING: no secret holds the token (nothing changed; re-create the integration in Mews): ${s.lost.id}`,
          ],
        ]
          .sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1))
          .map(([, line]) => line),
        '',
      ].join('\n'),
    );
    expect(out.progress.at(-1)).toBe('');
    expect(`${out.stdout}${out.stderr}${out.progress.join('')}`).not.toContain(TOKEN);
    expect(s.fake.secrets.get(`${PREFIX}/integrations/${s.active.id}`)?.value).toBe(TOKEN);
    expect(s.closed()).toBe(1);
  });

  it('--dry-run --json: the plan as JSON, no Secrets Manager call, exit 0', async () => {
    const s = stack();
    s.fake.secrets.clear();
    const { io, out } = buffers();

    const code = await migrateIntegrationsCommand(
      { dryRun: true, json: true, stack: 'Demo' },
      io,
      async () => s.target,
    );

    expect(code).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({
      where: 'stack Demo',
      dryRun: true,
      results: expect.arrayContaining([
        { integrationId: s.active.id, outcome: 'would-move' },
        { integrationId: s.lost.id, outcome: 'would-move' },
      ]),
    });
    expect(s.fake.commands()).toEqual([]);
  });

  it('refuses to run without --stack (exit 2 by the usage error), opening nothing', async () => {
    const { io } = buffers();
    await expect(
      migrateIntegrationsCommand({ dryRun: false, json: false, stack: undefined }, io, async () => {
        throw new Error('must not open');
      }),
    ).rejects.toThrow(/pass --stack NAME/);
  });
});

describe('through the CLI', () => {
  it('is a tokens subcommand: without --stack, exit 2 and what to pass; a flag it does not take, exit 2', async () => {
    const { io, out } = buffers();
    expect(await main(['tokens', 'migrate-integrations'], io)).toBe(2);
    expect(out.stderr).toContain('pass --stack NAME');
    expect(await main(['tokens', 'migrate-integrations', '--yes'], io)).toBe(2);
    expect(out.stderr).toContain('`provisioner tokens migrate-integrations` does not take --yes');
    expect(await main(['help', 'tokens'], io)).toBe(0);
    expect(out.stdout).toContain('provisioner tokens migrate-integrations [--dry-run] --stack NAME');
  });
});

describe('openIntegrationMigrationTarget', () => {
  const outputs = {
    [OUTPUT_KEYS.tableName]: 'mews-provisioner-demo-state',
    [OUTPUT_KEYS.mewsEnvironment]: 'demo',
    [OUTPUT_KEYS.connectionSecretPrefix]: `${PREFIX}/connections/`,
    [OUTPUT_KEYS.integrationSecretPrefix]: `${PREFIX}/integrations/`,
    [OUTPUT_KEYS.connectionSecretsKeyArn]: 'arn:aws:kms:eu-west-1:111122223333:key/k',
    [OUTPUT_KEYS.secretRecoveryWindowDays]: '7',
  };
  const cloudFormation = (values: Record<string, string>) => {
    const client = new CloudFormationClient({ region: 'eu-west-1' });
    const cf = mockClient(client);
    cf.on(DescribeStacksCommand, { StackName: 'mews-provisioner-demo' }).resolves({
      Stacks: [
        {
          StackName: 'mews-provisioner-demo',
          CreationTime: new Date(),
          StackStatus: 'UPDATE_COMPLETE',
          Outputs: Object.entries(values).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
        },
      ],
    });
    return client;
  };

  it('finds the prefixes, the key and the recovery window in the stack outputs', async () => {
    const target = await openIntegrationMigrationTarget('mews-provisioner-demo', {
      cloudFormation: cloudFormation(outputs),
    });
    expect(target.where).toBe('stack mews-provisioner-demo');
    expect(target.options).toMatchObject({
      legacyPrefix: `${PREFIX}/connections/`,
      prefix: `${PREFIX}/integrations/`,
      kmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/k',
      recoveryDays: 7,
      environment: 'demo',
    });
    await target.close();
  });

  it('says to deploy this version first when the stack predates the integration prefix', async () => {
    const { [OUTPUT_KEYS.integrationSecretPrefix]: _, ...older } = outputs;
    await expect(
      openIntegrationMigrationTarget('mews-provisioner-demo', { cloudFormation: cloudFormation(older) }),
    ).rejects.toThrow(
      `stack mews-provisioner-demo lacks the outputs ${OUTPUT_KEYS.integrationSecretPrefix}: deploy this version first (npx cdk deploy), then run this again`,
    );
  });
});
