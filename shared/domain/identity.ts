import { createHash } from 'node:crypto';
import type { AccountId, ConnectionId, IntegrationId } from './model.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * A connection's only identity in getProperties is its token, a secret. Its id is a
 * truncated SHA-256 of the token: stable across polls and accounts, and it reveals nothing.
 * 96 bits keep collisions out of reach for any number of connections one deployment sees.
 */
export function connectionIdFromToken(token: string): ConnectionId {
  return `con_${sha256(`mews-connection:${token}`).slice(0, 24)}`;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Lower-cases and trims; throws a clear error for anything that is not an email address. */
export function normalizeEmail(input: string): string {
  const email = input.trim().toLowerCase();
  if (!EMAIL.test(email) || email.length > 254) {
    throw new InvalidEmailError();
  }
  return email;
}

export class InvalidEmailError extends Error {
  constructor() {
    super('not a valid email address: give the Mews employee email, like reception@hotel.example');
    this.name = 'InvalidEmailError';
  }
}

/** The account id derives from the normalized email, so registering twice (any case) is one account. */
export function accountIdFromEmail(email: string): AccountId {
  return `acc_${sha256(`mews-account:${normalizeEmail(email)}`).slice(0, 16)}`;
}

const ACCOUNT_ID = /^acc_[0-9a-f]{16}$/;
const CONNECTION_ID = /^con_[0-9a-f]{24}$/;

export const isAccountId = (s: string): s is AccountId => ACCOUNT_ID.test(s);
export const isConnectionId = (s: string): s is ConnectionId => CONNECTION_ID.test(s);

/** Deterministic event id: the same fact always yields the same id, so consumers can drop duplicates. */
export function eventIdFor(detailType: string, ...key: (string | number)[]): string {
  return `evt_${sha256([detailType, ...key].join('\n')).slice(0, 32)}`;
}

/** An integration's id: a hash of Mews' integration id (untrusted webhook input), so it is always `int_` + hex. */
export function integrationIdFromMewsId(mewsIntegrationId: string): IntegrationId {
  return `int_${sha256(`mews-integration:${mewsIntegrationId.trim().toLowerCase()}`).slice(0, 24)}`;
}
