import { readFileSync } from 'node:fs';
import { App, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import {
  CONSUMED_DETAIL_TYPES,
  MappingConsumer,
} from '../../examples/mapping-consumer/mapping-consumer-construct.js';
import { CONNECTION_CONFIGURATION_CHANGED } from '../../shared/domain/events/connection-configuration-changed.event.js';
import { CONNECTION_PROVISIONED } from '../../shared/domain/events/connection-provisioned.event.js';

const CLIENT_TOKEN_SECRET_ARN =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:mews-provisioner-demo/mews-client-token-AbCdEf';
const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** The feature flags `cdk synth` uses in this repository, and no bundling (the tests need no asset). */
const context = {
  ...(JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: object })
    .context,
  'aws:cdk:bundling-stacks': [],
};

/** A consumer's own stack, wired to the provisioner stack as the README shows: imported outputs. */
function consumerStack() {
  const app = new App({ context });
  const stack = new Stack(app, 'MappingConsumerStack', {
    env: { account: '123456789012', region: 'eu-west-1' },
  });
  const consumer = new MappingConsumer(stack, 'MappingConsumer', {
    eventBus: events.EventBus.fromEventBusName(
      stack,
      'ProvisionerBus',
      Fn.importValue('mews-provisioner-demo-EventBusName'),
    ),
    eventSource: Fn.importValue('mews-provisioner-demo-EventSource'),
    consumerPolicy: iam.ManagedPolicy.fromManagedPolicyArn(
      stack,
      'ConsumerPolicy',
      Fn.importValue('mews-provisioner-demo-ConsumerPolicyArn'),
    ),
    mewsPlatformAddress: 'https://api.mews-demo.com',
    clientTokenSecret: secretsmanager.Secret.fromSecretAttributes(stack, 'ClientToken', {
      secretCompleteArn: CLIENT_TOKEN_SECRET_ARN,
      encryptionKey: kms.Key.fromKeyArn(stack, 'ClientTokenKey', KEY_ARN),
    }),
  });
  return { app, stack, consumer, template: Template.fromStack(stack) };
}

const { app, stack, consumer, template } = consumerStack();
const id = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as Parameters<Stack['getLogicalId']>[0]);

describe('MappingConsumer construct', () => {
  it('matches the detail-types the provisioner publishes', () => {
    expect(CONSUMED_DETAIL_TYPES).toEqual([CONNECTION_PROVISIONED, CONNECTION_CONFIGURATION_CHANGED]);
  });

  it('creates a Node.js 24 arm64 function with JSON logs into its own log group with retention', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 60,
      LoggingConfig: {
        LogFormat: 'JSON',
        ApplicationLogLevel: 'INFO',
        SystemLogLevel: 'WARN',
        LogGroup: { Ref: id(consumer.logGroup) },
      },
      Environment: {
        Variables: {
          MEWS_PLATFORM_ADDRESS: 'https://api.mews-demo.com',
          MEWS_CLIENT_TOKEN_SECRET_ARN: CLIENT_TOKEN_SECRET_ARN,
          NODE_OPTIONS: '--enable-source-maps',
        },
      },
    });
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('subscribes a rule on the provisioner bus to the source and the two detail-types', () => {
    template.resourceCountIs('AWS::Events::Rule', 1);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { 'Fn::ImportValue': 'mews-provisioner-demo-EventBusName' },
      EventPattern: {
        source: [{ 'Fn::ImportValue': 'mews-provisioner-demo-EventSource' }],
        'detail-type': ['Connection Provisioned', 'Connection Configuration Changed'],
      },
      State: 'ENABLED',
    });
  });

  it('targets the function with a retry policy and the dead-letter queue', () => {
    const queueArn = { 'Fn::GetAtt': [id(consumer.deadLetterQueue), 'Arn'] };
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [
        {
          Id: Match.anyValue(),
          Arn: { 'Fn::GetAtt': [id(consumer.function), 'Arn'] },
          DeadLetterConfig: { Arn: queueArn },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 7200 },
        },
      ],
    });
    // EventBridge may invoke the function, from this rule only, and send to the queue, from this rule only.
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [id(consumer.rule), 'Arn'] },
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sqs:SendMessage',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [id(consumer.rule), 'Arn'] } } },
          }),
        ]),
      },
    });
    // Failed invocations (after Lambda's two retries) go to the same queue.
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: queueArn } },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
  });

  it('attaches the exported consumer policy and grants read on the client token secret only', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
      },
      ManagedPolicyArns: [{ 'Fn::ImportValue': 'mews-provisioner-demo-ConsumerPolicyArn' }],
    });
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    const secretStatements = statements.filter((s) =>
      [s.Action].flat().some((a) => a.startsWith('secretsmanager:')),
    );
    expect(secretStatements).toEqual([
      expect.objectContaining({
        Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        Resource: CLIENT_TOKEN_SECRET_ARN,
      }),
    ]);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'kms:Decrypt',
        Resource: KEY_ARN,
        Condition: {
          StringEquals: {
            'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.eu-west-1.', { Ref: 'AWS::URLSuffix' }]] },
          },
          StringLike: { 'kms:EncryptionContext:SecretARN': CLIENT_TOKEN_SECRET_ARN },
        },
      }),
    );
    // The on-failure destination: the function's role may send to the dead-letter queue.
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: expect.arrayContaining(['sqs:SendMessage']),
        Resource: { 'Fn::GetAtt': [id(consumer.deadLetterQueue), 'Arn'] },
      }),
    );
  });

  it('passes cdk-nag AwsSolutions, every suppression next to its resource with a reason', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(app);
    const findings = report.violations.map(
      (v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(findings).toEqual([]);
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });
});
