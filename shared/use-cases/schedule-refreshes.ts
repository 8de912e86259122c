import type { Connection } from '../domain/model.js';
import type { StoreSlice } from './use-case-deps.js';

type Deps = StoreSlice<'syncs' | 'logger', 'listConnections'>;

/**
 * Queues a configuration check for the connections whose turn falls in this window. Each
 * connection has a fixed slot within the refresh interval, derived from its id, so a thousand
 * connections refresh spread evenly over the interval instead of in the same minute; running
 * this every `windowMs` checks each connection once per `intervalMs`.
 */
export async function scheduleRefreshes(
  input: { now: Date; intervalMs: number; windowMs: number },
  deps: Deps,
): Promise<{ due: number; of: number }> {
  const connections = (await deps.store.listConnections()).filter(
    (c) => c.status === 'provisioned' || c.status === 'deactivated',
  );
  const start = input.now.getTime() % input.intervalMs;
  const due = connections.filter((c) =>
    inWindow(refreshSlot(c, input.intervalMs), start, input.windowMs, input.intervalMs),
  );
  if (due.length > 0) {
    await deps.syncs.send(
      due.map((c) => ({
        kind: 'sync-connection',
        connectionId: c.id,
        accountId: c.discoveredBy,
        reason: 'refresh',
      })),
    );
  }
  deps.logger.info('configuration refreshes scheduled', { due: due.length, of: connections.length });
  return { due: due.length, of: connections.length };
}

/** The connection's fixed offset within the interval (its id is a hash, so offsets are uniform). */
function refreshSlot(connection: Pick<Connection, 'id'>, intervalMs: number): number {
  return Number.parseInt(connection.id.slice(4, 16), 16) % intervalMs;
}

function inWindow(slot: number, start: number, width: number, interval: number): boolean {
  if (width >= interval) return true;
  const end = (start + width) % interval;
  return start < end ? slot >= start && slot < end : slot >= start || slot < end;
}
