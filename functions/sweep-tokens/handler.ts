import type { Context } from 'aws-lambda';
import { ssmClient } from '../../shared/adapters/aws/ssm-client.js';
import { SsmParameterTokenVault } from '../../shared/adapters/aws/ssm-parameter-token-vault.js';
import { parseInput, withInvocation } from '../../shared/composition/lambda-invocation.js';
import { parseEnv, sweepTokensEnvSchema } from '../../shared/config/function-env.js';
import { sweepTokensInputSchema } from '../../shared/config/function-inputs.js';
import { systemClock } from '../../shared/ports/clock.js';
import { type SweepOutcome, sweepExpiredTokens } from '../../shared/use-cases/sweep-expired-tokens.js';

let vault: SsmParameterTokenVault | undefined;

/** Built once per container from the validated environment. */
function tokenVault(env: NodeJS.ProcessEnv = process.env): SsmParameterTokenVault {
  if (vault === undefined) {
    const e = parseEnv(sweepTokensEnvSchema, env);
    vault = new SsmParameterTokenVault({
      client: ssmClient(),
      connectionPath: e.CONNECTION_PARAMETER_PATH,
      integrationPath: e.INTEGRATION_PARAMETER_PATH,
      kmsKeyId: e.CONNECTION_SECRETS_KMS_KEY_ARN,
    });
  }
  return vault;
}

/** Tests only: forget the vault built from an earlier environment. */
export function resetSweepTokensForTests(): void {
  vault = undefined;
}

/**
 * EventBridge Scheduler (daily, tokenStore parameter-store) -> deletes the token parameters whose
 * recovery window has ended. It stops before the invocation's time runs out; the next run goes on
 * (the sweep is idempotent). A failure (SSM) throws: Lambda retries the run, then sends it to the
 * failed-runs queue.
 */
export const handler = async (event: unknown, context?: Context): Promise<SweepOutcome> =>
  withInvocation(context, async ({ logger }) => {
    parseInput(sweepTokensInputSchema, event, 'sweep-tokens input');
    return sweepExpiredTokens({
      sweep: tokenVault(),
      clock: systemClock,
      logger,
      ...(context ? { remainingMs: () => context.getRemainingTimeInMillis() } : {}),
    });
  });
