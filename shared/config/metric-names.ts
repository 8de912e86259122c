/**
 * The custom metrics the functions emit (Powertools Metrics, EMF), in one namespace. Powertools
 * adds the `service` dimension (POWERTOOLS_SERVICE_NAME, one per stage); the handlers add no other
 * dimension, so an alarm matches a metric by namespace, name and service alone.
 */
export const METRICS_NAMESPACE = 'MewsProvisioner';

export const METRIC = {
  /** schedule-polls: 1 per cycle started. */
  pollCycleScheduled: 'PollCycleScheduled',
  /** schedule-polls: poll messages queued by the cycle (the number of registered accounts). */
  accountsScheduled: 'AccountsScheduled',
  /** poll-account: 1 per poll whose getProperties answer was read (the "no successful poll" alarm). */
  pollSucceeded: 'PollSucceeded',
  /** poll-account: 1 per account that just started failing with a permanent Mews error. */
  accountAccessFailed: 'AccountAccessFailed',
  /** poll-account: new connections found (their tokens stored, their sync queued). */
  connectionsDiscovered: 'ConnectionsDiscovered',
  /** poll-account: 1 per message that failed (retried by SQS, then dead-lettered), poison ones included. */
  pollFailed: 'PollFailed',
  /** sync-connection: 1 per connection provisioned. */
  connectionProvisioned: 'ConnectionProvisioned',
  /** sync-connection: 1 per permanent failure (a `Connection Provisioning Failed` event): alarmed. */
  provisioningFailed: 'ProvisioningFailed',
  /** sync-connection: 1 per message that failed (retried by SQS, then dead-lettered), poison ones included. */
  syncFailed: 'SyncFailed',
  /**
   * poll-account, sync-connection: 1 per message handed back unstarted because the invocation had
   * too little time left (Mews was slow for the records before it). Not counted as failed.
   */
  recordsNotStarted: 'RecordsNotStarted',
  /** relay-outbox: events the bus took. */
  eventsPublished: 'EventsPublished',
  /** relay-outbox: events not published this time (they stay in the outbox), malformed items included. */
  eventsFailed: 'EventsFailed',
  /** relay-outbox: events the bus can never take (e.g. over 256 KB), dead-lettered in the outbox: alarmed. */
  eventsDeadLettered: 'EventsDeadLettered',
  /** webhook: change notifications accepted (a poll or sync queued). */
  notificationAccepted: 'ChangeNotificationAccepted',
  /** webhook: integration webhooks acted on (provisioned, changed, token rotated). */
  integrationWebhookApplied: 'IntegrationWebhookApplied',
  /** webhook: requests refused for a wrong client token or URL secret (someone other than Mews?). */
  webhookUnauthenticated: 'WebhookUnauthenticated',
  /** webhook: malformed requests (bad JSON, missing fields, unknown type), 404s and 405s included. */
  webhookRejected: 'WebhookRejected',
  /** webhook: requests that failed on our side (queue, table, vault, Connector API): Mews re-sends; alarm. */
  webhookFailed: 'WebhookFailed',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];
