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

/** Connection ids are `con_` + hex, integration ids `int_` + hex (shared/domain/identity.ts). */
const CONNECTION_ID_START = 'con_';
const INTEGRATION_ID_START = 'int_';

const READ_SECRET = ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'];

/** Secrets Manager's ARN suffix: a complete ARN ends with `-` and six random characters. */
const COMPLETE_SECRET_ARN = /-[A-Za-z0-9]{6}$/;

/**
 * Where tokens live. One secret per connection, created at run time by poll-account under
 * `<resourcePrefix>/connections/`, and one per Connector API integration, created by the webhook under
 * `<resourcePrefix>/integrations/` (an access token is full PMS access to an enterprise: kept apart
 * from connection tokens, with a policy of its own); both encrypted with this construct's customer
 * managed key, whose use is scoped per kind by the secret's ARN in the encryption context. The Mews
 * client token is in a secret of its own, outside both prefixes. Downstream services attach the
 * exported managed policy of the kind they read.
 */
export class Secrets extends Construct {
  /** Encrypts every connection secret (and the client token secret when this stack creates it). */
  readonly key: kms.Key;
  readonly clientTokenSecret: secretsmanager.ISecret;
  /** The client token secret's customer managed key, if it has one (undefined: the AWS managed key). */
  readonly clientTokenKey: kms.IKey | undefined;
  /** Connection secrets are named `${connectionSecretPrefix}${connectionId}`. */
  readonly connectionSecretPrefix: string;
  /**
   * ARN pattern matching every connection secret and nothing else: connection ids are `con_` + hex,
   * so access tokens stored under this prefix by earlier versions (`int_…`) do not match.
   */
  readonly connectionSecretArnPattern: string;
  /** Integration access tokens are named `${integrationSecretPrefix}${integrationId}`. */
  readonly integrationSecretPrefix: string;
  /** ARN pattern matching every integration access-token secret (and nothing else). */
  readonly integrationSecretArnPattern: string;
  /**
   * Where earlier versions stored access tokens (`<prefix>/connections/int_…`), until
   * `provisioner tokens migrate-integrations` moves them: readable by the integration policy only.
   */
  readonly legacyIntegrationSecretArnPattern: string;
  /** Read access to connection tokens (and nothing else), for downstream services. */
  readonly consumerPolicy: iam.ManagedPolicy;
  /** Read access to integration access tokens (full PMS access: attach it only where needed). */
  readonly integrationConsumerPolicy: iam.ManagedPolicy;
  /** The secret in the integration webhook URL (`<WebhookUrl>integrations/<secret>`), generated. */
  readonly integrationWebhookSecret: secretsmanager.Secret;

  /** Each ARN pattern's secret-name part (cdk-nag names findings by it). */
  private readonly namePatterns = new Map<string, string>();

  constructor(scope: Construct, id: string, props: SecretsProps) {
    super(scope, id);

    this.connectionSecretPrefix = `${props.resourcePrefix}/connections/`;
    this.integrationSecretPrefix = `${props.resourcePrefix}/integrations/`;
    this.connectionSecretArnPattern = this.secretArn(`${this.connectionSecretPrefix}${CONNECTION_ID_START}*`);
    this.integrationSecretArnPattern = this.secretArn(
      `${this.integrationSecretPrefix}${INTEGRATION_ID_START}*`,
    );
    this.legacyIntegrationSecretArnPattern = this.secretArn(
      `${this.connectionSecretPrefix}${INTEGRATION_ID_START}*`,
    );

    this.key = new kms.Key(this, 'Key', {
      description: `${props.resourcePrefix}: connection and integration token secrets`,
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
      description: `Read Mews connection tokens (secrets ${this.connectionSecretPrefix}${CONNECTION_ID_START}*) of ${props.resourcePrefix}`,
      statements: [
        new iam.PolicyStatement({
          sid: 'ReadConnectionSecrets',
          actions: READ_SECRET,
          resources: [this.connectionSecretArnPattern],
        }),
        this.keyUseStatement(['kms:Decrypt'], [this.connectionSecretArnPattern], 'DecryptConnectionSecrets'),
      ],
    });
    this.acknowledgePrefixWildcards(this.consumerPolicy, [this.connectionSecretArnPattern]);

    const integrationPatterns = [this.integrationSecretArnPattern, this.legacyIntegrationSecretArnPattern];
    this.integrationConsumerPolicy = new iam.ManagedPolicy(this, 'IntegrationConsumerPolicy', {
      managedPolicyName: `${props.resourcePrefix}-integration-secrets-read`,
      description: `Read Mews Connector API access tokens (secrets ${this.integrationSecretPrefix}${INTEGRATION_ID_START}*) of ${props.resourcePrefix}`,
      statements: [
        new iam.PolicyStatement({
          sid: 'ReadIntegrationSecrets',
          actions: READ_SECRET,
          resources: integrationPatterns,
        }),
        this.keyUseStatement(['kms:Decrypt'], integrationPatterns, 'DecryptIntegrationSecrets'),
      ],
    });
    this.acknowledgePrefixWildcards(this.integrationConsumerPolicy, integrationPatterns);

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

  /**
   * GetSecretValue/DescribeSecret on connection secrets, and decrypting them through Secrets Manager
   * (sync-connection). Acknowledges the prefix wildcard on the grantee's role.
   */
  grantReadConnectionSecrets(grantee: iam.IGrantable): void {
    this.grant(grantee, READ_SECRET, ['kms:Decrypt'], [this.connectionSecretArnPattern]);
  }

  /**
   * Managing connection secrets without reading them (poll-account): create (with tags), restore,
   * update, and schedule the deletion of a removed connection's secret (with a recovery window).
   */
  grantWriteConnectionSecrets(grantee: iam.IGrantable): void {
    this.grant(
      grantee,
      [
        'secretsmanager:CreateSecret',
        'secretsmanager:RestoreSecret',
        'secretsmanager:PutSecretValue',
        'secretsmanager:TagResource',
        'secretsmanager:DeleteSecret',
      ],
      ['kms:GenerateDataKey', 'kms:Decrypt'],
      [this.connectionSecretArnPattern],
    );
  }

  /**
   * Storing integration access tokens (the webhook): create (with tags), read back to compare with a
   * regenerated key, put a new version, restore, and schedule the deletion of a deleted
   * integration's token. Nothing on connection secrets.
   */
  grantWriteIntegrationSecrets(grantee: iam.IGrantable): void {
    this.grant(
      grantee,
      [
        'secretsmanager:CreateSecret',
        'secretsmanager:GetSecretValue',
        'secretsmanager:RestoreSecret',
        'secretsmanager:PutSecretValue',
        'secretsmanager:TagResource',
        'secretsmanager:DeleteSecret',
      ],
      ['kms:GenerateDataKey', 'kms:Decrypt'],
      [this.integrationSecretArnPattern],
    );
  }

  private grant(
    grantee: iam.IGrantable,
    secretActions: string[],
    keyActions: string[],
    patterns: string[],
  ): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: secretActions, resources: patterns }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(this.keyUseStatement(keyActions, patterns));
    // The statements land in the role's default policy, a child of the role.
    if (Construct.isConstruct(grantee.grantPrincipal)) {
      this.acknowledgePrefixWildcards(grantee.grantPrincipal, patterns);
    }
  }

  private secretArn(namePattern: string): string {
    const arn = Stack.of(this).formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: namePattern,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.namePatterns.set(arn, namePattern);
    return arn;
  }

  /**
   * cdk-nag IAM5 for token-secret ARN patterns on `scope` (a policy, or a role and its default
   * policy): one secret per connection or integration, created at run time, so the name is only
   * known as a prefix; each pattern matches nothing but this stack's secrets of one kind.
   */
  private acknowledgePrefixWildcards(scope: IConstruct, arnPatterns: string[]): void {
    for (const arn of arnPatterns) {
      Validations.of(scope).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${this.namePatterns.get(arn)}]`,
        reason:
          'Token secrets are created at run time, one per connection or integration, under a fixed name prefix; the wildcard is that prefix and id kind only.',
      });
    }
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
   * Use of the token key, only through Secrets Manager in this region and only for secrets matching
   * `patterns` (Secrets Manager puts the secret's ARN in the encryption context).
   */
  private keyUseStatement(actions: string[], patterns: string[], sid?: string): iam.PolicyStatement {
    return new iam.PolicyStatement({
      ...(sid ? { sid } : {}),
      actions,
      resources: [this.key.keyArn],
      conditions: {
        StringEquals: { 'kms:ViaService': this.secretsManagerEndpoint() },
        StringLike: { 'kms:EncryptionContext:SecretARN': patterns.length === 1 ? patterns[0] : patterns },
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
