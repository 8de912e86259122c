/**
 * The subscriber kit (packages/events) as a consumer gets it: the files `npm pack` would ship,
 * installed into a project of its own next to zod and nothing else, imported by its name from
 * plain Node ESM and from TypeScript. Also: its compiled lib/ is current, and nothing in it (or
 * in its dependencies) is AWS.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const kit = join(root, 'packages', 'events');
const NAME = '@mews-connection-provisioner/events';
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

let project: string;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'events-kit-consumer-'));
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: kit });
  const files = (JSON.parse(stdout) as { files: { path: string }[] }[])[0]?.files.map((f) => f.path) ?? [];
  const installed = join(project, 'node_modules', ...NAME.split('/'));
  for (const file of files) {
    await mkdir(dirname(join(installed, file)), { recursive: true });
    await cp(join(kit, file), join(installed, file));
  }
  // The peer dependency, as the consumer would install it.
  await symlink(join(root, 'node_modules', 'zod'), join(project, 'node_modules', 'zod'), 'dir');
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({
      name: 'consumer',
      type: 'module',
      private: true,
      dependencies: { [NAME]: 'file:../kit', zod: '^4' },
    }),
  );
}, 60_000);

afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

describe('the kit as a consumer installs it', () => {
  it('ships lib/, samples/, README.md and package.json only', async () => {
    const installed = join(project, 'node_modules', ...NAME.split('/'));
    expect((await readdir(installed)).sort()).toEqual(['README.md', 'lib', 'package.json', 'samples']);
  });

  it('imports by its name from plain Node ESM and parses every sample event', async () => {
    await writeFile(
      join(project, 'consumer.mjs'),
      `import { readdir, readFile } from 'node:fs/promises';
import { DETAIL_TYPES, EventParseError, parseEvent, secretStoreOf } from '${NAME}';
import provisioned from '${NAME}/samples/connection-provisioned.json' with { type: 'json' };
const dir = new URL('./node_modules/${NAME}/samples/', import.meta.url);
const parsed = [];
for (const file of (await readdir(dir)).sort()) {
  const event = parseEvent(JSON.parse(await readFile(new URL(file, dir), 'utf8')));
  parsed.push([event['detail-type'], event.detail.eventId]);
}
let refused;
try {
  parseEvent({ ...provisioned, detail: { ...provisioned.detail, connection: { ...provisioned.detail.connection, id: 'SECRET-LOOKING-VALUE' } } });
} catch (error) {
  refused = { isKitError: error instanceof EventParseError, message: error.message };
}
console.log(JSON.stringify({
  types: DETAIL_TYPES.length,
  parsed,
  store: parseEvent(provisioned).detail.connection.secretStore,
  stores: [secretStoreOf('local-vault:con_0'), secretStoreOf('/mews-provisioner/demo/connections/con_0'), secretStoreOf('arn:aws:secretsmanager:eu-west-1:123456789012:secret:x-AbCdEf')],
  refused,
}));
`,
    );
    // Preserve symlinks: zod resolves from the consumer's node_modules, and so would anything
    // else the kit imported (there is nothing else there: an AWS import would fail here).
    const { stdout } = await run(process.execPath, ['--preserve-symlinks', 'consumer.mjs'], { cwd: project });
    const out = JSON.parse(stdout);
    expect(out.types).toBe(17);
    expect(out.parsed).toHaveLength(17);
    expect(new Set(out.parsed.map(([type]: [string]) => type)).size).toBe(17);
    expect(out.store).toBe('secrets-manager');
    expect(out.stores).toEqual(['local-vault', 'parameter-store', 'secrets-manager']);
    expect(out.refused.isKitError).toBe(true);
    expect(out.refused.message).toContain('detail.connection.id');
    expect(out.refused.message).not.toContain('SECRET-LOOKING-VALUE');
  });

  it('types events for TypeScript: detail narrows on detail-type', async () => {
    await writeFile(
      join(project, 'consumer.ts'),
      `import { parseEvent, type EventDetail, type SecretStore } from '${NAME}';
export function storeOf(input: unknown): SecretStore | undefined {
  const event = parseEvent(input);
  if (event['detail-type'] === 'Connection Provisioned') {
    const digest: string = event.detail.configuration.snapshot.digest;
    void digest;
    return event.detail.connection.secretStore;
  }
  // @ts-expect-error an account event has no connection
  if (event['detail-type'] === 'Account Anomaly') return event.detail.connection.secretStore;
  return undefined;
}
export const removed = (d: EventDetail<'Connection Removed'>): number => d.secretRecoveryDays;
export const moved = (d: EventDetail<'Connection Token Moved'>): [string, SecretStore, string] => [
  d.connection.secretRef,
  d.previous.secretStore,
  d.previous.deletedAfter,
];
export const integrationMoved = (d: EventDetail<'Integration Token Moved'>): boolean => d.deleted;
`,
    );
    await writeFile(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          strict: true,
          noEmit: true,
          types: [],
        },
        files: ['consumer.ts'],
      }),
    );
    const result = await run(process.execPath, [tsc, '-p', project]).then(
      () => 'ok',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(result).toBe('ok');
  }, 60_000);
});

describe('the kit', () => {
  it('lib/ is what its sources compile to now (run `npm run schemas` after changing one)', async () => {
    const out = await mkdtemp(join(tmpdir(), 'events-kit-lib-'));
    try {
      await run(process.execPath, [tsc, '-p', kit, '--outDir', out]);
      const compiled = (await readdir(out)).sort();
      expect((await readdir(join(kit, 'lib'))).sort()).toEqual(compiled);
      for (const file of compiled) {
        expect(await readFile(join(kit, 'lib', file), 'utf8'), file).toBe(
          await readFile(join(out, file), 'utf8'),
        );
      }
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 60_000);

  it('depends on zod alone (a peer), and zod on nothing: no @aws-sdk or aws-cdk module in its tree', async () => {
    const manifest = JSON.parse(await readFile(join(kit, 'package.json'), 'utf8'));
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.optionalDependencies).toBeUndefined();
    expect(Object.keys(manifest.peerDependencies)).toEqual(['zod']);
    const zod = JSON.parse(await readFile(join(root, 'node_modules', 'zod', 'package.json'), 'utf8'));
    expect(zod.dependencies ?? {}).toEqual({});
    for (const file of await readdir(join(kit, 'lib'))) {
      const text = await readFile(join(kit, 'lib', file), 'utf8');
      const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]);
      // zod itself or its own entry points (zod/mini, its English messages), and the kit's files.
      for (const s of specifiers)
        expect(s === 'zod' || s?.startsWith('zod/') || s?.startsWith('./'), `${file} imports ${s}`).toBe(
          true,
        );
      expect(text).not.toMatch(/@aws-sdk|aws-cdk|aws-lambda/);
    }
  });
});
