import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * The benchmark's chart for the README, as SVG: steady cycle time and calls per account vs
 * accounts, and backfill throughput. A Vega-Lite spec compiled to Vega and rendered without a
 * browser or canvas (text widths are estimated).
 */

export interface ChartInput {
  heading: string;
  steady: {
    accounts: number;
    wallMs: number;
    mewsPerAccount: number;
    readsPerAccount: number;
    writesPerAccount: number;
  }[];
  backfillTitle: string;
  backfills: { label: string; connectionsPerSecond: number; mewsPerSecond: number; budget: number | null }[];
}

const WIDTH = 330;
const HEIGHT = 260;
/** Gridlines at 1, 2 and 5 of each decade on the log axes. */
const LOG_TICKS = [-2, -1, 0, 1, 2, 3].flatMap((d) =>
  [1, 2, 5].map((m) => Number((m * 10 ** d).toPrecision(1))),
);
const BAR_COLORS = {
  domain: ['connections (whole cycle)', 'Mews requests (sync step)'],
  range: ['#2ca02c', '#1f77b4'],
};
const round2 = (n: number) => Math.round(n * 100) / 100;

function chartSpec(input: ChartInput): TopLevelSpec {
  const accounts = {
    field: 'accounts',
    type: 'quantitative',
    scale: { type: 'log', padding: 24, nice: false },
    axis: { values: input.steady.map((s) => s.accounts), format: ',d' },
    title: 'accounts (10 connections each)',
  } as const;
  const steady = input.steady.map((s) => ({ accounts: s.accounts, seconds: round2(s.wallMs / 1000) }));
  const calls = input.steady.flatMap((s) => [
    { accounts: s.accounts, series: 'Mews calls', value: round2(s.mewsPerAccount) },
    { accounts: s.accounts, series: 'DynamoDB reads', value: round2(s.readsPerAccount) },
    { accounts: s.accounts, series: 'DynamoDB writes', value: round2(s.writesPerAccount) },
  ]);
  const bars = input.backfills.flatMap((b) => [
    { label: b.label, measure: 'connections (whole cycle)', value: Math.round(b.connectionsPerSecond) },
    { label: b.label, measure: 'Mews requests (sync step)', value: Math.round(b.mewsPerSecond) },
  ]);
  const budgets = input.backfills.flatMap((b) =>
    b.budget === null ? [] : [{ label: b.label, budget: b.budget, text: `Mews budget ${b.budget}` }],
  );

  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: input.heading, anchor: 'start', fontSize: 15 },
    config: {
      font: 'Helvetica, Arial, sans-serif',
      view: { stroke: null },
      legend: { orient: 'bottom', labelLimit: 220 },
    },
    resolve: { scale: { color: 'independent' } },
    hconcat: [
      {
        title: 'Steady cycle time',
        width: WIDTH,
        height: HEIGHT,
        data: { values: steady },
        encoding: {
          x: accounts,
          y: {
            field: 'seconds',
            type: 'quantitative',
            scale: { type: 'log' },
            axis: { values: LOG_TICKS },
            title: 'seconds per cycle (log scale)',
          },
        },
        layer: [
          { mark: { type: 'line', point: true, color: '#1f77b4' } },
          { mark: { type: 'text', dy: -10, color: '#1f77b4' }, encoding: { text: { field: 'seconds' } } },
        ],
      },
      {
        title: 'Calls per account, steady',
        width: WIDTH,
        height: HEIGHT,
        layer: [
          {
            data: { values: calls },
            mark: { type: 'line', point: true },
            encoding: {
              x: accounts,
              y: { field: 'value', type: 'quantitative', title: 'requests per account per cycle' },
              color: {
                field: 'series',
                type: 'nominal',
                title: null,
                scale: { range: ['#1f77b4', '#e67e22', '#2ca02c'] },
                sort: ['Mews calls', 'DynamoDB reads', 'DynamoDB writes'],
              },
            },
          },
          {
            data: { values: [{ floor: 1 }] },
            mark: { type: 'rule', strokeDash: [4, 4], color: '#787878' },
            encoding: { y: { field: 'floor', type: 'quantitative' } },
          },
          {
            data: { values: [{ floor: 1, text: 'floor 1.0' }] },
            mark: { type: 'text', align: 'right', dy: -7, x: WIDTH, color: '#787878' },
            encoding: { y: { field: 'floor', type: 'quantitative' }, text: { field: 'text' } },
          },
        ],
      },
      {
        title: input.backfillTitle,
        width: WIDTH,
        height: HEIGHT,
        layer: [
          {
            data: { values: bars },
            mark: { type: 'bar' },
            encoding: {
              x: { field: 'label', type: 'nominal', title: null, axis: { labelAngle: 0 } },
              xOffset: { field: 'measure', sort: BAR_COLORS.domain },
              y: { field: 'value', type: 'quantitative', title: 'per second' },
              color: {
                field: 'measure',
                type: 'nominal',
                title: null,
                scale: BAR_COLORS,
              },
            },
          },
          {
            data: { values: bars },
            // Values inside the bars' tops, clear of the budget line above them.
            mark: { type: 'text', dy: 10, color: 'white', fontWeight: 'bold' },
            encoding: {
              x: { field: 'label', type: 'nominal' },
              xOffset: { field: 'measure', sort: BAR_COLORS.domain },
              y: { field: 'value', type: 'quantitative' },
              text: { field: 'value' },
            },
          },
          {
            data: { values: budgets },
            mark: { type: 'tick', thickness: 2, strokeDash: [5, 3], color: '#805aaa', size: 90 },
            encoding: {
              x: { field: 'label', type: 'nominal' },
              y: { field: 'budget', type: 'quantitative' },
            },
          },
          {
            data: { values: budgets },
            mark: { type: 'text', dy: -9, color: '#805aaa' },
            encoding: {
              x: { field: 'label', type: 'nominal' },
              y: { field: 'budget', type: 'quantitative' },
              text: { field: 'text' },
            },
          },
        ],
      },
    ],
  };
}

/** The chart as an SVG document. */
export async function renderChart(input: ChartInput): Promise<string> {
  const view = new View(parse(compile(chartSpec(input)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
