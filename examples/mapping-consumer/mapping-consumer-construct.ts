import { fileURLToPath } from 'node:url';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * The detail-types the rule matches. Spelled out (not imported from the handler) so the CDK app
 * does not load the handler's runtime dependencies; a test checks they equal the handler's.
 */
export const CONSUMED_DETAIL_TYPES = ['Connection Provisioned', 'Connection Configuration Changed'];

export interface MappingConsumerProps {
  /** The provisioner's bus (e.g. `EventBus.fromEventBusName(this, 'Bus', Fn.importValue('<prefix>-EventBusName'))`). */
  readonly eventBus: events.IEventBus;
  /** The `source` of the provisioner's events (its `EventSource` output). */
  readonly eventSource: string;
  /** The managed policy the provisioner exports to read connection tokens (its `ConsumerPolicyArn` output). */
  readonly consumerPolicy: iam.IManagedPolicy;
  /** `https://api.mews-demo.com` or `https://api.mews.com`: the Mews environment of the events. */
  readonly mewsPlatformAddress: string;
  /**
   * The secret holding the channel manager's Mews client token. Import it with its key if it is
   * encrypted with a customer managed key (the provisioner's own is), so the grant covers kms:Decrypt.
   */
  readonly clientTokenSecret: secretsmanager.ISecret;
  /** Default: one month. */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * An example downstream service of the Mews connection provisioner: a Lambda function (Node.js 24,
 * arm64, JSON logs into its own log group) invoked by an EventBridge rule on the provisioner's bus
 * for `Connection Provisioned` and `Connection Configuration Changed`. It reads connection tokens
 * through the exported consumer policy and the client token through a grant on its secret.
 *
 * Failures end in one dead-letter queue: events EventBridge could not deliver (after its retry
 * policy), and events the function failed on (after Lambda's two asynchronous retries, as an
 * on-failure destination record with the event and the error).
 */
export class MappingConsumer extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly rule: events.Rule;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: MappingConsumerProps) {
    super(scope, id);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the dead-letter queue of the rule target and the function; it needs none of its own.',
    });

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });

    // An explicit role: write to its own log group (no AWS managed policy), read connection tokens
    // through the provisioner's consumer policy, read the client token secret.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Mews mapping consumer: execution role',
    });
    this.logGroup.grantWrite(this.role);
    this.role.addManagedPolicy(props.consumerPolicy);
    props.clientTokenSecret.grantRead(this.role);
    const clientTokenKey = props.clientTokenSecret.encryptionKey;
    if (clientTokenKey) {
      // grantRead cannot grant on an imported key (its key policy is not ours): say it on the role,
      // for this secret only and only through Secrets Manager. The provisioner's keys trust IAM.
      const stack = Stack.of(this);
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [clientTokenKey.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.${stack.urlSuffix}` },
            StringLike: {
              'kms:EncryptionContext:SecretARN':
                props.clientTokenSecret.secretFullArn ?? `${props.clientTokenSecret.secretArn}-??????`,
            },
          },
        }),
      );
    }

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: fileURLToPath(new URL('./handler.ts', import.meta.url)),
      handler: 'handler',
      description: 'Builds a mapping plan for each provisioned or changed Mews connection',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(60),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      environment: {
        MEWS_PLATFORM_ADDRESS: props.mewsPlatformAddress,
        MEWS_CLIENT_TOKEN_SECRET_ARN: props.clientTokenSecret.secretArn,
        NODE_OPTIONS: '--enable-source-maps',
      },
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new destinations.SqsDestination(this.deadLetterQueue),
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        // ESM bundles may hold CommonJS dependencies that call `require`.
        banner:
          "import { createRequire as __mcCreateRequire } from 'node:module'; const require = __mcCreateRequire(import.meta.url);",
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // The SDK version the code was tested with, not the runtime's copy.
        bundleAwsSDK: true,
        // Local esbuild (a dev dependency), no Docker.
        forceDockerBundling: false,
        logLevel: nodejs.LogLevel.ERROR,
      },
    });

    this.rule = new events.Rule(this, 'Rule', {
      eventBus: props.eventBus,
      description: 'Mews connections provisioned or changed -> mapping consumer',
      eventPattern: { source: [props.eventSource], detailType: [...CONSUMED_DETAIL_TYPES] },
    });
    this.rule.addTarget(
      new targets.LambdaFunction(this.function, {
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 8,
        maxEventAge: Duration.hours(2),
      }),
    );
  }
}
