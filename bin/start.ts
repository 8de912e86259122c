/**
 * `npm start`: the whole service on this machine, on its embedded defaults. Starts the Mews
 * simulator (unless MEWS_PLATFORM_ADDRESS is set) and DynamoDB Local (persisting under the
 * state directory), registers the simulator's accounts, and runs a cycle every few seconds.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { mkdir } = await import('node:fs/promises');
const { join } = await import('node:path');
const { loadLocalConfig, loadStartConfig } = await import('../shared/config/local-config.js');
const { createWriteStream } = await import('node:fs');
const { stderrLogger, teeLogger } = await import('../shared/adapters/local/stderr-logger.js');
const { startConsole } = await import('../shared/cli/start-console.js');
const { colourEnabled } = await import('../shared/cli/style.js');
const { formatEventLine } = await import('../shared/adapters/local/jsonl-event-sink.js');
const { startDynamoDbLocal } = await import('../shared/adapters/local/dynamodb-local.js');
const { openLocalServices } = await import('../shared/local/local-services.js');
const { createLocalRunner } = await import('../shared/local/local-runner.js');
const { startLocalWebhookServer } = await import('../shared/local/webhook-server.js');
const { randomBytes } = await import('node:crypto');
const { writeRuntimeFile, removeRuntimeFile, lockStateDir, stopKeptDynamoDb, StateDirInUseError } =
  await import('../shared/local/runtime-file.js');
const { recordCycle } = await import('../shared/local/cycle-record.js');
const { startMewsSimulator } = await import('../shared/simulator/start-simulator.js');
const { loadDefaultSeed } = await import('../shared/simulator/default-seed.js');
const { registerAccount } = await import('../shared/use-cases/accounts.js');
const { maskEmail } = await import('../shared/domain/mask-email.js');
const { secretMatcher } = await import('../shared/lib/secret-matcher.js');

/** A seeded connection the demo disables and enables again (fake token). */
const DEMO_CONNECTION = 'fake-conn-harbour-docks';
const started = Date.now();

// Every bad variable at once, the local configuration's and npm start's own.
const problems: string[] = [];
const attempt = <T>(load: () => T): T | undefined => {
  try {
    return load();
  } catch (error) {
    problems.push((error as Error).message);
    return undefined;
  }
};
const loadedConfig = attempt(() => loadLocalConfig(process.env));
const loadedStartConfig = attempt(() => loadStartConfig(process.env));
if (!loadedConfig || !loadedStartConfig) {
  process.stderr.write(`npm start: ${problems.join('\n           ')}\n`);
  process.exit(2);
}
const config = loadedConfig;
const startConfig = loadedStartConfig;
const { intervalSeconds, refreshSeconds, webhookPort } = startConfig;
// The secret integration webhooks carry in their URL: given, or a new random one per run (never printed).
const integrationSecret = startConfig.integrationSecret ?? randomBytes(24).toString('base64url');
const out = startConsole({
  write: (text) => process.stdout.write(text),
  tty: process.stdout.isTTY === true,
  colour: colourEnabled(process.stdout, process.env),
  now: () => Date.now(),
  startedAt: started,
  nothingToPoll:
    'nothing to poll: no account is registered. Register a Mews employee email: ' +
    'npm run -s provisioner -- accounts add <email> [--label L]',
});
const say = out.say;
await mkdir(config.stateDir, { recursive: true, mode: 0o700 });
// One `npm start` per state directory (DynamoDB Local's files allow one user at a time); a
// DynamoDB Local a CLI command left running on it (see local-services.ts) makes way for ours.
let releaseLock: () => Promise<void>;
try {
  releaseLock = await lockStateDir(config.stateDir);
} catch (error) {
  if (!(error instanceof StateDirInUseError)) throw error;
  process.stderr.write(`npm start: ${error.message}\n`);
  process.exit(1);
}
await stopKeptDynamoDb(config.stateDir);
// A state directory belongs to one Mews environment (the simulator, demo or production).
const { claimStateEnvironment } = await import('../shared/local/state-environment.js');
try {
  await claimStateEnvironment(config.stateDir, config.mews?.platformAddress);
} catch (error) {
  await releaseLock();
  process.stderr.write(`npm start: ${(error as Error).message}\n`);
  process.exit(2);
}
// Logs: with PROVISIONER_LOG_FORMAT=json, JSON lines on stderr only; otherwise warnings for people
// on the console and every line (info and up) as JSON in <state dir>/provisioner.log.
const logFile = join(config.stateDir, 'provisioner.log');
const logStream = createWriteStream(logFile, { flags: 'a', mode: 0o600 });
const logger =
  config.logFormat === 'json'
    ? stderrLogger(config.logLevel)
    : teeLogger(
        stderrLogger(config.logLevel, (line) => out.warn(line.trimEnd()), { format: 'text' }),
        stderrLogger(config.logLevel === 'debug' ? 'debug' : 'info', (line) => logStream.write(line)),
      );

const simulator = config.mews ? undefined : await startMewsSimulator({ port: startConfig.simulatorPort });
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
  onEvent: (event) => out.event(formatEventLine(event)),
  logger,
});
await writeRuntimeFile(config.stateDir, {
  pid: process.pid,
  dynamodbEndpoint: services.dynamodbEndpoint,
  dynamodbPid: dynamo?.pid,
  simulatorAddress: simulator?.url ?? null,
});

say(`Mews connection provisioner, local run`);
say(`  state      ${config.stateDir} (events in events.jsonl, tokens only in secrets/)`);
say(
  `  logs       ${config.logFormat === 'json' ? 'JSON lines on stderr (PROVISIONER_LOG_FORMAT=json)' : `warnings here, JSON lines in ${logFile}`}`,
);
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
// Mews' push channels: change notifications and integration webhooks feed the same queues; a
// drain runs as soon as one queued work (between cycles, never during one).
const runner = createLocalRunner(services, {
  onDrain: (report) => {
    if (report.published > 0) say(`webhook: ${report.published} events published right away`);
  },
  onError: (error) => say(`webhook: queued work could not run: ${(error as Error).message}`),
});
const webhook = await startLocalWebhookServer({
  port: webhookPort,
  deps: {
    notifications: { ...services },
    integrations: {
      integrations: services.integrations,
      vault: services.integrationVault,
      connector: services.connector,
      clock: services.clock,
      logger: services.logger,
      environment: services.environment,
      secretMatches: secretMatcher(integrationSecret),
    },
    logger: services.logger,
  },
  onWork: () => runner.drainSoon(),
});
simulator?.setWebhookTarget({ url: webhook.url, integrationSecret });
say(
  `  webhook    ${webhook.url}: POST /changeNotification, POST /integrations/<secret>` +
    `${simulator ? ' (the simulator sends to it)' : ''}`,
);
say(`Polling every ${intervalSeconds} s. Ctrl-C stops. Try: npm run -s provisioner -- connections list`);

let stopping = false;
let stoppingAt = 0;
/** Settles when the running cycle (with its demo step) is done; `wake` cuts the pause between cycles short. */
let cycleDone: Promise<void> = Promise.resolve();
let wake = () => {};
// Stop in order: the in-flight cycle drains, then the webhook and its queued work, then the
// store's clients and the simulator, and DynamoDB Local last (everything before may still write).
const stop = async () => {
  if (stopping) {
    // A second Ctrl-C (not the same one delivered twice, by the terminal and by npm): do not wait
    // for the cycle (DynamoDB Local's guard stops it as we exit).
    if (Date.now() - stoppingAt < 1_000) return;
    process.stderr.write('npm start: stopping now, without waiting for the cycle\n');
    process.exit(130);
  }
  stopping = true;
  stoppingAt = Date.now();
  wake();
  await cycleDone;
  await removeRuntimeFile(config.stateDir);
  await webhook.close();
  await runner.idle();
  await services.close();
  await simulator?.close();
  await dynamo?.stop();
  await releaseLock();
  out.close();
  logStream.end();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.on('SIGHUP', stop);

for (let cycle = 1; !stopping; cycle++) {
  let finished = () => {};
  cycleDone = new Promise((resolve) => {
    finished = resolve;
  });
  try {
    const report = await runner.cycle({
      refresh: { intervalMs: refreshSeconds * 1000, windowMs: intervalSeconds * 1000 },
    });
    // For `provisioner status` and `dlq list`, as after `run --once`.
    await recordCycle(config.stateDir, report, services.clock.now());
    out.cycle(cycle, report);
  } catch (error) {
    out.warn(`cycle ${cycle} could not run: ${(error as Error).message}`);
  }
  if (cycle === 1 && simulator) {
    simulator.addConnection('harbour-hostel-annex', { name: 'Connection added while you watch' });
    say('simulator: Harbour Hostel Annex just connected to the channel manager; the next cycle finds it');
  }
  if (cycle === 2 && simulator) {
    // The push channel: the property disables a connection and Mews says so; no cycle needed.
    simulator.setConnectionEnabled(DEMO_CONNECTION, false);
    const answer = await simulator.notify(DEMO_CONNECTION, 'deactivated');
    say(
      `simulator: Harbour Hostel Docks disabled its connection; Mews notified the webhook (HTTP ${answer.status})`,
    );
  }
  if (cycle === 3 && simulator) {
    simulator.setConnectionEnabled(DEMO_CONNECTION, true);
    await simulator.notify(DEMO_CONNECTION, 'activated');
    say('simulator: ...and enabled it again');
  }
  if (cycle === 4 && simulator) {
    // The Connector API's push channel: an enterprise connects an integration.
    const { integrationId } = simulator.addIntegration({
      enterpriseId: 'harbour-hostels',
      name: 'Channel sync',
    });
    const answer = await simulator.sendIntegrationWebhook('IntegrationCreated', integrationId);
    say(
      `simulator: Harbour Hostels created an integration; Mews sent IntegrationCreated (HTTP ${answer.status})`,
    );
  }
  finished();
  if (stopping) break;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, intervalSeconds * 1000);
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });
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
