#!/usr/bin/env node
// Compiled to dist/provisioner.js (bin/build.mjs, run by `npm ci`): the `provisioner` command.
// The SDK's Node 20 end-of-support notice is known and handled (versions are pinned); keep the CLI's output clean.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { main } = await import('../shared/cli/main.js');

process.exitCode = await main(process.argv.slice(2));
