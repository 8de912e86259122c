import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';

/**
 * One client per service per container (module-level singletons), created on first use so a
 * Lambda pays for the clients it needs only, and reuses their connections across invocations.
 *
 * Region: AWS_REGION (set by Lambda), else AWS_DEFAULT_REGION (which the v3 SDK ignores on
 * its own), else the SDK's default chain (profile config). Endpoints are left to the SDK,
 * which honours AWS_ENDPOINT_URL and the per-service AWS_ENDPOINT_URL_SECRETS_MANAGER,
 * AWS_ENDPOINT_URL_EVENTBRIDGE and AWS_ENDPOINT_URL_SQS (e.g. for LocalStack).
 */
let secretsManager: SecretsManagerClient | undefined;
let eventBridge: EventBridgeClient | undefined;
let sqs: SQSClient | undefined;

export function awsClientConfig(env: NodeJS.ProcessEnv = process.env): { region?: string } {
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  return region ? { region } : {};
}

export function secretsManagerClient(): SecretsManagerClient {
  secretsManager ??= new SecretsManagerClient(awsClientConfig());
  return secretsManager;
}

export function eventBridgeClient(): EventBridgeClient {
  eventBridge ??= new EventBridgeClient(awsClientConfig());
  return eventBridge;
}

export function sqsClient(): SQSClient {
  sqs ??= new SQSClient(awsClientConfig());
  return sqs;
}

/** Tests only: forget the cached clients (and close their sockets). */
export function resetAwsClients(): void {
  secretsManager?.destroy();
  eventBridge?.destroy();
  sqs?.destroy();
  secretsManager = undefined;
  eventBridge = undefined;
  sqs = undefined;
}
