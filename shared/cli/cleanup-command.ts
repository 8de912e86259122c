import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  DeleteArchiveCommand,
  DeleteEventBusCommand,
  DescribeArchiveCommand,
  DescribeEventBusCommand,
  EventBridgeClient,
  ListRulesCommand,
} from '@aws-sdk/client-eventbridge';
import {
  DeleteSecretCommand,
  DescribeSecretCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  DeleteParametersCommand,
  DescribeParametersCommand,
  type DescribeParametersCommandOutput,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { type CliIo, EXIT, json, terminalConfirm, UsageError } from './cli-io.js';
import { CommandFailure } from './command-failure.js';

/** Token secrets go with Secrets Manager's shortest recovery window: a mistaken cleanup can be undone. */
const TOKEN_RECOVERY_DAYS = 7;

/** DescribeParameters' page size limit, DeleteParameters' batch limit. */
const DESCRIBE_PAGE = 50;
const DELETE_BATCH = 10;

/** One thing a destroyed stack left: what cleanup does with it. */
interface Leftover {
  kind: 'event archive' | 'event bus' | 'secret' | 'token secret' | 'token parameters';
  /** The resource's name; for token parameters, the path they are under. */
  name: string;
  /** Token parameters: how many are under the path. */
  count?: number;
  action: 'delete now' | `delete in ${number} days` | 'keep';
  /** Why it is kept, or what deleting it means for the next deployment. */
  note?: string;
  run?: () => Promise<unknown>;
}

/**
 * `provisioner cleanup --stack NAME`: removes the named resources a destroyed stack kept (RETAIN),
 * so the stage can be deployed again under the same names. Each is looked up by its known name
 * first; only what exists is listed and, confirmed, deleted.
 */
export async function cleanupCommand(
  args: { stack: string | undefined; dryRun: boolean; yes: boolean; json: boolean },
  io: CliIo,
): Promise<number> {
  const stack = args.stack;
  if (!stack) throw new UsageError('cleanup needs --stack NAME: the name of the destroyed stack');
  const cloudFormation = new CloudFormationClient({});
  const eventBridge = new EventBridgeClient({});
  const secretsManager = new SecretsManagerClient({});
  const ssm = new SSMClient({});
  try {
    await requireDestroyed(cloudFormation, stack);
    // The destroyed stack's outputs are gone, so its token layout is unknown: both are looked at.
    const leftovers = [
      ...(await eventLeftovers(eventBridge, stack)),
      ...(await secretLeftovers(secretsManager, stack)),
      ...(await parameterLeftovers(ssm, stack)),
    ];
    const blocking = leftovers.filter((l) => l.action === 'keep');

    if (leftovers.length === 0) {
      report(
        io,
        args.json,
        { stack, dryRun: args.dryRun, leftovers: [] },
        `nothing of ${stack} is left: a deployment can create it anew\n`,
      );
      return EXIT.ok;
    }
    if (args.dryRun) {
      report(
        io,
        args.json,
        { stack, dryRun: true, leftovers: leftovers.map(view) },
        `${stack} left:\n${lines(leftovers)}dry run: nothing was changed\n`,
      );
      return EXIT.ok;
    }
    if (!args.yes) {
      const confirm = terminalConfirm();
      if (!confirm) {
        throw new UsageError(
          `cleanup deletes what ${stack} left and there is no terminal to confirm on: look with --dry-run, then add --yes`,
        );
      }
      io.err(`${stack} left:\n${lines(leftovers)}`);
      if (!(await confirm('Delete these? [y/N] '))) {
        io.err('cleanup cancelled: nothing was changed\n');
        return EXIT.failed;
      }
    }
    const done: Leftover[] = [];
    for (const leftover of leftovers) {
      if (!leftover.run) continue;
      try {
        await leftover.run();
      } catch (error) {
        throw new CommandFailure(
          `could not delete the ${leftover.kind} ${leftover.name}: ${(error as Error).message}` +
            (done.length > 0
              ? ` (deleted before it: ${done.map((d) => d.name).join(', ')})`
              : ' (nothing was deleted)'),
        );
      }
      done.push(leftover);
    }
    const next =
      blocking.length > 0
        ? `not deleted, and a deployment of the stage still fails on it: ${blocking.map((b) => `${b.name} (${b.note})`).join('; ')}\n`
        : `done: \`npx cdk deploy -c stage=...\` can create ${stack} again. Then put the Mews client token in its new secret and register the new integration webhook URL with Mews (docs/deploy.md).\n`;
    report(
      io,
      args.json,
      { stack, dryRun: false, leftovers: leftovers.map(view), deleted: done.map((d) => d.name) },
      `${lines(done, 'deleted')}${next}`,
    );
    return blocking.length > 0 ? EXIT.failed : EXIT.ok;
  } finally {
    cloudFormation.destroy();
    eventBridge.destroy();
    secretsManager.destroy();
    ssm.destroy();
  }
}

async function requireDestroyed(client: CloudFormationClient, stack: string): Promise<void> {
  let status: string | undefined;
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stack }));
    status = Stacks?.[0]?.StackStatus;
  } catch (error) {
    if (/does not exist/.test((error as Error).message)) return;
    throw new CommandFailure(`could not check whether stack ${stack} exists: ${(error as Error).message}`);
  }
  if (status && status !== 'DELETE_COMPLETE') {
    throw new CommandFailure(
      `stack ${stack} still exists (${status}): cleanup removes what \`npx cdk destroy\` left behind; nothing was changed`,
    );
  }
}

async function eventLeftovers(client: EventBridgeClient, stack: string): Promise<Leftover[]> {
  const found: Leftover[] = [];
  const archiveName = `${stack}-all`;
  if (await exists(() => client.send(new DescribeArchiveCommand({ ArchiveName: archiveName })))) {
    found.push({
      kind: 'event archive',
      name: archiveName,
      action: 'delete now',
      note: 'its archived events go with it',
      run: () => client.send(new DeleteArchiveCommand({ ArchiveName: archiveName })),
    });
  }
  if (await exists(() => client.send(new DescribeEventBusCommand({ Name: stack })))) {
    // A bus cannot be deleted while rules are on it; those are subscribers', not ours to remove.
    const { Rules = [] } = await client.send(new ListRulesCommand({ EventBusName: stack }));
    found.push(
      Rules.length > 0
        ? {
            kind: 'event bus',
            name: stack,
            action: 'keep',
            note: `rules ${Rules.map((r) => r.Name).join(', ')} are on it: have their owners remove them, then run cleanup again`,
          }
        : {
            kind: 'event bus',
            name: stack,
            action: 'delete now',
            run: () => client.send(new DeleteEventBusCommand({ Name: stack })),
          },
    );
  }
  return found;
}

async function secretLeftovers(client: SecretsManagerClient, stack: string): Promise<Leftover[]> {
  const found: Leftover[] = [];
  const named = [
    [`${stack}/mews-client-token`, 'the next deployment creates it empty: put the client token again'],
    [
      `${stack}/integration-webhook-secret`,
      'the next deployment generates a new one: register the new integration webhook URL with Mews',
    ],
  ] as const;
  for (const [name, note] of named) {
    // A secret scheduled for deletion still holds its name: it is deleted at once too.
    if (await exists(() => client.send(new DescribeSecretCommand({ SecretId: name })))) {
      found.push({
        kind: 'secret',
        name,
        action: 'delete now',
        note,
        run: () => client.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true })),
      });
    }
  }
  for (const prefix of [`${stack}/connections/`, `${stack}/integrations/`]) {
    let NextToken: string | undefined;
    do {
      const page = await client.send(
        new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [prefix] }], NextToken }),
      );
      for (const secret of page.SecretList ?? []) {
        const name = secret.Name;
        // The name filter matches prefixes case-insensitively: keep exact matches only.
        if (!name?.startsWith(prefix)) continue;
        found.push({
          kind: 'token secret',
          name,
          action: `delete in ${TOKEN_RECOVERY_DAYS} days`,
          run: () =>
            client.send(
              new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: TOKEN_RECOVERY_DAYS }),
            ),
        });
      }
      NextToken = page.NextToken;
    } while (NextToken);
  }
  return found;
}

/**
 * The Parameter Store layout's token parameters (created at run time, so no stack resource): live
 * connection and access tokens, and those the vault moved under `deleted/` for its sweep, which
 * went with the stack. Listed without their values (DescribeParameters: no KMS use). Parameter
 * Store has no recovery window, so these are deleted at once.
 */
async function parameterLeftovers(client: SSMClient, stack: string): Promise<Leftover[]> {
  const found: Leftover[] = [];
  const paths = [
    [`/${stack}/connections/`, 'connection tokens'],
    [`/${stack}/integrations/`, 'Connector API access tokens'],
    [`/${stack}/deleted/`, 'tokens removed within their recovery window'],
  ] as const;
  for (const [path, what] of paths) {
    const names = await parameterNames(client, path);
    if (names.length === 0) continue;
    found.push({
      kind: 'token parameters',
      name: path,
      count: names.length,
      action: 'delete now',
      note: `${what}; Parameter Store has no recovery window: they cannot be restored`,
      run: () => deleteParameters(client, names),
    });
  }
  return found;
}

async function parameterNames(client: SSMClient, path: string): Promise<string[]> {
  const names: string[] = [];
  let NextToken: string | undefined;
  do {
    let page: DescribeParametersCommandOutput;
    try {
      page = await client.send(
        new DescribeParametersCommand({
          ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: [path.slice(0, -1)] }],
          MaxResults: DESCRIBE_PAGE,
          ...(NextToken ? { NextToken } : {}),
        }),
      );
    } catch (error) {
      throw new CommandFailure(
        `could not list the token parameters under ${path} (ssm:DescribeParameters): ${(error as Error).message}; nothing was changed`,
      );
    }
    for (const p of page.Parameters ?? []) if (p.Name) names.push(p.Name);
    NextToken = page.NextToken;
  } while (NextToken);
  return names;
}

/** DeleteParameters, 10 a call; one already gone (InvalidParameters) is not an error. */
async function deleteParameters(client: SSMClient, names: string[]): Promise<void> {
  for (let i = 0; i < names.length; i += DELETE_BATCH) {
    try {
      await client.send(new DeleteParametersCommand({ Names: names.slice(i, i + DELETE_BATCH) }));
    } catch (error) {
      throw new Error(
        `${(error as Error).message} (${i} of the ${names.length} parameters under it were deleted)`,
      );
    }
  }
}

/** Whether a Describe call finds the resource (ResourceNotFoundException: it does not exist). */
async function exists(describe: () => Promise<unknown>): Promise<boolean> {
  try {
    await describe();
    return true;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return false;
    throw error;
  }
}

const view = ({ kind, name, count, action, note }: Leftover) => ({
  kind,
  name,
  ...(count === undefined ? {} : { count }),
  action,
  ...(note ? { note } : {}),
});

function lines(leftovers: Leftover[], verb?: string): string {
  return leftovers
    .map((l) => {
      const what = l.count === undefined ? `${l.kind} ${l.name}` : `${l.count} ${l.kind} under ${l.name}`;
      return `  ${verb ?? l.action.padEnd(16)} ${what}${l.note ? ` (${l.note})` : ''}\n`;
    })
    .join('');
}

function report(io: CliIo, asJson: boolean, value: object, text: string): void {
  io.out(asJson ? json(value) : text);
}
