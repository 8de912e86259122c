import type { ListedConnection, PropertiesResponse } from '../mews/properties.schema.js';
import { connectionIdFromToken } from './identity.js';
import type { ConnectionId, Membership } from './model.js';

/** A connection as one getProperties answer lists it, with its derived id. */
export interface ListedEntry {
  connectionId: ConnectionId;
  token: string;
  propertyId: string;
  propertyName: string;
  connectionName: string | null;
}

export interface ListingDiff {
  /** Listed now, never listed by this account before. */
  added: ListedEntry[];
  /** Known and listed, but their sync has not completed (pending or awaiting-token): ask again. */
  pending: Membership[];
  /** Known, not listed in this (successful) answer. */
  missing: Membership[];
  /** Listed again after one or more polls without them. */
  returned: Membership[];
}

/** Every connection of a successful answer, once per id (a token listed twice counts once). */
export function listedEntries(answer: PropertiesResponse): ListedEntry[] {
  const byId = new Map<ConnectionId, ListedEntry>();
  for (const property of answer.properties) {
    for (const connection of property.connections) {
      const entry = toEntry(property.id, property.name, connection);
      if (!byId.has(entry.connectionId)) byId.set(entry.connectionId, entry);
    }
  }
  return [...byId.values()];
}

function toEntry(propertyId: string, propertyName: string, connection: ListedConnection): ListedEntry {
  return {
    connectionId: connectionIdFromToken(connection.token),
    token: connection.token,
    propertyId,
    propertyName,
    connectionName: connection.name,
  };
}

/** Compares a successful answer with what the account listed before. Pure; O(n). */
export function diffListing(listed: ListedEntry[], known: Membership[]): ListingDiff {
  const knownById = new Map(known.map((m) => [m.connectionId, m]));
  const listedIds = new Set(listed.map((e) => e.connectionId));
  const diff: ListingDiff = { added: [], pending: [], missing: [], returned: [] };
  for (const entry of listed) {
    const membership = knownById.get(entry.connectionId);
    if (!membership) {
      diff.added.push(entry);
      continue;
    }
    if (membership.status !== 'synced') diff.pending.push(membership);
    if (membership.missingPolls > 0) diff.returned.push(membership);
  }
  for (const membership of known) {
    if (!listedIds.has(membership.connectionId)) diff.missing.push(membership);
  }
  return diff;
}
