import * as z from 'zod';

/** The deployed stack's outputs: the CDK stack writes them, the CLI finds the stack's parts by them. */
export const OUTPUT_KEYS = {
  stage: 'Stage',
  mewsEnvironment: 'MewsEnvironment',
  tableName: 'TableName',
  eventBusName: 'EventBusName',
  eventBusArn: 'EventBusArn',
  eventSource: 'EventSource',
  eventArchiveArn: 'EventArchiveArn',
  accountPollsQueueUrl: 'AccountPollsQueueUrl',
  accountPollsDeadLetterQueueUrl: 'AccountPollsDeadLetterQueueUrl',
  connectionSyncsQueueUrl: 'ConnectionSyncsQueueUrl',
  connectionSyncsDeadLetterQueueUrl: 'ConnectionSyncsDeadLetterQueueUrl',
  failedRunsQueueUrl: 'FailedRunsQueueUrl',
  consumerPolicyArn: 'ConsumerPolicyArn',
  integrationConsumerPolicyArn: 'IntegrationConsumerPolicyArn',
  clientTokenSecretArn: 'ClientTokenSecretArn',
  connectionSecretPrefix: 'ConnectionSecretPrefix',
  integrationSecretPrefix: 'IntegrationSecretPrefix',
  connectionSecretsKeyArn: 'ConnectionSecretsKeyArn',
  secretRecoveryWindowDays: 'SecretRecoveryWindowDays',
  alarmTopicArn: 'AlarmTopicArn',
  dashboardName: 'DashboardName',
  webhookUrl: 'WebhookUrl',
  integrationWebhookSecretArn: 'IntegrationWebhookSecretArn',
  /** Only with tokenStore parameter-store (absent: Secrets Manager). */
  tokenStore: 'TokenStore',
  connectionParameterPath: 'ConnectionParameterPath',
  integrationParameterPath: 'IntegrationParameterPath',
} as const;

/**
 * Where the stack keeps tokens, for `tokens migrate`: TokenStore and the parameter paths are output
 * only with tokenStore parameter-store (absent: Secrets Manager).
 */
export const tokenStoreOutputsSchema = z.object({
  [OUTPUT_KEYS.tableName]: z.string().min(1),
  [OUTPUT_KEYS.mewsEnvironment]: z.enum(['demo', 'production']),
  [OUTPUT_KEYS.tokenStore]: z.enum(['secrets-manager', 'parameter-store']).default('secrets-manager'),
  [OUTPUT_KEYS.connectionSecretPrefix]: z.string().min(1),
  [OUTPUT_KEYS.integrationSecretPrefix]: z.string().min(1),
  [OUTPUT_KEYS.connectionSecretsKeyArn]: z.string().min(1),
  [OUTPUT_KEYS.secretRecoveryWindowDays]: z.string().regex(/^\d+$/).transform(Number),
  [OUTPUT_KEYS.connectionParameterPath]: z.string().min(1).optional(),
  [OUTPUT_KEYS.integrationParameterPath]: z.string().min(1).optional(),
});

/** What the CLI needs from a deployed stack. */
export const stackOutputsSchema = z.object({
  [OUTPUT_KEYS.tableName]: z.string().min(1),
  [OUTPUT_KEYS.mewsEnvironment]: z.enum(['demo', 'production']),
  [OUTPUT_KEYS.eventBusName]: z.string().min(1),
  [OUTPUT_KEYS.eventBusArn]: z.string().min(1),
  [OUTPUT_KEYS.eventSource]: z.string().min(1),
  [OUTPUT_KEYS.eventArchiveArn]: z.string().min(1),
  [OUTPUT_KEYS.accountPollsQueueUrl]: z.url(),
  [OUTPUT_KEYS.accountPollsDeadLetterQueueUrl]: z.url(),
  [OUTPUT_KEYS.connectionSyncsQueueUrl]: z.url(),
  [OUTPUT_KEYS.connectionSyncsDeadLetterQueueUrl]: z.url(),
  [OUTPUT_KEYS.failedRunsQueueUrl]: z.url(),
});
