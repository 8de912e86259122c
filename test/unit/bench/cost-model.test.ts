import { describe, expect, it } from 'vitest';
import { costRow, renderTokenCalls } from '../../../bin/bench/cost-model.js';
import type { TokenCallResults } from '../../../bin/bench/token-calls.js';

/** The per-operation counts as the benchmark measured them (bench/results/token-store-calls.md). */
const op = (calls: Record<string, number>, kms: Record<string, number>) => ({
  unit: 'x',
  units: 1,
  calls,
  kms,
});
const RESULTS: TokenCallResults = {
  generatedAt: '2026-12-02T00:00:00.000Z',
  accounts: 20,
  perAccount: 10,
  backfill: null,
  layouts: {
    'secrets-manager': {
      discovery: op({ CreateSecret: 1, GetSecretValue: 1 }, { GenerateDataKey: 1, Decrypt: 1 }),
      steadyPoll: op({}, {}),
      refresh: op({ GetSecretValue: 1 }, { Decrypt: 1 }),
      removal: op({ DeleteSecret: 1 }, {}),
      restore: op({ CreateSecret: 1, RestoreSecret: 1, PutSecretValue: 1 }, { GenerateDataKey: 1 }),
      sweep: op({}, {}),
    },
    'parameter-store': {
      discovery: op({ PutParameter: 1, GetParameter: 2 }, { Encrypt: 1, Decrypt: 1 }),
      steadyPoll: op({}, {}),
      refresh: op({ GetParameter: 1 }, { Decrypt: 1 }),
      removal: op({ GetParameter: 1, PutParameter: 1, DeleteParameter: 1 }, { Decrypt: 1, Encrypt: 1 }),
      restore: op({ PutParameter: 1, GetParameter: 1 }, { Encrypt: 1 }),
      sweep: op({ DescribeParameters: 0.03, GetParameter: 1.33, DeleteParameters: 0.13 }, {}),
    },
  },
};

describe('cost model', () => {
  it('reproduces the Secrets Manager bill: $0.40 a secret dominates from 1,000 connections', () => {
    const row = costRow('secrets-manager', 10_000, RESULTS);
    expect(row.storage).toBeCloseTo(10_002 * 0.4, 6);
    // ~30 token calls per connection-month at $0.05 per 10,000.
    expect(row.tokenApi).toBeCloseTo((10_000 * 30.07 * 0.05) / 10_000, 1);
    expect(row.total).toBeGreaterThan(4_070);
    expect(row.total).toBeLessThan(4_080);
    expect(row.storage / row.total).toBeGreaterThan(0.95);
  });

  it('keeps the Parameter Store layout within $0.05 per connection-month at 10,000, advanced only over the limit', () => {
    const small = costRow('parameter-store', 1_000, RESULTS);
    expect(small.advanced).toBe(0);
    expect(small.tokenApi).toBe(0);
    const row = costRow('parameter-store', 10_000, RESULTS);
    // 10,000 live tokens + 2 % removed a month, 90 % of them held 30 days + the CDK bootstrap parameter.
    expect(row.parameters).toBe(10_181);
    expect(row.advanced).toBe(181);
    expect(row.storage).toBeCloseTo(181 * 0.05 + 2 * 0.4, 6);
    expect(row.perConnection).toBeLessThan(0.05);
    expect(row.perConnection).toBeLessThan(costRow('secrets-manager', 10_000, RESULTS).perConnection / 10);
  });

  it('is honest at 50,000: four fifths advanced parameters, and higher throughput bills every call', () => {
    const row = costRow('parameter-store', 50_000, RESULTS);
    expect(row.advanced).toBe(40_901);
    expect(row.perConnection).toBeGreaterThan(0.04);
    expect(row.perConnection).toBeLessThan(0.05);
    expect(row.storage / row.total).toBeGreaterThan(0.85);
    const calls = 50_000 * 30.15;
    expect(row.totalWithHighThroughput).toBeCloseTo(row.total - row.tokenApi + (calls * 0.05) / 10_000, 0);
  });

  it('writes the counts, both layouts at every size, the prices and the assumptions', () => {
    const md = renderTokenCalls(RESULTS);
    for (const n of ['100', '1,000', '10,000', '50,000']) {
      expect(md).toContain(`| secrets-manager | ${n} |`);
      expect(md).toContain(`| parameter-store | ${n} |`);
    }
    expect(md).toContain('| parameter-store | x | PutParameter 1, GetParameter 2 | Encrypt 1, Decrypt 1 |');
    expect(md).toContain('secretMonth: $0.4');
    expect(md).toContain('standardParameterLimit: 10000');
  });
});
