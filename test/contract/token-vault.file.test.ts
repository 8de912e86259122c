import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileTokenVault } from '../../shared/adapters/local/file-token-vault.js';
import type { IntegrationId } from '../../shared/domain/model.js';
import { tokenVaultContract } from './token-vault.contract.js';

const roots: string[] = [];

afterAll(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

describe('TokenVault contract: local file vault', () => {
  tokenVaultContract(async () => {
    const root = await mkdtemp(join(tmpdir(), 'token-vault-contract-'));
    roots.push(root);
    return new FileTokenVault({ dir: join(root, 'secrets') });
  });
});

describe('local file vault: access tokens stored beside the connection tokens by earlier versions', () => {
  const ID = 'int_0123456789abcdef01234567' as IntegrationId;
  const legacyFile = (dir: string, ...sub: string[]) => join(dir, ...sub, `${ID}.json`);
  const write = async (file: string, token: string) => {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(
      file,
      `${JSON.stringify({ integrationId: ID, token, storedAt: '2026-01-01T00:00:00.000Z' })}\n`,
      {
        mode: 0o600,
      },
    );
  };
  const fresh = async () => {
    const root = await mkdtemp(join(tmpdir(), 'token-vault-legacy-'));
    roots.push(root);
    const dir = join(root, 'secrets');
    return { dir, vault: new FileTokenVault({ dir }) };
  };

  it('moves the file into integrations/ on first use, owner-only, token and ref unchanged', async () => {
    const { dir, vault } = await fresh();
    await write(legacyFile(dir), 'FAKE-legacy-access-token');

    expect(await vault.getIntegrationToken(ID)).toBe('FAKE-legacy-access-token');
    await expect(stat(legacyFile(dir))).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await stat(legacyFile(dir, 'integrations'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'integrations'))).mode & 0o777).toBe(0o700);
    expect(await vault.putIntegrationToken(ID, 'FAKE-legacy-access-token')).toEqual({
      ref: `local-vault:${ID}`,
      created: false,
    });
  });

  it('a deleted one moves too, and a put still restores it', async () => {
    const { dir, vault } = await fresh();
    await write(legacyFile(dir, 'deleted'), 'FAKE-deleted-access-token');

    expect(await vault.getIntegrationToken(ID)).toBeUndefined();
    expect(await vault.putIntegrationToken(ID, 'FAKE-new-access-token')).toEqual({
      ref: `local-vault:${ID}`,
      created: false,
    });
    expect(await vault.getIntegrationToken(ID)).toBe('FAKE-new-access-token');
    await expect(stat(legacyFile(dir, 'deleted'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a file already in integrations/ is newer and kept; the old one goes (a crash between link and unlink)', async () => {
    const { dir, vault } = await fresh();
    await write(legacyFile(dir), 'FAKE-older-access-token');
    await write(legacyFile(dir, 'integrations'), 'FAKE-newer-access-token');

    expect(await vault.getIntegrationToken(ID)).toBe('FAKE-newer-access-token');
    await expect(stat(legacyFile(dir))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
