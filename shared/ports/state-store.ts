import type { AccountStore } from './account-store.js';
import type { ConnectionStore } from './connection-store.js';
import type { OutboxStore } from './outbox-store.js';

export type { AccountView } from './account-store.js';
export type { ConnectionRemoval, ConnectionUpdate, ProvisionInput } from './connection-store.js';

/** The whole state: what composition roots hand out. A use case depends on the parts it uses. */
export type StateStore = AccountStore & ConnectionStore & OutboxStore;
