import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ConfigError } from '../config/local-config.js';
import { maskEmail } from '../domain/mask-email.js';
import { loadDefaultSeed } from '../simulator/default-seed.js';

/**
 * One state directory per Mews environment. On first use a state directory records which
 * platform address it belongs to (`<state dir>/environment.json`); a command against another
 * address refuses, so connections, tokens and accounts of one environment are never mixed with
 * another's, and the simulator's seed accounts are never sent to a real Mews.
 *
 * Every simulator on this machine (any loopback address, whatever its port: the simulator picks
 * a new one per run) counts as one environment, `the local simulator`.
 */
export interface StateEnvironment {
  /** The platform address (an origin), or `simulator` for a simulator on this machine. */
  platformAddress: string;
  /** When the state directory was first used with it. */
  since: string;
}

const FILE = 'environment.json';
const SIMULATOR = 'simulator';

/** The environment key of a platform address: its origin, or `simulator` for any loopback address. */
export function environmentKey(platformAddress: string | undefined): string {
  if (!platformAddress) return SIMULATOR;
  let url: URL;
  try {
    url = new URL(platformAddress);
  } catch {
    return platformAddress;
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host === '::1' || /^127\./.test(host)) return SIMULATOR;
  return url.origin;
}

/** For messages: `Mews at https://api.mews-demo.com`, `the local simulator`. */
export function describeEnvironment(key: string): string {
  return key === SIMULATOR ? 'the local simulator' : `Mews at ${key}`;
}

/** A name for another environment's state directory: `.provisioner-demo`, `.provisioner-production`. */
function suggestedStateDir(key: string): string {
  if (key === SIMULATOR) return '.provisioner';
  const host = new URL(key).hostname;
  if (host === 'api.mews.com') return '.provisioner-production';
  if (host.endsWith('mews-demo.com')) return '.provisioner-demo';
  return `.provisioner-${host.replace(/[^A-Za-z0-9.-]/g, '-')}`;
}

export async function readStateEnvironment(stateDir: string): Promise<StateEnvironment | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(stateDir, FILE), 'utf8')) as Partial<StateEnvironment>;
    if (typeof parsed.platformAddress !== 'string') return undefined;
    return { platformAddress: parsed.platformAddress, since: String(parsed.since ?? '') };
  } catch {
    return undefined;
  }
}

/** The state directory belongs to another Mews environment: exit 2, nothing changed. */
class StateEnvironmentMismatch extends ConfigError {
  constructor(stateDir: string, recorded: string, wanted: string, message?: string) {
    const suggested = suggestedStateDir(wanted);
    const alternative =
      basename(stateDir) === suggested
        ? `${suggested}-${wanted === SIMULATOR ? 'simulator' : 'other'}`
        : suggested;
    super(
      message ??
        `the state directory ${stateDir} belongs to ${describeEnvironment(recorded)}, not ${describeEnvironment(wanted)}: ` +
          `its accounts and connections are that environment's. To work with ${describeEnvironment(wanted)}, ` +
          `use a state directory of its own: --state-dir ${alternative} (or PROVISIONER_STATE_DIR=${alternative}); ` +
          `or start this one over with \`provisioner reset\` (it deletes everything in it).`,
    );
    this.name = 'StateEnvironmentMismatch';
  }
}

/** Throws StateEnvironmentMismatch when the state directory records another environment. */
export async function checkStateEnvironment(stateDir: string, platformAddress: string | undefined) {
  const wanted = environmentKey(platformAddress);
  const recorded = await readStateEnvironment(stateDir);
  if (recorded && recorded.platformAddress !== wanted) {
    throw new StateEnvironmentMismatch(stateDir, recorded.platformAddress, wanted);
  }
  return { wanted, recorded };
}

/** Records the environment on first use (no-op when it is recorded already). */
export async function claimStateEnvironment(
  stateDir: string,
  platformAddress: string | undefined,
  now: Date = new Date(),
): Promise<void> {
  const { wanted, recorded } = await checkStateEnvironment(stateDir, platformAddress);
  if (recorded) return;
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const record: StateEnvironment = { platformAddress: wanted, since: now.toISOString() };
  await writeFile(join(stateDir, FILE), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
}

/**
 * Refuses when a real Mews is the target and the state directory holds the simulator's seed
 * accounts (a state directory `npm start` filled before environments were recorded).
 */
export function refuseSeedAccounts(stateDir: string, platformAddress: string | undefined, emails: string[]) {
  const wanted = environmentKey(platformAddress);
  if (wanted === SIMULATOR) return;
  const seed = new Set(
    loadDefaultSeed().enterprises.flatMap((e) =>
      (e.accounts ?? []).map((a) => (typeof a === 'string' ? a : a.email).trim().toLowerCase()),
    ),
  );
  const found = emails.filter((e) => seed.has(e.trim().toLowerCase()));
  if (found.length === 0) return;
  const alternative = suggestedStateDir(wanted);
  throw new StateEnvironmentMismatch(
    stateDir,
    SIMULATOR,
    wanted,
    `the state directory ${stateDir} holds the simulator's seed accounts (${found.map(maskEmail).join(', ')}), ` +
      `which are never sent to a real Mews: use a state directory of its own for ${describeEnvironment(wanted)}: ` +
      `--state-dir ${alternative} (or PROVISIONER_STATE_DIR=${alternative}); or \`provisioner reset\` this one.`,
  );
}
