import { defineConfig } from 'vitest/config';

// The SDK's Node 20 end-of-support notice is known (versions are pinned); keep test output readable.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One DynamoDB Local for the whole run; test files get their own tables (test/support/dynamo.ts).
    globalSetup: ['test/support/dynamodb-global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
