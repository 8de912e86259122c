import { Canvas, type Rgb, textWidth } from './png.js';

/** The benchmark's chart for the README: steady cycle time and calls per account vs accounts, and backfill throughput. */

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

interface Series {
  name: string;
  color: Rgb;
  points: { x: number; y: number }[];
}

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

const INK: Rgb = [40, 40, 40];
const GRID: Rgb = [225, 225, 225];
const MUTED: Rgb = [120, 120, 120];
const BLUE: Rgb = [31, 119, 180];
const ORANGE: Rgb = [230, 126, 34];
const GREEN: Rgb = [44, 160, 44];
const PURPLE: Rgb = [128, 90, 170];

export function renderChart(input: ChartInput): Buffer {
  const canvas = new Canvas(1260, 470);
  canvas.text(20, 16, input.heading, INK, 2);
  const panel = (i: number): Rect => ({ x: 20 + i * 415, y: 60, w: 395, h: 390 });

  linePanel(canvas, panel(0), {
    title: 'STEADY CYCLE TIME',
    yLabel: 'seconds per cycle (log scale)',
    logY: true,
    series: [
      {
        name: 'wall time (s)',
        color: BLUE,
        points: input.steady.map((s) => ({ x: s.accounts, y: s.wallMs / 1000 })),
      },
    ],
    labelPoints: true,
  });
  linePanel(canvas, panel(1), {
    title: 'CALLS PER ACCOUNT, STEADY',
    yLabel: 'requests per account per cycle',
    series: [
      {
        name: 'Mews calls',
        color: BLUE,
        points: input.steady.map((s) => ({ x: s.accounts, y: s.mewsPerAccount })),
      },
      {
        name: 'DynamoDB reads',
        color: ORANGE,
        points: input.steady.map((s) => ({ x: s.accounts, y: s.readsPerAccount })),
      },
      {
        name: 'DynamoDB writes',
        color: GREEN,
        points: input.steady.map((s) => ({ x: s.accounts, y: s.writesPerAccount })),
      },
    ],
    floor: { y: 1, label: 'floor 1.0' },
    minYMax: 1.5,
  });
  barPanel(canvas, panel(2), input.backfillTitle, input.backfills);
  return canvas.toPng();
}

function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * power >= value) return m * power;
  return 10 * power;
}

function formatTick(value: number): string {
  if (value === 0) return '0';
  if (Math.abs(value) >= 1000) return `${Math.round(value / 100) / 10}K`.replace('.0K', 'K');
  if (Math.abs(value) >= 10) return String(Math.round(value));
  return String(Math.round(value * 100) / 100);
}

function frame(canvas: Canvas, r: Rect, title: string): Rect {
  canvas.text(r.x, r.y, title, INK, 2);
  return { x: r.x + 48, y: r.y + 34, w: r.w - 58, h: r.h - 110 };
}

function yAxis(canvas: Canvas, plot: Rect, yMax: number, label: string): (y: number) => number {
  const toY = (y: number) => plot.y + plot.h - (y / yMax) * plot.h;
  for (let i = 0; i <= 5; i++) {
    const value = (yMax * i) / 5;
    const py = toY(value);
    canvas.line(plot.x, py, plot.x + plot.w, py, GRID);
    const text = formatTick(value);
    canvas.text(plot.x - 6 - textWidth(text), py - 3, text, MUTED);
  }
  canvas.line(plot.x, plot.y, plot.x, plot.y + plot.h, INK);
  canvas.line(plot.x, plot.y + plot.h, plot.x + plot.w, plot.y + plot.h, INK);
  canvas.text(plot.x, plot.y - 14, label, MUTED);
  return toY;
}

/** Decades from below the smallest value to above the largest; gridlines at 1, 2 and 5 of each. */
function logYAxis(canvas: Canvas, plot: Rect, values: number[], label: string): (y: number) => number {
  const positive = values.filter((v) => v > 0);
  const lo = Math.floor(Math.log10(Math.min(...positive, 1)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...positive, 1)) + 0.05));
  const toY = (y: number) =>
    plot.y + plot.h - ((Math.log10(Math.max(y, 10 ** lo)) - lo) / (hi - lo)) * plot.h;
  for (let d = lo; d <= hi; d++) {
    for (const m of [1, 2, 5]) {
      const value = m * 10 ** d;
      if (value > 10 ** hi) break;
      const py = toY(value);
      canvas.line(plot.x, py, plot.x + plot.w, py, GRID);
      const text = formatTick(value);
      canvas.text(plot.x - 6 - textWidth(text), py - 3, text, MUTED);
    }
  }
  canvas.line(plot.x, plot.y, plot.x, plot.y + plot.h, INK);
  canvas.line(plot.x, plot.y + plot.h, plot.x + plot.w, plot.y + plot.h, INK);
  canvas.text(plot.x, plot.y - 14, label, MUTED);
  return toY;
}

function linePanel(
  canvas: Canvas,
  r: Rect,
  options: {
    title: string;
    yLabel: string;
    series: Series[];
    floor?: { y: number; label: string };
    minYMax?: number;
    labelPoints?: boolean;
    logY?: boolean;
  },
): void {
  const plot = frame(canvas, r, options.title);
  const xs = [...new Set(options.series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const all = options.series.flatMap((s) => s.points.map((p) => p.y));
  const toY = options.logY
    ? logYAxis(canvas, plot, all, options.yLabel)
    : yAxis(canvas, plot, niceMax(Math.max(options.minYMax ?? 0, ...all) * 1.1), options.yLabel);

  // Accounts on a log scale, padded half a decade on each side.
  const lo = Math.log10(Math.min(...xs, 10)) - 0.3;
  const hi = Math.log10(Math.max(...xs, 10)) + 0.3;
  const toX = (x: number) => plot.x + ((Math.log10(x) - lo) / (hi - lo || 1)) * plot.w;
  for (const x of xs) {
    const px = toX(x);
    canvas.line(px, plot.y + plot.h, px, plot.y + plot.h + 4, INK);
    const text = x.toLocaleString('en-US');
    canvas.text(px - textWidth(text) / 2, plot.y + plot.h + 8, text, INK);
  }
  const xLabel = 'accounts (10 connections each)';
  canvas.text(plot.x + (plot.w - textWidth(xLabel)) / 2, plot.y + plot.h + 22, xLabel, MUTED);

  if (options.floor) {
    const py = toY(options.floor.y);
    canvas.line(plot.x, py, plot.x + plot.w, py, MUTED, 1, 4);
    canvas.text(plot.x + plot.w - textWidth(options.floor.label) - 2, py - 11, options.floor.label, MUTED);
  }
  for (const s of options.series) {
    const pts = s.points.map((p) => ({ x: toX(p.x), y: toY(p.y), value: p.y }));
    for (let i = 1; i < pts.length; i++) {
      const a = pts[i - 1];
      const b = pts[i];
      if (a && b) canvas.line(a.x, a.y, b.x, b.y, s.color, 2);
    }
    for (const p of pts) {
      canvas.dot(p.x, p.y, 3, s.color);
      if (options.labelPoints) {
        const text = formatTick(p.value);
        canvas.text(p.x - textWidth(text) / 2, p.y - 14, text, s.color);
      }
    }
  }
  legend(
    canvas,
    r.x + 10,
    r.y + r.h - 38,
    options.series.map((s) => ({ name: s.name, color: s.color })),
  );
}

function barPanel(canvas: Canvas, r: Rect, title: string, backfills: ChartInput['backfills']): void {
  const plot = frame(canvas, r, title);
  const values = backfills.flatMap((b) => [b.connectionsPerSecond, b.mewsPerSecond, b.budget ?? 0]);
  const yMax = niceMax(Math.max(1, ...values) * 1.15);
  const toY = yAxis(canvas, plot, yMax, 'per second');
  const group = plot.w / Math.max(1, backfills.length);
  const barW = Math.min(48, group / 3);
  backfills.forEach((b, i) => {
    const gx = plot.x + i * group + (group - 2 * barW - 8) / 2;
    const bars = [
      { value: b.connectionsPerSecond, color: GREEN },
      { value: b.mewsPerSecond, color: BLUE },
    ];
    bars.forEach((bar, j) => {
      const x = gx + j * (barW + 8);
      const top = toY(bar.value);
      canvas.fillRect(x, top, barW, plot.y + plot.h - top, bar.color);
      const text = formatTick(bar.value);
      const inside = plot.y + plot.h - top > 16;
      canvas.text(
        x + (barW - textWidth(text)) / 2,
        inside ? top + 5 : top - 11,
        text,
        inside ? [255, 255, 255] : bar.color,
      );
    });
    if (b.budget !== null) {
      const py = toY(b.budget);
      canvas.line(gx - 6, py, gx + 2 * barW + 14, py, PURPLE, 2, 5);
      canvas.text(gx - 6, py - 11, `budget ${formatTick(b.budget)}`, PURPLE);
    }
    canvas.text(plot.x + i * group + (group - textWidth(b.label)) / 2, plot.y + plot.h + 8, b.label, INK);
  });
  legend(canvas, r.x + 10, r.y + r.h - 38, [
    { name: 'connections (whole cycle)', color: GREEN },
    { name: 'Mews requests (sync step)', color: BLUE },
    { name: 'Mews budget', color: PURPLE },
  ]);
}

function legend(canvas: Canvas, x: number, y: number, items: { name: string; color: Rgb }[]): void {
  let cx = x;
  let cy = y;
  for (const item of items) {
    const width = 16 + textWidth(item.name) + 14;
    if (cx + width > x + 385) {
      cx = x;
      cy += 14;
    }
    canvas.fillRect(cx, cy + 1, 10, 6, item.color);
    canvas.text(cx + 14, cy, item.name, INK);
    cx += width;
  }
}
