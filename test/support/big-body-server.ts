import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in Mews that answers getProperties with very large bodies, generated while streaming
 * (the server never holds the body), so a test measures the client's memory, not the server's.
 * Requests for other emails are passed to `fallback` (e.g. the simulator) unchanged.
 */
export type BigBodyMode =
  /** A valid answer: the account's real properties plus `paddingBytes` of properties without connections. */
  | { kind: 'padded'; paddingBytes: number }
  /** Chunked, no Content-Length, never ends on its own (stops after `limitBytes` or when the client hangs up). */
  | { kind: 'endless'; limitBytes: number }
  /** Announces `declaredBytes` in Content-Length, sends the first MB, then waits. */
  | { kind: 'declared'; declaredBytes: number };

export interface BigBodyServer {
  url: string;
  /** What the last big answer did. */
  last(): { bytesSent: number; clientClosed: boolean; finished: boolean } | undefined;
  close(): Promise<void>;
}

const MB = 1024 * 1024;

export async function startBigBodyServer(options: {
  /** Only this email gets the big answer. */
  email: string;
  mode: () => BigBodyMode;
  /** Forwards a request (path, body) to the real simulator and returns its answer text. */
  fallback: (path: string, body: string) => Promise<{ status: number; text: string }>;
}): Promise<BigBodyServer> {
  let last: { bytesSent: number; clientClosed: boolean; finished: boolean } | undefined;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const email = (JSON.parse(body) as { email?: string }).email;
      if (email?.toLowerCase() !== options.email || !req.url?.endsWith('/getProperties')) {
        options.fallback(req.url ?? '/', body).then(
          ({ status, text }) => res.writeHead(status, { 'content-type': 'application/json' }).end(text),
          () => res.destroy(),
        );
        return;
      }
      const state = { bytesSent: 0, clientClosed: false, finished: false };
      last = state;
      res.on('close', () => {
        if (!res.writableFinished) state.clientClosed = true;
      });
      void options
        .fallback(req.url, body)
        .then(({ text }) => stream(res, options.mode(), text, state))
        .catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    last: () => (last ? { ...last } : undefined),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function stream(
  res: ServerResponse,
  mode: BigBodyMode,
  realAnswer: string,
  state: { bytesSent: number; clientClosed: boolean; finished: boolean },
): Promise<void> {
  const write = async (text: string | Buffer): Promise<boolean> => {
    if (res.destroyed || state.clientClosed) return false;
    const bytes = typeof text === 'string' ? Buffer.byteLength(text) : text.length;
    state.bytesSent += bytes;
    if (!res.write(text)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
    return !res.destroyed && !state.clientClosed;
  };

  if (mode.kind === 'declared') {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(mode.declaredBytes) });
    await write(Buffer.alloc(MB, 0x20));
    return; // never finishes: the client must give up on the announcement alone
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  if (mode.kind === 'endless') {
    const chunk = Buffer.alloc(MB, 0x20);
    if (!(await write('{"success":true,"properties":['))) return;
    while (state.bytesSent < mode.limitBytes) if (!(await write(chunk))) return;
    res.end(']}');
    state.finished = true;
    return;
  }

  // padded: the real properties, then properties without connections whose names are 2 KB long.
  const real = (JSON.parse(realAnswer) as { properties: unknown[] }).properties;
  const head = real.length > 0 ? JSON.stringify(real).slice(0, -1) : '[{"id":"padding-first"}';
  if (!(await write(`{"success":true,"properties":${head}`))) return;
  const name = 'Padding property '.padEnd(2048, 'x');
  let i = 0;
  const batch: string[] = [];
  let written = 0;
  while (written < mode.paddingBytes) {
    const item = `,{"id":"padding-${i++}","name":"${name}","connections":[]}`;
    batch.push(item);
    written += item.length;
    if (batch.length === 256) {
      if (!(await write(batch.join('')))) return;
      batch.length = 0;
    }
  }
  if (batch.length > 0 && !(await write(batch.join('')))) return;
  res.end(']}');
  state.finished = true;
}
