import { describe, expect, it } from 'vitest';
import {
  accountIdFromEmail,
  connectionIdFromToken,
  eventIdFor,
  isAccountId,
  isConnectionId,
  normalizeEmail,
} from '../../../shared/domain/identity.js';

describe('connection identity', () => {
  it('derives a stable id from the token that does not contain it', () => {
    const token = 'fake-connection-token-identity-0001';
    const id = connectionIdFromToken(token);
    expect(id).toMatch(/^con_[0-9a-f]{24}$/);
    expect(connectionIdFromToken(token)).toBe(id);
    expect(id).not.toContain('fake');
    expect(connectionIdFromToken(`${token}x`)).not.toBe(id);
    expect(isConnectionId(id)).toBe(true);
  });
});

describe('account identity', () => {
  it('is the same for any case and surrounding spaces of one email', () => {
    const id = accountIdFromEmail('Reception@Hotel.Example');
    expect(accountIdFromEmail('  reception@hotel.example ')).toBe(id);
    expect(isAccountId(id)).toBe(true);
    expect(accountIdFromEmail('other@hotel.example')).not.toBe(id);
  });

  it.each(['', 'no-at-sign', 'a@b', 'two@@hotel.example', 'spa ce@hotel.example'])(
    'rejects %j with a message saying what to give',
    (bad) => {
      expect(() => normalizeEmail(bad)).toThrow(/not a valid email address: give the Mews employee email/);
    },
  );
});

describe('event ids', () => {
  it('are deterministic per fact and differ between facts', () => {
    expect(eventIdFor('Connection Provisioned', 'con_1')).toBe(eventIdFor('Connection Provisioned', 'con_1'));
    expect(eventIdFor('Connection Provisioned', 'con_1')).not.toBe(
      eventIdFor('Connection Provisioned', 'con_2'),
    );
    expect(eventIdFor('Account Access Failed', 'acc_1', 1)).not.toBe(
      eventIdFor('Account Access Failed', 'acc_1', 3),
    );
    expect(eventIdFor('x', 'y')).toMatch(/^evt_[0-9a-f]{32}$/);
  });
});
