import type {
  Account,
  AccountAccess,
  AccountHold,
  AccountId,
  Membership,
  OutboxEvent,
} from '../domain/model.js';

export interface AccountView {
  account: Account;
  memberships: Membership[];
}

/**
 * Registered accounts, their access and holds. Changes that announce something write their
 * events in the same transaction (transactional outbox); every call is idempotent.
 */
export interface AccountStore {
  /** Registers the account unless one with the same id exists. */
  addAccount(account: Account): Promise<'created' | 'exists'>;
  /** Deletes the account and its memberships (the connections stay: other accounts may list them). */
  removeAccount(id: AccountId): Promise<boolean>;
  getAccount(id: AccountId): Promise<Account | undefined>;
  listAccounts(): Promise<Account[]>;
  /** The account and every connection it lists, in one query. */
  getAccountView(id: AccountId): Promise<AccountView | undefined>;

  /**
   * Moves the account's access to `access` if its accessVersion is still `expectedVersion`,
   * writing `events` in the same transaction. False when another writer got there first.
   */
  changeAccountAccess(
    id: AccountId,
    access: AccountAccess,
    expectedVersion: number,
    events: OutboxEvent[],
  ): Promise<boolean>;

  /** Places a hold unless one is in place; events go out with it. False when already held. */
  placeAccountHold(id: AccountId, hold: AccountHold, events: OutboxEvent[]): Promise<boolean>;
  /** Sets (or with null clears) the operator's label. False when the account is not registered. */
  setAccountLabel(id: AccountId, label: string | null): Promise<boolean>;
  /** Marks the hold released by an operator. False when the account has no hold. */
  releaseAccountHold(id: AccountId): Promise<boolean>;
  clearAccountHold(id: AccountId): Promise<void>;
}
