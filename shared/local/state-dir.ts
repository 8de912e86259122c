import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'mews-connection-provisioner';

const isProjectFolder = (dir: string) => {
  try {
    return (
      (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name === PACKAGE_NAME
    );
  } catch {
    return false;
  }
};

/** The checkout this code runs from (sources or dist/), unless it is an installed copy under node_modules. */
function ownCheckout(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (isProjectFolder(dir)) return dir.split(sep).includes('node_modules') ? undefined : dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The default state directory when PROVISIONER_STATE_DIR (or --state-dir) is not given:
 * `.provisioner` in the project folder, that is the current folder when it is the project, or
 * else the checkout the command runs from (after `npm link`, from any folder). Undefined for an
 * installed copy run elsewhere: a state directory is never created silently in a random folder.
 */
export function defaultStateDir(cwd = process.cwd()): string | undefined {
  const project = isProjectFolder(cwd) ? cwd : ownCheckout();
  return project && existsSync(project) ? join(project, '.provisioner') : undefined;
}

export const NO_STATE_DIR =
  'no state directory: this folder is not the provisioner project and the command does not run from a checkout. ' +
  'Set PROVISIONER_STATE_DIR (or pass --state-dir), e.g. PROVISIONER_STATE_DIR=~/.mews-provisioner';
