/**
 * `npm run bench`: calls per service, cycle times and peak memory of the local pipeline on
 * DynamoDB Local and the Mews simulator. `BENCH_SIZE=small` for a quick run (about a minute);
 * the default, `full`, is 10 / 100 / 1,000 accounts, a backfill of 10,000 connections with and
 * without a Mews rate limit, one account of 5,000 connections, and how long a change at the simulator
 * takes to reach the event sink (by poll and by change notification). Writes
 * bench/results/bench.{json,md,svg} (`bench-small.*` for the small size). Other knobs:
 * BENCH_RATE_LIMIT_RPS (50), BENCH_CONCURRENCY (4), BENCH_LIMITED_CONCURRENCY (16, the limited
 * backfill), BENCH_JVM_ARGS (DynamoDB Local's JVM options), PROVISIONER_POLL_INTERVAL_SECONDS (5, the
 * cycle interval of the latency part), BENCH_ONLY (a comma list of big, steady, backfill, budget,
 * limited, latency, cli (the CLI as a process), tokens (the token store calls of both layouts and the cost
 * model from them: bench/results/token-store-calls.{json,md}); the results of the parts not run are kept from the last run).
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { main } = await import('./bench/main.js');
try {
  await main();
} catch (error) {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
}
