import { fileURLToPath } from 'node:url';
import { type Duration, type RemovalPolicy, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../shared/config/metric-names.js';
import type * as z from '../../shared/lib/zod-mini.js';
import { ESBUILD_ARGS, ESBUILD_TARGET, MAIN_FIELDS, REQUIRE_BANNER } from '../bundling-options.js';

/** Repository root (this file is infra/constructs/base-function.ts). */
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The newest Node.js runtime aws-cdk-lib knows (cdk-nag L1 checks the same list). */
const RUNTIME = lambda.Runtime.NODEJS_24_X;

/** A function environment schema from `shared/config/function-env.ts`: every variable given as a string. */
export type EnvSchema = z.ZodMiniObject<Record<string, z.ZodMiniType<unknown, string | undefined>>>;

export interface BaseFunctionProps<S extends EnvSchema> {
  /** Folder under `functions/` holding `handler.ts` (exporting `handler`). */
  readonly functionDir: string;
  readonly description: string;
  /** The schema the handler validates its environment with; the values below are typed from it. */
  readonly environmentSchema: S;
  readonly environment: z.input<S>;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly reservedConcurrentExecutions?: number | undefined;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * A Lambda function with the project's defaults in one place: Node.js 24 on arm64, JSON logs into
 * an explicit log group with retention, a minified ESM bundle with source maps built by the local
 * esbuild (no Docker), its own role with nothing but write access to its log group, and an
 * environment typed from, and checked against, the handler's own schema.
 */
export class BaseFunction<S extends EnvSchema> extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: BaseFunctionProps<S>) {
    super(scope, id);
    checkEnvironment(id, props.environmentSchema, props.environment as Record<string, string>);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.functionDir}: execution role`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: `${PROJECT_ROOT}functions/${props.functionDir}/handler.ts`,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      description: props.description,
      runtime: RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      ...(props.reservedConcurrentExecutions === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      environment: {
        ...(props.environment as Record<string, string>),
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      },
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: ESBUILD_TARGET,
        mainFields: MAIN_FIELDS,
        minify: true,
        sourceMap: true,
        sourceMapMode: nodejs.SourceMapMode.DEFAULT,
        sourcesContent: false,
        banner: REQUIRE_BANNER,
        esbuildArgs: ESBUILD_ARGS,
        // Bundle the SDK clients the code was tested with instead of the runtime's copy.
        bundleAwsSDK: true,
        tsconfig: `${PROJECT_ROOT}tsconfig.json`,
        forceDockerBundling: false,
        logLevel: nodejs.LogLevel.ERROR,
      },
    });
  }
}

/**
 * Checks the values known at synth time against the handler's schema (tokens such as queue URLs
 * are only known at deploy time and are skipped), so a bad value fails `cdk synth`, not a cold start.
 */
function checkEnvironment(id: string, schema: EnvSchema, environment: Record<string, string>): void {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(environment)) {
    const variable = schema.shape[name];
    if (!variable) {
      problems.push(`${name}: not in the function's environment schema`);
      continue;
    }
    if (Token.isUnresolved(value)) continue;
    const result = variable.safeParse(value);
    if (!result.success) problems.push(`${name}: ${result.error.issues.map((i) => i.message).join(', ')}`);
  }
  if (problems.length > 0) throw new Error(`Invalid environment for function ${id}: ${problems.join('; ')}`);
}
