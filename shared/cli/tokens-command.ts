import type { ParameterTier } from '../domain/token-store-pricing.js';
import type { Clock } from '../ports/clock.js';
import {
  type MigrateTokensDeps,
  type MigrationPlan,
  type MigrationReport,
  migrateTokens,
  planTokenMigration,
  type TokenLayout,
  type TokenStoreName,
} from '../use-cases/migrate-tokens.js';
import { type CliIo, EXIT, json as toJson, UsageError } from './cli-io.js';

export const TOKENS_HELP = `provisioner tokens migrate --to parameter-store|secrets-manager [--dry-run] --stack NAME

Moves every token of a deployed stack (connection tokens and Connector API access tokens) to the
other store: copies each one, reads the copy back and compares it (never printing it), switches
the state's references (each conditional on the connection's version and reference: a concurrent
change is read again), and only when nothing failed schedules the old tokens' deletion (restorable
for the stage's recovery window). Resumable: after a crash, or an error, run it again; what is
done is not done twice. Progress goes to stderr.

First deploy the stack with the new store (npx cdk deploy -c tokenStore=parameter-store, or
without it for Secrets Manager): its functions then read and write the new store, and a token
they stored there meanwhile is kept. The command refuses a --to the stack is not deployed with.
Each switch writes a Connection Token Moved (Integration Token Moved) event with it, naming the
new and the old reference: a subscriber that kept a secretRef replaces it, since the old one
stops answering once its deletion is scheduled.

  --to STORE     parameter-store or secrets-manager
  --dry-run      say what would move and what it saves a month; change nothing, read no token
  --json         the plan or the report as JSON

Needs, besides the state table: Secrets Manager GetSecretValue, CreateSecret, TagResource,
RestoreSecret, PutSecretValue, DeleteSecret on the token secrets, SSM GetParameter, PutParameter,
AddTagsToResource, DeleteParameter on the token parameters (GetParameter, PutParameter under
deleted/), and the stack key for encrypt and decrypt through both services (docs/deploy.md, IAM
permissions for the CLI).
`;

const STORES: readonly TokenStoreName[] = ['secrets-manager', 'parameter-store'];

/** A deployed stack's token stores, found by its outputs (aws-token-layouts.ts). */
export interface TokenStores {
  where: string;
  /** The store the stack's functions use now. */
  deployed: TokenStoreName;
  /** The Mews environment its events name. */
  environment: MigrateTokensDeps['environment'];
  layouts: Record<TokenStoreName, TokenLayout>;
  store: MigrateTokensDeps['store'];
  recoveryDays: number;
  /** The stage's tier of new parameters (for the dry run's prices). */
  parameterTier: ParameterTier;
  clock: Clock;
  close(): Promise<void>;
}

export interface TokensOptions {
  sub: string | undefined;
  to: string | undefined;
  dryRun: boolean;
  json: boolean;
  stack: string | undefined;
}

export async function tokensCommand(
  options: TokensOptions,
  io: CliIo,
  open: (stack: string) => Promise<TokenStores>,
): Promise<number> {
  if (options.sub !== 'migrate')
    throw new UsageError(
      `unknown tokens command '${options.sub ?? ''}': try migrate or migrate-integrations`,
    );
  if (!options.stack) {
    throw new UsageError(
      "tokens migrate moves a deployed stack's tokens: pass --stack NAME (locally, tokens live in the state directory's vault)",
    );
  }
  const to = options.to as TokenStoreName;
  if (!STORES.includes(to)) {
    throw new UsageError(
      `--to must be parameter-store or secrets-manager${options.to ? `, not '${options.to}'` : ''}`,
    );
  }
  const from: TokenStoreName = to === 'parameter-store' ? 'secrets-manager' : 'parameter-store';
  const stores = await open(options.stack);
  try {
    const deps = { store: stores.store, from: stores.layouts[from], to: stores.layouts[to] };
    const notDeployed =
      stores.deployed === to
        ? undefined
        : `${stores.where} is deployed with tokenStore ${stores.deployed}: deploy it with -c tokenStore=${to} first, so its functions use ${to}, then run this again`;
    if (options.dryRun) {
      const plan = await planTokenMigration(deps, { tier: stores.parameterTier });
      io.out(
        options.json
          ? toJson({ dryRun: true, where: stores.where, ...plan, ...(notDeployed ? { notDeployed } : {}) })
          : planText(plan, notDeployed),
      );
      return EXIT.ok;
    }
    if (notDeployed) throw new UsageError(notDeployed);
    const report = await migrateTokens({
      ...deps,
      recoveryDays: stores.recoveryDays,
      environment: stores.environment,
      clock: stores.clock,
      onProgress: (step, done, total) => io.progress(`${step} ${done}/${total}`),
    });
    io.progress('');
    io.out(
      options.json ? toJson({ where: stores.where, ...report }) : reportText(report, stores.recoveryDays),
    );
    const troubled = report.results.some((r) => r.outcome === 'failed' || r.outcome === 'missing');
    return report.complete && !troubled ? EXIT.ok : EXIT.failed;
  } finally {
    await stores.close();
  }
}

function planText(plan: MigrationPlan, notDeployed: string | undefined): string {
  const line = (what: string, c: MigrationPlan['connections']) =>
    `  ${what}: ${c.toMove} to move, ${c.already} already in ${plan.to}${c.elsewhere ? `, ${c.elsewhere} elsewhere (left alone)` : ''}`;
  const { before, after, saving } = plan.monthly;
  return [
    `Dry run: nothing changed. Moving tokens from ${plan.from} to ${plan.to} would:`,
    line('connection tokens', plan.connections),
    line('integration access tokens', plan.integrations),
    `  token storage a month: $${before.toFixed(2)} now, $${after.toFixed(2)} after: ${saving >= 0 ? `saves $${saving.toFixed(2)}` : `costs $${(-saving).toFixed(2)} more`}`,
    ...plan.monthly.assumptions.map((a) => `  assuming ${a}`),
    ...(notDeployed ? [`Before running it: ${notDeployed}.`] : []),
    '',
  ].join('\n');
}

const OUTCOME_ORDER = ['copied', 'kept-newer', 'no-token', 'already', 'missing', 'failed'];

function reportText(report: MigrationReport, recoveryDays: number): string {
  // In a fixed order, whatever the ids.
  const counts = OUTCOME_ORDER.map(
    (o) => [o, report.results.filter((r) => r.outcome === o).length] as const,
  ).filter(([, n]) => n > 0);
  const problems = report.results.filter((r) => r.reason);
  return [
    `Tokens from ${report.from} to ${report.to}: ${counts.map(([o, n]) => `${n} ${o}`).join(', ') || 'none'}.`,
    ...problems.map((r) => `  ${r.outcome}: ${r.kind} ${r.id}: ${r.reason}`),
    report.complete
      ? `${report.scheduled} old token(s) scheduled for deletion (restorable for ${recoveryDays} days).`
      : 'Nothing was scheduled for deletion: fix what failed and run it again (what is done is kept).',
    '',
  ].join('\n');
}
