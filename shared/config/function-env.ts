import { DEFAULT_CONNECTOR_CLIENT_NAME } from '../adapters/mews-connector/client-name.js';
import * as z from '../lib/zod-mini.js';

/**
 * Each Lambda's environment, validated once at cold start. The CDK function construct types
 * its `environment` prop from these, so a missing variable fails `tsc`, not a deployment.
 */
const nonEmpty = z.string().check(z.minLength(1));
const url = z.url();

/** A whole number in a string, as Lambda environments hold them. */
const wholeNumber = z.pipe(
  z.string().check(z.regex(/^\d+$/, 'must be a whole number')),
  z.transform((v: string) => Number(v)),
);

const common = {
  TABLE_NAME: nonEmpty,
  /** The Mews environment the stage talks to; it is written into every event. */
  MEWS_ENVIRONMENT: z.enum(['demo', 'production']),
  POWERTOOLS_SERVICE_NAME: nonEmpty,
};

const mews = {
  MEWS_PLATFORM_ADDRESS: url,
  /** ARN of the secret holding the Mews client token: read at cold start, never in the environment. */
  MEWS_CLIENT_TOKEN_SECRET_ARN: nonEmpty,
  /** The customer managed key of the token secrets (connections and integrations alike). */
  CONNECTION_SECRETS_KMS_KEY_ARN: nonEmpty,
  /**
   * Where tokens live: Secrets Manager (the default), or SecureString parameters under the two
   * paths below, encrypted with CONNECTION_SECRETS_KMS_KEY_ARN (set by the stack's tokenStore).
   */
  TOKEN_STORE: z._default(z.enum(['secrets-manager', 'parameter-store']), 'secrets-manager'),
  /** Connection tokens are parameters named `${path}${connectionId}` (parameter-store). */
  CONNECTION_PARAMETER_PATH: z._default(z.string(), ''),
  /** Integration access tokens are parameters named `${path}${integrationId}` (parameter-store). */
  INTEGRATION_PARAMETER_PATH: z._default(z.string(), ''),
  /** Tier of new token parameters (parameter-store). */
  TOKEN_PARAMETER_TIER: z._default(
    z.enum(['Intelligent-Tiering', 'Standard', 'Advanced']),
    'Intelligent-Tiering',
  ),
};

export const schedulePollsEnvSchema = z.object({
  ...common,
  ACCOUNT_POLLS_QUEUE_URL: url,
  /** Configuration refreshes go to the sync queue, spread over this interval... */
  CONNECTION_SYNCS_QUEUE_URL: url,
  CONFIGURATION_REFRESH_MINUTES: wholeNumber,
  /** ...one poll period's share at each cycle. */
  POLL_RATE_MINUTES: wholeNumber,
});

/** Connection tokens live in secrets named `${prefix}${connectionId}` (poll-account, sync-connection). */
const connectionSecrets = { CONNECTION_SECRET_PREFIX: nonEmpty };

export const pollAccountEnvSchema = z.object({
  ...common,
  ...mews,
  ...connectionSecrets,
  CONNECTION_SYNCS_QUEUE_URL: url,
  /** A poll cut short by its deadline queues its continuation here (its own queue). */
  ACCOUNT_POLLS_QUEUE_URL: url,
  /** Recovery window of a removed connection's secret. */
  SECRET_RECOVERY_WINDOW_DAYS: wholeNumber,
  /** Percent of an account's connections that may vanish at once before removals are held. */
  MASS_DISAPPEARANCE_PERCENT: wholeNumber,
});

export const syncConnectionEnvSchema = z.object({
  ...common,
  ...mews,
  ...connectionSecrets,
});

/** The token sweep (tokenStore parameter-store): deletes token parameters past their recovery window. */
export const sweepTokensEnvSchema = z.object({
  POWERTOOLS_SERVICE_NAME: nonEmpty,
  CONNECTION_PARAMETER_PATH: nonEmpty,
  INTEGRATION_PARAMETER_PATH: nonEmpty,
  /** The vault's key (the sweep itself decrypts nothing). */
  CONNECTION_SECRETS_KMS_KEY_ARN: nonEmpty,
});

export const relayOutboxEnvSchema = z.object({
  ...common,
  EVENT_BUS_NAME: nonEmpty,
  EVENT_SOURCE: nonEmpty,
});

/**
 * The webhook function behind a Function URL: Mews' change notifications (authenticated by the
 * Mews client token) and Connector API integration webhooks (authenticated by the secret in the URL).
 */
export const webhookEnvSchema = z.object({
  ...common,
  ...mews,
  /** Change notifications queue polls (a new connection) and syncs (a known one). */
  ACCOUNT_POLLS_QUEUE_URL: url,
  CONNECTION_SYNCS_QUEUE_URL: url,
  /**
   * Integration access tokens live in secrets named `${prefix}${integrationId}`, apart from the
   * connection tokens (the webhook has no access to those).
   */
  INTEGRATION_SECRET_PREFIX: nonEmpty,
  /** ARN of the secret the integration webhook URL carries (`/integrations/<secret>`); 32+ characters. */
  INTEGRATION_WEBHOOK_SECRET_ARN: nonEmpty,
  /** ARN of the Connector API client token's secret; empty: the same secret as MEWS_CLIENT_TOKEN_SECRET_ARN. */
  CONNECTOR_CLIENT_TOKEN_SECRET_ARN: z._default(z.string(), ''),
  /** `Client` on every Connector API call: unique name and version of this integration. */
  MEWS_CONNECTOR_CLIENT_NAME: z._default(nonEmpty, DEFAULT_CONNECTOR_CLIENT_NAME),
  /** Recovery window of a deleted integration's access-token secret. */
  SECRET_RECOVERY_WINDOW_DAYS: wholeNumber,
});

export type SyncConnectionEnv = z.infer<typeof syncConnectionEnvSchema>;

/** Parses `env` with `schema`, or throws one message naming every bad variable and what it must be. */
export function parseEnv<S extends z.core.$ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const result = z.safeParse(schema, env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  throw new Error(`Invalid function environment (fix the stack's configuration): ${problems.join('; ')}`);
}
