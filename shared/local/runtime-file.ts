import { readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * `npm start` leaves the addresses of the DynamoDB Local and simulator it runs in
 * `<state dir>/runtime.json`, so the CLI works against the same ones while it runs
 * (DynamoDB Local's files allow one process at a time). Addresses only: no token.
 */
export interface RuntimeFile {
  pid: number;
  dynamodbEndpoint: string;
  /** Its DynamoDB Local's java process, when it started one. */
  dynamodbPid?: number | undefined;
  simulatorAddress: string | null;
}

const path = (stateDir: string) => join(stateDir, 'runtime.json');

export async function writeRuntimeFile(stateDir: string, runtime: RuntimeFile): Promise<void> {
  await writeFile(path(stateDir), `${JSON.stringify(runtime, null, 2)}\n`, { mode: 0o600 });
}

export async function removeRuntimeFile(stateDir: string): Promise<void> {
  await rm(path(stateDir), { force: true });
}

/** The running service's addresses, or undefined when none is running. */
export async function readRuntimeFile(stateDir: string): Promise<RuntimeFile | undefined> {
  let runtime: RuntimeFile;
  try {
    runtime = JSON.parse(await readFile(path(stateDir), 'utf8')) as RuntimeFile;
  } catch {
    return undefined;
  }
  try {
    process.kill(runtime.pid, 0);
    return runtime;
  } catch {
    return undefined;
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** `npm start` holds `<state dir>/lock` while it runs: DynamoDB Local's files allow one user. */
export class StateDirInUseError extends Error {
  constructor(
    readonly stateDir: string,
    readonly pid: number,
  ) {
    super(
      `the state directory ${stateDir} is in use by npm start (pid ${pid}). Stop that one first ` +
        `(Ctrl-C in its terminal, or kill ${pid}), use it as it runs (the CLI does), or give this one ` +
        'another state directory: PROVISIONER_STATE_DIR=<dir> npm start',
    );
    this.name = 'StateDirInUseError';
  }
}

const lockPath = (stateDir: string) => join(stateDir, 'lock');

/** The pid holding the state directory's lock, if it is alive. */
export async function stateDirLockHolder(stateDir: string): Promise<number | undefined> {
  try {
    const { pid } = JSON.parse(await readFile(lockPath(stateDir), 'utf8')) as { pid: number };
    return pid !== process.pid && alive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the state directory for this process (a lock file created exclusively; one left by a
 * process that is gone is taken over). Throws StateDirInUseError naming the live holder.
 * Returns the release.
 */
export async function lockStateDir(stateDir: string): Promise<() => Promise<void>> {
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(lockPath(stateDir), `${JSON.stringify({ pid: process.pid })}\n`, {
        flag: 'wx',
        mode: 0o600,
      });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw error;
      const holder = await stateDirLockHolder(stateDir);
      if (holder !== undefined) throw new StateDirInUseError(stateDir, holder);
      await rm(lockPath(stateDir), { force: true }); // stale: its process is gone
    }
  }
  return async () => {
    try {
      const { pid } = JSON.parse(await readFile(lockPath(stateDir), 'utf8')) as { pid: number };
      if (pid === process.pid) await rm(lockPath(stateDir), { force: true });
    } catch {
      // already gone
    }
  };
}

/**
 * The DynamoDB Local a CLI command started and left running for the next ones
 * (`<state dir>/dynamodb-local.json`, written by its guard; see dynamodb-guard.ts). Each command
 * touches the file; the guard stops java once it has not been touched for `idleSeconds`.
 */
export interface KeptDynamoDb {
  /** The guard's pid. */
  pid: number;
  javaPid: number;
  endpoint: string;
  idleSeconds: number;
}

export const keptDynamoDbRecord = (stateDir: string) => join(stateDir, 'dynamodb-local.json');

export async function readKeptDynamoDb(stateDir: string): Promise<KeptDynamoDb | undefined> {
  try {
    const kept = JSON.parse(await readFile(keptDynamoDbRecord(stateDir), 'utf8')) as KeptDynamoDb;
    return kept.endpoint && alive(kept.pid) ? kept : undefined;
  } catch {
    return undefined;
  }
}

/** Restarts the kept DynamoDB Local's idle timer. */
export async function touchKeptDynamoDb(stateDir: string): Promise<void> {
  const now = new Date();
  await utimes(keptDynamoDbRecord(stateDir), now, now).catch(() => undefined);
}

/** Stops the kept DynamoDB Local (if any) and waits until its java is gone (`npm start` takes over). */
export async function stopKeptDynamoDb(stateDir: string, timeoutMs = 15_000): Promise<void> {
  const kept = await readKeptDynamoDb(stateDir);
  if (!kept) return;
  try {
    process.kill(kept.pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + timeoutMs;
  while ((alive(kept.pid) || alive(kept.javaPid)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
