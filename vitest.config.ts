import { configDefaults, defineConfig } from 'vitest/config';

// The SDK's Node 20 end-of-support notice is known (versions are pinned); keep test output readable.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/**
 * Two tiers, told apart by where a test file lives (README, "Tests"):
 * - emulator: whatever needs DynamoDB Local (Java), the Mews simulator over HTTP, or CDK synth;
 * - fast: everything else (domain, use cases on in-memory adapters, the simulation, pure units),
 *   which runs without Java. A new file is fast unless it sits in one of these places.
 */
const EMULATOR_TESTS = [
  'test/integration/**/*.test.ts',
  'test/functions/**/*.test.ts',
  'test/infra/**/*.test.ts',
  'test/e2e/**/*.test.ts',
  'test/faults/**/*.test.ts',
  'test/load/**/*.test.ts',
  'test/examples/**/*.test.ts',
  'test/unit/simulator/**/*.test.ts',
  // Contract suites run once per adapter: *.memory.test.ts is fast, *.dynamo.test.ts is not.
  'test/**/*.dynamo.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...EMULATOR_TESTS],
        },
      },
      {
        extends: true,
        test: {
          name: 'emulator',
          include: EMULATOR_TESTS,
          // One DynamoDB Local for the tier; test files get their own tables (test/support/dynamo.ts).
          globalSetup: ['test/support/dynamodb-global-setup.ts'],
        },
      },
    ],
  },
});
