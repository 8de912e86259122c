/** Columns never shrink below this (or their header), whatever the terminal's width. */
const MIN_COLUMN = 8;
const GAP = '  ';

/**
 * Left-aligned columns, for people; `--json` is for programs. With a `width` (a terminal's
 * columns) every line fits it: the widest columns are shortened first, their cells cut with `…`,
 * and a line never wraps. Without one (output to a pipe or a file) nothing is cut.
 */
export function table(headers: string[], rows: string[][], width?: number): string {
  const clean = rows.map((r) => headers.map((_, i) => (r[i] ?? '').replace(/\s*[\r\n]+\s*/g, ' ')));
  const widths = headers.map((h, i) => Math.max(h.length, ...clean.map((r) => (r[i] ?? '').length)));
  if (width !== undefined && width > 0) shrinkToFit(widths, headers, width);
  const line = (cells: string[]) => {
    const text = cells
      .map((c, i) => cut(c, widths[i] ?? 0).padEnd(widths[i] ?? 0))
      .join(GAP)
      .trimEnd();
    return width !== undefined && width > 0 ? cut(text, width) : text;
  };
  return `${[line(headers), ...clean.map(line)].join('\n')}\n`;
}

/** Shrinks the widest column, one character at a time, until the line fits or none can shrink. */
function shrinkToFit(widths: number[], headers: string[], width: number): void {
  const total = () => widths.reduce((a, b) => a + b, 0) + GAP.length * (widths.length - 1);
  const floor = (i: number) => Math.max(MIN_COLUMN, headers[i]?.length ?? 0);
  while (total() > width) {
    let widest = -1;
    for (const [i, w] of widths.entries()) {
      if (w > floor(i) && (widest < 0 || w > (widths[widest] ?? 0))) widest = i;
    }
    if (widest < 0) return;
    widths[widest] = (widths[widest] ?? 0) - 1;
  }
}

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/** The width tables fit: a terminal's columns; COLUMNS when set; otherwise none (a pipe gets everything). */
export function outputWidth(
  stream: { isTTY?: boolean | undefined; columns?: number | undefined },
  env: Record<string, string | undefined>,
): number | undefined {
  const fromEnv = Number(env.COLUMNS);
  if (env.COLUMNS && Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  return stream.isTTY && stream.columns ? stream.columns : undefined;
}
