import { parseArgs } from 'node:util';
import { ConfigError, loadLocalConfig } from '../config/local-config.js';
import { InvalidEmailError } from '../domain/identity.js';
import { openLocalServices } from '../local/local-services.js';
import { ACCOUNTS_HELP, accountsCommand } from './accounts-command.js';
import { type CliIo, EXIT, processIo, UsageError } from './cli-io.js';
import { CONNECTIONS_HELP, connectionsCommand } from './connections-command.js';
import { RUN_HELP, runOnceCommand } from './run-command.js';

const HELP = `Mews connection provisioner

Usage: provisioner <command> [options]    (from a checkout: npm run -s provisioner -- <command>)

Commands:
  run --once                 one poll-and-provision cycle
  accounts add|list|remove   the Mews employee emails to poll
  connections list|show      the connections found

Options:
  --state-dir DIR            state directory (env PROVISIONER_STATE_DIR, default .provisioner)
  --platform-address URL     Mews platform address (env MEWS_PLATFORM_ADDRESS; default: the simulator)
  --json                     machine-readable output for list and show
  -h, --help                 this help

Environment: MEWS_PLATFORM_ADDRESS, MEWS_CLIENT_TOKEN, PROVISIONER_STATE_DIR,
PROVISIONER_TABLE_NAME, PROVISIONER_EVENT_SOURCE, PROVISIONER_LOG_LEVEL,
AWS_ENDPOINT_URL_DYNAMODB (use that DynamoDB instead of starting DynamoDB Local).

Exit codes: 0 done, 1 failed (the message says why), 2 wrong arguments or configuration.
`;

const HELPS: Record<string, string> = {
  run: RUN_HELP,
  accounts: ACCOUNTS_HELP,
  connections: CONNECTIONS_HELP,
};

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        once: { type: 'boolean' },
        json: { type: 'boolean' },
        label: { type: 'string' },
        'state-dir': { type: 'string' },
        'platform-address': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
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

    const config = loadLocalConfig({
      ...io.env,
      ...(values['state-dir'] ? { PROVISIONER_STATE_DIR: values['state-dir'] } : {}),
      ...(values['platform-address'] ? { MEWS_PLATFORM_ADDRESS: values['platform-address'] } : {}),
    });
    const services = await openLocalServices(config);
    try {
      const json = values.json ?? false;
      if (command === 'run') return await runOnceCommand(services, io);
      if (command === 'accounts') {
        return await accountsCommand({ sub, email: arg, label: values.label, json }, services, io);
      }
      return await connectionsCommand({ sub, id: arg, json }, services, io);
    } finally {
      await services.close();
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
  const message = error instanceof Error ? error.message : String(error);
  io.err(`provisioner: ${message}\n`);
  return EXIT.failed;
}

function isParseArgsError(error: unknown): boolean {
  return error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
}
