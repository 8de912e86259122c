import type { Logger } from '../../ports/logger.js';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LEVELS)[number] | 'silent';

interface LoggerOptions {
  /** `json`: one JSON object per line (the default); `text`: `warn  message  key=value ...` for people. */
  format?: 'json' | 'text';
  /** Colours a text line's level, e.g. yellow for warn (text format only). */
  paint?: (level: (typeof LEVELS)[number], text: string) => string;
}

/**
 * Local runs log JSON lines to stderr, keeping stdout for command output. On Lambda the
 * Powertools Logger takes this place. Callers pass ids and masked emails only.
 */
export function stderrLogger(
  level: LogLevel,
  write: (line: string) => void = (l) => process.stderr.write(l),
  options: LoggerOptions = {},
): Logger {
  const threshold = level === 'silent' ? LEVELS.length : LEVELS.indexOf(level);
  const log =
    (lvl: (typeof LEVELS)[number]) =>
    (message: string, ...extra: Record<string, unknown>[]) => {
      if (LEVELS.indexOf(lvl) < threshold) return;
      if (options.format === 'text') {
        const fields = Object.entries(Object.assign({}, ...extra) as Record<string, unknown>)
          .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join(' ');
        const tag = lvl.padEnd(5);
        write(`${options.paint ? options.paint(lvl, tag) : tag}  ${message}${fields ? `  ${fields}` : ''}\n`);
        return;
      }
      write(
        `${JSON.stringify(Object.assign({ level: lvl, time: new Date().toISOString(), message }, ...extra))}\n`,
      );
    };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** Every line to each of the loggers (npm start: text on the console, JSON lines to a file). */
export function teeLogger(...loggers: Logger[]): Logger {
  const each =
    (lvl: (typeof LEVELS)[number]) =>
    (message: string, ...extra: Record<string, unknown>[]) => {
      for (const l of loggers) l[lvl](message, ...extra);
    };
  return { debug: each('debug'), info: each('info'), warn: each('warn'), error: each('error') };
}
