import { SSMClient, type SSMClientConfig } from '@aws-sdk/client-ssm';
import { awsClientConfig } from './aws-clients.js';

/**
 * The SSM client's retries. Parameter Store throttles per account and region: GetParameter,
 * GetParameters and GetParametersByPath share 40 transactions per second by default, and the paid
 * "higher throughput" setting raises GetParameter/GetParameters to thousands. A throttled call is
 * retried with the SDK's exponential backoff with jitter (8 attempts in all), and adaptive mode
 * also slows this client's own sending while it is throttled.
 */
export const SSM_RETRY = {
  maxAttempts: 8,
  retryMode: 'adaptive',
} as const satisfies Pick<SSMClientConfig, 'maxAttempts' | 'retryMode'>;

/** In its own module (not aws-clients.ts), so a function of the Secrets Manager layout bundles no SSM client. */
let ssm: SSMClient | undefined;

/** One Parameter Store client per container, created on first use (tokenStore parameter-store). */
export function ssmClient(): SSMClient {
  ssm ??= new SSMClient({ ...awsClientConfig(), ...SSM_RETRY });
  return ssm;
}

/** Tests only: forget the cached client (and close its sockets). */
export function resetSsmClient(): void {
  ssm?.destroy();
  ssm = undefined;
}
