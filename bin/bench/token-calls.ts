import { SecretsManagerTokenVault } from '../../shared/adapters/aws/secrets-manager-token-vault.js';
import { SsmParameterTokenVault } from '../../shared/adapters/aws/ssm-parameter-token-vault.js';
import type { DynamoDbLocalOptions } from '../../shared/adapters/local/dynamodb-local.js';
import { ManualClock } from '../../shared/adapters/memory/manual-clock.js';
import type { ConnectionId } from '../../shared/domain/model.js';
import { sweepExpiredTokens } from '../../shared/use-cases/sweep-expired-tokens.js';
import { ParameterStoreFake } from '../../test/support/parameter-store-fake.js';
import { fakeSecretsManager } from '../../test/support/secrets-manager-fake.js';
import { Rig } from './rig.js';

/**
 * The token store's API calls per operation, for both layouts, counted on the real vault
 * adapters: the local pipeline (DynamoDB Local, the Mews simulator) runs with the Secrets Manager
 * or the Parameter Store adapter over a stateful fake of that service (no emulator exists), and
 * every command the adapter sends is counted, with the KMS request the service makes for it
 * (Secrets Manager: GenerateDataKey for each new secret value, Decrypt for each GetSecretValue;
 * Parameter Store: Encrypt for each SecureString PutParameter of a standard parameter,
 * GenerateDataKey of an advanced one, Decrypt for each GetParameter WithDecryption).
 */

export type Layout = 'secrets-manager' | 'parameter-store';
const LAYOUTS: Layout[] = ['secrets-manager', 'parameter-store'];

/** Per unit of each operation: API calls by command, and the KMS requests behind them. */
interface OperationCalls {
  /** What one unit is (a new connection, an account poll, ...). */
  unit: string;
  units: number;
  calls: Record<string, number>;
  kms: Record<string, number>;
}

export type Operation = 'discovery' | 'steadyPoll' | 'refresh' | 'removal' | 'restore' | 'sweep';

export interface TokenCallResults {
  generatedAt: string;
  accounts: number;
  perAccount: number;
  layouts: Record<Layout, Record<Operation, OperationCalls>>;
  /** Rates of the benchmark's 10,000-connection backfill (bench.json), to hold against the store's limits. */
  backfill: {
    connections: number;
    putsPerSecond: number;
    getsPerSecond: number;
    limitedGetsPerSecond: number;
  } | null;
}

/** Counts the commands a client sends (by name) and the KMS request each implies. */
class CallCounter {
  calls: Record<string, number> = {};
  kms: Record<string, number> = {};

  reset(): void {
    this.calls = {};
    this.kms = {};
  }

  /** Wraps `client.send` (after any mock is installed): counts every command, and its KMS request when it succeeded. */
  attach(client: object, kmsOf: (name: string, input: Record<string, unknown>) => string | undefined): void {
    const holder = client as { send: (command: unknown, ...rest: unknown[]) => Promise<unknown> };
    const send = holder.send.bind(client);
    holder.send = async (command: unknown, ...rest: unknown[]) => {
      const c = command as { constructor: { name: string }; input: Record<string, unknown> };
      const name = c.constructor.name.replace(/Command$/, '');
      this.calls[name] = (this.calls[name] ?? 0) + 1;
      const output = await send(command, ...rest);
      const kms = kmsOf(name, c.input);
      if (kms) this.kms[kms] = (this.kms[kms] ?? 0) + 1;
      return output;
    };
  }

  take(unit: string, units: number): OperationCalls {
    const per = (counts: Record<string, number>) =>
      Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / units]));
    const result = { unit, units, calls: per(this.calls), kms: per(this.kms) };
    this.reset();
    return result;
  }
}

const secretsManagerKms = (name: string, input: Record<string, unknown>) =>
  (name === 'CreateSecret' && input.SecretString !== undefined) || name === 'PutSecretValue'
    ? 'GenerateDataKey'
    : name === 'GetSecretValue'
      ? 'Decrypt'
      : undefined;

const parameterStoreKms = (name: string, input: Record<string, unknown>) =>
  name === 'PutParameter' && input.Type === 'SecureString'
    ? input.Tier === 'Advanced'
      ? 'GenerateDataKey'
      : 'Encrypt'
    : name === 'GetParameter' && input.WithDecryption === true
      ? 'Decrypt'
      : undefined;

const RECOVERY_DAYS = 30;
const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** One layout's counts: a backfill, a steady cycle and a refresh of every connection on the pipeline, then removals, restores and the sweep on the adapter. */
async function countLayout(
  layout: Layout,
  options: {
    accounts: number;
    perAccount: number;
    dynamo: DynamoDbLocalOptions;
    progress: (line: string) => void;
  },
): Promise<Record<Operation, OperationCalls>> {
  const counter = new CallCounter();
  const clock = new ManualClock({ start: '2026-01-01T00:00:00.000Z' });
  let vault: SecretsManagerTokenVault | SsmParameterTokenVault;
  if (layout === 'secrets-manager') {
    const fake = fakeSecretsManager();
    counter.attach(fake.client, secretsManagerKms);
    vault = new SecretsManagerTokenVault({
      client: fake.client,
      prefix: 'bench/connections/',
      kmsKeyId: KEY,
    });
  } else {
    const fake = new ParameterStoreFake();
    counter.attach(fake.client, parameterStoreKms);
    vault = new SsmParameterTokenVault({
      client: fake.client,
      connectionPath: '/bench/connections/',
      integrationPath: '/bench/integrations/',
      kmsKeyId: KEY,
      clock,
    });
  }
  const connections = options.accounts * options.perAccount;
  const rig = await Rig.open({
    dynamo: options.dynamo,
    label: `tokens-${layout}`,
    concurrency: 4,
    progress: options.progress,
    vault,
  });
  try {
    await rig.register(rig.addAccounts(`tokens-${layout}`, options.accounts, options.perAccount));
    counter.reset();
    await rig.cycle(`${layout}: backfill`);
    const discovery = counter.take('new connection (poll stores the token, sync reads it)', connections);
    await rig.cycle(`${layout}: steady`);
    const steadyPoll = counter.take('account poll with nothing new', options.accounts);
    const interval = 60_000;
    await rig.cycle(`${layout}: refresh`, { refresh: { intervalMs: interval, windowMs: interval } });
    const refresh = counter.take('configuration refresh of a connection', connections);

    const ids = (await rig.pipeline.store.listConnections()).map((c) => c.id as ConnectionId);
    for (const id of ids) await vault.scheduleDeletion(id, RECOVERY_DAYS);
    const removal = counter.take('removed connection (token kept for the recovery window)', ids.length);
    const returning = ids.slice(0, Math.ceil(ids.length / 4));
    for (const id of returning) await vault.put(id, `FAKE-RETURNED-${id}`);
    const restore = counter.take('connection back within the window (token restored)', returning.length);
    const gone = ids.length - returning.length;
    let sweep: OperationCalls;
    if (vault instanceof SsmParameterTokenVault) {
      clock.advance((RECOVERY_DAYS + 1) * 86_400_000);
      const quiet = { debug() {}, info() {}, warn() {}, error() {} };
      const outcome = await sweepExpiredTokens({ sweep: vault, clock, logger: quiet });
      // A restored token leaves its moved copy behind for the sweep too (see the adapter).
      sweep = counter.take('token deleted after its window (the sweep)', outcome.deleted);
    } else {
      // Secrets Manager deletes a secret at the end of its recovery window by itself: no call.
      sweep = {
        unit: 'token deleted after its window (by Secrets Manager itself)',
        units: gone,
        calls: {},
        kms: {},
      };
    }
    return { discovery, steadyPoll, refresh, removal, restore, sweep };
  } finally {
    await rig.close();
  }
}

export async function measureTokenCalls(options: {
  accounts: number;
  perAccount: number;
  dynamo: DynamoDbLocalOptions;
  progress: (line: string) => void;
  backfill: TokenCallResults['backfill'];
}): Promise<TokenCallResults> {
  const layouts = {} as TokenCallResults['layouts'];
  for (const layout of LAYOUTS) {
    options.progress(`  ${layout}: ${options.accounts} accounts x ${options.perAccount}`);
    layouts[layout] = await countLayout(layout, options);
  }
  return {
    generatedAt: new Date().toISOString(),
    accounts: options.accounts,
    perAccount: options.perAccount,
    layouts,
    backfill: options.backfill,
  };
}
