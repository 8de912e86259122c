import type { AccountId, ConnectionId } from '../domain/model.js';

export interface PollAccountMessage {
  kind: 'poll-account';
  accountId: AccountId;
  /** continuation: a poll cut short by its deadline asks for the rest (absent: schedule or notification). */
  reason?: 'continuation';
}

export interface SyncConnectionMessage {
  kind: 'sync-connection';
  connectionId: ConnectionId;
  /** The account whose poll asked for it (its membership is marked synced); else who found it. */
  accountId: AccountId;
  /** discovered/retry: from a poll; refresh: the periodic configuration check; notification: Mews said it changed. */
  reason: 'discovered' | 'retry' | 'refresh' | 'notification';
}

export type WorkMessage = PollAccountMessage | SyncConnectionMessage;

/** SQS (or an in-process queue). Messages carry ids only, never a token. */
export interface WorkQueue<M extends WorkMessage> {
  send(messages: M[]): Promise<void>;
}
