import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { synth } from './synth.js';

const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

/** Our source folders a function bundle must hold nothing of: the CLI, the local stack, the simulator, scripts, tests, infra. */
const NOT_IN_A_FUNCTION = /^(shared\/(cli|local|simulator)|bin|test|infra|examples)\//;

/** The project files whose code is in a bundle, relative to the project root (from its source map). */
function bundledSources(bundle: string): string[] {
  const map = JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as { sources: string[] };
  return map.sources.map((s) => relative(PROJECT_ROOT, resolve(dirname(bundle), s)));
}

/**
 * The one test that really bundles: every function, with the local esbuild (no Docker), into a
 * minified ESM bundle with its source map. The other tests skip bundling to stay fast.
 */
describe('function bundles', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'provisioner-bundling-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  const bundles: string[] = [];

  it('bundles all five handlers as ESM with source maps and a require shim', { timeout: 180_000 }, () => {
    const { template } = synth({ stage: 'demo' }, { bundle: true, outdir });
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(5);
    for (const fn of functions) {
      const key: string = fn.Properties.Code.S3Key;
      const assetDir = join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
      const bundle = join(assetDir, 'index.mjs');
      bundles.push(bundle);
      expect(existsSync(bundle), bundle).toBe(true);
      expect(existsSync(`${bundle}.map`), `${bundle}.map`).toBe(true);
      const code = readFileSync(bundle, 'utf8');
      expect(code).toMatch(/createRequire/);
      expect(code).toMatch(/export\s*\{/);
      expect(code).toMatch(/sourceMappingURL=index\.mjs\.map/);
    }
  });

  it('puts no CLI, local-stack, simulator, script or test code in any function', () => {
    expect(bundles).toHaveLength(5);
    for (const bundle of bundles) {
      const ours = bundledSources(bundle).filter((s) => !s.includes('node_modules'));
      // The handler itself is there, so the paths are read right.
      expect(
        ours.some((s) => /^functions\/[a-z-]+\/handler\.ts$/.test(s)),
        bundle,
      ).toBe(true);
      expect(
        ours.filter((s) => NOT_IN_A_FUNCTION.test(s)),
        bundle,
      ).toEqual([]);
    }
  });

  it("holds zod's tree-shakable build only: schemas that run in a function use zod/mini", () => {
    for (const bundle of bundles) {
      const zod = bundledSources(bundle).filter((s) => s.includes('node_modules/zod/'));
      expect(
        zod.some((s) => s.includes('/v4/mini/')),
        bundle,
      ).toBe(true);
      expect(
        zod.filter((s) => s.includes('/v4/classic/')),
        bundle,
      ).toEqual([]);
    }
  });

  it('reads a leak from a source map (the check above can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'provisioner-leak-'));
    try {
      const bundle = join(dir, 'index.mjs');
      writeFileSync(
        `${bundle}.map`,
        JSON.stringify({ sources: [relative(dir, join(PROJECT_ROOT, 'shared/simulator/simulator.ts'))] }),
      );
      expect(bundledSources(bundle).filter((s) => NOT_IN_A_FUNCTION.test(s))).toEqual([
        'shared/simulator/simulator.ts',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
