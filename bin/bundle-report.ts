/**
 * `npm run bundle-report`: builds each Lambda bundle exactly as the stack does (infra/bundling-options.ts)
 * and reports its size and cold import time, next to a bare bundle that imports only the same AWS
 * SDK clients (the floor any handler using them pays). Writes bench/results/bundles.json.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { ESBUILD_TARGET, MAIN_FIELDS, REQUIRE_BANNER } from '../infra/bundling-options.js';

const root = join(import.meta.dirname, '..');
const runs = Number(process.env.BUNDLE_REPORT_RUNS ?? 7);
const out = await mkdtemp(join(tmpdir(), 'bundle-report-'));

async function bundle(entry: string, name: string, stdin?: string) {
  const outfile = join(out, name, 'index.mjs');
  const result = await build({
    ...(stdin ? { stdin: { contents: stdin, resolveDir: root, loader: 'ts' } } : { entryPoints: [entry] }),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: ESBUILD_TARGET,
    mainFields: MAIN_FIELDS,
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    banner: { js: REQUIRE_BANNER },
    outfile,
    metafile: true,
    logLevel: 'error',
  });
  const bytes = (await stat(outfile)).size;
  const gzip = gzipSync(readFileSync(outfile)).length;
  // Clients whose code is in the bundle (imported and used, not tree-shaken away).
  const output = Object.entries(result.metafile.outputs).find(([file]) => file.endsWith('.mjs'))?.[1];
  const sdkClients = [
    ...new Set(
      Object.entries(output?.inputs ?? {})
        .filter(([, info]) => info.bytesInOutput > 0)
        .map(([p]) => /node_modules\/@aws-sdk\/(client-[a-z0-9-]+)\//.exec(p)?.[1])
        .filter((c): c is string => c !== undefined),
    ),
  ].sort();
  return { outfile, bytes, gzip, sdkClients };
}

/** Median wall time of `import()` of the bundle in a fresh Node process. */
function coldImportMs(file: string): number {
  const script = `const t=performance.now();await import(${JSON.stringify(file)});process.stdout.write(String(performance.now()-t));`;
  const times = Array.from({ length: runs }, () =>
    Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })),
  ).sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

const CLIENT_CLASSES: Record<string, string> = {
  'client-dynamodb': 'DynamoDBClient',
  'client-sqs': 'SQSClient',
  'client-secrets-manager': 'SecretsManagerClient',
  'client-eventbridge': 'EventBridgeClient',
  'client-cloudformation': 'CloudFormationClient',
};

const rows = [];
for (const fn of (await readdir(join(root, 'functions'))).sort()) {
  const handler = join(root, 'functions', fn, 'handler.ts');
  const real = await bundle(handler, fn);
  // The floor: the client classes the handler uses, and nothing else.
  const bareSource = real.sdkClients
    .map((c, i) => `import { ${CLIENT_CLASSES[c]} as C${i} } from '@aws-sdk/${c}'; globalThis.k${i} = C${i};`)
    .join('\n');
  const bare = await bundle('', `${fn}-bare`, bareSource || 'export {};');
  const realMs = coldImportMs(real.outfile);
  const bareMs = coldImportMs(bare.outfile);
  rows.push({
    function: fn,
    bytes: real.bytes,
    gzipBytes: real.gzip,
    sdkClients: real.sdkClients,
    coldImportMs: Math.round(realMs * 10) / 10,
    bareBytes: bare.bytes,
    bareColdImportMs: Math.round(bareMs * 10) / 10,
    importRatio: Math.round((realMs / bareMs) * 100) / 100,
  });
}
await rm(out, { recursive: true, force: true });

const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
process.stdout.write(
  [
    `Lambda bundles (minified ESM, ${ESBUILD_TARGET}, AWS SDK bundled; cold import: median of ${runs} fresh processes, Node ${process.version})`,
    '',
    '| function | size | gzip | SDK clients | cold import | bare bundle (same clients) | bare import | ratio |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.function} | ${kb(r.bytes)} | ${kb(r.gzipBytes)} | ${r.sdkClients.join(', ') || '-'} | ${r.coldImportMs} ms | ${kb(r.bareBytes)} | ${r.bareColdImportMs} ms | ${r.importRatio} |`,
    ),
    '',
  ].join('\n'),
);
await mkdir(join(root, 'bench', 'results'), { recursive: true });
await writeFile(join(root, 'bench', 'results', 'bundles.json'), `${JSON.stringify(rows, null, 2)}\n`);
