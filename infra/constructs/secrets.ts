import { ArnFormat, Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, type IConstruct } from 'constructs';

export interface SecretsProps {
  readonly resourcePrefix: string;
  readonly removalPolicy: RemovalPolicy;
  /** Use this secret for the Mews client token instead of creating an empty one. */
  readonly existingClientTokenSecretArn?: string | undefined;
  /** The customer managed key of that secret, when it has one. */
  readonly existingClientTokenSecretKmsKeyArn?: string | undefined;
}

/** Secrets Manager's ARN suffix: a complete ARN ends with `-` and six random characters. */
const COMPLETE_SECRET_ARN = /-[A-Za-z0-9]{6}$/;

/**
 * Where tokens live. One secret per connection, created at run time by poll-account under a fixed
 * name prefix and encrypted with this construct's customer managed key; the Mews client token in a
 * secret of its own (outside that prefix, so consumers of connection secrets cannot read it).
 * Downstream services attach the exported managed policy to read connection tokens.
 */
export class Secrets extends Construct {
  /** Encrypts every connection secret (and the client token secret when this stack creates it). */
  readonly key: kms.Key;
  readonly clientTokenSecret: secretsmanager.ISecret;
  /** The client token secret's customer managed key, if it has one (undefined: the AWS managed key). */
  readonly clientTokenKey: kms.IKey | undefined;
  /** Connection secrets are named `${connectionSecretPrefix}${connectionId}`. */
  readonly connectionSecretPrefix: string;
  /** ARN pattern matching every connection secret (and nothing else). */
  readonly connectionSecretArnPattern: string;
  /** Read access to connection tokens, for downstream services. */
  readonly consumerPolicy: iam.ManagedPolicy;
  /** The secret in the integration webhook URL (`<WebhookUrl>integrations/<secret>`), generated. */
  readonly integrationWebhookSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: SecretsProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.connectionSecretPrefix = `${props.resourcePrefix}/connections/`;
    this.connectionSecretArnPattern = stack.formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `${this.connectionSecretPrefix}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    this.key = new kms.Key(this, 'Key', {
      description: `${props.resourcePrefix}: connection token secrets`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
      pendingWindow: Duration.days(30),
    });

    if (props.existingClientTokenSecretArn) {
      this.clientTokenKey = props.existingClientTokenSecretKmsKeyArn
        ? kms.Key.fromKeyArn(this, 'ClientTokenKey', props.existingClientTokenSecretKmsKeyArn)
        : undefined;
      this.clientTokenSecret = secretsmanager.Secret.fromSecretAttributes(this, 'ClientToken', {
        ...(COMPLETE_SECRET_ARN.test(props.existingClientTokenSecretArn)
          ? { secretCompleteArn: props.existingClientTokenSecretArn }
          : { secretPartialArn: props.existingClientTokenSecretArn }),
      });
    } else {
      this.clientTokenKey = this.key;
      this.clientTokenSecret = this.createClientTokenSecret(props);
    }

    this.consumerPolicy = new iam.ManagedPolicy(this, 'ConsumerPolicy', {
      managedPolicyName: `${props.resourcePrefix}-connection-secrets-read`,
      description: `Read Mews connection tokens (secrets ${this.connectionSecretPrefix}*) of ${props.resourcePrefix}`,
      statements: [
        new iam.PolicyStatement({
          sid: 'ReadConnectionSecrets',
          actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          resources: [this.connectionSecretArnPattern],
        }),
        this.keyUseStatement(['kms:Decrypt'], 'DecryptConnectionSecrets'),
      ],
    });
    acknowledgePrefixWildcard(this.consumerPolicy, this.connectionSecretPrefix);

    this.integrationWebhookSecret = new secretsmanager.Secret(this, 'IntegrationWebhookSecret', {
      secretName: `${props.resourcePrefix}/integration-webhook-secret`,
      description: `${props.resourcePrefix}: the secret in the Mews integration webhook URL (generated; URL-safe)`,
      encryptionKey: this.key,
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.integrationWebhookSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The secret is part of the webhook URL registered with Mews; rotating it means registering a new URL with Mews, so it is replaced by hand.',
    });
  }

  /** GetSecretValue/DescribeSecret on connection secrets, and decrypting them through Secrets Manager. */
  grantReadConnectionSecrets(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        resources: [this.connectionSecretArnPattern],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(this.keyUseStatement(['kms:Decrypt']));
  }

  /**
   * Managing connection secrets without reading them: create (with tags), describe, restore,
   * update, and schedule the deletion of a removed connection's secret (with a recovery window).
   */
  grantWriteConnectionSecrets(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'secretsmanager:CreateSecret',
          'secretsmanager:DescribeSecret',
          'secretsmanager:RestoreSecret',
          'secretsmanager:PutSecretValue',
          'secretsmanager:TagResource',
          'secretsmanager:DeleteSecret',
        ],
        resources: [this.connectionSecretArnPattern],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(this.keyUseStatement(['kms:GenerateDataKey', 'kms:Decrypt']));
  }

  /**
   * Reading the Mews client token: the secret, and its key (when known) through Secrets Manager for
   * that secret only. Granted on the function's role, not in the key policy.
   */
  grantReadClientToken(grantee: iam.IGrantable): void {
    const secretArn = this.clientTokenSecret.secretFullArn ?? `${this.clientTokenSecret.secretArn}-??????`;
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        resources: [secretArn],
      }),
    );
    if (this.clientTokenKey) {
      grantee.grantPrincipal.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [this.clientTokenKey.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': this.secretsManagerEndpoint() },
            StringLike: { 'kms:EncryptionContext:SecretARN': secretArn },
          },
        }),
      );
    }
  }

  /** Reading the integration webhook secret: the secret, and its key through Secrets Manager for it only. */
  grantReadIntegrationWebhookSecret(grantee: iam.IGrantable): void {
    const secretArn =
      this.integrationWebhookSecret.secretFullArn ?? `${this.integrationWebhookSecret.secretArn}-??????`;
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secretArn] }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [this.key.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': this.secretsManagerEndpoint() },
          StringLike: { 'kms:EncryptionContext:SecretARN': secretArn },
        },
      }),
    );
  }

  private secretsManagerEndpoint(): string {
    const stack = Stack.of(this);
    return `secretsmanager.${stack.region}.${stack.urlSuffix}`;
  }

  /**
   * Use of the connection secrets key, only through Secrets Manager in this region and only for
   * secrets under the prefix (Secrets Manager puts the secret's ARN in the encryption context).
   */
  private keyUseStatement(actions: string[], sid?: string): iam.PolicyStatement {
    return new iam.PolicyStatement({
      ...(sid ? { sid } : {}),
      actions,
      resources: [this.key.keyArn],
      conditions: {
        StringEquals: { 'kms:ViaService': this.secretsManagerEndpoint() },
        StringLike: { 'kms:EncryptionContext:SecretARN': this.connectionSecretArnPattern },
      },
    });
  }

  private createClientTokenSecret(props: SecretsProps): secretsmanager.ISecret {
    const secret = new secretsmanager.Secret(this, 'ClientToken', {
      secretName: `${props.resourcePrefix}/mews-client-token`,
      description: `Mews client token of ${props.resourcePrefix}. Created empty: set it with put-secret-value.`,
      encryptionKey: this.key,
      removalPolicy: props.removalPolicy,
    });
    // Created empty: no generated value (the L2 would generate a random password).
    (secret.node.defaultChild as secretsmanager.CfnSecret).addPropertyDeletionOverride(
      'GenerateSecretString',
    );
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The Mews client token is issued by Mews and cannot be rotated by a Lambda; it is replaced by hand.',
    });
    return secret;
  }
}

/**
 * Acknowledges cdk-nag IAM5 for the connection-secret ARN pattern on `scope` (a policy or a role's
 * default policy): one secret per connection, created at run time, so the name is only known as a
 * prefix; the pattern matches nothing but this stack's connection secrets.
 */
export function acknowledgePrefixWildcard(scope: IConstruct, prefix: string): void {
  Validations.of(scope).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${prefix}*]`,
    reason:
      'Connection secrets are created at run time, one per connection, under a fixed name prefix; the wildcard is that prefix only.',
  });
}
