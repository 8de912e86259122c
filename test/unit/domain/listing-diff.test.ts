import { describe, expect, it } from 'vitest';
import { connectionIdFromToken } from '../../../shared/domain/identity.js';
import { diffListing, listedEntries } from '../../../shared/domain/listing-diff.js';
import type { Membership } from '../../../shared/domain/model.js';
import { getPropertiesResponseSchema } from '../../../shared/mews/properties.schema.js';

const answer = getPropertiesResponseSchema.parse({
  success: true,
  properties: [
    {
      id: 'hostel',
      name: 'Hostel',
      connections: [{ token: 'fake-tok-a', name: 'Dorms' }, { token: 'fake-tok-b' }, { token: 'fake-tok-a' }],
    },
    { id: 'empty', name: 'No connections' },
    { id: 'old', name: 'Deprecated shape', connections: [{ code: 'fake-tok-c' }] },
  ],
});

const membership = (token: string, patch: Partial<Membership> = {}): Membership => ({
  accountId: 'acc_0000000000000000',
  connectionId: connectionIdFromToken(token),
  status: 'synced',
  propertyId: 'hostel',
  propertyName: 'Hostel',
  connectionName: null,
  firstSeenAt: '2026-01-01T00:00:00.000Z',
  missingPolls: 0,
  ...patch,
});

describe('listedEntries', () => {
  it('lists each connection once with its property, accepting the deprecated code field', () => {
    const entries = listedEntries(answer);
    expect(entries.map((e) => [e.propertyId, e.connectionName])).toEqual([
      ['hostel', 'Dorms'],
      ['hostel', null],
      ['old', null],
    ]);
    expect(entries[2]?.connectionId).toBe(connectionIdFromToken('fake-tok-c'));
  });
});

describe('diffListing', () => {
  it('finds added, pending, missing and returned connections', () => {
    const known = [
      membership('fake-tok-a', { status: 'pending' }),
      membership('fake-tok-b', { missingPolls: 1 }),
      membership('fake-tok-gone'),
    ];
    const diff = diffListing(listedEntries(answer), known);
    expect(diff.added.map((e) => e.token)).toEqual(['fake-tok-c']);
    expect(diff.pending.map((m) => m.connectionId)).toEqual([connectionIdFromToken('fake-tok-a')]);
    expect(diff.returned.map((m) => m.connectionId)).toEqual([connectionIdFromToken('fake-tok-b')]);
    expect(diff.missing.map((m) => m.connectionId)).toEqual([connectionIdFromToken('fake-tok-gone')]);
  });

  it('reports nothing for an unchanged listing', () => {
    const known = listedEntries(answer).map((e) => membership(`x`, { connectionId: e.connectionId }));
    expect(diffListing(listedEntries(answer), known)).toEqual({
      added: [],
      pending: [],
      missing: [],
      returned: [],
    });
  });
});
