import type { ConnectionId, IntegrationId } from '../../domain/model.js';
import type { Clock } from '../../ports/clock.js';
import type {
  ExpiredTokenSweep,
  IntegrationTokenVault,
  SweepPage,
  TokenVault,
} from '../../ports/token-vault.js';
import { beforeCall, type MemoryAdapterOptions, type OnPortCall } from './port-call.js';

const MEMORY_VAULT_REF_PREFIX = 'memory-vault:';

type SecretId = ConnectionId | IntegrationId;

interface Secret {
  token: string;
  /** Set while the secret is scheduled for deletion. */
  scheduled: { at: string; recoveryDays: number; deleteAfter: string } | null;
}

/** One secret as `contents()` shows it. The tokens are there: this is for test invariants only. */
interface VaultEntry {
  id: SecretId;
  kind: 'connection' | 'integration';
  token: string;
  ref: string;
}

export interface VaultContents {
  /** Secrets `get` returns. */
  live: VaultEntry[];
  /** Secrets scheduled for deletion (`get` answers undefined; a put or cancelDeletion restores). */
  scheduled: (VaultEntry & { scheduledAt: string; recoveryDays: number; deleteAfter: string })[];
}

export interface MemoryTokenVaultOptions extends MemoryAdapterOptions {
  /** When a deletion is scheduled (and so when it falls due, for purgeDue). Default: the system clock. */
  clock?: Clock;
  /**
   * What refs start with (default `memory-vault:`); the id follows. A test that moves tokens
   * between two layouts gives each twin its store's format, e.g. `/stage/connections/`.
   */
  refPrefix?: { connection: string; integration: string };
}

/**
 * Connection and integration tokens in memory, behaving as Secrets Manager and the file vault do:
 * a put never overwrites a connection's token; a scheduled deletion hides the secret (`get`
 * answers undefined) until a put (which gives it the token passed) or cancelDeletion restores it;
 * scheduling twice, or something absent, is not an error. Integration tokens are replaced when
 * Mews regenerated them. The recovery window only ends when a test calls `purgeDue`.
 */
export class MemoryTokenVault implements TokenVault, IntegrationTokenVault, ExpiredTokenSweep {
  readonly #secrets = new Map<SecretId, Secret>();
  readonly #onCall: OnPortCall | undefined;
  readonly #clock: Clock | undefined;
  readonly #refPrefix: { connection: string; integration: string };

  constructor(options: MemoryTokenVaultOptions = {}) {
    this.#onCall = options.onCall;
    this.#clock = options.clock;
    this.#refPrefix = options.refPrefix ?? {
      connection: MEMORY_VAULT_REF_PREFIX,
      integration: MEMORY_VAULT_REF_PREFIX,
    };
  }

  refFor(connectionId: ConnectionId): string {
    return `${this.#refPrefix.connection}${connectionId}`;
  }

  integrationRefFor(integrationId: IntegrationId): string {
    return `${this.#refPrefix.integration}${integrationId}`;
  }

  async put(connectionId: ConnectionId, token: string): Promise<{ ref: string; created: boolean }> {
    await beforeCall(this.#onCall, 'TokenVault', 'put', [connectionId, token]);
    requireToken(token, `connection ${connectionId}`);
    const ref = this.refFor(connectionId);
    const secret = this.#secrets.get(connectionId);
    if (!secret) {
      this.#secrets.set(connectionId, { token, scheduled: null });
      return { ref, created: true };
    }
    // Within the recovery window the secret comes back, with the token given.
    if (secret.scheduled) {
      secret.scheduled = null;
      secret.token = token;
    }
    return { ref, created: false };
  }

  async get(connectionId: ConnectionId): Promise<string | undefined> {
    await beforeCall(this.#onCall, 'TokenVault', 'get', [connectionId]);
    return this.#live(connectionId);
  }

  async scheduleDeletion(connectionId: ConnectionId, recoveryDays: number): Promise<void> {
    await beforeCall(this.#onCall, 'TokenVault', 'scheduleDeletion', [connectionId, recoveryDays]);
    this.#schedule(connectionId, recoveryDays);
  }

  async cancelDeletion(connectionId: ConnectionId): Promise<void> {
    await beforeCall(this.#onCall, 'TokenVault', 'cancelDeletion', [connectionId]);
    const secret = this.#secrets.get(connectionId);
    if (secret) secret.scheduled = null;
  }

  // ---- integration access tokens ----

  async putIntegrationToken(
    integrationId: IntegrationId,
    token: string,
  ): Promise<{ ref: string; created: boolean }> {
    await beforeCall(this.#onCall, 'IntegrationTokenVault', 'putIntegrationToken', [integrationId, token]);
    requireToken(token, `integration ${integrationId}`);
    const ref = this.integrationRefFor(integrationId);
    const secret = this.#secrets.get(integrationId);
    if (!secret) {
      this.#secrets.set(integrationId, { token, scheduled: null });
      return { ref, created: true };
    }
    secret.scheduled = null;
    secret.token = token;
    return { ref, created: false };
  }

  async getIntegrationToken(integrationId: IntegrationId): Promise<string | undefined> {
    await beforeCall(this.#onCall, 'IntegrationTokenVault', 'getIntegrationToken', [integrationId]);
    return this.#live(integrationId);
  }

  async scheduleIntegrationTokenDeletion(integrationId: IntegrationId, recoveryDays: number): Promise<void> {
    await beforeCall(this.#onCall, 'IntegrationTokenVault', 'scheduleIntegrationTokenDeletion', [
      integrationId,
      recoveryDays,
    ]);
    this.#schedule(integrationId, recoveryDays);
  }

  // ---- inspection (no port call, no hook) ----

  /** What the vault holds and what is scheduled for deletion, by id. */
  contents(): VaultContents {
    const contents: VaultContents = { live: [], scheduled: [] };
    for (const [id, secret] of [...this.#secrets.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const entry: VaultEntry = {
        id,
        kind: id.startsWith('int_') ? 'integration' : 'connection',
        token: secret.token,
        ref: id.startsWith('int_')
          ? this.integrationRefFor(id as IntegrationId)
          : this.refFor(id as ConnectionId),
      };
      if (secret.scheduled) {
        const { at, recoveryDays, deleteAfter } = secret.scheduled;
        contents.scheduled.push({ ...entry, scheduledAt: at, recoveryDays, deleteAfter });
      } else {
        contents.live.push(entry);
      }
    }
    return contents;
  }

  /** The sweep's port call: every deletion due at `now`, in one page. */
  async deleteExpired(now: Date, _cursor?: string): Promise<SweepPage> {
    await beforeCall(this.#onCall, 'ExpiredTokenSweep', 'deleteExpired', [now]);
    const deleted = this.purgeDue(now);
    return { deleted, pending: this.contents().scheduled.length };
  }

  /** Ends the recovery window of every deletion due at `now`: those secrets are gone for good. Returns their ids. */
  purgeDue(now: Date = this.#now()): SecretId[] {
    const purged: SecretId[] = [];
    for (const [id, secret] of this.#secrets) {
      if (secret.scheduled && Date.parse(secret.scheduled.deleteAfter) <= now.getTime()) {
        this.#secrets.delete(id);
        purged.push(id);
      }
    }
    return purged;
  }

  #live(id: SecretId): string | undefined {
    const secret = this.#secrets.get(id);
    return secret && !secret.scheduled ? secret.token : undefined;
  }

  #schedule(id: SecretId, recoveryDays: number): void {
    const secret = this.#secrets.get(id);
    if (!secret || secret.scheduled) return;
    const now = this.#now();
    secret.scheduled = {
      at: now.toISOString(),
      recoveryDays,
      deleteAfter: new Date(now.getTime() + recoveryDays * 86_400_000).toISOString(),
    };
  }

  #now(): Date {
    return this.#clock ? this.#clock.now() : new Date();
  }
}

function requireToken(token: string, what: string): void {
  if (typeof token !== 'string' || token === '')
    throw new Error(`refusing to store an empty token for ${what}`);
}
