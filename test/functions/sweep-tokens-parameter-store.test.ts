import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler, resetSweepTokensForTests } from '../../functions/sweep-tokens/handler.js';
import { SsmParameterTokenVault } from '../../shared/adapters/aws/ssm-parameter-token-vault.js';
import { ManualClock } from '../../shared/adapters/memory/manual-clock.js';
import type { ConnectionId, IntegrationId } from '../../shared/domain/model.js';
import { ParameterStoreFake } from '../support/parameter-store-fake.js';
import { lambdaContext } from './lambda-harness.js';

/** The sweep-tokens handler on its real path (env, vault, use case) over the stateful Parameter Store fake. */
const store = vi.hoisted(() => ({ fake: undefined as ParameterStoreFake | undefined }));
vi.mock('../../shared/adapters/aws/ssm-client.js', () => ({
  ssmClient: () => {
    if (!store.fake) throw new Error('no fake');
    return store.fake.client;
  },
}));

const DAY = 86_400_000;
const PATHS = { connectionPath: '/sweep-test/connections/', integrationPath: '/sweep-test/integrations/' };
const ENV = {
  POWERTOOLS_SERVICE_NAME: 'sweep-test',
  CONNECTION_PARAMETER_PATH: PATHS.connectionPath,
  INTEGRATION_PARAMETER_PATH: PATHS.integrationPath,
  CONNECTION_SECRETS_KMS_KEY_ARN:
    'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
};
const con = (n: number) => `con_${String(n).padStart(24, '0')}` as ConnectionId;
const int = (n: number) => `int_${String(n).padStart(24, '0')}` as IntegrationId;

describe('sweep-tokens handler', () => {
  let fake: ParameterStoreFake;

  beforeEach(() => {
    fake = new ParameterStoreFake();
    store.fake = fake;
    resetSweepTokensForTests();
    for (const [key, value] of Object.entries(ENV)) vi.stubEnv(key, value);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    store.fake = undefined;
  });

  /** A vault over the same fake whose clock says when each token was scheduled for deletion. */
  async function seed() {
    const clock = new ManualClock({ start: new Date(Date.now() - 10 * DAY).toISOString() });
    const vault = new SsmParameterTokenVault({
      ...PATHS,
      client: fake.client,
      kmsKeyId: ENV.CONNECTION_SECRETS_KMS_KEY_ARN,
      clock,
    });
    for (const n of [1, 2, 3]) await vault.put(con(n), `FAKE-TOKEN-${n}`);
    await vault.putIntegrationToken(int(1), 'FAKE-ACCESS-TOKEN-1');
    // Scheduled ten days ago with 7 days' recovery: due. Scheduled now: not due.
    await vault.scheduleDeletion(con(1), 7);
    await vault.scheduleIntegrationTokenDeletion(int(1), 7);
    clock.set(new Date());
    await vault.scheduleDeletion(con(2), 7);
    return [...fake.parameters.keys()].sort();
  }

  it('deletes the tokens past their recovery window and keeps the others, live ones untouched', async () => {
    const before = await seed();
    expect(before).toEqual([
      '/sweep-test/connections/con_000000000000000000000003',
      '/sweep-test/deleted/connections/con_000000000000000000000001',
      '/sweep-test/deleted/connections/con_000000000000000000000002',
      '/sweep-test/deleted/integrations/int_000000000000000000000001',
    ]);

    const outcome = await handler({ kind: 'sweep-tokens' }, lambdaContext('sweep-tokens'));

    expect(outcome).toEqual({ deleted: 2, pending: 1, pages: 1, complete: true });
    expect([...fake.parameters.keys()].sort()).toEqual([
      '/sweep-test/connections/con_000000000000000000000003',
      '/sweep-test/deleted/connections/con_000000000000000000000002',
    ]);
    // A second run finds nothing more to delete.
    expect(await handler({}, lambdaContext('sweep-tokens'))).toMatchObject({ deleted: 0, pending: 1 });
  });

  it('rejects an unexpected input and deletes nothing', async () => {
    const before = await seed();
    await expect(handler({ kind: 'sweep-outbox' }, lambdaContext('sweep-tokens'))).rejects.toThrow(
      /sweep-tokens input is not valid: kind/,
    );
    expect([...fake.parameters.keys()].sort()).toEqual(before);
    expect(fake.calls.get('DeleteParametersCommand') ?? 0).toBe(0);
  });

  it('names a missing environment variable and deletes nothing', async () => {
    const before = await seed();
    vi.stubEnv('INTEGRATION_PARAMETER_PATH', '');
    await expect(handler(undefined, lambdaContext('sweep-tokens'))).rejects.toThrow(
      /INTEGRATION_PARAMETER_PATH/,
    );
    expect([...fake.parameters.keys()].sort()).toEqual(before);
  });
});
