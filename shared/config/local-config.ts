import { resolve } from 'node:path';
import * as z from 'zod';
import type { MewsEnvironment } from '../domain/events/event-parts.js';
import { defaultStateDir, NO_STATE_DIR } from '../local/state-dir.js';

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
  PROVISIONER_STATE_DIR: z.string().optional(),
  PROVISIONER_TABLE_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{3,255}$/, 'must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)')
    .default('mews-provisioner'),
  PROVISIONER_EVENT_SOURCE: z.string().min(1).default('local.mews-provisioner'),
  PROVISIONER_LOG_LEVEL: z
    .enum(['debug', 'info', 'warn', 'error', 'silent'], {
      message: 'must be debug, info, warn, error or silent',
    })
    .default('warn'),
  PROVISIONER_LOG_FORMAT: z
    .enum(['text', 'json'], { message: 'must be text (lines for people) or json (JSON lines on stderr)' })
    .optional(),
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
  /** PROVISIONER_LOG_FORMAT; unset: each entry point's default (the CLI: json on stderr; npm start: text, JSON to a file). */
  logFormat: 'text' | 'json' | undefined;
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
    throw configError(parsed.error.issues, env);
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
    stateDir: c.PROVISIONER_STATE_DIR ? resolve(c.PROVISIONER_STATE_DIR) : projectStateDir(),
    tableName: c.PROVISIONER_TABLE_NAME,
    eventSource: c.PROVISIONER_EVENT_SOURCE,
    logLevel: c.PROVISIONER_LOG_LEVEL,
    logFormat: c.PROVISIONER_LOG_FORMAT,
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

/** Never echoed in a message. */
const SECRET_VARIABLES = new Set(['MEWS_CLIENT_TOKEN', 'PROVISIONER_INTEGRATION_WEBHOOK_SECRET']);

/** One message naming every bad variable, its value and what it accepts. */
function configError(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  env: Record<string, string | undefined>,
): ConfigError {
  const problems = issues.map((i) => {
    const name = i.path.map(String).join('.');
    const value = SECRET_VARIABLES.has(name) ? undefined : env[name];
    return `${name}${value === undefined ? '' : `=${JSON.stringify(value)}`} ${i.message}`;
  });
  return new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
}

const port = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = Number(v);
      if (!/^\d+$/.test(v.trim()) || n > 65_535) {
        ctx.addIssue({ code: 'custom', message: 'must be a port number, 0-65535 (0 picks a free one)' });
        return z.NEVER;
      }
      return n;
    });

const seconds = (fallback: number, example: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) {
        ctx.addIssue({ code: 'custom', message: `must be a positive number of seconds, like ${example}` });
        return z.NEVER;
      }
      return n;
    });

/** What only `npm start` reads (on top of the local configuration). */
const startConfigSchema = z.object({
  PROVISIONER_POLL_INTERVAL_SECONDS: seconds(5, '5'),
  PROVISIONER_REFRESH_SECONDS: seconds(60, '60'),
  PROVISIONER_WEBHOOK_PORT: port(0),
  MEWS_SIMULATOR_PORT: port(0),
  PROVISIONER_INTEGRATION_WEBHOOK_SECRET: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === '' || /^[A-Za-z0-9._~-]{32,}$/.test(v), {
      message:
        'must be at least 32 URL-safe characters, A-Z a-z 0-9 . _ ~ - (or unset: a new random one per run)',
    }),
});

export interface StartConfig {
  intervalSeconds: number;
  /** Every provisioned connection's configuration is checked once per this many seconds (at least the interval). */
  refreshSeconds: number;
  webhookPort: number;
  simulatorPort: number;
  integrationSecret: string | undefined;
}

/** `npm start`'s own variables; throws ConfigError naming every bad one. */
export function loadStartConfig(env: Record<string, string | undefined>): StartConfig {
  const parsed = startConfigSchema.safeParse(env);
  if (!parsed.success) throw configError(parsed.error.issues, env);
  const c = parsed.data;
  return {
    intervalSeconds: c.PROVISIONER_POLL_INTERVAL_SECONDS,
    refreshSeconds: Math.max(c.PROVISIONER_POLL_INTERVAL_SECONDS, c.PROVISIONER_REFRESH_SECONDS),
    webhookPort: c.PROVISIONER_WEBHOOK_PORT,
    simulatorPort: c.MEWS_SIMULATOR_PORT,
    integrationSecret: c.PROVISIONER_INTEGRATION_WEBHOOK_SECRET || undefined,
  };
}

/** The documented default (`.provisioner` in the project folder), or a ConfigError saying what to set. */
function projectStateDir(): string {
  const dir = defaultStateDir();
  if (!dir) throw new ConfigError(NO_STATE_DIR);
  return dir;
}
