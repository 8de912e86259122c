import type { PollAccountMessage, SyncConnectionMessage } from '../../ports/work-queue.js';
import { ManualClock, type ManualClockOptions } from './manual-clock.js';
import { MemoryChannelManager } from './memory-channel-manager.js';
import { MemoryConnector } from './memory-connector.js';
import { MemoryEventPublisher } from './memory-event-publisher.js';
import type { MewsFaultDecider } from './memory-mews-faults.js';
import { MemoryMewsWorld } from './memory-mews-world.js';
import { MemoryStateStore } from './memory-state-store.js';
import type { MemoryStateTable } from './memory-state-table.js';
import { MemoryTokenVault } from './memory-token-vault.js';
import { MemoryWorkQueue } from './memory-work-queue.js';
import type { OnPortCall } from './port-call.js';

export interface MemoryServicesOptions {
  /** One hook for every adapter; it tells them apart by `port` (and the queues by `args`). */
  onCall?: OnPortCall;
  /** The clock's own hook (synchronous only); default none, so reading the time never crashes. */
  clock?: ManualClockOptions;
  world?: MemoryMewsWorld;
  /** Reuse a state table (a "restarted" process over the same state). */
  table?: MemoryStateTable;
  /** Faults for Mews calls no injected rule matched (e.g. from a seeded random source). */
  mewsFaults?: MewsFaultDecider;
  eventSource?: string;
}

/** Every port in memory, wired as a composition root wires the real ones; use cases take them as deps. */
export function createMemoryServices(options: MemoryServicesOptions = {}) {
  const { onCall } = options;
  const clock = new ManualClock(options.clock);
  const world = options.world ?? new MemoryMewsWorld();
  return {
    clock,
    world,
    store: new MemoryStateStore({ onCall, ...(options.table ? { table: options.table } : {}) }),
    vault: new MemoryTokenVault({ onCall, clock }),
    mews: new MemoryChannelManager({
      world,
      onCall,
      ...(options.mewsFaults ? { faults: options.mewsFaults } : {}),
    }),
    connector: new MemoryConnector({
      world,
      onCall,
      ...(options.mewsFaults ? { faults: options.mewsFaults } : {}),
    }),
    publisher: new MemoryEventPublisher({
      onCall,
      ...(options.eventSource ? { source: options.eventSource } : {}),
    }),
    polls: new MemoryWorkQueue<PollAccountMessage>({ name: 'account-polls', onCall }),
    syncs: new MemoryWorkQueue<SyncConnectionMessage>({ name: 'connection-syncs', onCall }),
  };
}

export type MemoryServices = ReturnType<typeof createMemoryServices>;
