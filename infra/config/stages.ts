import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as z from 'zod';

/**
 * Stage configuration: one named set of values per deployment, selected with `-c stage=<name>`.
 * Any single value can be overridden with context of the same name (`-c alarmEmail=ops@example.com`);
 * everything is validated here, so a typo fails `cdk synth` with a message naming the key and what
 * it accepts instead of failing half way through a deployment.
 */

export const STAGE_NAMES = ['demo', 'production'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

/** Log retention values CloudWatch Logs accepts (days). */
const LOG_RETENTION_DAYS = Object.values(RetentionDays).filter(
  (value): value is number => typeof value === 'number' && value !== RetentionDays.INFINITE,
);

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

/** A whole number in [min, max]; context from the CLI arrives as a string, so digits are accepted too. */
const wholeNumber = (min: number, max: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value),
    z
      .number({ message: `must be a whole number from ${min} to ${max}` })
      .int(`must be a whole number from ${min} to ${max}`)
      .min(min, `must be a whole number from ${min} to ${max}`)
      .max(max, `must be a whole number from ${min} to ${max}`),
  );

/** `true`/`false`, also as the strings the CLI passes. */
const flag = z.preprocess(
  (value) => (value === 'true' ? true : value === 'false' ? false : value),
  z.boolean({ message: 'must be true or false' }),
);

/** An optional string where an empty value (`-c alarmEmail=`) means "not set". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' || value === null ? undefined : value), schema.optional());

const TOKEN_STORES = ['secrets-manager', 'parameter-store'] as const;
export const PARAMETER_TIERS = ['Intelligent-Tiering', 'Standard', 'Advanced'] as const;

/**
 * The "no successful poll" alarm's window: one period per poll interval, as many periods as cover
 * the silence. CloudWatch rejects an alarm whose period × evaluation periods exceeds one day when
 * the period is under an hour, seven days otherwise (PutMetricAlarm's EvaluationPeriods rule).
 */
export function pollSilenceAlarmWindow(pollRateMinutes: number, pollSilenceAlarmMinutes: number) {
  const evaluationPeriods = Math.max(1, Math.ceil(pollSilenceAlarmMinutes / pollRateMinutes));
  return {
    periodMinutes: pollRateMinutes,
    evaluationPeriods,
    totalMinutes: evaluationPeriods * pollRateMinutes,
    limitMinutes: pollRateMinutes < 60 ? 24 * 60 : 7 * 24 * 60,
  };
}

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { message: `must be one of ${values.join(', ')}` });

const stageConfigSchema = z
  .object({
    stage: oneOf(STAGE_NAMES),
    /** Which Mews environment the stage talks to; written into every event. */
    mewsEnvironment: oneOf(['demo', 'production']),
    mewsPlatformAddress: z
      .url({ protocol: /^https$/, message: 'must be an https URL such as https://api.mews-demo.com' })
      .transform((address) => address.replace(/\/+$/, '')),
    /** How often every account is polled (EventBridge Scheduler rate). */
    pollRateMinutes: wholeNumber(1, 1440),
    /** Every provisioned connection's configuration is checked once per this many minutes, spread evenly. */
    configurationRefreshMinutes: wholeNumber(5, 10_080),
    /** Percent of an account's connections that may vanish in one answer before removals are held. */
    massDisappearancePercent: wholeNumber(1, 100),
    /** The "no successful poll" alarm fires after this many minutes without a PollSucceeded metric. */
    pollSilenceAlarmMinutes: wholeNumber(5, 1440),
    /** Prefix of every named resource, and the stack name. */
    resourcePrefix: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/,
        'must be 3-40 characters of a-z, 0-9 and -, starting with a letter and not ending with -',
      ),
    /** EventBridge `source` of every published event. */
    eventSource: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{2,255}$/, 'must be 3-256 characters of A-Z a-z 0-9 . _ -')
      .refine(
        (source) => !source.startsWith('aws.'),
        'must not start with "aws." (reserved for AWS services)',
      ),
    /** What happens to stateful resources when the stack is deleted. */
    removalPolicy: oneOf(['destroy', 'retain']),
    alarmEmail: optional(z.email({ message: 'must be an email address' })),
    /** Recovery window used when a connection secret is deleted (the CLI reads it from the stack outputs). */
    secretRecoveryWindowDays: wholeNumber(7, 30),
    logRetentionDays: z.preprocess(
      (value) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value),
      z.number().refine((days) => LOG_RETENTION_DAYS.includes(days), {
        message: `must be one of ${LOG_RETENTION_DAYS.join(', ')}`,
      }),
    ),
    /** How long the event bus archive keeps events for replay. */
    eventArchiveRetentionDays: wholeNumber(1, 3650),
    /** Cap on concurrent invocations of each function that calls Mews (poll-account, sync-connection). */
    mewsConcurrency: wholeNumber(2, 100),
    /**
     * Also reserve that concurrency for each Mews caller. A new AWS account with the default
     * concurrency quota of 10 cannot reserve any: set false there (the SQS maximum concurrency
     * still caps the calls).
     */
    reserveMewsConcurrency: flag,
    /** Use an existing secret for the Mews client token instead of creating an empty one. */
    clientTokenSecretArn: optional(z.string().regex(SECRET_ARN, 'must be a Secrets Manager secret ARN')),
    /** The customer managed KMS key of that existing secret, if it is not the AWS managed key. */
    clientTokenSecretKmsKeyArn: optional(z.string().regex(KMS_KEY_ARN, 'must be a KMS key ARN')),
    /**
     * Where connection and integration tokens live: one Secrets Manager secret each ($0.40 a
     * month), or one SecureString parameter each under a path of the stage (free in the
     * standard tier, up to 10,000 per account and region).
     */
    tokenStore: oneOf(TOKEN_STORES),
    /** Tier of new token parameters (parameter-store only); Intelligent-Tiering: standard until the account's 10,000 are used. */
    parameterTier: oneOf(PARAMETER_TIERS),
    /**
     * Turn on Parameter Store's higher throughput in the account and region (parameter-store only):
     * GetParameter up to thousands a second and PutParameter 10 instead of 40 and 3, every API
     * interaction billed ($0.05 per 10,000). Account-wide, and left on when the stack is deleted.
     */
    parameterHighThroughput: flag,
  })
  .superRefine((config, ctx) => {
    if (config.pollSilenceAlarmMinutes < config.pollRateMinutes) {
      ctx.addIssue({
        code: 'custom',
        path: ['pollSilenceAlarmMinutes'],
        message: `must be at least pollRateMinutes (${config.pollRateMinutes})`,
      });
    }
    const silence = pollSilenceAlarmWindow(config.pollRateMinutes, config.pollSilenceAlarmMinutes);
    if (silence.totalMinutes > silence.limitMinutes) {
      const largest = Math.floor(silence.limitMinutes / config.pollRateMinutes) * config.pollRateMinutes;
      ctx.addIssue({
        code: 'custom',
        path: ['pollSilenceAlarmMinutes'],
        message:
          `with pollRateMinutes ${config.pollRateMinutes} the silence alarm needs ${silence.evaluationPeriods} periods of ${config.pollRateMinutes} minutes ` +
          `(${silence.totalMinutes} minutes), over CloudWatch's limit of ${silence.limitMinutes} minutes for period × evaluation periods: ` +
          `set pollSilenceAlarmMinutes to at most ${largest}, or choose a pollRateMinutes that divides ${config.pollSilenceAlarmMinutes}`,
      });
    }
    if (config.configurationRefreshMinutes < config.pollRateMinutes) {
      ctx.addIssue({
        code: 'custom',
        path: ['configurationRefreshMinutes'],
        message: `must be at least pollRateMinutes (${config.pollRateMinutes})`,
      });
    }
    if (config.parameterHighThroughput && config.tokenStore !== 'parameter-store') {
      ctx.addIssue({
        code: 'custom',
        path: ['parameterHighThroughput'],
        message: 'only applies together with tokenStore parameter-store',
      });
    }
    if (config.clientTokenSecretKmsKeyArn && !config.clientTokenSecretArn) {
      ctx.addIssue({
        code: 'custom',
        path: ['clientTokenSecretKmsKeyArn'],
        message: 'only applies together with clientTokenSecretArn',
      });
    }
  });

export type StageConfig = z.output<typeof stageConfigSchema>;

/** The keys that can be overridden with `-c <key>=<value>` (everything but the stage itself). */
const OVERRIDABLE_KEYS = Object.keys(stageConfigSchema.shape).filter(
  (key): key is Exclude<keyof StageConfig, 'stage'> => key !== 'stage',
);

const DEFAULT_EVENT_SOURCE = 'com.example.mews-provisioner';

/** Each stage's defaults (typed as the parsed shape; parsed again with the overrides applied). */
export const STAGES: Record<StageName, StageConfig> = {
  demo: {
    stage: 'demo',
    mewsEnvironment: 'demo',
    mewsPlatformAddress: 'https://api.mews-demo.com',
    pollRateMinutes: 5,
    configurationRefreshMinutes: 60,
    massDisappearancePercent: 50,
    pollSilenceAlarmMinutes: 30,
    resourcePrefix: 'mews-provisioner-demo',
    eventSource: `${DEFAULT_EVENT_SOURCE}.demo`,
    removalPolicy: 'destroy',
    secretRecoveryWindowDays: 7,
    logRetentionDays: RetentionDays.TWO_WEEKS,
    eventArchiveRetentionDays: 30,
    mewsConcurrency: 2,
    reserveMewsConcurrency: false,
    tokenStore: 'secrets-manager',
    parameterTier: 'Intelligent-Tiering',
    parameterHighThroughput: false,
  },
  production: {
    stage: 'production',
    mewsEnvironment: 'production',
    mewsPlatformAddress: 'https://api.mews.com',
    pollRateMinutes: 5,
    configurationRefreshMinutes: 360,
    massDisappearancePercent: 50,
    pollSilenceAlarmMinutes: 20,
    resourcePrefix: 'mews-provisioner-production',
    eventSource: DEFAULT_EVENT_SOURCE,
    removalPolicy: 'retain',
    secretRecoveryWindowDays: 30,
    logRetentionDays: RetentionDays.THREE_MONTHS,
    eventArchiveRetentionDays: 365,
    mewsConcurrency: 5,
    reserveMewsConcurrency: true,
    tokenStore: 'secrets-manager',
    parameterTier: 'Intelligent-Tiering',
    parameterHighThroughput: false,
  },
};

/** A bad stage name or value: the message says which key and what it accepts. */
export class StageConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StageConfigError';
  }
}

const isStageName = (name: unknown): name is StageName =>
  typeof name === 'string' && (STAGE_NAMES as readonly string[]).includes(name);

/**
 * The configuration of `stage` with `overrides` applied, validated.
 * Throws a StageConfigError naming every bad key and what it accepts.
 */
export function resolveStageConfig(stage: unknown, overrides: Record<string, unknown> = {}): StageConfig {
  if (!isStageName(stage)) {
    const got = stage === undefined ? 'no stage was given' : `got ${JSON.stringify(stage)}`;
    throw new StageConfigError(
      `Unknown stage: ${got}. Allowed stages: ${STAGE_NAMES.join(', ')} (select one with -c stage=<name>).`,
    );
  }
  const merged: Record<string, unknown> = { ...STAGES[stage] };
  for (const key of OVERRIDABLE_KEYS) {
    if (overrides[key] !== undefined) merged[key] = overrides[key];
  }
  const result = stageConfigSchema.safeParse(merged);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const key = issue.path.join('.') || '(config)';
    const value = issue.path.length > 0 ? merged[String(issue.path[0])] : undefined;
    return `  - ${key}: ${issue.message}${value === undefined ? '' : ` (got ${JSON.stringify(value)})`}`;
  });
  throw new StageConfigError(`Invalid configuration for stage "${stage}":\n${problems.join('\n')}`);
}

/** Reads `stage` and the overrides from CDK context (cdk.json or `-c key=value`). */
export function stageConfigFromContext(tryGetContext: (key: string) => unknown): StageConfig {
  const overrides: Record<string, unknown> = {};
  for (const key of OVERRIDABLE_KEYS) overrides[key] = tryGetContext(key);
  return resolveStageConfig(tryGetContext('stage'), overrides);
}
