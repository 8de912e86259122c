import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileTokenVault } from '../../../shared/adapters/local/file-token-vault.js';
import type { ConnectionId } from '../../../shared/domain/model.js';

/** Lets a test look at (or break) the moment between "temp file written" and "linked into place". */
const hooks = vi.hoisted(() => ({
  beforeRename: undefined as undefined | ((from: string, to: string) => Promise<void>),
}));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    link: async (from: string, to: string) => {
      await hooks.beforeRename?.(from, to);
      return actual.link(from, to);
    },
  };
});

const CON = 'con_0123456789abcdef01234567' as ConnectionId;
const TOKEN = 'FAKE0CONNECTION0TOKEN0000000000000-FAKE000000000000000000000000001';
const mode = async (path: string) => (await stat(path)).mode & 0o777;

let root: string;
let dir: string;
let vault: FileTokenVault;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'file-token-vault-'));
  dir = join(root, 'state', 'secrets');
  vault = new FileTokenVault({ dir });
  hooks.beforeRename = undefined;
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('FileTokenVault', () => {
  it('stores the token in an owner-only file in an owner-only folder, and reads it back', async () => {
    await expect(vault.put(CON, TOKEN)).resolves.toEqual({ ref: `local-vault:${CON}`, created: true });

    expect(await mode(dir)).toBe(0o700);
    expect(await mode(join(dir, `${CON}.json`))).toBe(0o600);
    expect(await readdir(dir)).toEqual([`${CON}.json`]);
    expect(JSON.parse(await readFile(join(dir, `${CON}.json`), 'utf8'))).toMatchObject({
      connectionId: CON,
      token: TOKEN,
    });
    await expect(vault.get(CON)).resolves.toBe(TOKEN);
  });

  it('keeps the modes strict whatever the umask, and tightens an existing folder', async () => {
    await mkdir(dir, { recursive: true, mode: 0o755 });
    const previous = process.umask(0o000);
    try {
      await vault.put(CON, TOKEN);
    } finally {
      process.umask(previous);
    }
    expect(await mode(dir)).toBe(0o700);
    expect(await mode(join(dir, `${CON}.json`))).toBe(0o600);
  });

  it('is idempotent: a second put keeps the first file', async () => {
    await vault.put(CON, TOKEN);
    const before = await readFile(join(dir, `${CON}.json`), 'utf8');

    await expect(vault.put(CON, 'a-different-token')).resolves.toEqual({
      ref: `local-vault:${CON}`,
      created: false,
    });
    await expect(new FileTokenVault({ dir }).put(CON, TOKEN)).resolves.toEqual({
      ref: `local-vault:${CON}`,
      created: false,
    });

    expect(await readFile(join(dir, `${CON}.json`), 'utf8')).toBe(before);
    expect(await readdir(dir)).toEqual([`${CON}.json`]);
  });

  it('writes atomically: a complete 0600 temp file in the same folder is linked into place', async () => {
    const seen: { tempMode: number; tempToken: unknown; targetExists: boolean; sameDir: boolean }[] = [];
    hooks.beforeRename = async (from, to) => {
      seen.push({
        tempMode: await mode(from),
        tempToken: (JSON.parse(await readFile(from, 'utf8')) as { token: unknown }).token,
        targetExists: await stat(to).then(
          () => true,
          () => false,
        ),
        sameDir: from.startsWith(`${dir}/`) && to === join(dir, `${CON}.json`),
      });
    };

    await vault.put(CON, TOKEN);

    expect(seen).toEqual([{ tempMode: 0o600, tempToken: TOKEN, targetExists: false, sameDir: true }]);
  });

  it('leaves neither a temp file nor a partial vault file when the write fails, and keeps the token out of the error', async () => {
    hooks.beforeRename = async () => {
      throw Object.assign(new Error(`EXDEV: cross-device link not permitted, link '${TOKEN}'`), {
        code: 'EXDEV',
      });
    };

    const error = await vault.put(CON, TOKEN).catch((e: unknown) => e);

    expect((error as Error).message).toBe(`could not write the local vault file for ${CON}: EXDEV`);
    expect((error as Error).message).not.toContain(TOKEN);
    expect(await readdir(dir)).toEqual([]);
    await expect(vault.get(CON)).resolves.toBeUndefined();
  });

  it('answers undefined for an unknown connection', async () => {
    await expect(vault.get(CON)).resolves.toBeUndefined();
  });

  it('reports a corrupt vault file without quoting it', async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${CON}.json`), `{"token": "${TOKEN}"`, { mode: 0o600 });
    const error = await vault.get(CON).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/is not valid JSON/);
    expect((error as Error).message).not.toContain(TOKEN);
  });

  it('refuses ids that could leave the folder, and empty tokens', async () => {
    await expect(vault.put('con_../../etc/passwd' as ConnectionId, TOKEN)).rejects.toThrow(
      /not a connection id/,
    );
    await expect(vault.get('con_a/b' as ConnectionId)).rejects.toThrow(/not a connection id/);
    await expect(vault.put(CON, '')).rejects.toThrow(/empty token/);
  });
});
