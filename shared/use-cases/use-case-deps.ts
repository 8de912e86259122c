import type { MewsEnvironment } from '../domain/events/event-parts.js';
import type { ChannelManagerApi } from '../ports/channel-manager-api.js';
import type { Clock } from '../ports/clock.js';
import type { EventPublisher } from '../ports/event-publisher.js';
import type { Logger } from '../ports/logger.js';
import type { StateStore } from '../ports/state-store.js';
import type { TokenVault } from '../ports/token-vault.js';
import type { PollAccountMessage, SyncConnectionMessage, WorkQueue } from '../ports/work-queue.js';

/** Operating rules from the stage configuration. */
export interface LifecyclePolicy {
  /** A successful answer lacking more than this share of an account's connections is held back. */
  massDisappearanceShare: number;
  /** Days a removed connection's secret can still be restored. */
  secretRecoveryDays: number;
}

export const DEFAULT_POLICY: LifecyclePolicy = { massDisappearanceShare: 0.5, secretRecoveryDays: 7 };

/** Everything a use case may need; each use case picks its slice with Pick<>. */
export interface UseCaseDeps {
  store: StateStore;
  mews: ChannelManagerApi;
  vault: TokenVault;
  publisher: EventPublisher;
  polls: WorkQueue<PollAccountMessage>;
  syncs: WorkQueue<SyncConnectionMessage>;
  clock: Clock;
  logger: Logger;
  environment: MewsEnvironment;
  /** Defaults to DEFAULT_POLICY. */
  policy?: LifecyclePolicy;
  /** Random ids (registrations); a simulation passes a seeded one. Defaults to randomUUID. */
  newId?: () => string;
}

/**
 * A use case's slice of UseCaseDeps with its store narrowed to the methods it calls, so a
 * function's composition root builds only the store parts those methods live on (a bundle then
 * carries only their code).
 */
export type StoreSlice<K extends Exclude<keyof UseCaseDeps, 'store'>, M extends keyof StateStore> = Pick<
  UseCaseDeps,
  K
> & { store: Pick<StateStore, M> };
