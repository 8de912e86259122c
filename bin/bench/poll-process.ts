/**
 * One poll step in a process of its own, as the poll-account Lambda runs it: bundled with
 * esbuild like the Lambda, it loads only what polling needs, polls one account and prints one
 * JSON line: the time, the memory (peak RSS as the kernel counts it, which is what Lambda reports
 * as memory used, and the heap), the DynamoDB and vault calls, and the sync messages it queued.
 * Input: one JSON argument (see PollProcessInput).
 */
import { DynamoStateStore } from '../../shared/adapters/aws/dynamo-state-store.js';
import { localDocumentClient } from '../../shared/adapters/local/dynamodb-local.js';
import { FileTokenVault } from '../../shared/adapters/local/file-token-vault.js';
import type { AccountId } from '../../shared/domain/model.js';
import { ChannelManagerClient } from '../../shared/mews/channel-manager-client.js';
import { systemClock } from '../../shared/ports/clock.js';
import { silentLogger } from '../../shared/ports/logger.js';
import type { SyncConnectionMessage, WorkQueue } from '../../shared/ports/work-queue.js';
import { pollAccount } from '../../shared/use-cases/poll-account.js';
import { Counters, instrumentDynamo, instrumentVault, sampleMemory } from './instrument.js';

export interface PollProcessInput {
  endpoint: string;
  tableName: string;
  platformAddress: string;
  clientToken: string;
  vaultDir: string;
  accountId: string;
}

export interface PollProcessOutput {
  ms: number;
  outcome: unknown;
  memory: {
    /** Before the poll (after loading and a GC). */
    baseRssBytes: number;
    baseHeapBytes: number;
    /** The process's peak RSS (getrusage maxrss) before the poll and at its end. */
    maxRssBeforeBytes: number;
    maxRssBytes: number;
    /** Sampled every 5 ms during the poll. */
    peakHeapBytes: number;
  };
  dynamo: Record<string, { requests: number; failed: number; units: number; ms: number }>;
  vault: { puts: number; created: number; gets: number };
  syncs: SyncConnectionMessage[];
}

async function run(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as PollProcessInput;
  const counters = new Counters();
  const client = localDocumentClient(input.endpoint);
  const syncs: SyncConnectionMessage[] = [];
  const queue: WorkQueue<SyncConnectionMessage> = {
    async send(messages) {
      syncs.push(...messages);
    },
  };
  const deps = {
    store: new DynamoStateStore({ client: instrumentDynamo(client, counters), tableName: input.tableName }),
    mews: new ChannelManagerClient({
      platformAddress: input.platformAddress,
      clientToken: input.clientToken,
    }),
    vault: instrumentVault(new FileTokenVault({ dir: input.vaultDir }), counters),
    syncs: queue,
    clock: systemClock,
    logger: silentLogger,
    environment: 'simulator' as const,
  };

  const maxRssBeforeBytes = process.resourceUsage().maxRSS * 1024;
  const sampler = sampleMemory(5);
  const started = performance.now();
  const outcome = await pollAccount({ accountId: input.accountId as AccountId }, deps);
  const ms = performance.now() - started;
  const memory = sampler.stop();
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  client.destroy();

  const output: PollProcessOutput = {
    ms,
    outcome,
    memory: {
      baseRssBytes: memory.baseRssBytes,
      baseHeapBytes: memory.baseHeapBytes,
      maxRssBeforeBytes,
      maxRssBytes,
      peakHeapBytes: memory.peakHeapBytes,
    },
    dynamo: Object.fromEntries(counters.dynamo),
    vault: { ...counters.vault },
    syncs,
  };
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

run().catch((error: unknown) => {
  process.stderr.write(`poll process failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
