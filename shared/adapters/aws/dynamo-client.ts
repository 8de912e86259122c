import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The DynamoDB document client, created once per configuration (Lambda reuses it across
 * invocations).
 *
 * Endpoint: left to the SDK, which reads `AWS_ENDPOINT_URL_DYNAMODB`, then `AWS_ENDPOINT_URL`
 * (and `endpoint_url` in the shared config file) unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`
 * is set. So pointing the service at DynamoDB Local is `AWS_ENDPOINT_URL_DYNAMODB=http://
 * localhost:8000`, with no code path of our own. `endpoint` overrides that explicitly.
 *
 * When the endpoint (explicit or from the environment) is a loopback address, the client gets
 * fake static credentials and, unless one is configured, the region `local`: DynamoDB Local
 * accepts anything, and no credential provider (SSO, instance metadata...) is ever consulted.
 * Region otherwise: `region`, AWS_REGION, AWS_DEFAULT_REGION, then the SDK's own chain.
 */
export interface DocumentClientOptions {
  /** Explicit endpoint; otherwise the SDK's own configuration decides. */
  endpoint?: string;
  region?: string;
  /** Extra low-level client configuration (credentials, retries, logger...). */
  clientConfig?: DynamoDBClientConfig;
}

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const LOCAL_REGION = 'local';

/** The endpoint the SDK will pick up from the environment, if any (only to detect "local"). */
function environmentEndpoint(env: NodeJS.ProcessEnv): string | undefined {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true') return undefined;
  return env.AWS_ENDPOINT_URL_DYNAMODB || env.AWS_ENDPOINT_URL || undefined;
}

function isLoopbackEndpoint(endpoint: string | undefined): boolean {
  if (!endpoint) return false;
  let host: string;
  try {
    host = new URL(endpoint).hostname;
  } catch {
    return false;
  }
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || host.startsWith('127.');
}

export function createDocumentClient(options: DocumentClientOptions = {}): DynamoDBDocumentClient {
  const env = process.env;
  const local = isLoopbackEndpoint(options.endpoint ?? environmentEndpoint(env));
  // AWS_DEFAULT_REGION too (the v3 SDK alone ignores it), as the other clients do (aws-clients.ts).
  const region =
    options.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || (local ? LOCAL_REGION : undefined));
  const config: DynamoDBClientConfig = {
    maxAttempts: 5,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 15_000 },
    ...(local ? { credentials: LOCAL_CREDENTIALS } : {}),
    ...(region ? { region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...options.clientConfig,
  };
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
}

const cache = new Map<string, DynamoDBDocumentClient>();

/**
 * Cached `createDocumentClient` (without `clientConfig`). The key includes the endpoint the
 * environment configures, since the SDK reads it once per client.
 */
export function getDocumentClient(
  options: Omit<DocumentClientOptions, 'clientConfig'> = {},
): DynamoDBDocumentClient {
  const key = JSON.stringify([options.endpoint, options.region, environmentEndpoint(process.env)]);
  let client = cache.get(key);
  if (!client) {
    client = createDocumentClient(options);
    cache.set(key, client);
  }
  return client;
}

/** Drops (and destroys) the cached clients; for tests. */
export function resetDocumentClients(): void {
  for (const client of cache.values()) client.destroy();
  cache.clear();
}
