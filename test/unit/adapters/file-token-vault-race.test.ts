import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileTokenVault } from '../../../shared/adapters/local/file-token-vault.js';
import { connectionIdFromToken } from '../../../shared/domain/identity.js';

/**
 * Two accounts of one enterprise list the same new connection; their polls run at the same time
 * (the local queue runs 4 handlers at once, Lambda as many as its concurrency allows), so both
 * store the same token at once. Secrets Manager's CreateSecret lets exactly one of them create it;
 * the local vault must too, or "one secret per connection, created once" does not hold locally
 * (found by test/faults/crash-points.test.ts, which counts successful creates per connection).
 */
const TOKEN = 'fake-conn-race-token';
const CON = connectionIdFromToken(TOKEN);

let root: string;
let vault: FileTokenVault;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'file-vault-race-'));
  vault = new FileTokenVault({ dir: join(root, 'secrets') });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('FileTokenVault under concurrent puts of one connection', () => {
  it('creates the secret once: exactly one put reports created, the others find it', async () => {
    const results = await Promise.all(Array.from({ length: 4 }, () => vault.put(CON, TOKEN)));

    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.ref))).toEqual(new Set([`local-vault:${CON}`]));
    expect(await vault.get(CON)).toBe(TOKEN);
    expect(await readdir(join(root, 'secrets'))).toEqual([`${CON}.json`]);
  });
});
