import type { Logger } from '../../ports/logger.js';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LEVELS)[number] | 'silent';

/**
 * Local runs log JSON lines to stderr, keeping stdout for command output. On Lambda the
 * Powertools Logger takes this place. Callers pass ids and masked emails only.
 */
export function stderrLogger(
  level: LogLevel,
  write: (line: string) => void = (l) => process.stderr.write(l),
): Logger {
  const threshold = level === 'silent' ? LEVELS.length : LEVELS.indexOf(level);
  const log =
    (lvl: (typeof LEVELS)[number]) =>
    (message: string, ...extra: Record<string, unknown>[]) => {
      if (LEVELS.indexOf(lvl) < threshold) return;
      write(
        `${JSON.stringify(Object.assign({ level: lvl, time: new Date().toISOString(), message }, ...extra))}\n`,
      );
    };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
