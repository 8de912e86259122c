import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdminHandler } from './admin-routes.js';
import { CallLog } from './call-log.js';
import { channelManagerOperations } from './channel-manager-routes.js';
import { CONNECTOR_BASE_PATH, createConnectorHandler } from './connector-routes.js';
import { loadDefaultSeed } from './default-seed.js';
import { FaultBook } from './faults.js';
import { sendJson } from './http-io.js';
import { ServerRateLimit, type ServerRateLimitSpec, type ServerRateLimitStatus } from './rate-limit.js';
import { createRequestDispatcher } from './request-dispatcher.js';
import { createSimulatorControl, type SimulatorControl } from './simulator-control.js';
import { IntegrationBook } from './simulator-integrations.js';
import { parseInput, type SeedFile, seedFileSchema } from './simulator-specs.js';
import { SimulatorState } from './simulator-state.js';
import { WebhookSender, type WebhookTarget } from './webhook-sender.js';

export interface MewsSimulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The simulator only ever listens on the loopback interface. */
  host?: '127.0.0.1';
  /** Defaults to `seed.json` next to this file. */
  seed?: SeedFile;
  /** Overrides the seed's client token. */
  clientToken?: string;
  /** Where change notifications and integration webhooks go (also settable later). */
  webhookTarget?: WebhookTarget;
  /** Mews' request limit over the Channel Manager API (429 with Retry-After beyond it); none by default. */
  rateLimit?: ServerRateLimitSpec;
}

export interface MewsSimulator extends SimulatorControl {
  /** The platform address to give the client, e.g. `http://127.0.0.1:8500` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** The client token the Channel Manager routes accept. */
  readonly clientToken: string;
  /** Sets (a full bucket) or lifts (null) the request limit; `reset()` leaves it as it is. */
  setRateLimit(limit: ServerRateLimitSpec | null): void;
  /** The limit in force and how many requests it refused since start or the last clearCalls. */
  rateLimitStatus(): ServerRateLimitStatus;
  /** Stops listening and drops open connections (hanging requests included). */
  close(): Promise<void>;
}

/** Starts the Mews simulator: the Channel Manager API plus the `/_admin` control API. */
export async function startMewsSimulator(options: MewsSimulatorOptions = {}): Promise<MewsSimulator> {
  const seed = parseInput(seedFileSchema, options.seed ?? loadDefaultSeed(), 'seed');
  const clientToken = options.clientToken ?? seed.clientToken;
  const host = options.host ?? '127.0.0.1';

  const state = new SimulatorState(seed);
  const faults = new FaultBook();
  const log = new CallLog();
  const rateLimit = new ServerRateLimit(options.rateLimit);
  const integrations = new IntegrationBook((id) => {
    try {
      state.enterpriseInfo(id);
      return true;
    } catch {
      return false;
    }
  });
  const sender = new WebhookSender({ state, integrations, clientToken });
  if (options.webhookTarget) sender.setTarget(options.webhookTarget);
  // The Connector API accepts the same client token (one partner, one token, in the simulator).
  const connector = createConnectorHandler({ state, integrations, clientToken });
  const control = createSimulatorControl({ state, faults, log, seed, integrations, sender, connector });
  const dispatcher = createRequestDispatcher({
    operations: channelManagerOperations({ state, clientToken }),
    faults,
    log,
    admin: createAdminHandler(control),
    rateLimit,
  });

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    const handled = url.pathname.startsWith(`${CONNECTOR_BASE_PATH}/`)
      ? connector.handle(req, res, url)
      : dispatcher.handle(req, res);
    handled.catch((error: unknown) => {
      // A simulator bug, not a simulated failure: say so loudly.
      console.error('mews simulator: request failed', error);
      sendJson(res, 500, { error: 'simulator internal error' });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve, reject) => {
      dispatcher.dispose();
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
    return closing;
  };

  return {
    ...control,
    clearCalls: () => {
      control.clearCalls();
      rateLimit.clearCount();
    },
    setRateLimit: (limit) => rateLimit.set(limit),
    rateLimitStatus: () => rateLimit.status(),
    url: `http://${host}:${port}`,
    port,
    clientToken,
    close,
  };
}
