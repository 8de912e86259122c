import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { synth } from './synth.js';

/**
 * The one test that really bundles: every function, with the local esbuild (no Docker), into a
 * minified ESM bundle with its source map. The other tests skip bundling to stay fast.
 */
describe('function bundles', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'provisioner-bundling-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('bundles all five handlers as ESM with source maps and a require shim', { timeout: 180_000 }, () => {
    const { template } = synth({ stage: 'demo' }, { bundle: true, outdir });
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(5);
    for (const fn of functions) {
      const key: string = fn.Properties.Code.S3Key;
      const assetDir = join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
      const bundle = join(assetDir, 'index.mjs');
      expect(existsSync(bundle), bundle).toBe(true);
      expect(existsSync(`${bundle}.map`), `${bundle}.map`).toBe(true);
      const code = readFileSync(bundle, 'utf8');
      expect(code).toMatch(/createRequire/);
      expect(code).toMatch(/export\s*\{/);
      expect(code).toMatch(/sourceMappingURL=index\.mjs\.map/);
    }
  });
});
