import { parseArgs } from 'node:util';
import { ConfigError, loadLocalConfig } from '../config/local-config.js';
import { InvalidEmailError } from '../domain/identity.js';
import { ACCOUNTS_HELP, accountsCommand } from './accounts-command.js';
import { type CliIo, EXIT, processIo, UsageError } from './cli-io.js';
import { CommandFailure } from './command-failure.js';
import { CONNECTIONS_HELP, connectionsCommand } from './connections-command.js';
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
import { RUN_HELP } from './run-command.js';
import { DOCTOR_HELP, RESET_HELP } from './setup-help.js';

const HELP = `Mews connection provisioner

Usage: provisioner <command> [options]    (from a checkout: npm run -s provisioner -- <command>)

Commands:
  run --once                               one poll-and-provision cycle
  status                                   accounts, connections, queues and the last cycle at a glance
  accounts add|list|remove|release|import  the Mews employee emails to poll
  connections list|show|resync             the connections found; resync checks one against Mews now
  events replay --connection <id>          publish a connection's events again (same eventIds)
  dlq list|redrive                         messages that failed every attempt
  doctor [--stack NAME]                    check the setup (Java, DynamoDB, state dir, Mews, client token, accounts)
  reset [--yes]                            clear a local state directory (asks first) to replay the demo

Options:
  --stack NAME               act on a deployed stack (env PROVISIONER_STACK), found by its outputs;
                             AWS credentials and region as the AWS SDK reads them
  --state-dir DIR            locally: state directory (env PROVISIONER_STATE_DIR, default .provisioner)
  --platform-address URL     locally: Mews platform address (env MEWS_PLATFORM_ADDRESS; default: the simulator)
  --json                     machine-readable output for every read command
  -h, --help                 help, also after any command (provisioner accounts --help)

Environment (local runs): MEWS_PLATFORM_ADDRESS, MEWS_CLIENT_TOKEN, PROVISIONER_STATE_DIR,
PROVISIONER_TABLE_NAME, PROVISIONER_EVENT_SOURCE, PROVISIONER_LOG_LEVEL,
AWS_ENDPOINT_URL_DYNAMODB (use that DynamoDB instead of starting DynamoDB Local).

Exit codes: 0 done; 1 failed (the message says why: unknown id, unreachable store, AWS error);
2 wrong arguments or configuration (nothing was changed).
`;

const HELPS: Record<string, string> = {
  run: RUN_HELP,
  status: STATUS_HELP,
  accounts: ACCOUNTS_HELP,
  connections: CONNECTIONS_HELP,
  events: EVENTS_HELP,
  dlq: DLQ_HELP,
  doctor: DOCTOR_HELP,
  reset: RESET_HELP,
};

export interface MainOptions {
  /** How a `--stack` run reaches AWS (tests pass mocked clients). */
  openAws?: (stackName: string) => Promise<Operations>;
}

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
        stack: { type: 'string' },
        'state-dir': { type: 'string' },
        'platform-address': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        yes: { type: 'boolean', short: 'y' },
      },
    });
    const [command, sub, arg] = positionals;
    if (values.help || !command) {
      io.out((command && HELPS[command]) || HELP);
      return command || values.help ? EXIT.ok : EXIT.usage;
    }
    if (!(command in HELPS)) throw new UsageError(`unknown command '${command}'`);
    if (command === 'run' && !values.once) {
      throw new UsageError(
        'run needs --once (the continuous service is `npm start` locally, the stack on AWS)',
      );
    }

    const stack = values.stack ?? io.env.PROVISIONER_STACK;
    const localConfig = () =>
      loadLocalConfig({
        ...io.env,
        ...(values['state-dir'] ? { PROVISIONER_STATE_DIR: values['state-dir'] } : {}),
        ...(values['platform-address'] ? { MEWS_PLATFORM_ADDRESS: values['platform-address'] } : {}),
      });
    if (command === 'doctor') {
      const { doctorCommand } = await import('./doctor-command.js');
      return await doctorCommand({ json: values.json ?? false, stack }, localConfig, io);
    }
    if (command === 'reset') {
      if (stack) throw new UsageError('reset clears a local state directory; a stack is left alone');
      const { resetCommand } = await import('./reset-command.js');
      return await resetCommand({ yes: values.yes ?? false, json: values.json ?? false }, localConfig(), io);
    }
    const ops = stack
      ? // Loaded on use, so `--help` and argument errors do not pay for the AWS SDK.
        await (options.openAws ?? (await import('./aws-operations.js')).openAwsOperations)(stack)
      : await (await import('./local-operations.js')).openLocalOperations(
          loadLocalConfig({
            ...io.env,
            ...(values['state-dir'] ? { PROVISIONER_STATE_DIR: values['state-dir'] } : {}),
            ...(values['platform-address'] ? { MEWS_PLATFORM_ADDRESS: values['platform-address'] } : {}),
          }),
          { env: io.env, progress: io.progress },
        );
    try {
      const json = values.json ?? false;
      switch (command) {
        case 'run':
          io.out(await ops.runCycle());
          return EXIT.ok;
        case 'status':
          return await statusCommand({ json }, ops, io);
        case 'accounts':
          return await accountsCommand({ sub, email: arg, label: values.label, json }, ops, io);
        case 'connections':
          if (sub === 'resync') return await resyncCommand(arg, ops, io);
          return await connectionsCommand({ sub, id: arg, json }, ops, io);
        case 'events':
          return await eventsCommand({ sub, connection: values.connection, since: values.since }, ops, io);
        default:
          return await dlqCommand({ sub, json }, ops, io);
      }
    } finally {
      await ops.close();
    }
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof UsageError || error instanceof InvalidEmailError || isParseArgsError(error)) {
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
