import { z } from 'zod';

/**
 * Each Lambda's environment, validated once at cold start. The CDK function construct types
 * its `environment` prop from these, so a missing variable fails `tsc`, not a deployment.
 */
const nonEmpty = z.string().min(1);
const url = z.url();

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
  /** Connection tokens live in secrets named `${prefix}${connectionId}`. */
  CONNECTION_SECRET_PREFIX: nonEmpty,
  CONNECTION_SECRETS_KMS_KEY_ARN: nonEmpty,
};

export const schedulePollsEnvSchema = z.object({
  ...common,
  ACCOUNT_POLLS_QUEUE_URL: url,
});

export const pollAccountEnvSchema = z.object({
  ...common,
  ...mews,
  CONNECTION_SYNCS_QUEUE_URL: url,
});

export const syncConnectionEnvSchema = z.object({
  ...common,
  ...mews,
});

export const relayOutboxEnvSchema = z.object({
  ...common,
  EVENT_BUS_NAME: nonEmpty,
  EVENT_SOURCE: nonEmpty,
});

export type SchedulePollsEnv = z.infer<typeof schedulePollsEnvSchema>;
export type PollAccountEnv = z.infer<typeof pollAccountEnvSchema>;
export type SyncConnectionEnv = z.infer<typeof syncConnectionEnvSchema>;
export type RelayOutboxEnv = z.infer<typeof relayOutboxEnvSchema>;

/** Parses `env` with `schema`, or throws one message naming every bad variable and what it must be. */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  throw new Error(`Invalid function environment (fix the stack's configuration): ${problems.join('; ')}`);
}
