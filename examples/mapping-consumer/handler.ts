import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
// The events' schemas and types: the provisioner's subscriber kit. In your repository:
// '@mews-connection-provisioner/events' (`npm install <provisioner>/packages/events`).
import {
  CONNECTION_CONFIGURATION_CHANGED,
  CONNECTION_PROVISIONED,
  connectionConfigurationChangedSchema,
  connectionProvisionedSchema,
  type SecretStore,
  secretStoreOf,
} from '../../packages/events/src/index.js';
// From this repository (see README.md, "Copying it out of this repository"): a log replacer and
// the Mews client.
import { redactLogValue } from '../../shared/composition/log-redaction.js';
import { ChannelManagerClient } from '../../shared/mews/channel-manager-client.js';
import type { ConfigurationExtent } from '../../shared/mews/configuration.schema.js';
import { buildMappingPlan, type MappingPlan } from './mapping-plan.js';
import { type TokenStores, tokenStores } from './token-stores.js';

/**
 * Example downstream service: subscribed by an EventBridge rule to `Connection Provisioned` and
 * `Connection Configuration Changed`, it reads the connection's token from Secrets Manager, fetches
 * the live configuration from Mews and turns it into a mapping plan (see mapping-plan.ts).
 *
 * Environment: MEWS_PLATFORM_ADDRESS (https://api.mews-demo.com or https://api.mews.com, matching
 * the events' `environment`) and MEWS_CLIENT_TOKEN_SECRET_ARN (the secret holding the channel
 * manager's Mews client token). For events of a local run (run-local.ts sets these):
 * MEWS_LOCAL_VAULT_DIR (the run's vault directory) and MEWS_CLIENT_TOKEN instead of the ARN.
 *
 * The connection's token is read from the store the event names (`secretStore`: Secrets Manager,
 * Parameter Store or the local vault; told from `secretRef` for events older than that field).
 * No reference is kept between events, so `Connection Token Moved` (a token moved between stores)
 * needs no handling here: the next event names the new place.
 *
 * Failures throw: EventBridge invokes Lambda asynchronously, so Lambda retries twice and then sends
 * the event to the on-failure destination (the construct's dead-letter queue). A malformed event
 * fails the same way, with an InvalidEventError naming the fields (never their values).
 *
 * Tokens: read per container and cached in memory only, keyed by store and reference, for SECRET_TTL_MS. They
 * go to Mews and nowhere else: not in logs, errors or the returned plan.
 */

/** The two detail-types the construct's rule subscribes to. */
export const DETAIL_TYPES = [CONNECTION_PROVISIONED, CONNECTION_CONFIGURATION_CHANGED] as const;
export type ConsumedDetailType = (typeof DETAIL_TYPES)[number];

/** How long a token read from its store is reused by a warm container. */
export const SECRET_TTL_MS = 15 * 60_000;

/** The plan needs every category and rate (a mapping may name unsynchronized ones), nothing else. */
const PLAN_EXTENT: Required<ConfigurationExtent> = {
  includeUnsynchronizedRates: true,
  includeUnsynchronizedCategories: true,
  includeProducts: false,
  includeCompanies: false,
  includeAgeCategories: false,
};

/** A Secrets Manager secret ARN. */
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;
/** What `detail.connection.secretRef` looks like in each store it can name. */
const REF_FORMATS: Record<SecretStore, { pattern: RegExp; expected: string }> = {
  'secrets-manager': {
    pattern: /^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+|[A-Za-z0-9/_+=.@-]{1,512})$/,
    expected: 'a Secrets Manager secret name or ARN',
  },
  'parameter-store': {
    pattern: /^(arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/.+|\/[A-Za-z0-9/_.-]{1,1010})$/,
    expected: 'a Parameter Store parameter name (starting with /) or ARN',
  },
  'local-vault': { pattern: /^local-vault:con_[0-9a-f]{24}$/, expected: 'local-vault:<connection id>' },
};

const envSchema = z
  .object({
    MEWS_PLATFORM_ADDRESS: z.url({ protocol: /^https?$/ }),
    MEWS_CLIENT_TOKEN_SECRET_ARN: z
      .string()
      .regex(SECRET_ARN, 'must be a Secrets Manager secret ARN')
      .optional(),
    /** Local runs only (run-local.ts): the client token itself. On AWS, keep it in its secret. */
    MEWS_CLIENT_TOKEN: z.string().min(1).optional(),
    /** Local runs only: the vault directory of the run whose events these are (`<state dir>/secrets`). */
    MEWS_LOCAL_VAULT_DIR: z.string().min(1).optional(),
  })
  .refine((e) => e.MEWS_CLIENT_TOKEN_SECRET_ARN || e.MEWS_CLIENT_TOKEN, {
    path: ['MEWS_CLIENT_TOKEN_SECRET_ARN'],
    message: 'missing: the ARN of the secret holding the Mews client token',
  });
type Env = z.infer<typeof envSchema>;

const envelopeSchema = z.object({
  'detail-type': z.enum(DETAIL_TYPES),
  source: z.string(),
  detail: z.unknown(),
});

export type ConsumerResult =
  | {
      status: 'planned';
      eventId: string;
      detailType: ConsumedDetailType;
      environment: string;
      connection: { id: string; name: string | null; propertyId: string; propertyName: string };
      /** The digest the event announced. The plan is built from the live configuration, which may be newer. */
      announcedDigest: string;
      plan: MappingPlan;
    }
  | { status: 'duplicate'; eventId: string };

/** The event is not one this consumer understands. The message lists field paths and problems, not values. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
  constructor(readonly issues: string[]) {
    super(
      `not a ${DETAIL_TYPES.join(' or ')} event (schema version 1): ${issues.slice(0, 10).join('; ')}${
        issues.length > 10 ? `; and ${issues.length - 10} more` : ''
      }`,
    );
  }
}

const logger = new Logger({ serviceName: 'mews-mapping-consumer', jsonReplacerFn: redactLogValue });

// ---- per-container state (Lambda reuses a container across invocations) ----

let env: Env | undefined;
let stores: TokenStores | undefined;
let mews: { clientToken: string; client: ChannelManagerClient } | undefined;
const secrets = new Map<string, { value: Promise<string>; expiresAt: number }>();

/**
 * Idempotency, best effort: the event ids this container handled lately. EventBridge delivers at
 * least once and `detail.eventId` is the same on every delivery of a fact, so a redelivery to this
 * container is dropped here. A redelivery to another container builds the same plan again, which
 * is harmless because building a plan has no side effect. A consumer with side effects (writing the
 * plan, calling Mews setInventory) needs a durable record instead: e.g. a DynamoDB PutItem of the
 * eventId with `attribute_not_exists(pk)` and a TTL, written in the same transaction as its effect.
 */
const RECENT_EVENT_IDS = 1_000;
const recentEventIds = new Set<string>();

export const handler = async (event: unknown, context?: Context): Promise<ConsumerResult> => {
  if (context) logger.addContext(context);
  try {
    const { detailType, detail } = parseEvent(event);
    const where = { eventId: detail.eventId, detailType, connectionId: detail.connection.id };
    if (recentEventIds.has(detail.eventId)) {
      logger.info('duplicate event dropped', where);
      return { status: 'duplicate', eventId: detail.eventId };
    }

    const config = readEnv();
    const clientToken = config.MEWS_CLIENT_TOKEN_SECRET_ARN
      ? await tokenValue(config.MEWS_CLIENT_TOKEN_SECRET_ARN, 'secrets-manager', 'the Mews client token')
      : (config.MEWS_CLIENT_TOKEN as string);
    const { secretRef, store } = detail.connection;
    const connectionToken = await tokenValue(
      secretRef,
      store,
      `the token of connection ${detail.connection.id}`,
    );
    let configuration: Awaited<ReturnType<ChannelManagerClient['getConfiguration']>>;
    try {
      configuration = await mewsClient(config, clientToken).getConfiguration(connectionToken, PLAN_EXTENT);
    } catch (error) {
      // A revoked connection token or a replaced client token (Mews code 8) must be read afresh next time.
      secrets.delete(cacheKey(secretRef, store));
      if (config.MEWS_CLIENT_TOKEN_SECRET_ARN)
        secrets.delete(cacheKey(config.MEWS_CLIENT_TOKEN_SECRET_ARN, 'secrets-manager'));
      throw error;
    }

    const plan = buildMappingPlan(configuration);
    // A real service would store the plan here (e.g. a DynamoDB item per connection, written only
    // if `detail.occurredAt` is newer than the stored one, as events may arrive out of order), show
    // it to someone for review, or apply it to its own mapping and then call Mews setInventory and
    // requestAriUpdate. This example returns it (the test asserts it) and logs a summary.
    logger.info('mapping plan built', {
      ...where,
      propertyId: detail.connection.propertyId,
      environment: detail.environment,
      ...plan.counts,
      unresolvedMappings: plan.unresolved.map((u) => u.key),
    });
    remember(detail.eventId);
    return {
      status: 'planned',
      eventId: detail.eventId,
      detailType,
      environment: detail.environment,
      connection: {
        id: detail.connection.id,
        name: detail.connection.name,
        propertyId: detail.connection.propertyId,
        propertyName: detail.connection.propertyName,
      },
      announcedDigest: detail.configuration.digest,
      plan,
    };
  } catch (error) {
    logger.error('event not processed: Lambda retries it, then sends it to the dead-letter queue', {
      error,
    });
    throw error;
  }
};

function parseEvent(event: unknown) {
  const envelope = envelopeSchema.safeParse(event);
  if (!envelope.success) throw new InvalidEventError(describeIssues(envelope.error));
  const detailType = envelope.data['detail-type'];
  const schema =
    detailType === CONNECTION_PROVISIONED
      ? connectionProvisionedSchema
      : connectionConfigurationChangedSchema;
  const detail = schema.safeParse(envelope.data.detail);
  if (!detail.success) throw new InvalidEventError(describeIssues(detail.error, ['detail']));
  // Events published before `secretStore` existed lack it: their reference says where it is.
  const { secretRef, secretStore } = detail.data.connection;
  const store = secretStore ?? secretStoreOf(secretRef);
  if (!REF_FORMATS[store].pattern.test(secretRef)) {
    throw new InvalidEventError([
      `detail.connection.secretRef: not ${REF_FORMATS[store].expected} (secretStore ${store})`,
    ]);
  }
  return { detailType, detail: { ...detail.data, connection: { ...detail.data.connection, store } } };
}

/** Zod issues as `path: message`; zod's messages name what was expected, not the value received. */
function describeIssues(error: z.core.$ZodError, prefix: string[] = []): string[] {
  return error.issues.map((issue) => {
    const path = [...prefix, ...issue.path.map(String)];
    return `${path.length > 0 ? path.join('.') : '(event)'}: ${issue.message}`;
  });
}

function readEnv(): Env {
  if (env === undefined) {
    const parsed = envSchema.safeParse(process.env);
    if (!parsed.success) {
      throw new Error(`invalid environment: ${describeIssues(parsed.error).join('; ')}`);
    }
    env = parsed.data;
  }
  return env;
}

const cacheKey = (ref: string, store: SecretStore) => `${store} ${ref}`;

/** A token from its store, cached per store and reference for SECRET_TTL_MS. A failed read is not cached. */
function tokenValue(ref: string, store: SecretStore, what: string): Promise<string> {
  const key = cacheKey(ref, store);
  const cached = secrets.get(key);
  if (cached && cached.expiresAt > Date.now()) return cached.value;

  stores ??= tokenStores({ region: process.env.AWS_REGION, localVaultDir: readEnv().MEWS_LOCAL_VAULT_DIR });
  const value = stores.read(ref, store, what);
  secrets.set(key, { value, expiresAt: Date.now() + SECRET_TTL_MS });
  value.catch(() => {
    if (secrets.get(key)?.value === value) secrets.delete(key);
  });
  return value;
}

function mewsClient(config: Env, clientToken: string): ChannelManagerClient {
  if (mews?.clientToken !== clientToken) {
    mews = {
      clientToken,
      client: new ChannelManagerClient({
        platformAddress: config.MEWS_PLATFORM_ADDRESS,
        clientToken,
        logger,
        // Bounded well within the function's 60 s timeout.
        timeoutMs: 10_000,
        retries: 3,
        maxElapsedMs: 40_000,
        userAgent: 'mews-mapping-consumer-example',
      }),
    };
  }
  return mews.client;
}

function remember(eventId: string): void {
  recentEventIds.add(eventId);
  if (recentEventIds.size > RECENT_EVENT_IDS) {
    const oldest = recentEventIds.values().next().value;
    if (oldest !== undefined) recentEventIds.delete(oldest);
  }
}

/** Tests only: forget the environment, cached tokens, clients and recent event ids. */
export function resetConsumerForTests(): void {
  env = undefined;
  stores?.destroy();
  stores = undefined;
  mews = undefined;
  secrets.clear();
  recentEventIds.clear();
}
