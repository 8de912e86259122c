import { describe, expect, it } from 'vitest';
import { renderChart } from '../../../bin/bench/chart.js';

describe('benchmark chart', () => {
  it('renders the three panels as one SVG document with their figures', async () => {
    const svg = await renderChart({
      heading: 'Mews connection provisioner: benchmark (small, 2 cores, DynamoDB Local)',
      steady: [
        { accounts: 10, wallMs: 70, mewsPerAccount: 1, readsPerAccount: 1.2, writesPerAccount: 0 },
        { accounts: 100, wallMs: 380, mewsPerAccount: 1, readsPerAccount: 1.02, writesPerAccount: 0 },
      ],
      backfillTitle: 'BACKFILL OF 1,000',
      backfills: [
        { label: 'no limit', connectionsPerSecond: 47.2, mewsPerSecond: 73.4, budget: null },
        { label: '50 rps limit', connectionsPerSecond: 36.1, mewsPerSecond: 49.6, budget: 50 },
      ],
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('</svg>');
    for (const text of [
      'Mews connection provisioner: benchmark (small, 2 cores, DynamoDB Local)',
      'Steady cycle time',
      'Calls per account, steady',
      'BACKFILL OF 1,000',
      'Mews budget 50',
      'floor 1.0',
      'DynamoDB writes',
      '0.38',
      '73',
    ]) {
      expect(svg).toContain(`>${text}<`);
    }
  });
});
