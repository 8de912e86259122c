import { createServer as createHttpServer } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MewsTransportError } from '../../../shared/mews/errors.js';
import { HttpTransport } from '../../../shared/mews/http-transport.js';
import { MewsRefusal, MewsTransientFailure, MewsUnreachable } from '../../../shared/ports/mews-failure.js';

/** "Mews cannot be reached" told apart from every answer Mews can give. */
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function refusingPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const post = (transport: HttpTransport, url: string) =>
  transport.post({ operation: 'getChannels', url, body: { clientToken: 'secret-client-token' } }).then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );

describe('MewsUnreachable', () => {
  it('a refused connection is unreachable, names the address and says what happened', async () => {
    const port = await refusingPort();
    const error = await post(
      new HttpTransport({ retries: 1, backoffBaseMs: 1 }),
      `http://127.0.0.1:${port}/api/x`,
    );
    expect(error).toBeInstanceOf(MewsUnreachable);
    expect(error).toBeInstanceOf(MewsTransientFailure);
    expect(error).not.toBeInstanceOf(MewsRefusal);
    const e = error as MewsTransportError;
    expect(e.address).toBe(`http://127.0.0.1:${port}`);
    expect(e.describeCause()).toBe('connection refused (ECONNREFUSED)');
    expect(JSON.stringify(e.toJSON())).not.toContain('secret-client-token');
  });

  it('a server that never answers: unreachable, and maxElapsedMs bounds the whole call, attempts included', async () => {
    const sockets = new Set<Socket>();
    const server = createServer((s) => {
      sockets.add(s);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const { port } = server.address() as { port: number };
    const attempts: number[] = [];
    // Per attempt 60 s, but the call's budget is 300 ms: the attempt's timeout shrinks to fit.
    const transport = new HttpTransport({
      timeoutMs: 60_000,
      maxElapsedMs: 300,
      retries: 10,
      backoffBaseMs: 1,
      onAttempt: (e) => attempts.push(e.attempt),
    });
    const error = await post(transport, `http://127.0.0.1:${port}/api/x`);
    expect(error).toBeInstanceOf(MewsUnreachable);
    expect((error as MewsTransportError).describeCause()).toMatch(/no answer in time/);
    expect(attempts.length).toBeGreaterThanOrEqual(1);
  });

  it('an answer, even an error status, is not "unreachable"', async () => {
    const server = createHttpServer((_req, res) => {
      res.writeHead(503).end('down for maintenance');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { port } = server.address() as { port: number };
    const error = await post(new HttpTransport({ retries: 0 }), `http://127.0.0.1:${port}/api/x`);
    expect(error).toBeInstanceOf(MewsTransportError);
    expect(error).toBeInstanceOf(MewsTransientFailure);
    expect(error).not.toBeInstanceOf(MewsUnreachable);
  });

  it('the port-level MewsUnreachable an in-memory Mews can throw matches too', () => {
    const error = new MewsUnreachable({ operation: 'getProperties', address: 'https://api.mews-demo.com' });
    expect(error).toBeInstanceOf(MewsUnreachable);
    expect(error).toBeInstanceOf(MewsTransientFailure);
    expect(error.address).toBe('https://api.mews-demo.com');
  });
});
