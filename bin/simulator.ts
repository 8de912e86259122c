/**
 * `npm run simulator`: the Mews simulator on 127.0.0.1:$MEWS_SIMULATOR_PORT (default 8500),
 * seeded from shared/simulator/seed.json. Stops on SIGINT / SIGTERM.
 */
import { ADMIN_ROUTES } from '../shared/simulator/admin-routes.js';
import { startMewsSimulator } from '../shared/simulator/start-simulator.js';

function portFromEnv(): number {
  const raw = process.env.MEWS_SIMULATOR_PORT ?? '8500';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`MEWS_SIMULATOR_PORT must be a port number (0-65535), got "${raw}"`);
  }
  return port;
}

const simulator = await startMewsSimulator({ port: portFromEnv() });
const { enterprises } = simulator.state();

const lines = [
  'Mews simulator (Channel Manager API) is running.',
  '',
  `  platform address  ${simulator.url}`,
  `  API               POST ${simulator.url}/api/channelManager/v1/{getProperties,getConfiguration,getChannels}`,
  '  client token      the "clientToken" of shared/simulator/seed.json (fake)',
  '',
  '  seeded accounts (fake test data):',
  ...enterprises.flatMap((e) =>
    e.accounts.map((a) => {
      const visible = a.propertyIds ?? e.properties.map((p) => p.id);
      const connections = e.properties
        .filter((p) => visible.includes(p.id))
        .reduce((sum, p) => sum + p.connections.length, 0);
      const note = a.lockedOut
        ? 'locked out: getProperties answers code 8'
        : `${visible.length} properties, ${connections} connections`;
      return `    ${a.email.padEnd(40)} ${e.name} (${note})`;
    }),
  ),
  '',
  `  admin API (JSON; GET ${simulator.url}/_admin lists it):`,
  ...Object.entries(ADMIN_ROUTES).map(
    ([name, r]) => `    ${r.method.padEnd(4)} /_admin/${name.padEnd(20)} ${r.summary}`,
  ),
  '',
  'Ctrl+C stops it.',
];
console.log(lines.join('\n'));

let stopping = false;
const stop = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the Mews simulator`);
  simulator.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('failed to stop cleanly', error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
