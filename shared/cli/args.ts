import { UsageError } from './cli-io.js';

/** Flags every command takes. */
const GLOBAL_FLAGS = ['json', 'stack', 'state-dir', 'platform-address', 'help', 'version'];

interface Spec {
  /** Positional arguments after the command (and subcommand), in order; `?` marks an optional one. */
  args: string[];
  flags: string[];
  /** Said when there are more positionals than `args`. */
  extra?: string;
}

/**
 * What each command accepts; a command not listed here (registered by someone else) is not
 * checked. Anything beyond it is an error (exit 2): nothing is silently ignored.
 */
const SPECS: Record<string, Spec> = {
  run: { args: [], flags: ['once'] },
  status: { args: [], flags: [] },
  help: { args: ['command?'], flags: [] },
  doctor: { args: [], flags: [] },
  reset: { args: [], flags: ['yes'] },
  cleanup: { args: [], flags: ['dry-run', 'yes'] },
  'accounts add': {
    args: ['<email>'],
    flags: ['label'],
    extra: 'accounts add registers one email; for several, use `provisioner accounts import <file.csv>`',
  },
  'accounts list': { args: [], flags: [] },
  'accounts remove': { args: ['<email|id>'], flags: [] },
  'accounts release': { args: ['<email|id>'], flags: [] },
  'accounts import': { args: ['<file.csv>'], flags: [] },
  'connections list': { args: [], flags: [] },
  'connections show': { args: ['<id>'], flags: ['configuration', 'digest'] },
  'connections resync': { args: ['<id>'], flags: [] },
  'events replay': { args: [], flags: ['connection', 'since'] },
  'events tail': { args: [], flags: ['follow', 'type'] },
  'dlq list': { args: [], flags: [] },
  'dlq redrive': { args: [], flags: [] },
  'tokens migrate': { args: [], flags: ['to', 'dry-run'] },
  'tokens migrate-integrations': { args: [], flags: ['dry-run'] },
};

/** The groups whose first positional is a subcommand. */
export const GROUPS = new Set(
  Object.keys(SPECS)
    .filter((k) => k.includes(' '))
    .map((k) => k.split(' ')[0] as string),
);

/** Throws a UsageError for an extra argument or a flag the command does not take. */
export function checkArguments(positionals: string[], flags: string[]): void {
  const [command, ...rest] = positionals;
  if (!command) return;
  const grouped = GROUPS.has(command);
  const name = grouped ? `${command} ${rest[0] ?? ''}` : command;
  const spec = SPECS[name];
  if (!spec) return;
  const args = grouped ? rest.slice(1) : rest;
  if (args.length > spec.args.length) {
    const extra = args.slice(spec.args.length).map((a) => `'${a}'`);
    throw new UsageError(
      spec.extra && spec.args.length > 0
        ? `unexpected ${extra.join(' ')}: ${spec.extra}`
        : `unexpected argument${extra.length > 1 ? 's' : ''} ${extra.join(' ')}: \`provisioner ${name}\` takes ${
            spec.args.length === 0 ? 'none' : spec.args.join(' ')
          }`,
    );
  }
  for (const flag of flags) {
    if (!GLOBAL_FLAGS.includes(flag) && !spec.flags.includes(flag)) {
      throw new UsageError(`\`provisioner ${name}\` does not take --${flag}`);
    }
  }
}

/** parseArgs' own messages, rewritten: e.g. its unknown-option message has an unbalanced quote. */
export function parseArgsMessage(error: Error & { code?: string }): string {
  const option = /'(-[^']*)'/.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
    return `unknown option '${option}' (to pass a value starting with '-', put it after '--')`;
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const name = /--[a-z-]+/.exec(error.message)?.[0];
    if (name && /argument missing/.test(error.message)) return `${name} needs a value`;
    if (name) return `${name} takes no value`;
  }
  return error.message;
}
