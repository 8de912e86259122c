import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WorkMessage } from '../ports/work-queue.js';

/**
 * The local dead-letter queue: messages that failed every attempt, with the last error, kept in
 * `<state dir>/dead-letters.jsonl` so `provisioner dlq list / redrive` can see them after the run.
 * Messages hold ids only; error messages are the service's own (no tokens).
 */
export interface DeadLetterRecord {
  message: WorkMessage;
  error: string;
  attempts: number;
  at: string;
}

const path = (stateDir: string) => join(stateDir, 'dead-letters.jsonl');

export async function appendDeadLetters(stateDir: string, records: DeadLetterRecord[]): Promise<void> {
  if (records.length === 0) return;
  await appendFile(path(stateDir), records.map((r) => `${JSON.stringify(r)}\n`).join(''), { mode: 0o600 });
}

export async function readDeadLetters(stateDir: string): Promise<DeadLetterRecord[]> {
  try {
    const text = await readFile(path(stateDir), 'utf8');
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as DeadLetterRecord);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return [];
    throw error;
  }
}

export async function replaceDeadLetters(stateDir: string, records: DeadLetterRecord[]): Promise<void> {
  await writeFile(path(stateDir), records.map((r) => `${JSON.stringify(r)}\n`).join(''), { mode: 0o600 });
}
