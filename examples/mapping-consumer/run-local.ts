/**
 * The example consumer against a local run: feeds the mapping consumer's handler every
 * `Connection Provisioned` and `Connection Configuration Changed` line of `npm start`'s
 * events.jsonl, reading tokens from that run's vault directory, and prints one line per event
 * (counts and ids, never a token).
 *
 *   npx tsx examples/mapping-consumer/run-local.ts --events .provisioner/events.jsonl
 *
 * --vault <dir>             the run's token vault (default: `secrets/` beside the events file)
 * --platform-address <url>  Mews (default: the simulator of the `npm start` running on that state
 *                           directory, from its runtime.json)
 * --json                    one JSON result per event instead
 * MEWS_CLIENT_TOKEN         the client token; not needed for the simulator (its seed's fake one)
 *
 * Exit code 1 when an event failed (each failure is printed), 2 on wrong arguments.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readRuntimeFile } from '../../shared/local/runtime-file.js';
import { loadDefaultSeed } from '../../shared/simulator/default-seed.js';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string' },
      vault: { type: 'string' },
      'platform-address': { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (!values.events) return usage('missing --events <state dir>/events.jsonl');
  const eventsFile = resolve(values.events);
  const stateDir = dirname(eventsFile);
  const vault = resolve(values.vault ?? join(stateDir, 'secrets'));

  let text: string;
  try {
    text = await readFile(eventsFile, 'utf8');
  } catch (error) {
    return usage(
      `cannot read ${eventsFile} (${(error as NodeJS.ErrnoException).code}): give the events.jsonl of a local run`,
    );
  }
  const simulator = await runningSimulator(stateDir);
  const platformAddress = values['platform-address'] ?? simulator;
  if (!platformAddress) {
    return usage(
      `no npm start is running on ${stateDir} (no simulator address in its runtime.json): start it, or give --platform-address and MEWS_CLIENT_TOKEN`,
    );
  }
  const clientToken =
    process.env.MEWS_CLIENT_TOKEN ||
    (platformAddress === simulator ? loadDefaultSeed().clientToken : undefined);
  if (!clientToken) return usage(`MEWS_CLIENT_TOKEN is missing: the client token for ${platformAddress}`);

  // The handler reads its environment (and sets up its logger) when loaded: set it first.
  process.env.MEWS_PLATFORM_ADDRESS = platformAddress;
  process.env.MEWS_CLIENT_TOKEN = clientToken;
  process.env.MEWS_LOCAL_VAULT_DIR = vault;
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  const { DETAIL_TYPES, handler } = await import('./handler.js');

  const counts = { planned: 0, duplicate: 0, failed: 0, skipped: 0 };
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let event: { 'detail-type'?: unknown; detail?: { connection?: { id?: unknown } } };
    try {
      event = JSON.parse(line);
    } catch {
      counts.failed++;
      process.stdout.write(`failed    line ${index + 1}: not JSON\n`);
      continue;
    }
    if (!(DETAIL_TYPES as readonly unknown[]).includes(event['detail-type'])) {
      counts.skipped++;
      continue;
    }
    try {
      const result = await handler(event);
      counts[result.status]++;
      if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else if (result.status === 'duplicate') process.stdout.write(`duplicate ${result.eventId}\n`);
      else {
        const c = result.plan.counts;
        process.stdout.write(
          `planned   ${result.connection.id}  ${result.connection.propertyName} / ${result.connection.name ?? '(no name)'}  ` +
            `${result.detailType}: ${c.pairs} pairs (${c.synchronizedPairs} synchronized), ${c.unresolved} unresolved, ` +
            `${c.unmappedSpaceCategories + c.unmappedRatePlans} unmapped\n`,
        );
      }
    } catch (error) {
      counts.failed++;
      // The handler's errors name fields, stores and references, never a token.
      const message = error instanceof Error ? error.message : String(error);
      process.stdout.write(
        `failed    ${String(event.detail?.connection?.id ?? `line ${index + 1}`)}: ${message}\n`,
      );
    }
  }
  process.stderr.write(
    `${counts.planned} planned, ${counts.duplicate} duplicates, ${counts.failed} failed; ${counts.skipped} events of other types skipped\n`,
  );
  return counts.failed > 0 ? 1 : 0;
}

function usage(message: string): number {
  process.stderr.write(
    `${message}\nusage: npx tsx examples/mapping-consumer/run-local.ts --events <state dir>/events.jsonl [--vault <dir>] [--platform-address <url>] [--json]\n`,
  );
  return 2;
}

/** The simulator of the `npm start` running on the state directory (from its runtime.json: addresses only). */
async function runningSimulator(stateDir: string): Promise<string | undefined> {
  return (await readRuntimeFile(stateDir))?.simulatorAddress ?? undefined;
}

process.exitCode = await main();
