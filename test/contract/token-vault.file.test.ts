import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe } from 'vitest';
import { FileTokenVault } from '../../shared/adapters/local/file-token-vault.js';
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
