import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import {
  eventBridgeClient,
  resetAwsClients,
  secretsManagerClient,
  sqsClient,
} from '../adapters/aws/aws-clients.js';
import { DynamoAccountStore } from '../adapters/aws/dynamo-account-store.js';
import { getDocumentClient, resetDocumentClients } from '../adapters/aws/dynamo-client.js';
import { DynamoConnectionStore } from '../adapters/aws/dynamo-connection-store.js';
import { DynamoIntegrationStore } from '../adapters/aws/dynamo-integration-store.js';
import { DynamoOutboxStore } from '../adapters/aws/dynamo-outbox-store.js';
import * as reads from '../adapters/aws/dynamo-state-reads.js';
import { DynamoTable } from '../adapters/aws/dynamo-table.js';
import { EventBridgePublisher } from '../adapters/aws/eventbridge-publisher.js';
import { SecretsManagerIntegrationTokenVault } from '../adapters/aws/secrets-manager-integration-token-vault.js';
import {
  readClientToken,
  readSecretValue,
  SecretsManagerTokenVault,
} from '../adapters/aws/secrets-manager-token-vault.js';
import { SqsWorkQueue } from '../adapters/aws/sqs-work-queue.js';
import { resetSsmClient } from '../adapters/aws/ssm-client.js';
import type { WebhookDeps } from '../adapters/http/webhook-router.js';
import { ConnectorClient } from '../adapters/mews-connector/connector-client.js';
import {
  parseEnv,
  pollAccountEnvSchema,
  relayOutboxEnvSchema,
  type SyncConnectionEnv,
  schedulePollsEnvSchema,
  syncConnectionEnvSchema,
  webhookEnvSchema,
} from '../config/function-env.js';
import { METRICS_NAMESPACE } from '../config/metric-names.js';
import type { ConnectionId } from '../domain/model.js';
import { secretMatcher } from '../lib/secret-matcher.js';
import { ChannelManagerClient } from '../mews/channel-manager-client.js';
import { systemClock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { PollAccountMessage, SyncConnectionMessage } from '../ports/work-queue.js';
import type { pollAccount } from '../use-cases/poll-account.js';
import type { relayEvents } from '../use-cases/relay-outbox.js';
import type { schedulePolls } from '../use-cases/schedule-polls.js';
import type { syncConnection } from '../use-cases/sync-connection.js';
import { DEFAULT_POLICY } from '../use-cases/use-case-deps.js';
import { redactLogValue } from './log-redaction.js';
import { parameterStoreVault } from './token-store.js';
import { currentDeadline } from './work-deadline.js';

/**
 * The composition root of the Lambda functions: builds the AWS adapters from the function's
 * validated environment, once per container (Lambda reuses a container across invocations).
 *
 * Each `*Deps()` validates its function's environment on first use and throws one message naming
 * every bad variable; what it built is cached. The Mews client token is read from Secrets Manager
 * once (on the first invocation) and kept in memory only: a failed read is not cached, so the next
 * invocation tries again. Tests call `resetServicesForTests()` after changing the environment.
 */

export type SchedulePollsDeps = Parameters<typeof schedulePolls>[0];
export type PollAccountDeps = Parameters<typeof pollAccount>[1];
export type SyncConnectionDeps = Parameters<typeof syncConnection>[1];
export type RelayOutboxDeps = Parameters<typeof relayEvents>[1];

export interface Observability {
  /** Powertools Logger (JSON to stdout), redacting secret-like attributes and masking emails. */
  logger: PowertoolsLogger;
  /** Powertools Metrics in the MewsProvisioner namespace, `service` dimension from POWERTOOLS_SERVICE_NAME. */
  metrics: Metrics;
}

interface Cache {
  observability?: Observability;
  schedulePolls?: SchedulePollsDeps;
  pollAccount?: Promise<PollAccountDeps>;
  syncConnection?: Promise<SyncConnectionDeps>;
  relayOutbox?: RelayOutboxDeps;
  webhook?: Promise<WebhookDeps>;
}

let cache: Cache = {};

/**
 * Logger and metrics. They need no validated environment (Powertools reads POWERTOOLS_* itself),
 * so a handler can log even the error of an invalid environment.
 */
export function observability(): Observability {
  if (cache.observability === undefined) {
    const logger = new PowertoolsLogger({ jsonReplacerFn: redactLogValue });
    const metrics = new Metrics({ namespace: METRICS_NAMESPACE, logger });
    cache.observability = { logger, metrics };
  }
  return cache.observability;
}

/** The Powertools Logger is the port's Logger (checked here, at compile time). */
function portLogger(): Logger {
  return observability().logger;
}

/**
 * The state table, for the store parts a function's use cases call (dynamo-state-store.ts composes
 * all four for the CLI and tests) and for its plain reads (dynamo-state-reads.ts): each *Deps
 * builds only its own, so its bundle carries only their code.
 */
function stateTable(tableName: string): { table: DynamoTable } {
  // The SDK reads AWS_ENDPOINT_URL_DYNAMODB itself (DynamoDB Local in tests); see dynamo-client.ts.
  return { table: new DynamoTable({ client: getDocumentClient(), tableName }) };
}

/** The named methods of a store part, bound to it: a function's store is made of the methods its use cases call. */
function methodsOf<T extends object, K extends keyof T>(part: T, ...names: K[]): Pick<T, K> {
  return Object.fromEntries(
    names.map((name) => [name, (part[name] as (...args: unknown[]) => unknown).bind(part)]),
  ) as Pick<T, K>;
}

export function schedulePollsDeps(env: NodeJS.ProcessEnv = process.env): SchedulePollsDeps {
  let deps = cache.schedulePolls;
  if (deps === undefined) {
    const e = parseEnv(schedulePollsEnvSchema, env);
    const state = stateTable(e.TABLE_NAME);
    deps = {
      store: {
        listAccounts: () => reads.listAccounts(state.table),
        listConnections: () => reads.listConnections(state.table),
      },
      polls: new SqsWorkQueue<PollAccountMessage>({
        client: sqsClient(),
        queueUrl: e.ACCOUNT_POLLS_QUEUE_URL,
      }),
      syncs: new SqsWorkQueue<SyncConnectionMessage>({
        client: sqsClient(),
        queueUrl: e.CONNECTION_SYNCS_QUEUE_URL,
      }),
      logger: portLogger(),
      refresh: {
        intervalMs: e.CONFIGURATION_REFRESH_MINUTES * 60_000,
        windowMs: e.POLL_RATE_MINUTES * 60_000,
      },
    };
    cache.schedulePolls = deps;
  }
  return deps;
}

export function pollAccountDeps(env: NodeJS.ProcessEnv = process.env): Promise<PollAccountDeps> {
  return cached('pollAccount', async () => {
    const e = parseEnv(pollAccountEnvSchema, env);
    const state = stateTable(e.TABLE_NAME);
    const connections = new DynamoConnectionStore(state);
    return {
      ...(await mewsDeps(e)),
      store: {
        ...methodsOf(
          new DynamoAccountStore(state),
          'getAccountView',
          'clearAccountHold',
          'placeAccountHold',
          'changeAccountAccess',
        ),
        ...methodsOf(
          connections,
          'recordDiscoveries',
          'updateMissingPolls',
          'listMembershipsOf',
          'getConnection',
          'leaveConnection',
          'removeConnection',
        ),
      },
      syncs: new SqsWorkQueue<SyncConnectionMessage>({
        client: sqsClient(),
        queueUrl: e.CONNECTION_SYNCS_QUEUE_URL,
      }),
      // The record's deadline (sqs-record-handler.ts): a poll that cannot store the rest of its
      // tokens by then queues its continuation on its own queue.
      budget: {
        timeLeftMs: () => (currentDeadline() ?? Number.POSITIVE_INFINITY) - Date.now(),
        polls: new SqsWorkQueue<PollAccountMessage>({
          client: sqsClient(),
          queueUrl: e.ACCOUNT_POLLS_QUEUE_URL,
        }),
      },
      policy: {
        secretRecoveryDays: e.SECRET_RECOVERY_WINDOW_DAYS,
        massDisappearanceShare: e.MASS_DISAPPEARANCE_PERCENT / 100,
      },
    };
  });
}

export function syncConnectionDeps(env: NodeJS.ProcessEnv = process.env): Promise<SyncConnectionDeps> {
  return cached('syncConnection', async () => {
    const e = parseEnv(syncConnectionEnvSchema, env);
    const state = stateTable(e.TABLE_NAME);
    return {
      ...(await mewsDeps(e)),
      store: {
        ...methodsOf(
          new DynamoConnectionStore(state),
          'getConnection',
          'updateConnection',
          'markMembershipSynced',
          'markMembershipsAwaitingToken',
          'getSnapshot',
          'recordProvisioned',
          'reportConnection',
        ),
      },
    };
  });
}

export function relayOutboxDeps(env: NodeJS.ProcessEnv = process.env): RelayOutboxDeps {
  let deps = cache.relayOutbox;
  if (deps === undefined) {
    const e = parseEnv(relayOutboxEnvSchema, env);
    deps = {
      store: new DynamoOutboxStore(stateTable(e.TABLE_NAME)),
      publisher: new EventBridgePublisher({
        client: eventBridgeClient(),
        eventBusName: e.EVENT_BUS_NAME,
        source: e.EVENT_SOURCE,
      }),
      clock: systemClock,
      logger: portLogger(),
    };
    cache.relayOutbox = deps;
  }
  return deps;
}

/** The integration webhook URL secret must be long enough not to be guessed, and travel in a URL path as it is. */
const MIN_WEBHOOK_SECRET_LENGTH = 32;

/**
 * The webhook function: change notifications (checked against the Mews client token) queue polls
 * and syncs; integration webhooks (checked against the URL secret) store access tokens under the
 * integration secret prefix (never touching connection secrets) and call the Connector API. Both secrets are read once per container
 * and kept in closures that compare in constant time.
 */
export function webhookDeps(env: NodeJS.ProcessEnv = process.env): Promise<WebhookDeps> {
  return cached('webhook', async () => {
    const e = parseEnv(webhookEnvSchema, env);
    const logger = portLogger();
    const secrets = secretsManagerClient();
    const connectorTokenArn = e.CONNECTOR_CLIENT_TOKEN_SECRET_ARN || e.MEWS_CLIENT_TOKEN_SECRET_ARN;
    const [clientToken, connectorClientToken, webhookSecret] = await Promise.all([
      readClientToken(secrets, e.MEWS_CLIENT_TOKEN_SECRET_ARN),
      connectorTokenArn === e.MEWS_CLIENT_TOKEN_SECRET_ARN
        ? undefined
        : readSecretValue(secrets, connectorTokenArn, 'Connector API client token'),
      readSecretValue(secrets, e.INTEGRATION_WEBHOOK_SECRET_ARN, 'integration webhook'),
    ]);
    if (webhookSecret.length < MIN_WEBHOOK_SECRET_LENGTH || !/^[A-Za-z0-9._~-]+$/.test(webhookSecret)) {
      throw new Error(
        `the integration webhook secret ${e.INTEGRATION_WEBHOOK_SECRET_ARN} must be at least ${MIN_WEBHOOK_SECRET_LENGTH} URL-safe characters (A-Z a-z 0-9 . _ ~ -)`,
      );
    }
    const state = stateTable(e.TABLE_NAME);
    return {
      notifications: {
        store: {
          listAccounts: () => reads.listAccounts(state.table),
          getConnection: (id: ConnectionId) => reads.getConnection(state.table, id),
          listMembershipsOf: (id: ConnectionId) => reads.listMembershipsOf(state.table, id),
        },
        polls: new SqsWorkQueue<PollAccountMessage>({
          client: sqsClient(),
          queueUrl: e.ACCOUNT_POLLS_QUEUE_URL,
        }),
        syncs: new SqsWorkQueue<SyncConnectionMessage>({
          client: sqsClient(),
          queueUrl: e.CONNECTION_SYNCS_QUEUE_URL,
        }),
        logger,
        clientTokenMatches: secretMatcher(clientToken),
      },
      integrations: {
        integrations: new DynamoIntegrationStore(state),
        // tokenStore parameter-store (shared/composition/token-store.ts), else Secrets Manager.
        vault:
          parameterStoreVault(e) ??
          new SecretsManagerIntegrationTokenVault({
            client: secrets,
            prefix: e.INTEGRATION_SECRET_PREFIX,
            kmsKeyId: e.CONNECTION_SECRETS_KMS_KEY_ARN,
          }),
        connector: new ConnectorClient({
          platformAddress: e.MEWS_PLATFORM_ADDRESS,
          clientToken: connectorClientToken ?? clientToken,
          clientName: e.MEWS_CONNECTOR_CLIENT_NAME,
          logger,
          deadline: currentDeadline,
        }),
        clock: systemClock,
        logger,
        environment: e.MEWS_ENVIRONMENT,
        policy: { ...DEFAULT_POLICY, secretRecoveryDays: e.SECRET_RECOVERY_WINDOW_DAYS },
        secretMatches: secretMatcher(webhookSecret),
      },
      logger,
    };
  });
}

/** What poll-account and sync-connection share: Mews (client token read here), the vault. */
async function mewsDeps(e: SyncConnectionEnv): Promise<Omit<SyncConnectionDeps, 'store'>> {
  const logger = portLogger();
  const secrets = secretsManagerClient();
  const clientToken = await readClientToken(secrets, e.MEWS_CLIENT_TOKEN_SECRET_ARN);
  return {
    // Every call ends by the deadline of the record in progress (see sqs-record-handler.ts).
    mews: new ChannelManagerClient({
      platformAddress: e.MEWS_PLATFORM_ADDRESS,
      clientToken,
      logger,
      deadline: currentDeadline,
    }),
    // tokenStore parameter-store (shared/composition/token-store.ts), else Secrets Manager.
    vault:
      parameterStoreVault(e) ??
      new SecretsManagerTokenVault({
        client: secrets,
        prefix: e.CONNECTION_SECRET_PREFIX,
        kmsKeyId: e.CONNECTION_SECRETS_KMS_KEY_ARN,
      }),
    clock: systemClock,
    logger,
    environment: e.MEWS_ENVIRONMENT,
  };
}

/** Builds once per container; a failed build (bad environment, client token unreadable) is forgotten, so the next invocation retries. */
function cached<K extends 'pollAccount' | 'syncConnection' | 'webhook'>(
  key: K,
  build: () => NonNullable<Cache[K]>,
): NonNullable<Cache[K]> {
  const existing = cache[key];
  if (existing !== undefined) return existing as NonNullable<Cache[K]>;
  const promise = build();
  const owner = cache;
  owner[key] = promise;
  promise.catch(() => {
    if (owner[key] === promise) owner[key] = undefined;
  });
  return promise;
}

/**
 * Tests only: forgets everything this module built (and the cached SDK clients), so the next
 * call validates the environment again, reads the client token again and opens new clients.
 */
export function resetServicesForTests(): void {
  cache = {};
  resetAwsClients();
  resetSsmClient();
  resetDocumentClients();
}
