import type { CliIo } from '../../shared/cli/cli-io.js';
import { main } from '../../shared/cli/main.js';

/** What one in-process run of the CLI printed, and its exit code. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Progress lines, in order (a terminal shows them in place). */
  progress: string[];
}

/**
 * Runs `provisioner <args>` in-process, as `main` does for the binary, with the given environment
 * (nothing from the test process's own) and table width, capturing what it writes.
 */
export async function runCli(
  args: string[],
  io: Pick<CliIo, 'env' | 'columns'> = { env: {} },
  options?: Parameters<typeof main>[2],
): Promise<CliRun> {
  const run: CliRun = { code: 0, stdout: '', stderr: '', progress: [] };
  run.code = await main(
    args,
    {
      out: (t) => {
        run.stdout += t;
      },
      err: (t) => {
        run.stderr += t;
      },
      progress: (t) => {
        run.progress.push(t);
      },
      ...io,
    },
    options,
  );
  return run;
}
