import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * `npm start` leaves the addresses of the DynamoDB Local and simulator it runs in
 * `<state dir>/runtime.json`, so the CLI works against the same ones while it runs
 * (DynamoDB Local's files allow one process at a time). Addresses only: no token.
 */
export interface RuntimeFile {
  pid: number;
  dynamodbEndpoint: string;
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
