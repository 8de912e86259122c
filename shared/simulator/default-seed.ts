import { readFileSync } from 'node:fs';
import type { SeedFile } from './simulator-specs.js';

/** The seed shipped next to this file (`seed.json`), read fresh on every call. */
export function loadDefaultSeed(): SeedFile {
  return JSON.parse(readFileSync(new URL('./seed.json', import.meta.url), 'utf8')) as SeedFile;
}
