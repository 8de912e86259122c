import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A scripted HTTP server for the Mews client tests: each request takes the next responder. */

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: unknown;
}

export type Responder = (res: ServerResponse, req: IncomingMessage) => void | Promise<void>;

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: RecordedRequest[];
  /** Queue responders, one per expected request. Unexpected requests get HTTP 599. */
  reply(...responders: Responder[]): void;
  /** Responders not used yet. */
  pending(): number;
  /** Drops the responders not used yet. */
  reset(): void;
  close(): Promise<void>;
}

const WARM_UP_PATH = '/__warm-up';

export async function startTestServer(): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const queue: Responder[] = [];
  const server = createServer((req, res) => {
    if (req.url === WARM_UP_PATH) {
      res.end('ok');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, rawBody, body });
      const responder = queue.shift() ?? text('unexpected request', 599);
      void Promise.resolve(responder(res, req)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // The first fetch of a process loads undici (hundreds of ms): pay that here, not inside a
  // test that uses a 150 ms per-attempt timeout.
  await (await fetch(`http://127.0.0.1:${port}${WARM_UP_PATH}`)).text();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply: (...responders) => queue.push(...responders),
    pending: () => queue.length,
    reset: () => {
      queue.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Responder {
  return (res) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };
}

export function text(body: string, status = 200, headers: Record<string, string> = {}): Responder {
  return (res) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
    res.end(body);
  };
}

/** Never answers (the client's timeout must fire). */
export function hang(): Responder {
  return () => {};
}

/** Sends headers, then stalls in the middle of the body. */
export function stallMidBody(): Responder {
  return (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"success": true, "proper');
  };
}

export interface BigBody {
  responder: Responder;
  /** Bytes handed to the socket so far. */
  sent(): number;
  /** Resolves when the client went away or everything was sent. */
  finished: Promise<void>;
}

/**
 * Streams up to `totalBytes` of a JSON-looking body in chunks, respecting backpressure, and
 * stops as soon as the client disconnects. `declareLength` sends a Content-Length header.
 */
export function bigBody(totalBytes: number, options: { declareLength?: boolean } = {}): BigBody {
  let sent = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  const chunk = Buffer.alloc(64 * 1024, 0x20); // spaces: valid JSON whitespace
  const responder: Responder = async (res) => {
    let closed = false;
    res.on('close', () => {
      closed = true;
      done();
    });
    res.writeHead(200, {
      'content-type': 'application/json',
      ...(options.declareLength ? { 'content-length': String(totalBytes) } : {}),
    });
    while (!closed && sent < totalBytes) {
      const piece = chunk.subarray(0, Math.min(chunk.length, totalBytes - sent));
      sent += piece.length;
      if (!res.write(piece)) {
        await new Promise<void>((resolve) => {
          const resume = () => {
            res.off('drain', resume);
            res.off('close', resume);
            resolve();
          };
          res.on('drain', resume);
          res.on('close', resume);
        });
      }
    }
    if (!closed) res.end();
    done();
  };
  return { responder, sent: () => sent, finished };
}

export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../fixtures/mews/${name}`, import.meta.url), 'utf8'));
}

/** A port nothing listens on (connection refused). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
