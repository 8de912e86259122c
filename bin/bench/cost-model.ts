import type { Layout, Operation, TokenCallResults } from './token-calls.js';

/**
 * The monthly cost of both token layouts from the counted calls (token-calls.ts). Every price
 * and assumption is a named constant here and is printed with the table (token-store-calls.md),
 * so docs/deploy.md and the README can quote it. us-east-1 list prices, no free tiers.
 */

const SIZES = [100, 1_000, 10_000, 50_000] as const;

const PRICES = {
  /** Secrets Manager: per secret and month; per 10,000 API calls. */
  secretMonth: 0.4,
  secretsManagerPer10kCalls: 0.05,
  /** Parameter Store: standard parameters are free (10,000 per account and region), advanced ones $0.05 a month. */
  advancedParameterMonth: 0.05,
  /**
   * Parameter Store API interactions: free for standard parameters at the standard throughput;
   * $0.05 per 10,000 for advanced parameters, and for every interaction once higher throughput is on.
   */
  parameterStorePer10kInteractions: 0.05,
  /** KMS: per customer managed key and month; per 10,000 requests. */
  kmsKeyMonth: 1,
  kmsPer10kRequests: 0.03,
} as const;

const ASSUMPTIONS = {
  /** Accounts are polled every 5 minutes, one account per 10 connections (the current model). */
  pollsPerAccountMonth: 8_640,
  connectionsPerAccount: 10,
  /** One configuration read (refresh) per connection and day (the current model). */
  refreshesPerConnectionMonth: 30,
  /** Share of connections added, and removed, in a month (each addition costs a discovery). */
  monthlyChurn: 0.02,
  /** Share of removed connections that come back within the recovery window. */
  returnShare: 0.1,
  /** Recovery window (production's default): a removed token is kept this long. */
  recoveryWindowDays: 30,
  /** Parameters in the account and region that are not tokens (the CDK bootstrap version parameter). */
  otherParameters: 1,
  /** The standard tier's limit per account and region; Intelligent-Tiering goes advanced beyond it. */
  standardParameterLimit: 10_000,
  /** Secrets besides tokens, in both layouts: the Mews client token and the integration webhook URL secret. */
  fixedSecrets: 2,
  /** Customer managed keys (state table, tokens, alarm topic). */
  kmsKeys: 3,
  /** KMS requests other than the token store's (DynamoDB's table key, the alarm topic), per month. */
  otherKmsMonth: 0.1,
} as const;

/**
 * What does not depend on the token layout, from the current model in docs/deploy.md (Lambda,
 * SQS, DynamoDB on demand, EventBridge, CloudWatch) at 100, 1,000 and 10,000 connections; 50,000
 * extends the 1,000 -> 10,000 slope (they grow with accounts times the poll rate).
 */
const OTHER_SERVICES: Record<string, Record<100 | 1_000 | 10_000, number>> = {
  Lambda: { 100: 0.33, 1000: 2.95, 10000: 28.8 },
  SQS: { 100: 0.59, 1000: 1.24, 10000: 7.77 },
  DynamoDB: { 100: 0.15, 1000: 1.42, 10000: 14.2 },
  EventBridge: { 100: 0.01, 1000: 0.01, 10000: 0.05 },
  CloudWatch: { 100: 7.9, 1000: 8.9, 10000: 18.4 },
};

function otherServices(connections: number): number {
  let total = 0;
  for (const at of Object.values(OTHER_SERVICES)) {
    if (connections in at) total += at[connections as 100 | 1_000 | 10_000];
    else total += at[10_000] + ((at[10_000] - at[1_000]) / 9_000) * (connections - 10_000);
  }
  return total;
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** API calls and KMS requests per connection and month, from the counted operations. */
function perConnectionMonth(
  ops: Record<Operation, { calls: Record<string, number>; kms: Record<string, number> }>,
) {
  const a = ASSUMPTIONS;
  const weights: Record<Operation, number> = {
    steadyPoll: a.pollsPerAccountMonth / a.connectionsPerAccount,
    refresh: a.refreshesPerConnectionMonth,
    discovery: a.monthlyChurn,
    removal: a.monthlyChurn,
    restore: a.monthlyChurn * a.returnShare,
    sweep: a.monthlyChurn * (1 - a.returnShare),
  };
  let calls = 0;
  let kms = 0;
  for (const op of Object.keys(weights) as Operation[]) {
    calls += sum(ops[op].calls) * weights[op];
    kms += sum(ops[op].kms) * weights[op];
  }
  return { calls, kms };
}

interface CostRow {
  connections: number;
  /** Secrets (SM) or advanced parameters (PS), and their monthly price. */
  storage: number;
  tokenApi: number;
  kms: number;
  other: number;
  total: number;
  perConnection: number;
  /** Parameter Store only: how many parameters exist, how many of them are advanced. */
  parameters?: number;
  advanced?: number;
  /** Parameter Store only: the total with higher throughput enabled (every interaction billed). */
  totalWithHighThroughput?: number;
}

export function costRow(layout: Layout, connections: number, results: TokenCallResults): CostRow {
  const p = PRICES;
  const a = ASSUMPTIONS;
  const rate = perConnectionMonth(results.layouts[layout]);
  const kms =
    a.kmsKeys * p.kmsKeyMonth + (connections * rate.kms * p.kmsPer10kRequests) / 10_000 + a.otherKmsMonth;
  const other = otherServices(connections);
  const fixedSecrets = a.fixedSecrets * p.secretMonth;
  const calls = connections * rate.calls;
  if (layout === 'secrets-manager') {
    const storage = connections * p.secretMonth + fixedSecrets;
    const tokenApi = (calls * p.secretsManagerPer10kCalls) / 10_000;
    const total = storage + tokenApi + kms + other;
    return { connections, storage, tokenApi, kms, other, total, perConnection: total / connections };
  }
  // Tokens scheduled for deletion are parameters too (under the deleted path) for the window.
  const held = connections * a.monthlyChurn * (1 - a.returnShare) * (a.recoveryWindowDays / 30);
  const parameters = Math.round(connections + held + a.otherParameters);
  const advanced = Math.max(0, parameters - a.standardParameterLimit);
  const storage = advanced * p.advancedParameterMonth + fixedSecrets;
  const tokenApi = ((calls * advanced) / parameters) * (p.parameterStorePer10kInteractions / 10_000);
  const total = storage + tokenApi + kms + other;
  const withHighThroughput = total - tokenApi + (calls * p.parameterStorePer10kInteractions) / 10_000;
  return {
    connections,
    storage,
    tokenApi,
    kms,
    other,
    total,
    perConnection: total / connections,
    parameters,
    advanced,
    totalWithHighThroughput: withHighThroughput,
  };
}

const money = (n: number) =>
  n >= 100 ? `$${Math.round(n).toLocaleString('en-US')}` : n >= 1 ? `$${n.toFixed(2)}` : `$${n.toFixed(3)}`;
const count = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

/** bench/results/token-store-calls.md: the counted calls, the per-connection rates and the cost table. */
export function renderTokenCalls(results: TokenCallResults): string {
  const lines: string[] = [];
  const a = ASSUMPTIONS;
  lines.push('# Token store calls and monthly cost, both layouts', '');
  lines.push(
    `Generated ${results.generatedAt} by \`BENCH_ONLY=tokens npm run bench\`: the local pipeline (DynamoDB Local, the Mews simulator, ${results.accounts} accounts x ${results.perAccount} connections) with the real vault adapter over a stateful fake of the service, every command counted, and the KMS request the service makes for it.`,
    '',
  );
  lines.push('## Calls per operation', '');
  lines.push('| layout | operation (per unit) | API calls | KMS requests |', '| --- | --- | --- | --- |');
  for (const [layout, ops] of Object.entries(results.layouts)) {
    for (const op of Object.values(ops)) {
      const calls =
        Object.entries(op.calls)
          .map(([k, v]) => `${k} ${count(v)}`)
          .join(', ') || 'none';
      const kms =
        Object.entries(op.kms)
          .map(([k, v]) => `${k} ${count(v)}`)
          .join(', ') || 'none';
      lines.push(`| ${layout} | ${op.unit} | ${calls} | ${kms} |`);
    }
  }
  lines.push('', '## Per connection and month', '');
  lines.push(
    `Weights: ${a.pollsPerAccountMonth.toLocaleString('en-US')} polls per account (every 5 minutes), ${a.connectionsPerAccount} connections per account, ${a.refreshesPerConnectionMonth} refreshes per connection, ${a.monthlyChurn * 100} % of connections added and ${a.monthlyChurn * 100} % removed a month, ${a.returnShare * 100} % of those back within the ${a.recoveryWindowDays}-day window.`,
    '',
  );
  lines.push('| layout | API calls | KMS requests |', '| --- | ---: | ---: |');
  for (const layout of Object.keys(results.layouts) as Layout[]) {
    const rate = perConnectionMonth(results.layouts[layout]);
    lines.push(`| ${layout} | ${rate.calls.toFixed(2)} | ${rate.kms.toFixed(2)} |`);
  }
  lines.push('', '## Monthly cost', '');
  lines.push(
    '| layout | connections | token storage | token API | KMS | everything else | total | per connection-month |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const layout of Object.keys(results.layouts) as Layout[]) {
    for (const n of SIZES) {
      const r = costRow(layout, n, results);
      const storage =
        layout === 'parameter-store'
          ? `${money(r.storage)} (${(r.advanced ?? 0).toLocaleString('en-US')} advanced of ${(r.parameters ?? 0).toLocaleString('en-US')})`
          : money(r.storage);
      lines.push(
        `| ${layout} | ${n.toLocaleString('en-US')} | ${storage} | ${money(r.tokenApi)} | ${money(r.kms)} | ${money(r.other)} | ${money(r.total)} | ${money(r.perConnection)} |`,
      );
    }
  }
  lines.push('', 'Parameter Store with higher throughput enabled (every API interaction billed):', '');
  lines.push('| connections | total | per connection-month |', '| ---: | ---: | ---: |');
  for (const n of SIZES) {
    const r = costRow('parameter-store', n, results);
    const total = r.totalWithHighThroughput ?? r.total;
    lines.push(`| ${n.toLocaleString('en-US')} | ${money(total)} | ${money(total / n)} |`);
  }
  if (results.backfill) {
    const b = results.backfill;
    lines.push(
      '',
      '## Throughput of a backfill',
      '',
      `The benchmark's backfill of ${b.connections.toLocaleString('en-US')} connections (bench.json) stored ${b.putsPerSecond.toFixed(0)} tokens a second and read ${b.getsPerSecond.toFixed(0)} a second (${b.limitedGetsPerSecond.toFixed(0)} with Mews limited). Parameter Store's default throughput is 40 GetParameter/GetParameters/GetParametersByPath a second and 3 PutParameter a second per account and region; higher throughput raises GetParameter to thousands and PutParameter to 10.`,
    );
  }
  lines.push('', '## Prices', '');
  for (const [key, value] of Object.entries(PRICES)) lines.push(`- ${key}: $${value}`);
  lines.push('', '## Assumptions', '');
  for (const [key, value] of Object.entries(ASSUMPTIONS)) lines.push(`- ${key}: ${value}`);
  return `${lines.join('\n')}\n`;
}
