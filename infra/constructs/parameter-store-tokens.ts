import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, type IConstruct } from 'constructs';
import type { PARAMETER_TIERS } from '../config/stages.js';

export interface ParameterStoreTokensProps {
  readonly resourcePrefix: string;
  /** The stack's customer managed key: every token parameter is a SecureString under it. */
  readonly key: kms.IKey;
  readonly tier: (typeof PARAMETER_TIERS)[number];
  /** Turn on the account and region's higher throughput (and leave it on: others may rely on it). */
  readonly highThroughput: boolean;
}

/**
 * The Parameter Store token layout (`tokenStore: parameter-store`): one SecureString parameter per
 * token, created at run time, connection tokens under `/<prefix>/connections/` and Connector API
 * access tokens under `/<prefix>/integrations/`, all encrypted with the stack's customer managed
 * key. Parameter Store has no recovery window of its own: the vault moves a removed token under
 * `/<prefix>/deleted/` (outside what the consumer policies read) with its due time, and the
 * scheduled sweep deletes it after that. Every grant is scoped to the paths of one kind of token,
 * and the key is usable only through Parameter Store in this region for parameters of those paths
 * (Parameter Store puts the parameter's ARN in the encryption context, in both tiers).
 */
export class ParameterStoreTokens extends Construct {
  /** Connection tokens are parameters named `${connectionPath}${connectionId}`. */
  readonly connectionPath: string;
  /** Integration access tokens are parameters named `${integrationPath}${integrationId}`. */
  readonly integrationPath: string;
  /** Tokens scheduled for deletion: `${deletedPath}connections/<id>`, `${deletedPath}integrations/<id>`. */
  readonly deletedPath: string;
  readonly key: kms.IKey;
  readonly tier: ParameterStoreTokensProps['tier'];
  /** Read access to connection tokens, for downstream services. */
  readonly consumerPolicy: iam.ManagedPolicy;
  /** Read access to integration access tokens (full PMS access: attach it only where needed). */
  readonly integrationConsumerPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: ParameterStoreTokensProps) {
    super(scope, id);
    this.connectionPath = `/${props.resourcePrefix}/connections/`;
    this.integrationPath = `/${props.resourcePrefix}/integrations/`;
    this.deletedPath = `/${props.resourcePrefix}/deleted/`;
    this.key = props.key;
    this.tier = props.tier;

    this.consumerPolicy = new iam.ManagedPolicy(this, 'ConsumerPolicy', {
      managedPolicyName: `${props.resourcePrefix}-connection-parameters-read`,
      description: `Read Mews connection tokens (SecureString parameters ${this.connectionPath}*) of ${props.resourcePrefix}`,
      statements: this.readStatements(this.connectionPath),
    });
    this.integrationConsumerPolicy = new iam.ManagedPolicy(this, 'IntegrationConsumerPolicy', {
      managedPolicyName: `${props.resourcePrefix}-integration-parameters-read`,
      description: `Read Mews Connector API access tokens (SecureString parameters ${this.integrationPath}*) of ${props.resourcePrefix}`,
      statements: this.readStatements(this.integrationPath),
    });
    acknowledgePathWildcard(this.consumerPolicy, [this.connectionPath]);
    acknowledgePathWildcard(this.integrationConsumerPolicy, [this.integrationPath]);
    if (props.highThroughput) this.enableHighThroughput();
  }

  /**
   * UpdateServiceSetting on deployment (no CloudFormation resource exists for it). Nothing on
   * deletion: the setting is the account's and region's, and another stack may depend on it.
   */
  private enableHighThroughput(): void {
    const stack = Stack.of(this);
    const setting = stack.formatArn({
      service: 'ssm',
      resource: 'servicesetting',
      resourceName: 'ssm/parameter-store/high-throughput-enabled',
    });
    const call: cr.AwsSdkCall = {
      service: 'SSM',
      action: 'updateServiceSetting',
      parameters: { SettingId: setting, SettingValue: 'true' },
      physicalResourceId: cr.PhysicalResourceId.of('parameter-store-high-throughput'),
    };
    new cr.AwsCustomResource(this, 'HighThroughput', {
      onCreate: call,
      onUpdate: call,
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['ssm:UpdateServiceSetting'], resources: [setting] }),
      ]),
      installLatestAwsSdk: false,
    });
    // The custom resource's provider function is a singleton at the stack's root.
    const provider = stack.node.findChild(
      `AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replaceAll('-', '')}`,
    );
    Validations.of(provider).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'The provider function of the one custom resource (Parameter Store higher throughput) writes its logs with the AWS managed basic execution policy; it runs on deployment only.',
    });
  }

  /**
   * poll-account: creates connection tokens (tagged), reads them, and moves a removed one under
   * the deleted path and back (copy, then delete the other).
   */
  grantWriteConnectionTokens(role: iam.IRole): void {
    this.grantWrite(role, this.connectionPath, `${this.deletedPath}connections/`);
  }

  /** sync-connection: reads connection tokens. */
  grantReadConnectionTokens(role: iam.IRole): void {
    for (const statement of this.readStatements(this.connectionPath)) role.addToPrincipalPolicy(statement);
    acknowledgePathWildcard(role, [this.connectionPath]);
  }

  /** webhook: as poll-account, for integration access tokens (and nothing of connections). */
  grantWriteIntegrationTokens(role: iam.IRole): void {
    this.grantWrite(role, this.integrationPath, `${this.deletedPath}integrations/`);
  }

  /**
   * The sweep: lists what is under the deleted path (names and descriptions, never values) and
   * deletes what is past its recovery window, after checking whether the token is live again
   * (GetParameter without decryption). No key use at all, so it can never read a token.
   */
  grantSweep(role: iam.IRole): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ssm:DeleteParameters'],
        resources: [this.parameterArnPattern(this.deletedPath)],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ssm:GetParameter'],
        resources: [
          this.parameterArnPattern(this.connectionPath),
          this.parameterArnPattern(this.integrationPath),
        ],
      }),
    );
    // DescribeParameters has no resource-level permissions.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['ssm:DescribeParameters'], resources: ['*'] }),
    );
    acknowledgePathWildcard(role, [this.deletedPath, this.connectionPath, this.integrationPath]);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ssm:DescribeParameters has no resource-level permissions (it lists names and metadata, never values); the deletion is on the deleted-token path only.',
    });
  }

  /** ARN pattern of every parameter under `path` (a path starts with `/`, the ARN has one slash). */
  parameterArnPattern(path: string): string {
    return Stack.of(this).formatArn({
      service: 'ssm',
      resource: 'parameter',
      resourceName: `${path.replace(/^\//, '')}*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  private readStatements(path: string): iam.PolicyStatement[] {
    const pattern = this.parameterArnPattern(path);
    return [
      new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: [pattern] }),
      this.keyStatement(['kms:Decrypt'], [pattern]),
    ];
  }

  private grantWrite(role: iam.IRole, livePath: string, deletedPath: string): void {
    const live = this.parameterArnPattern(livePath);
    const deleted = this.parameterArnPattern(deletedPath);
    // PutParameter with Tags needs AddTagsToResource; the live name is deleted once moved away.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ssm:GetParameter', 'ssm:PutParameter', 'ssm:AddTagsToResource', 'ssm:DeleteParameter'],
        resources: [live],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['ssm:GetParameter', 'ssm:PutParameter'], resources: [deleted] }),
    );
    // Standard parameters are encrypted directly (Encrypt/Decrypt), advanced ones with a data key.
    role.addToPrincipalPolicy(
      this.keyStatement(['kms:Encrypt', 'kms:GenerateDataKey', 'kms:Decrypt'], [live, deleted]),
    );
    acknowledgePathWildcard(role, [livePath, deletedPath]);
  }

  /** The key, only through Parameter Store in this region and only for parameters matching `patterns`. */
  private keyStatement(actions: string[], patterns: string[]): iam.PolicyStatement {
    return new iam.PolicyStatement({
      actions,
      resources: [this.key.keyArn],
      conditions: {
        StringEquals: { 'kms:ViaService': this.ssmEndpoint() },
        StringLike: { 'kms:EncryptionContext:PARAMETER_ARN': patterns.length === 1 ? patterns[0] : patterns },
      },
    });
  }

  private ssmEndpoint(): string {
    const stack = Stack.of(this);
    return `ssm.${stack.region}.${stack.urlSuffix}`;
  }
}

/**
 * cdk-nag IAM5 for path patterns: one parameter per token, created at run time, so the names are
 * only known as paths; each pattern matches nothing but this stack's tokens of one kind.
 */
function acknowledgePathWildcard(scope: IConstruct, paths: string[]): void {
  for (const path of paths) {
    Validations.of(scope).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:parameter/${path.replace(/^\//, '')}*]`,
      reason:
        'Token parameters are created at run time, one per connection or integration, under a fixed path; the wildcard is that path only.',
    });
  }
}
