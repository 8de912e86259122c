import type { Account, AccountAccess, AccountHold, AccountId, OutboxEvent } from '../../domain/model.js';
import type { AccountStore, AccountView } from '../../ports/account-store.js';
import { type MemoryStateTable, storedAccount } from './memory-state-table.js';
import { beforeCall, type MemoryAdapterOptions, type OnPortCall } from './port-call.js';

const PORT = 'AccountStore';

/** AccountStore over the in-memory state table, with the DynamoDB adapter's conditions and errors. */
export class MemoryAccountStore implements AccountStore {
  readonly #table: MemoryStateTable;
  readonly #onCall: OnPortCall | undefined;

  constructor(options: MemoryAdapterOptions & { table: MemoryStateTable }) {
    this.#table = options.table;
    this.#onCall = options.onCall;
  }

  async addAccount(account: Account): Promise<'created' | 'exists'> {
    await beforeCall(this.#onCall, PORT, 'addAccount', [account]);
    if (this.#table.accounts.has(account.id)) return 'exists';
    this.#table.accounts.set(account.id, storedAccount(account));
    return 'created';
  }

  async removeAccount(id: AccountId): Promise<boolean> {
    await beforeCall(this.#onCall, PORT, 'removeAccount', [id]);
    for (const m of this.#table.membershipsOfAccount(id)) this.#table.deleteMembership(id, m.connectionId);
    return this.#table.accounts.delete(id);
  }

  async getAccount(id: AccountId): Promise<Account | undefined> {
    await beforeCall(this.#onCall, PORT, 'getAccount', [id]);
    const account = this.#table.accounts.get(id);
    return account ? structuredClone(account) : undefined;
  }

  async listAccounts(): Promise<Account[]> {
    await beforeCall(this.#onCall, PORT, 'listAccounts', []);
    return [...this.#table.accounts.values()]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((a) => structuredClone(a));
  }

  async getAccountView(id: AccountId): Promise<AccountView | undefined> {
    await beforeCall(this.#onCall, PORT, 'getAccountView', [id]);
    const account = this.#table.accounts.get(id);
    if (!account) return undefined;
    return {
      account: structuredClone(account),
      memberships: this.#table.membershipsOfAccount(id).map((m) => structuredClone(m)),
    };
  }

  async changeAccountAccess(
    id: AccountId,
    access: AccountAccess,
    expectedVersion: number,
    events: OutboxEvent[],
  ): Promise<boolean> {
    await beforeCall(this.#onCall, PORT, 'changeAccountAccess', [id, access, expectedVersion, events]);
    this.#table.checkEvents(events, 1);
    const account = this.#table.accounts.get(id);
    // The version moved on (another writer, or this very change replayed): nothing written.
    if (!account || account.accessVersion !== expectedVersion) return false;
    this.#table.requireNewEvents(events);
    account.access = structuredClone(access);
    account.accessVersion = expectedVersion + 1;
    for (const event of events) this.#table.putEvent(event);
    return true;
  }

  async placeAccountHold(id: AccountId, hold: AccountHold, events: OutboxEvent[]): Promise<boolean> {
    await beforeCall(this.#onCall, PORT, 'placeAccountHold', [id, hold, events]);
    this.#table.checkEvents(events, 1);
    const account = this.#table.accounts.get(id);
    if (!account || account.hold !== null) return false;
    this.#table.requireNewEvents(events);
    account.hold = structuredClone(hold);
    for (const event of events) this.#table.putEvent(event);
    return true;
  }

  async setAccountLabel(id: AccountId, label: string | null): Promise<boolean> {
    await beforeCall(this.#onCall, PORT, 'setAccountLabel', [id, label]);
    const account = this.#table.accounts.get(id);
    if (!account) return false;
    account.label = label;
    return true;
  }

  async releaseAccountHold(id: AccountId): Promise<boolean> {
    await beforeCall(this.#onCall, PORT, 'releaseAccountHold', [id]);
    const account = this.#table.accounts.get(id);
    if (!account?.hold) return false;
    account.hold.released = true;
    return true;
  }

  async clearAccountHold(id: AccountId): Promise<void> {
    await beforeCall(this.#onCall, PORT, 'clearAccountHold', [id]);
    const account = this.#table.accounts.get(id);
    if (account) account.hold = null;
  }
}
