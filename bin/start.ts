/**
 * `npm start`: the whole service on this machine, on its embedded defaults. Starts the Mews
 * simulator (unless MEWS_PLATFORM_ADDRESS is set) and DynamoDB Local (persisting under the
 * state directory), registers the simulator's accounts, and runs a cycle every few seconds.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { mkdir } = await import('node:fs/promises');
const { join } = await import('node:path');
const { loadLocalConfig } = await import('../shared/config/local-config.js');
const { formatEventLine } = await import('../shared/adapters/local/jsonl-event-sink.js');
const { startDynamoDbLocal } = await import('../shared/adapters/local/dynamodb-local.js');
const { openLocalServices } = await import('../shared/local/local-services.js');
const { runCycle } = await import('../shared/local/run-cycle.js');
const { writeRuntimeFile, removeRuntimeFile } = await import('../shared/local/runtime-file.js');
const { startMewsSimulator } = await import('../shared/simulator/start-simulator.js');
const { loadDefaultSeed } = await import('../shared/simulator/default-seed.js');
const { registerAccount } = await import('../shared/use-cases/accounts.js');
const { maskEmail } = await import('../shared/domain/mask-email.js');

const say = (line: string) => process.stdout.write(`${line}\n`);
const intervalSeconds = Number(process.env.PROVISIONER_POLL_INTERVAL_SECONDS ?? 5);
const started = Date.now();

let config: ReturnType<typeof loadLocalConfig>;
try {
  config = loadLocalConfig(process.env);
} catch (error) {
  process.stderr.write(`npm start: ${(error as Error).message}\n`);
  process.exit(2);
}
await mkdir(config.stateDir, { recursive: true, mode: 0o700 });

const simulator = config.mews
  ? undefined
  : await startMewsSimulator({ port: Number(process.env.MEWS_SIMULATOR_PORT ?? 0) });
const fromEnv = process.env.AWS_ENDPOINT_URL_DYNAMODB;
const dynamo = fromEnv ? undefined : await startDynamoDbLocal({ dbPath: await dataDir(config.stateDir) });

const services = await openLocalServices(config, {
  ...(dynamo ? { dynamodbEndpoint: dynamo.endpoint } : {}),
  ...(simulator
    ? {
        mews: {
          platformAddress: simulator.url,
          clientToken: simulator.clientToken,
          environment: 'simulator' as const,
        },
      }
    : {}),
  onEvent: (event) => say(`  event  ${formatEventLine(event)}`),
});
await writeRuntimeFile(config.stateDir, {
  pid: process.pid,
  dynamodbEndpoint: services.dynamodbEndpoint,
  simulatorAddress: simulator?.url ?? null,
});

say(`Mews connection provisioner, local run`);
say(`  state      ${config.stateDir} (events in events.jsonl, tokens only in secrets/)`);
say(
  `  dynamodb   ${services.dynamodbEndpoint}${dynamo ? ` (DynamoDB Local, started in ${dynamo.startupMs} ms)` : ''}`,
);
say(`  mews       ${services.mewsAddress}${simulator ? ' (simulator; admin API under /_admin)' : ''}`);

if (simulator) {
  for (const email of seedEmails()) {
    const { account, created } = await registerAccount({ email }, services);
    if (created) say(`  account    ${account.id} ${maskEmail(account.email)} registered`);
  }
}
say(`Polling every ${intervalSeconds} s. Ctrl-C stops. Try: npm run -s provisioner -- connections list`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await removeRuntimeFile(config.stateDir);
  await services.close();
  await dynamo?.stop();
  await simulator?.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

for (let cycle = 1; !stopping; cycle++) {
  try {
    const report = await runCycle(services);
    const failing = [...report.polls.values()].filter((p) => p.status === 'access-failed').length;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    say(
      `cycle ${cycle} at +${seconds}s: ${report.accounts} accounts polled` +
        `${failing ? ` (${failing} without access)` : ''}, ${report.published} events published` +
        `${report.deadLetters.length ? `, ${report.deadLetters.length} messages dead-lettered` : ''}`,
    );
  } catch (error) {
    say(`cycle ${cycle} could not run: ${(error as Error).message}`);
  }
  if (cycle === 1 && simulator) {
    simulator.addConnection('harbour-hostel-annex', { name: 'Connection added while you watch' });
    say('simulator: Harbour Hostel Annex just connected to the channel manager; the next cycle finds it');
  }
  await new Promise((resolve) => setTimeout(resolve, intervalSeconds * 1000));
}

function seedEmails(): string[] {
  return loadDefaultSeed().enterprises.flatMap((e) =>
    (e.accounts ?? []).map((a) => (typeof a === 'string' ? a : a.email)),
  );
}

async function dataDir(stateDir: string): Promise<string> {
  const dir = join(stateDir, 'dynamodb');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}
