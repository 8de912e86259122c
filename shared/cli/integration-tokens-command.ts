import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import { createDocumentClient } from '../adapters/aws/dynamo-client.js';
import { DynamoStateStore } from '../adapters/aws/dynamo-state-store.js';
import {
  type IntegrationMigrationOutcome,
  type IntegrationMigrationResult,
  type IntegrationTokenMigrationOptions,
  migrateIntegrationTokens,
} from '../adapters/aws/integration-token-migration.js';
import { OUTPUT_KEYS } from '../config/stack-outputs.js';
import { systemClock } from '../ports/clock.js';
import { type CliIo, EXIT, json as toJson, UsageError } from './cli-io.js';

export const MIGRATE_INTEGRATIONS_HELP = `provisioner tokens migrate-integrations [--dry-run] --stack NAME

Once, after upgrading a stack deployed before integration access tokens had a prefix of their own:
moves each Connector API access token from <prefix>/connections/int_<id> (where the connection
consumer policy could read it) to <prefix>/integrations/int_<id>. For each integration it reads
the old secret, copies it (a secret the webhook stored at the new name since the upgrade is newer
and kept), reads the copy back and compares it, switches the integration's secretRef in the state
(announcing it: Integration Token Moved), and only then schedules the old secret's deletion (restorable for the stage's recovery window).
A deleted integration's old secret is only scheduled for deletion. Idempotent and resumable: after
a crash or an error, run it again. Progress goes to stderr; tokens are never printed.

  --dry-run      say what would be done, from the state alone; change nothing, read no token
  --json         the results as JSON

Needs, besides the state table: Secrets Manager GetSecretValue/DeleteSecret on
<prefix>/connections/int_*, CreateSecret/TagResource/RestoreSecret/GetSecretValue on
<prefix>/integrations/int_*, and the stack key (ConnectionSecretsKeyArn) for kms:GenerateDataKey and
kms:Decrypt through Secrets Manager (docs/deploy.md, IAM permissions for the CLI).
`;

/** A deployed stack's migration settings, from its outputs. */
export interface IntegrationMigrationTarget {
  where: string;
  options: Omit<IntegrationTokenMigrationOptions, 'dryRun' | 'onProgress'>;
  close(): Promise<void>;
}

export interface MigrateIntegrationsOptions {
  dryRun: boolean;
  json: boolean;
  stack: string | undefined;
}

const TROUBLE: readonly IntegrationMigrationOutcome[] = ['missing'];

export async function migrateIntegrationsCommand(
  options: MigrateIntegrationsOptions,
  io: CliIo,
  open: (stack: string) => Promise<IntegrationMigrationTarget> = openIntegrationMigrationTarget,
): Promise<number> {
  if (!options.stack) {
    throw new UsageError(
      "tokens migrate-integrations moves a deployed stack's access tokens: pass --stack NAME (the local vault moves its files itself)",
    );
  }
  const target = await open(options.stack);
  try {
    const results = await migrateIntegrationTokens({
      ...target.options,
      dryRun: options.dryRun,
      onProgress: (result, done, total) => io.progress(`${result.integrationId} ${done}/${total}`),
    });
    io.progress('');
    io.out(
      options.json
        ? toJson({ where: target.where, dryRun: options.dryRun, results })
        : summary(results, options.dryRun, target.options.recoveryDays),
    );
    return results.some((r) => TROUBLE.includes(r.outcome)) ? EXIT.failed : EXIT.ok;
  } finally {
    await target.close();
  }
}

const SAID: Record<IntegrationMigrationOutcome, string> = {
  moved: 'moved',
  'kept-newer': 'kept the newer token at the new name',
  'already-moved': 'already moved',
  deleted: 'deleted integrations: old secret scheduled for deletion',
  missing: 'MISSING: no secret holds the token (nothing changed; re-create the integration in Mews)',
  'not-ours': 'left alone (secretRef names neither place)',
  'would-move': 'would move',
  'would-delete-old': 'deleted integrations: would schedule the old secret for deletion',
};

function summary(results: IntegrationMigrationResult[], dryRun: boolean, recoveryDays: number): string {
  if (results.length === 0) return 'No integrations: nothing to move.\n';
  const by = new Map<IntegrationMigrationOutcome, IntegrationMigrationResult[]>();
  for (const r of results) by.set(r.outcome, [...(by.get(r.outcome) ?? []), r]);
  const lines = [...by].map(([outcome, rs]) => {
    const ids = outcome === 'missing' ? `: ${rs.map((r) => r.integrationId).join(', ')}` : '';
    return `  ${rs.length} ${SAID[outcome]}${ids}`;
  });
  const head = dryRun
    ? 'Dry run: nothing changed. Moving integration access tokens to their own prefix would:'
    : `Integration access tokens (old secrets are restorable for ${recoveryDays} days):`;
  return `${[head, ...lines].join('\n')}\n`;
}

const outputsSchema = z.object({
  [OUTPUT_KEYS.tableName]: z.string().min(1),
  [OUTPUT_KEYS.mewsEnvironment]: z.enum(['demo', 'production']),
  [OUTPUT_KEYS.connectionSecretPrefix]: z.string().min(1),
  [OUTPUT_KEYS.integrationSecretPrefix]: z.string().min(1),
  [OUTPUT_KEYS.connectionSecretsKeyArn]: z.string().min(1),
  [OUTPUT_KEYS.secretRecoveryWindowDays]: z.coerce.number().int().min(7).max(30),
});

/** The stack's outputs this command needs; a clear error when the stack predates them. */
export async function openIntegrationMigrationTarget(
  stackName: string,
  clients: { cloudFormation?: CloudFormationClient; secretsManager?: SecretsManagerClient } = {},
): Promise<IntegrationMigrationTarget> {
  const cloudFormation = clients.cloudFormation ?? new CloudFormationClient({});
  let outputs: Record<string, string>;
  try {
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    outputs = Object.fromEntries(
      (Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']),
    );
  } catch (error) {
    throw new Error(`could not read stack ${stackName}: ${(error as Error).message}`);
  }
  const parsed = outputsSchema.safeParse(outputs);
  if (!parsed.success) {
    const missing = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new Error(
      `stack ${stackName} lacks the outputs ${missing}: deploy this version first (npx cdk deploy), then run this again`,
    );
  }
  const o = parsed.data;
  const secretsManager = clients.secretsManager ?? new SecretsManagerClient({});
  const dynamo = createDocumentClient();
  return {
    where: `stack ${stackName}`,
    options: {
      client: secretsManager,
      integrations: new DynamoStateStore({
        client: dynamo,
        tableName: o[OUTPUT_KEYS.tableName],
      }),
      legacyPrefix: o[OUTPUT_KEYS.connectionSecretPrefix],
      prefix: o[OUTPUT_KEYS.integrationSecretPrefix],
      kmsKeyId: o[OUTPUT_KEYS.connectionSecretsKeyArn],
      recoveryDays: o[OUTPUT_KEYS.secretRecoveryWindowDays],
      environment: o[OUTPUT_KEYS.mewsEnvironment],
      clock: systemClock,
    },
    async close() {
      secretsManager.destroy();
      dynamo.destroy();
    },
  };
}
