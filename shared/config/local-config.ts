import { resolve } from 'node:path';
import * as z from 'zod';
import type { MewsEnvironment } from '../domain/events/event-parts.js';

/**
 * Configuration of a local run (CLI and `npm start`), from the environment; flags override.
 * Without MEWS_PLATFORM_ADDRESS the embedded Mews simulator is used.
 */
const localConfigSchema = z.object({
  MEWS_PLATFORM_ADDRESS: z
    .url({ message: 'must be the Mews platform address, like https://api.mews-demo.com' })
    .optional(),
  MEWS_CLIENT_TOKEN: z
    .string()
    .min(1, 'is empty: set the client token Mews issued for this environment')
    .optional(),
  PROVISIONER_STATE_DIR: z.string().min(1).default('.provisioner'),
  PROVISIONER_TABLE_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{3,255}$/, 'must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)')
    .default('mews-provisioner'),
  PROVISIONER_EVENT_SOURCE: z.string().min(1).default('local.mews-provisioner'),
  PROVISIONER_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('warn'),
  MEWS_RATE_LIMIT_RPS: z.coerce
    .number({ message: 'must be a number of requests per second, like 10' })
    .positive('must be a positive number of requests per second, like 10')
    .optional(),
  MEWS_RATE_LIMIT_BURST: z.coerce
    .number({ message: 'must be a whole number of requests, like 5' })
    .int('must be a whole number of requests, like 5')
    .min(1, 'must be at least 1')
    .optional(),
});

export interface LocalConfig {
  /** Undefined: start the embedded simulator and use its address and client token. */
  mews: { platformAddress: string; clientToken: string; environment: MewsEnvironment } | undefined;
  stateDir: string;
  tableName: string;
  eventSource: string;
  logLevel: z.infer<typeof localConfigSchema>['PROVISIONER_LOG_LEVEL'];
  /** Client-side Mews request budget (MEWS_RATE_LIMIT_RPS, MEWS_RATE_LIMIT_BURST); unset: none. */
  mewsRateLimit?: { requestsPerSecond: number; burst?: number } | undefined;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Parses the environment (with flag overrides applied by the caller); throws ConfigError naming every bad variable. */
export function loadLocalConfig(env: Record<string, string | undefined>): LocalConfig {
  const parsed = localConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const c = parsed.data;
  if (c.MEWS_RATE_LIMIT_BURST !== undefined && c.MEWS_RATE_LIMIT_RPS === undefined) {
    throw new ConfigError('MEWS_RATE_LIMIT_BURST needs MEWS_RATE_LIMIT_RPS (the requests per second)');
  }
  if (c.MEWS_PLATFORM_ADDRESS && !c.MEWS_CLIENT_TOKEN) {
    throw new ConfigError(
      'MEWS_CLIENT_TOKEN is missing: with MEWS_PLATFORM_ADDRESS set, give the client token Mews issued for it (or unset both to use the simulator)',
    );
  }
  return {
    mews:
      c.MEWS_PLATFORM_ADDRESS && c.MEWS_CLIENT_TOKEN
        ? {
            platformAddress: c.MEWS_PLATFORM_ADDRESS.replace(/\/+$/, ''),
            clientToken: c.MEWS_CLIENT_TOKEN,
            environment: environmentOf(c.MEWS_PLATFORM_ADDRESS),
          }
        : undefined,
    stateDir: resolve(c.PROVISIONER_STATE_DIR),
    tableName: c.PROVISIONER_TABLE_NAME,
    eventSource: c.PROVISIONER_EVENT_SOURCE,
    logLevel: c.PROVISIONER_LOG_LEVEL,
    mewsRateLimit:
      c.MEWS_RATE_LIMIT_RPS === undefined
        ? undefined
        : {
            requestsPerSecond: c.MEWS_RATE_LIMIT_RPS,
            ...(c.MEWS_RATE_LIMIT_BURST === undefined ? {} : { burst: c.MEWS_RATE_LIMIT_BURST }),
          },
  };
}

function environmentOf(address: string): MewsEnvironment {
  const host = new URL(address).hostname;
  if (host === 'api.mews.com') return 'production';
  if (host.endsWith('mews-demo.com')) return 'demo';
  return 'simulator';
}
