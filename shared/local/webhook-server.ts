import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  MAX_WEBHOOK_BODY_BYTES,
  routeWebhook,
  type WebhookDeps,
  type WebhookResponse,
} from '../adapters/http/webhook-router.js';

export interface LocalWebhookServer {
  /** e.g. `http://127.0.0.1:8600`: Mews' (the simulator's) target for change notifications and webhooks. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface LocalWebhookServerOptions {
  deps: WebhookDeps;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Called after an answer that queued work or wrote events (a local runner drains then). */
  onWork?: (response: WebhookResponse) => void;
}

class TooLarge extends Error {}

/**
 * The webhook endpoint of a local run: the same router (and use cases) as the Lambda behind its
 * Function URL, served by node:http on the loopback interface.
 */
export async function startLocalWebhookServer(
  options: LocalWebhookServerOptions,
): Promise<LocalWebhookServer> {
  const server = createServer((req, res) => {
    const respond = (response: Pick<WebhookResponse, 'status' | 'headers' | 'body'>) => {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(response.status, {
        ...response.headers,
        'content-length': String(Buffer.byteLength(response.body)),
      });
      res.end(response.body);
    };
    readBody(req, MAX_WEBHOOK_BODY_BYTES)
      .then(async (body) => {
        const path = new URL(req.url ?? '/', 'http://webhook.invalid').pathname;
        const response = await routeWebhook({ method: req.method ?? 'GET', path, body }, options.deps);
        respond(response);
        if (response.work) options.onWork?.(response);
      })
      .catch((error: unknown) => {
        if (error instanceof TooLarge) {
          respond({
            status: 413,
            headers: { 'content-type': 'application/json' },
            body: '{"message":"Payload Too Large"}',
          });
          return;
        }
        options.deps.logger.error('local webhook server: request failed', {
          error: error instanceof Error ? error.name : 'unknown',
        });
        respond({
          status: 500,
          headers: { 'content-type': 'application/json' },
          body: '{"message":"Internal Server Error"}',
        });
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function readBody(req: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) throw new TooLarge();
    chunks.push(buffer);
  }
  return size === 0 ? undefined : Buffer.concat(chunks).toString('utf8');
}
