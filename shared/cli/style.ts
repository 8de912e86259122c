/**
 * Colour for people: on for a terminal, off for a pipe or a file, off whenever NO_COLOR is set
 * (https://no-color.org) or TERM is dumb; FORCE_COLOR (not 0) turns it on regardless.
 */
export function colourEnabled(
  stream: { isTTY?: boolean | undefined },
  env: Record<string, string | undefined>,
): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

const CODES = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33, cyan: 36 } as const;
export type Style = Record<keyof typeof CODES, (text: string) => string>;

export function style(enabled: boolean): Style {
  const entries = Object.entries(CODES).map(([name, code]) => [
    name,
    enabled ? (text: string) => `\x1b[${code}m${text}\x1b[0m` : (text: string) => text,
  ]);
  return Object.fromEntries(entries) as Style;
}
