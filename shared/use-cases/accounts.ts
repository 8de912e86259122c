import { randomUUID } from 'node:crypto';
import { accountIdFromEmail, normalizeEmail } from '../domain/identity.js';
import type { Account, AccountId } from '../domain/model.js';
import type { UseCaseDeps } from './use-case-deps.js';

type Deps = Pick<UseCaseDeps, 'store' | 'clock' | 'newId'>;

/**
 * Registers an employee email for polling. Idempotent and case-insensitive. Throws on a bad email.
 * A label given for an email already registered replaces its label (`labelChanged`); an empty
 * one clears it; no label leaves it as it is.
 */
export async function registerAccount(
  input: { email: string; label?: string | null },
  deps: Deps,
): Promise<{ account: Account; created: boolean; labelChanged?: boolean }> {
  const email = normalizeEmail(input.email);
  const account: Account = {
    id: accountIdFromEmail(email),
    email,
    label: input.label?.trim() || null,
    createdAt: deps.clock.now().toISOString(),
    registration: (deps.newId ?? randomUUID)(),
    access: { status: 'ok' },
    accessVersion: 0,
    hold: null,
  };
  const result = await deps.store.addAccount(account);
  if (result === 'created') return { account, created: true };
  const existing = await deps.store.getAccount(account.id);
  if (existing && input.label !== undefined && existing.label !== account.label) {
    if (await deps.store.setAccountLabel(account.id, account.label)) {
      return { account: { ...existing, label: account.label }, created: false, labelChanged: true };
    }
  }
  return { account: existing ?? account, created: false };
}

/** Stops polling an email (or account id). What it discovered stays provisioned. False when it was not registered. */
export async function unregisterAccount(
  input: { email: string } | { accountId: AccountId },
  deps: Pick<Deps, 'store'>,
): Promise<boolean> {
  return deps.store.removeAccount(
    'accountId' in input ? input.accountId : accountIdFromEmail(normalizeEmail(input.email)),
  );
}
