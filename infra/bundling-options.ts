/**
 * How every Lambda bundle is built, in one place: the CDK functions (base-function.ts) and the
 * bundle report (`npm run bundle-report`) use the same options, so the report measures what
 * deploys. No CDK import here.
 */
export const ESBUILD_TARGET = 'node24';

/** ESM bundles may contain CommonJS dependencies that call `require`; give them one. */
export const REQUIRE_BANNER =
  "import { createRequire as __mpCreateRequire } from 'node:module'; const require = __mpCreateRequire(import.meta.url);";

export const MAIN_FIELDS = ['module', 'main'];

/**
 * No comment block at the end of a bundle: what esbuild keeps as "legal" there is Powertools'
 * coverage hints (`v8 ignore ... @preserve`), not licences, and the bundle is never redistributed.
 */
const LEGAL_COMMENTS = 'none';

/** The esbuild options the CDK bundling props have no field for (base-function.ts passes them as arguments). */
export const ESBUILD_ARGS = { '--legal-comments': LEGAL_COMMENTS };

/**
 * The same build as esbuild options, for the scripts that bundle a function outside CDK (the bundle
 * report): what `NodejsFunction` passes esbuild with the bundling props in base-function.ts.
 */
export function functionBuildOptions(projectRoot: string) {
  return {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: ESBUILD_TARGET,
    mainFields: MAIN_FIELDS,
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    banner: { js: REQUIRE_BANNER },
    legalComments: LEGAL_COMMENTS,
    tsconfig: `${projectRoot}/tsconfig.json`,
  } as const;
}
