import { parseArgs } from 'node:util';
import packageJson from '../../package.json' with { type: 'json' };
import { ConfigError, loadLocalConfig } from '../config/local-config.js';
import { InvalidEmailError } from '../domain/identity.js';
import { ACCOUNTS_HELP, accountsCommand } from './accounts-command.js';
import { checkArguments, GROUPS, parseArgsMessage } from './args.js';
import { CLEANUP_HELP } from './cleanup-help.js';
import { type CliIo, EXIT, NotFound, processIo, json as toJson, UsageError } from './cli-io.js';
import { CommandFailure } from './command-failure.js';
import { CONNECTIONS_HELP, connectionsCommand } from './connections-command.js';
import { cycleJson } from './cycle-json.js';
import { EVENTS_TAIL_HELP, eventsTailCommand } from './events-tail.js';
import { MIGRATE_INTEGRATIONS_HELP } from './integration-tokens-command.js';
import type { Operations } from './operations.js';
import {
  DLQ_HELP,
  dlqCommand,
  EVENTS_HELP,
  eventsCommand,
  resyncCommand,
  STATUS_HELP,
  statusCommand,
} from './ops-commands.js';
import { resolveConnectionId } from './resolve-id.js';
import { RUN_HELP } from './run-command.js';
import { DOCTOR_HELP, RESET_HELP } from './setup-help.js';
import { TOKENS_HELP, type TokenStores } from './tokens-command.js';

const HELP = `Mews connection provisioner

Usage: provisioner <command> [options]    (from a checkout: npm run -s provisioner -- <command>)

Commands:
  run --once                               one poll-and-provision cycle
  status                                   accounts, connections, queues and the last cycle at a glance
  accounts add|list|remove|release|import  the Mews employee emails to poll
  connections list|show|resync             the connections found; resync checks one against Mews now
  events replay --connection <id>          publish a connection's events again (same eventIds)
  events tail [--follow] [--type T]        the events published locally, as they are published
  dlq list|redrive                         messages that failed every attempt
  tokens migrate --to STORE [--dry-run]    move a stack's tokens between Secrets Manager and Parameter Store
  tokens migrate-integrations [--dry-run]  once after upgrading: access tokens to their own prefix
  doctor [--stack NAME]                    check the setup (Java, DynamoDB, state dir, Mews, client token, accounts)
  reset [--yes]                            clear a local state directory (asks first) to replay the demo
  cleanup --stack NAME [--dry-run]         delete what a destroyed stack left behind (so the stage can be deployed again)
  help [command]                           this help, or a command's

Ids: wherever an id is asked for, a unique prefix will do (con_4fb2, or con_4fb2… as the console
shows it); wherever an account's email is, its id (or a prefix of it) will do.

Options:
  --stack NAME               act on a deployed stack (env PROVISIONER_STACK), found by its outputs;
                             AWS credentials and region as the AWS SDK reads them
  --state-dir DIR            locally: state directory (env PROVISIONER_STATE_DIR, default .provisioner)
  --platform-address URL     locally: Mews platform address (env MEWS_PLATFORM_ADDRESS; default: the simulator)
  --json                     machine-readable output, on every command (run --once: the cycle's report)
  -h, --help                 help, also after any command (provisioner accounts --help)
  --version                  the provisioner's version

Environment (local runs): MEWS_PLATFORM_ADDRESS, MEWS_CLIENT_TOKEN, PROVISIONER_STATE_DIR,
PROVISIONER_TABLE_NAME, PROVISIONER_EVENT_SOURCE, PROVISIONER_LOG_LEVEL,
MEWS_RATE_LIMIT_RPS, MEWS_RATE_LIMIT_BURST, MEWS_TIMEOUT_SECONDS (how long one Mews call may take,
retries included; default 20), AWS_ENDPOINT_URL_DYNAMODB (use that DynamoDB
instead of starting DynamoDB Local). Tables fit the terminal (COLUMNS); piped, nothing is cut.

Exit codes: 0 done; 1 failed (the message says why: unknown id, unreachable store, AWS error);
2 wrong arguments or configuration, including an unknown command, option or extra argument
(nothing was changed).
`;

const HELPS: Record<string, string> = {
  run: RUN_HELP,
  status: STATUS_HELP,
  accounts: ACCOUNTS_HELP,
  connections: CONNECTIONS_HELP,
  events: `${EVENTS_HELP}${EVENTS_TAIL_HELP}`,
  dlq: DLQ_HELP,
  doctor: DOCTOR_HELP,
  reset: RESET_HELP,
  cleanup: CLEANUP_HELP,
  tokens: `${TOKENS_HELP}\n${MIGRATE_INTEGRATIONS_HELP}`,
};

export interface MainOptions {
  /** How a `--stack` run reaches AWS (tests pass mocked clients). */
  openAws?: (stackName: string) => Promise<Operations>;
  /** Stops `events tail --follow` (in a process: Ctrl-C). */
  signal?: AbortSignal;
  /** How `tokens migrate` reaches a stack's token stores (tests pass in-memory ones). */
  openTokenStores?: (stackName: string) => Promise<TokenStores>;
}

/** CloudFormation's rule for stack names. */
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

export async function main(
  argv: string[],
  io: CliIo = processIo,
  options: MainOptions = {},
): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        once: { type: 'boolean' },
        json: { type: 'boolean' },
        label: { type: 'string' },
        connection: { type: 'string' },
        since: { type: 'string' },
        follow: { type: 'boolean', short: 'f' },
        type: { type: 'string' },
        version: { type: 'boolean' },
        stack: { type: 'string' },
        'state-dir': { type: 'string' },
        'platform-address': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        yes: { type: 'boolean', short: 'y' },
        configuration: { type: 'boolean' },
        digest: { type: 'string' },
        to: { type: 'string' },
        'dry-run': { type: 'boolean' },
      },
    });
    const [command, sub, arg] = positionals;
    if (values.version) {
      io.out(values.json ? toJson({ version: packageJson.version }) : `provisioner ${packageJson.version}\n`);
      return EXIT.ok;
    }
    if (command && command !== 'help' && !(command in HELPS)) {
      throw new UsageError(`unknown command '${command}'`);
    }
    if (values.help || !command) {
      io.out((command && HELPS[command]) || HELP);
      return command || values.help ? EXIT.ok : EXIT.usage;
    }
    checkArguments(positionals, Object.keys(values));
    if (command === 'help') {
      if (sub && !(sub in HELPS)) throw new UsageError(`no help for '${sub}': it is not a command`);
      io.out((sub && HELPS[sub]) || HELP);
      return EXIT.ok;
    }
    if (GROUPS.has(command) && !sub && command in HELPS) {
      // A group without its subcommand: say what it has.
      io.out(HELPS[command] ?? HELP);
      return EXIT.usage;
    }
    if (command === 'run' && !values.once) {
      throw new UsageError(
        'run needs --once (the continuous service is `npm start` locally, the stack on AWS)',
      );
    }

    const stack = values.stack ?? io.env.PROVISIONER_STACK;
    if (stack !== undefined && !STACK_NAME.test(stack)) {
      throw new UsageError(
        `${values.stack !== undefined ? '--stack' : 'PROVISIONER_STACK'} '${stack}' is not a stack name: a letter, then letters, digits or -`,
      );
    }
    const localConfig = () =>
      loadLocalConfig({
        ...io.env,
        ...(values['state-dir'] ? { PROVISIONER_STATE_DIR: values['state-dir'] } : {}),
        ...(values['platform-address'] ? { MEWS_PLATFORM_ADDRESS: values['platform-address'] } : {}),
      });
    if (command === 'events' && sub === 'tail') {
      if (stack)
        throw new UsageError(
          'events tail reads the local events.jsonl; on a stack, subscribe a rule to its bus',
        );
      const { stateDir } = localConfig();
      return await eventsTailCommand(
        {
          stateDir,
          follow: values.follow ?? false,
          type: values.type,
          json: values.json ?? false,
          signal: options.signal,
        },
        io,
      );
    }
    if (command === 'doctor') {
      const { doctorCommand } = await import('./doctor-command.js');
      return await doctorCommand({ json: values.json ?? false, stack }, localConfig, io);
    }
    if (command === 'reset') {
      if (stack) throw new UsageError('reset clears a local state directory; a stack is left alone');
      const { resetCommand } = await import('./reset-command.js');
      return await resetCommand({ yes: values.yes ?? false, json: values.json ?? false }, localConfig(), io);
    }
    if (command === 'tokens' && sub === 'migrate-integrations') {
      const { migrateIntegrationsCommand } = await import('./integration-tokens-command.js');
      const dryRun = values['dry-run'] ?? false;
      return await migrateIntegrationsCommand({ dryRun, json: values.json ?? false, stack }, io);
    }
    if (command === 'tokens') {
      const { tokensCommand } = await import('./tokens-command.js');
      const open = options.openTokenStores ?? (await import('./aws-token-stores.js')).openAwsTokenStores;
      return await tokensCommand(
        { sub, to: values.to, dryRun: values['dry-run'] ?? false, json: values.json ?? false, stack },
        io,
        open,
      );
    }
    if (command === 'cleanup') {
      const { cleanupCommand } = await import('./cleanup-command.js');
      const flags = {
        dryRun: values['dry-run'] ?? false,
        yes: values.yes ?? false,
        json: values.json ?? false,
      };
      return await cleanupCommand({ stack, ...flags }, io);
    }
    const ops = stack
      ? // Loaded on use, so `--help` and argument errors do not pay for the AWS SDK.
        await (options.openAws ?? (await import('./aws-operations.js')).openAwsOperations)(stack)
      : await (await import('./local-operations.js')).openLocalOperations(localConfig(), {
          env: io.env,
          progress: io.progress,
        });
    try {
      const json = values.json ?? false;
      switch (command) {
        case 'run':
          if (json) {
            return await withJsonReport(ops, io, async (quiet) => {
              quiet.out(await ops.runCycle());
              return EXIT.ok;
            });
          }
          io.out(await ops.runCycle());
          return EXIT.ok;
        case 'status':
          return await statusCommand({ json }, ops, io);
        case 'accounts':
          return await accountsCommand({ sub, email: arg, label: values.label, json }, ops, io);
        case 'connections':
          if (sub === 'resync') {
            const id = await resolveConnectionId(arg, ops.store);
            if (json) return await withJsonReport(ops, io, (quiet) => resyncCommand(id, ops, quiet));
            return await resyncCommand(id, ops, io);
          }
          return await connectionsCommand(
            {
              sub,
              id: sub === 'show' ? await resolveConnectionId(arg, ops.store) : arg,
              json,
              configuration: values.configuration ?? false,
              digest: values.digest,
            },
            ops,
            io,
          );
        case 'events': {
          const connection =
            sub === 'replay'
              ? await resolveConnectionId(values.connection, ops.store, '--connection')
              : undefined;
          const replay = (out: CliIo) => eventsCommand({ sub, connection, since: values.since }, ops, out);
          if (json && sub === 'replay')
            return await withJsonReport(ops, io, replay, { connectionId: connection });
          return await replay(io);
        }
        default:
          if (json && sub === 'redrive')
            return await withJsonReport(ops, io, (quiet) => dlqCommand({ sub, json }, ops, quiet));
          return await dlqCommand({ sub, json }, ops, io);
      }
    } finally {
      await ops.close();
    }
  } catch (error) {
    return reportError(error, io);
  }
}

/**
 * `--json` for a command that does something (run --once, resync, replay, redrive): one JSON
 * object on stdout, `ok` and, locally, the report of the cycle it ran; the error, if any, also
 * on stderr with exit code 1. Wrong arguments and unknown ids stay errors as without --json.
 */
async function withJsonReport(
  ops: Operations,
  io: CliIo,
  run: (quiet: CliIo) => Promise<number>,
  extra: Record<string, unknown> = {},
): Promise<number> {
  let text = '';
  let errors = '';
  const quiet: CliIo = {
    ...io,
    out: (t) => {
      text += t;
    },
    err: (t) => {
      errors += t;
    },
  };
  let code: number = EXIT.failed;
  let failure: Error | undefined;
  try {
    code = await run(quiet);
  } catch (error) {
    if (error instanceof UsageError || error instanceof NotFound) throw error;
    failure = error instanceof Error ? error : new Error(String(error));
  }
  const report = ops.lastReport?.() ?? null;
  const accounts = report ? new Map((await ops.store.listAccounts()).map((a) => [a.id as string, a])) : null;
  const message = failure?.message ?? (errors.trim() || undefined);
  io.out(
    toJson({
      ok: !failure && code === EXIT.ok,
      where: ops.where,
      ...extra,
      summary: text.trim(),
      ...(message ? { error: message } : {}),
      ...(report && accounts ? { report: cycleJson(report, accounts) } : {}),
    }),
  );
  if (message) io.err(`provisioner: ${message}\n`);
  return failure ? EXIT.failed : code;
}

function reportError(error: unknown, io: CliIo): number {
  if (isParseArgsError(error)) {
    io.err(`provisioner: ${parseArgsMessage(error as Error)}\nRun 'provisioner --help' for usage.\n`);
    return EXIT.usage;
  }
  if (error instanceof UsageError || error instanceof InvalidEmailError) {
    io.err(`provisioner: ${(error as Error).message}\nRun 'provisioner --help' for usage.\n`);
    return EXIT.usage;
  }
  if (error instanceof ConfigError) {
    io.err(`provisioner: ${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof CommandFailure && error.output) io.out(error.output);
  const message = error instanceof Error ? error.message : String(error);
  io.err(`provisioner: ${message}\n`);
  return EXIT.failed;
}

function isParseArgsError(error: unknown): boolean {
  return error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
}
