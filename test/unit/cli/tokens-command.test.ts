import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/adapters/memory/manual-clock.js';
import { MemoryStateStore } from '../../../shared/adapters/memory/memory-state-store.js';
import type { CliIo } from '../../../shared/cli/cli-io.js';
import { main } from '../../../shared/cli/main.js';
import type { TokenStores } from '../../../shared/cli/tokens-command.js';
import type { TokenStoreName } from '../../../shared/use-cases/migrate-tokens.js';
import { memoryLayout, populateDeployment, unreadableTokens } from '../../support/token-deployment.js';

/** A stack (in memory) whose tokens are in Secrets Manager, deployed with `deployed`. */
async function stack(deployed: TokenStoreName) {
  const clock = new ManualClock({ start: '2026-03-01T00:00:00.000Z' });
  const store = new MemoryStateStore();
  const layouts = {
    'secrets-manager': memoryLayout('secrets-manager', () => {}, clock),
    'parameter-store': memoryLayout('parameter-store', () => {}, clock),
  };
  const deployment = await populateDeployment(store, layouts['secrets-manager']);
  let closed = 0;
  const stores: TokenStores = {
    where: 'stack Demo',
    deployed,
    layouts,
    store,
    recoveryDays: 7,
    environment: 'demo',
    parameterTier: 'Intelligent-Tiering',
    clock,
    close: async () => {
      closed += 1;
    },
  };
  return { store, layouts, deployment, stores, closed: () => closed };
}

async function cli(args: string[], stores?: TokenStores) {
  let stdout = '';
  let stderr = '';
  const progress: string[] = [];
  const io: CliIo = {
    out: (t) => {
      stdout += t;
    },
    err: (t) => {
      stderr += t;
    },
    progress: (t) => progress.push(t),
    env: {},
  };
  const code = await main(args, io, {
    openTokenStores: async () => {
      if (!stores) throw new Error('no stack expected');
      return stores;
    },
  });
  return { code, stdout, stderr, progress };
}

const refs = async (store: MemoryStateStore) => [
  ...(await store.listConnections()).map((c) => c.secretRef),
  ...(await store.listIntegrations()).map((i) => i.secretRef),
];

describe('provisioner tokens migrate', () => {
  it('--dry-run says what would move and what it saves a month, and changes nothing', async () => {
    const s = await stack('secrets-manager');
    const before = await refs(s.store);
    const run = await cli(
      ['tokens', 'migrate', '--to', 'parameter-store', '--dry-run', '--stack', 'Demo'],
      s.stores,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Dry run: nothing changed');
    expect(run.stdout).toContain('connection tokens: 6 to move, 0 already in parameter-store');
    expect(run.stdout).toContain('integration access tokens: 3 to move');
    expect(run.stdout).toContain('$2.80 now, $0.00 after: saves $2.80');
    expect(run.stdout).toContain('assuming parameter tier Intelligent-Tiering');
    // the stack is still on Secrets Manager: say what to do first
    expect(run.stdout).toContain('deploy it with -c tokenStore=parameter-store first');
    expect(await refs(s.store)).toEqual(before);
    expect(s.closed()).toBe(1);

    const asJson = await cli(
      ['tokens', 'migrate', '--to', 'parameter-store', '--dry-run', '--json', '--stack', 'Demo'],
      s.stores,
    );
    expect(JSON.parse(asJson.stdout)).toMatchObject({
      dryRun: true,
      monthly: { saving: 2.8 },
      connections: { toMove: 6 },
    });
  });

  it('refuses to move tokens to a store the stack is not deployed with, changing nothing', async () => {
    const s = await stack('secrets-manager');
    const before = await refs(s.store);
    const run = await cli(['tokens', 'migrate', '--to', 'parameter-store', '--stack', 'Demo'], s.stores);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'stack Demo is deployed with tokenStore secrets-manager: deploy it with -c tokenStore=parameter-store first',
    );
    expect(await refs(s.store)).toEqual(before);
  });

  it('moves them, with progress on stderr, a summary without any token, and the state switched', async () => {
    const s = await stack('parameter-store');
    const run = await cli(['tokens', 'migrate', '--to', 'parameter-store', '--stack', 'Demo'], s.stores);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Tokens from secrets-manager to parameter-store: 6 copied, 3 no-token.');
    expect(run.stdout).toContain('9 old token(s) scheduled for deletion (restorable for 7 days).');
    expect(run.progress).toContain('copy 9/9');
    expect(run.progress).toContain('switch 9/9');
    expect(run.progress).toContain('schedule 9/9');
    expect(`${run.stdout}${run.progress.join('\n')}`).not.toContain('FAKE-');
    expect(await unreadableTokens(s.store, [s.layouts['parameter-store']], s.deployment)).toEqual([]);

    const again = await cli(
      ['tokens', 'migrate', '--to', 'parameter-store', '--json', '--stack', 'Demo'],
      s.stores,
    );
    expect(again.code).toBe(0);
    const report = JSON.parse(again.stdout);
    expect(report).toMatchObject({ where: 'stack Demo', complete: true, from: 'secrets-manager' });
    expect(report.results.every((r: { outcome: string }) => r.outcome === 'already')).toBe(true);
  });

  it('wrong arguments are usage errors (exit 2) that open no stack', async () => {
    const cases: [string[], RegExp][] = [
      [['tokens', 'migrate', '--to', 'parameter-store'], /pass --stack NAME/],
      [['tokens', 'migrate', '--stack', 'Demo'], /--to must be parameter-store or secrets-manager/],
      [['tokens', 'migrate', '--to', 'ssm', '--stack', 'Demo'], /not 'ssm'/],
      [['tokens', 'migrate', '--to', 'parameter-store', '--once', '--stack', 'Demo'], /does not take --once/],
      [['tokens', 'migrate', 'extra', '--stack', 'Demo'], /unexpected argument 'extra'/],
    ];
    for (const [args, message] of cases) {
      const run = await cli(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
    const help = await cli(['tokens']);
    expect(help.code).toBe(2);
    expect(help.stdout).toContain('provisioner tokens migrate --to parameter-store|secrets-manager');
    expect((await cli(['help', 'tokens'])).code).toBe(0);
  });
});
