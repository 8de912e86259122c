import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ConnectionId, IntegrationId } from '../../domain/model.js';
import type { IntegrationTokenVault, TokenVault } from '../../ports/token-vault.js';

const LOCAL_VAULT_REF_PREFIX = 'local-vault:';

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;
/** Connection ids are `con_` + hex; anything else could escape the directory. */
const SAFE_ID = /^con_[A-Za-z0-9_-]+$/;
const SAFE_INTEGRATION_ID = /^int_[0-9a-f]+$/;
/** Integration access tokens: a folder of their own inside the vault directory. */
const INTEGRATIONS_DIR = 'integrations';

interface VaultFile {
  connectionId: ConnectionId;
  token: string;
  storedAt: string;
}

interface IntegrationVaultFile {
  integrationId: IntegrationId;
  token: string;
  storedAt: string;
}

export interface FileTokenVaultOptions {
  /** The state directory's `secrets/` folder; created (and kept) owner-only. */
  dir: string;
}

/**
 * The local stand-in for Secrets Manager: one owner-only file per connection. This folder is
 * the only place under the state directory where a token is written.
 */
export class FileTokenVault implements TokenVault, IntegrationTokenVault {
  private readonly dir: string;

  constructor(options: FileTokenVaultOptions) {
    this.dir = options.dir;
  }

  refFor(connectionId: ConnectionId): string {
    return `${LOCAL_VAULT_REF_PREFIX}${connectionId}`;
  }

  /** Writes the token unless the connection already has a file (created: false then). */
  async put(connectionId: ConnectionId, token: string): Promise<{ ref: string; created: boolean }> {
    if (typeof token !== 'string' || token === '') {
      throw new Error(`refusing to store an empty token for connection ${connectionId}`);
    }
    const file = this.fileFor(connectionId);
    await this.ensureDir();
    if (await exists(file)) return { ref: this.refFor(connectionId), created: false };
    // Within the recovery window a removed connection's secret comes back, as in Secrets Manager.
    const restoring = await exists(this.deletedFileFor(connectionId));

    const content: VaultFile = { connectionId, token, storedAt: new Date().toISOString() };
    const temp = join(this.dir, `.${connectionId}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      // 'wx': never follow or reuse an existing path; the mode applies from the first byte.
      const handle = await open(temp, 'wx', FILE_MODE);
      try {
        await handle.chmod(FILE_MODE); // in case the umask took bits we rely on
        await handle.writeFile(`${JSON.stringify(content)}\n`, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      // link, not rename: it fails if another put created the file meanwhile (two accounts
      // discovering one connection at once), so exactly one put reports created.
      await link(temp, file);
      await rm(temp, { force: true });
      if (restoring) await rm(this.deletedFileFor(connectionId), { force: true });
    } catch (error) {
      await rm(temp, { force: true });
      if (errorCode(error) === 'EEXIST') return { ref: this.refFor(connectionId), created: false };
      throw new Error(`could not write the local vault file for ${connectionId}: ${errorCode(error)}`);
    }
    return { ref: this.refFor(connectionId), created: !restoring };
  }

  /**
   * Moves the file to `deleted/` (still owner-only): a put restores it. The recovery window is
   * not enforced locally: deleted files stay until the state directory is removed.
   */
  async scheduleDeletion(connectionId: ConnectionId, _recoveryDays: number): Promise<void> {
    const file = this.fileFor(connectionId);
    if (!(await exists(file))) return;
    await mkdir(join(this.dir, 'deleted'), { recursive: true, mode: DIR_MODE });
    await rename(file, this.deletedFileFor(connectionId));
  }

  /** Moves a deleted file back, unless the connection has a file again (then the deleted one goes). */
  async cancelDeletion(connectionId: ConnectionId): Promise<void> {
    const deleted = this.deletedFileFor(connectionId);
    if (!(await exists(deleted))) return;
    try {
      await link(deleted, this.fileFor(connectionId));
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') {
        throw new Error(`could not restore the local vault file for ${connectionId}: ${errorCode(error)}`);
      }
    }
    await rm(deleted, { force: true });
  }

  private deletedFileFor(connectionId: ConnectionId): string {
    return join(this.dir, 'deleted', `${connectionId}.json`);
  }

  async get(connectionId: ConnectionId): Promise<string | undefined> {
    const file = this.fileFor(connectionId);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw new Error(`could not read the local vault file for ${connectionId}: ${errorCode(error)}`);
    }
    let parsed: Partial<VaultFile>;
    try {
      parsed = JSON.parse(text) as Partial<VaultFile>;
    } catch {
      // Never quote the content: it is the token.
      throw new Error(`the local vault file for ${connectionId} is not valid JSON: ${file}`);
    }
    if (typeof parsed.token !== 'string' || parsed.token === '') {
      throw new Error(`the local vault file for ${connectionId} has no token: ${file}`);
    }
    return parsed.token;
  }

  // ---- integration access tokens: `integrations/int_<id>.json`, apart from the connection tokens ----

  /** Writes the access token, replacing a different one (Mews regenerated it); restores a deleted one. */
  async putIntegrationToken(
    integrationId: IntegrationId,
    token: string,
  ): Promise<{ ref: string; created: boolean }> {
    if (typeof token !== 'string' || token === '') {
      throw new Error(`refusing to store an empty access token for integration ${integrationId}`);
    }
    const file = this.integrationFileFor(integrationId);
    const deleted = this.deletedIntegrationFileFor(integrationId);
    await this.ensureDir();
    await mkdir(join(this.dir, INTEGRATIONS_DIR), { recursive: true, mode: DIR_MODE });
    await chmod(join(this.dir, INTEGRATIONS_DIR), DIR_MODE);
    await this.adoptLegacyIntegrationFiles(integrationId);
    const ref = `${LOCAL_VAULT_REF_PREFIX}${integrationId}`;
    const existed = await exists(file);
    if (existed && (await this.getIntegrationToken(integrationId)) === token) return { ref, created: false };
    const restoring = !existed && (await exists(deleted));
    const content: IntegrationVaultFile = { integrationId, token, storedAt: new Date().toISOString() };
    const temp = join(this.dir, `.${integrationId}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const handle = await open(temp, 'wx', FILE_MODE);
      try {
        await handle.chmod(FILE_MODE);
        await handle.writeFile(`${JSON.stringify(content)}\n`, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, file);
      if (restoring) await rm(deleted, { force: true });
    } catch (error) {
      await rm(temp, { force: true });
      throw new Error(`could not write the local vault file for ${integrationId}: ${errorCode(error)}`);
    }
    return { ref, created: !existed && !restoring };
  }

  async getIntegrationToken(integrationId: IntegrationId): Promise<string | undefined> {
    const file = this.integrationFileFor(integrationId);
    await this.adoptLegacyIntegrationFiles(integrationId);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw new Error(`could not read the local vault file for ${integrationId}: ${errorCode(error)}`);
    }
    let parsed: Partial<IntegrationVaultFile>;
    try {
      parsed = JSON.parse(text) as Partial<IntegrationVaultFile>;
    } catch {
      throw new Error(`the local vault file for ${integrationId} is not valid JSON: ${file}`);
    }
    if (typeof parsed.token !== 'string' || parsed.token === '') {
      throw new Error(`the local vault file for ${integrationId} has no token: ${file}`);
    }
    return parsed.token;
  }

  async scheduleIntegrationTokenDeletion(integrationId: IntegrationId, _recoveryDays: number): Promise<void> {
    const file = this.integrationFileFor(integrationId);
    await this.adoptLegacyIntegrationFiles(integrationId);
    if (!(await exists(file))) return;
    await mkdir(join(this.dir, INTEGRATIONS_DIR, 'deleted'), { recursive: true, mode: DIR_MODE });
    await rename(file, this.deletedIntegrationFileFor(integrationId));
  }

  private integrationFileFor(integrationId: IntegrationId): string {
    if (!SAFE_INTEGRATION_ID.test(integrationId)) {
      throw new Error(`not an integration id: ${JSON.stringify(integrationId)}`);
    }
    return join(this.dir, INTEGRATIONS_DIR, `${integrationId}.json`);
  }

  private deletedIntegrationFileFor(integrationId: IntegrationId): string {
    return join(this.dir, INTEGRATIONS_DIR, 'deleted', `${integrationId}.json`);
  }

  /**
   * Earlier versions kept access tokens beside the connection tokens (`int_<id>.json`, and
   * `deleted/int_<id>.json`): moved into `integrations/` on first use. The refs (`local-vault:<id>`)
   * do not name the folder, so nothing else changes. link, then unlink: a crash in between leaves
   * both (the next use removes the old one), and a file already at the new place is kept (newer).
   */
  private async adoptLegacyIntegrationFiles(integrationId: IntegrationId): Promise<void> {
    const moves: [string, string][] = [
      [join(this.dir, `${integrationId}.json`), this.integrationFileFor(integrationId)],
      [join(this.dir, 'deleted', `${integrationId}.json`), this.deletedIntegrationFileFor(integrationId)],
    ];
    for (const [legacy, current] of moves) {
      if (!(await exists(legacy))) continue;
      await mkdir(dirname(current), { recursive: true, mode: DIR_MODE });
      await chmod(join(this.dir, INTEGRATIONS_DIR), DIR_MODE);
      try {
        await link(legacy, current);
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') {
          throw new Error(`could not move the local vault file for ${integrationId}: ${errorCode(error)}`);
        }
      }
      await rm(legacy, { force: true });
    }
  }

  private fileFor(connectionId: ConnectionId): string {
    if (!SAFE_ID.test(connectionId)) throw new Error(`not a connection id: ${JSON.stringify(connectionId)}`);
    return join(this.dir, `${connectionId}.json`);
  }

  /** mkdir's mode is subject to the umask and skips existing folders: chmod makes sure. */
  private async ensureDir(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: DIR_MODE });
    await chmod(this.dir, DIR_MODE);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
}

function errorCode(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown };
  if (typeof e?.code === 'string') return e.code;
  return typeof e?.message === 'string' ? e.message : String(error);
}
