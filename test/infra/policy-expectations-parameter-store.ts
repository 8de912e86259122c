/**
 * The Parameter Store token layout's table for the policy evaluation (policy-evaluation.test.ts):
 * for each function's role and each exported policy of `cdk synth -c tokenStore=parameter-store`,
 * the calls the code makes (allowed) and calls that must be denied. The shapes match that file's
 * Call and Expectations; the evaluation itself is there.
 */

interface Call {
  action: string;
  resource: string;
  context?: Record<string, string | string[]>;
  why: string;
}

interface Expectations {
  allowed: Call[];
  denied: Call[];
}

export interface ParameterStoreNames {
  account: string;
  region: string;
  resourcePrefix: string;
  keyArn: string;
  clientToken: string;
  webhookSecret: string;
}

/** Logical id prefixes of the layout's principals, by the table's names. */
export const PARAMETER_STORE_FUNCTION_IDS: Record<string, string> = {
  'schedule-polls': 'FunctionsSchedulePolls',
  'poll-account': 'FunctionsPollAccount',
  'sync-connection': 'FunctionsSyncConnection',
  'relay-outbox': 'FunctionsRelayOutbox',
  webhook: 'FunctionsWebhook',
  'sweep-tokens': 'TokenSweepSweepTokens',
};

export const PARAMETER_STORE_POLICY_IDS: Record<string, string> = {
  'consumer policy (connection parameters)': 'ParameterStoreTokensConsumerPolicy',
  'integration consumer policy (integration parameters)': 'ParameterStoreTokensIntegrationConsumerPolicy',
};

export function parameterStoreLayout(n: ParameterStoreNames): Record<string, Expectations> {
  const p = n.resourcePrefix;
  const parameter = (name: string) => `arn:aws:ssm:${n.region}:${n.account}:parameter${name}`;
  const connection = parameter(`/${p}/connections/con_0123456789abcdef01234567`);
  const integration = parameter(`/${p}/integrations/int_0123456789abcdef01234567`);
  const movedConnection = parameter(`/${p}/deleted/connections/con_0123456789abcdef01234567`);
  const movedIntegration = parameter(`/${p}/deleted/integrations/int_0123456789abcdef01234567`);
  const otherStack = parameter('/another-stack/connections/con_0123456789abcdef01234567');
  const otherStackMoved = parameter('/another-stack/deleted/connections/con_0123456789abcdef01234567');
  const secretConnection = `arn:aws:secretsmanager:${n.region}:${n.account}:secret:${p}/connections/con_0123456789abcdef01234567-AbCdEf`;

  const ssm = (action: string, resource: string, why: string): Call => ({
    action: `ssm:${action}`,
    resource,
    why,
  });
  /** What Parameter Store sends to KMS for a caller, for one parameter. */
  const kms = (action: string, parameterArn: string, why: string): Call => ({
    action: `kms:${action}`,
    resource: n.keyArn,
    context: {
      'kms:ViaService': `ssm.${n.region}.amazonaws.com`,
      'kms:CallerAccount': n.account,
      'kms:EncryptionContext:PARAMETER_ARN': parameterArn,
    },
    why,
  });
  const kmsDirect = (action: string, parameterArn: string, why: string): Call => ({
    action: `kms:${action}`,
    resource: n.keyArn,
    context: { 'kms:CallerAccount': n.account, 'kms:EncryptionContext:PARAMETER_ARN': parameterArn },
    why,
  });
  const readsClientToken: Call[] = [
    { action: 'secretsmanager:GetSecretValue', resource: n.clientToken, why: 'reads the Mews client token' },
    {
      action: 'kms:Decrypt',
      resource: n.keyArn,
      context: {
        'kms:ViaService': `secretsmanager.${n.region}.amazonaws.com`,
        'kms:CallerAccount': n.account,
        'kms:EncryptionContext:SecretARN': n.clientToken,
      },
      why: 'decrypts it through Secrets Manager',
    },
  ];
  const noSecretsManagerToken: Call[] = [
    {
      action: 'secretsmanager:CreateSecret',
      resource: secretConnection,
      why: 'no connection secrets in this layout',
    },
    { action: 'secretsmanager:GetSecretValue', resource: secretConnection, why: 'nor reads one' },
  ];
  const writes = (live: string, moved: string, what: string): Call[] => [
    ssm('PutParameter', live, `stores a new ${what} (PutParameter without Overwrite)`),
    ssm('AddTagsToResource', live, 'tags it with its id (PutParameter with Tags)'),
    ssm('GetParameter', live, `reads the ${what}`),
    ssm('DeleteParameter', live, 'removes the live name once the token is moved for its recovery window'),
    ssm('PutParameter', moved, 'moves a removed token under deleted/, with its due time'),
    ssm('GetParameter', moved, 'reads a moved token back when it returns within the window'),
    kms('Encrypt', live, 'Parameter Store encrypts a standard parameter directly'),
    kms('GenerateDataKey', live, 'and an advanced one (Intelligent-Tiering) with a data key'),
    kms('Decrypt', live, 'and decrypts it'),
    kms('Encrypt', moved, 'encrypts the moved copy'),
    kms('Decrypt', moved, 'decrypts it on a return'),
  ];
  const noParameterAtAll: Call[] = [
    ssm('GetParameter', connection, 'reads no connection token'),
    ssm('GetParameter', integration, 'reads no integration token'),
    ssm('PutParameter', connection, 'writes no token'),
    ssm('DeleteParameters', movedConnection, 'deletes no token'),
    kms('Decrypt', connection, 'decrypts no token'),
  ];

  return {
    'poll-account': {
      allowed: [...writes(connection, movedConnection, 'connection token'), ...readsClientToken],
      denied: [
        ssm('PutParameter', integration, 'writes no integration parameter'),
        ssm('GetParameter', integration, 'reads no integration parameter'),
        ssm('GetParameter', movedIntegration, 'nor a moved one'),
        ssm('DeleteParameter', movedConnection, 'deletes no moved token: the sweep does, after the window'),
        ssm('DeleteParameters', movedConnection, 'nor in a batch'),
        ssm('PutParameter', otherStack, 'touches no other stack’s parameters'),
        ssm('DeleteParameter', otherStack, 'deletes outside its path nothing'),
        kms('Decrypt', integration, 'decrypts no integration token'),
        kms('Encrypt', otherStack, 'encrypts nothing outside its path'),
        kmsDirect('Decrypt', connection, 'uses the key only through Parameter Store'),
        ...noSecretsManagerToken,
      ],
    },
    'sync-connection': {
      allowed: [
        ssm('GetParameter', connection, 'reads the connection token for getConfiguration'),
        kms('Decrypt', connection, 'decrypts it through Parameter Store'),
        ...readsClientToken,
      ],
      denied: [
        ssm('PutParameter', connection, 'writes no token'),
        ssm('DeleteParameter', connection, 'deletes no token'),
        ssm('GetParameter', movedConnection, 'reads no token scheduled for deletion'),
        ssm('GetParameter', integration, 'reads no integration parameter'),
        kms('Encrypt', connection, 'encrypts nothing'),
        kms('Decrypt', integration, 'decrypts no integration token'),
        kmsDirect('Decrypt', connection, 'uses the key only through Parameter Store'),
        ...noSecretsManagerToken,
      ],
    },
    webhook: {
      allowed: [
        ...writes(integration, movedIntegration, 'integration access token'),
        ...readsClientToken,
        {
          action: 'secretsmanager:GetSecretValue',
          resource: n.webhookSecret,
          why: 'reads the webhook URL secret',
        },
      ],
      denied: [
        ssm('PutParameter', connection, 'the webhook cannot write a connection parameter'),
        ssm('GetParameter', connection, 'reads no connection token'),
        ssm('DeleteParameter', connection, 'deletes no connection token'),
        ssm('PutParameter', movedConnection, 'moves no connection token'),
        ssm('DeleteParameters', movedIntegration, 'deletes no moved token: the sweep does'),
        kms('Encrypt', connection, 'encrypts no connection token'),
        kms('Decrypt', connection, 'decrypts no connection token'),
        kmsDirect('Decrypt', integration, 'uses the key only through Parameter Store'),
        ...noSecretsManagerToken,
      ],
    },
    'sweep-tokens': {
      allowed: [
        ssm('DescribeParameters', '*', 'lists what is under deleted/ (no resource-level permissions)'),
        ssm('GetParameter', connection, 'checks, without decryption, whether a moved token is live again'),
        ssm('GetParameter', integration, 'the same for integration tokens'),
        ssm('DeleteParameters', movedConnection, 'deletes connection tokens past their window'),
        ssm('DeleteParameters', movedIntegration, 'and integration tokens'),
      ],
      denied: [
        kms('Decrypt', connection, 'can never read a token: no key use at all'),
        kms('Decrypt', movedConnection, 'nor a moved one'),
        ssm('DeleteParameters', connection, 'deletes no live token'),
        ssm('DeleteParameter', connection, 'in no way'),
        ssm('DeleteParameters', otherStackMoved, 'deletes nothing outside its path'),
        ssm('PutParameter', movedConnection, 'writes nothing'),
        { action: 'secretsmanager:GetSecretValue', resource: n.clientToken, why: 'needs no client token' },
      ],
    },
    'schedule-polls': { allowed: [], denied: noParameterAtAll },
    'relay-outbox': { allowed: [], denied: noParameterAtAll },
    'consumer policy (connection parameters)': {
      allowed: [
        ssm('GetParameter', connection, 'a subscriber reads the token at secretRef'),
        kms('Decrypt', connection, 'decrypts it through Parameter Store'),
      ],
      denied: [
        ssm('GetParameter', integration, 'the consumer policy cannot read an integration parameter'),
        kms('Decrypt', integration, 'nor decrypt one'),
        ssm('GetParameter', movedConnection, 'nor a token scheduled for deletion'),
        ssm('PutParameter', connection, 'writes no token'),
        ssm('GetParameter', otherStack, 'reads no other stack’s tokens'),
        kmsDirect('Decrypt', connection, 'uses the key only through Parameter Store'),
        {
          action: 'secretsmanager:GetSecretValue',
          resource: n.clientToken,
          why: 'nor the Mews client token',
        },
      ],
    },
    'integration consumer policy (integration parameters)': {
      allowed: [
        ssm('GetParameter', integration, 'a subscriber reads the access token at secretRef'),
        kms('Decrypt', integration, 'decrypts it through Parameter Store'),
      ],
      denied: [
        ssm('GetParameter', connection, 'reads no connection token'),
        kms('Decrypt', connection, 'decrypts no connection token'),
        ssm('GetParameter', movedIntegration, 'nor a token scheduled for deletion'),
        ssm('PutParameter', integration, 'writes no token'),
        kmsDirect('Decrypt', integration, 'uses the key only through Parameter Store'),
      ],
    },
  };
}
