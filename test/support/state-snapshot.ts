import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { TestTable } from './dynamo.js';

/**
 * Everything the service keeps, as comparable text: every item of the state table (a full Scan,
 * binary attributes as base64) and every file of the local vault (name, mode, content hash).
 * For "bad input leaves state as it was": snapshot, feed the bad input, snapshot, compare.
 */
export interface StateSnapshot {
  /** `pk | sk` -> the item, JSON with sorted keys. */
  items: Map<string, string>;
  /** File name -> `mode sha256`. */
  vault: Map<string, string>;
}

export interface StateDiff {
  added: string[];
  changed: string[];
  removed: string[];
  vaultAdded: string[];
  vaultChanged: string[];
  vaultRemoved: string[];
}

export async function snapshotState(table: TestTable, vaultDir: string): Promise<StateSnapshot> {
  const items = new Map<string, string>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.client.send(
      new ScanCommand({ TableName: table.tableName, ExclusiveStartKey: startKey, ConsistentRead: true }),
    );
    for (const item of page.Items ?? []) items.set(`${item.pk} | ${item.sk}`, canonical(item));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { items, vault: await snapshotDir(vaultDir) };
}

export function diffState(before: StateSnapshot, after: StateSnapshot): StateDiff {
  const [added, changed, removed] = diffMaps(before.items, after.items);
  const [vaultAdded, vaultChanged, vaultRemoved] = diffMaps(before.vault, after.vault);
  return { added, changed, removed, vaultAdded, vaultChanged, vaultRemoved };
}

export function isUnchanged(diff: StateDiff): boolean {
  return Object.values(diff).every((list) => list.length === 0);
}

/** A short human summary, e.g. `+2 items, ~1 item, +1 vault file`. */
export function describeDiff(diff: StateDiff): string {
  const parts: string[] = [];
  const add = (n: number, sign: string, what: string) => {
    if (n > 0) parts.push(`${sign}${n} ${what}${n === 1 ? '' : 's'}`);
  };
  add(diff.added.length, '+', 'item');
  add(diff.changed.length, '~', 'item');
  add(diff.removed.length, '-', 'item');
  add(diff.vaultAdded.length, '+', 'vault file');
  add(diff.vaultChanged.length, '~', 'vault file');
  add(diff.vaultRemoved.length, '-', 'vault file');
  return parts.length === 0 ? 'unchanged' : parts.join(', ');
}

async function snapshotDir(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return files;
    throw error;
  }
  for (const name of names.sort()) {
    const path = join(dir, name);
    const info = await stat(path);
    const hash = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
    files.set(name, `${(info.mode & 0o777).toString(8)} ${hash}`);
  }
  return files;
}

function diffMaps(before: Map<string, string>, after: Map<string, string>): [string[], string[], string[]] {
  const added: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  for (const [key, value] of after) {
    const old = before.get(key);
    if (old === undefined) added.push(key);
    else if (old !== value) changed.push(key);
  }
  for (const key of before.keys()) if (!after.has(key)) removed.push(key);
  return [added.sort(), changed.sort(), removed.sort()];
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Uint8Array) return `base64:${Buffer.from(v).toString('base64')}`;
    if (v instanceof Set) return [...v].sort();
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
      );
    }
    return v;
  });
}

/** Prints a markdown table (for the suites' summaries). */
export function markdownTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
