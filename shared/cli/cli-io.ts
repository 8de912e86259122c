import { createInterface } from 'node:readline/promises';
import { outputWidth } from './table.js';

/** Where a command writes; tests pass buffers. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** A progress line for long operations; shown in place on a terminal, dropped otherwise. */
  progress(text: string): void;
  env: Record<string, string | undefined>;
  /** The width tables fit (a terminal's columns); undefined: no limit (a pipe or a file). */
  columns?: number | undefined;
}

export const processIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  progress: (t) => {
    if (process.stderr.isTTY) process.stderr.write(`\r${t}\x1b[K`);
  },
  env: process.env,
  get columns() {
    return outputWidth(process.stdout, process.env);
  },
};

/** Wrong arguments: exit code 2 with the message and a pointer to --help. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** An unknown id or email: exit code 1 with the message (the arguments were well formed). */
export class NotFound extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFound';
  }
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export { table } from './table.js';

/** The width a command's tables fit: the terminal's, or COLUMNS from the command's environment. */
export const widthFor = (io: CliIo): number | undefined => io.columns ?? outputWidth({}, io.env);

export const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** A y/N question on the terminal, or undefined when stdin is not one (then a command needs --yes). */
export function terminalConfirm(): ((question: string) => Promise<boolean>) | undefined {
  if (!process.stdin.isTTY) return undefined;
  return async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return /^y(es)?$/i.test((await rl.question(question)).trim());
    } finally {
      rl.close();
    }
  };
}
