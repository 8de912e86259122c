import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskEmail, maskEmailsIn } from '../../../shared/domain/mask-email.js';
import { backoffDelay, parseRetryAfter } from '../../../shared/lib/retry-policy.js';
import { ChannelManagerClient } from '../../../shared/mews/channel-manager-client.js';
import {
  classifyMewsCode,
  isTransient,
  MewsApiError,
  MewsError,
  MewsResponseError,
  MewsTransportError,
} from '../../../shared/mews/errors.js';
import type { Logger } from '../../../shared/ports/logger.js';
import {
  bigBody,
  closedPortUrl,
  fixture,
  hang,
  json,
  type Responder,
  startTestServer,
  type TestServer,
  text,
} from './mews-test-server.js';

describe('classification', () => {
  it('follows the reference table: code 1 transient; 3, 6, 7, 8, 9 and unknown permanent', () => {
    expect(classifyMewsCode(1)).toBe('transient');
    for (const code of [3, 6, 7, 8, 9, 10, 42, null]) expect(classifyMewsCode(code)).toBe('permanent');
  });

  it('an answer is transient only if all its codes are', () => {
    const make = (codes: number[]) =>
      new MewsApiError({ operation: 'getChannels', codes, mewsMessage: null });
    expect(make([1]).kind).toBe('transient');
    expect(make([1, 8]).kind).toBe('permanent');
    expect(make([]).kind).toBe('transient'); // garbled: retried like any malformed answer
    expect(make([]).code).toBeNull();
  });

  it('transport errors are transient except client-side 4xx; response errors are transient but distinct', () => {
    const t = (reason: MewsTransportError['reason'], status: number | null = null) =>
      new MewsTransportError({ operation: 'getProperties', reason, status });
    expect(t('timeout').kind).toBe('transient');
    expect(t('rate-limited', 429).kind).toBe('transient');
    expect(t('http-status', 500).kind).toBe('transient');
    expect(t('http-status', 408).kind).toBe('transient');
    expect(t('http-status', 403).kind).toBe('permanent');
    const r = new MewsResponseError({ operation: 'getProperties', issues: ['properties: required'] });
    expect(r.kind).toBe('transient');
    expect(r).toBeInstanceOf(MewsError);
    expect(r).not.toBeInstanceOf(MewsTransportError);
  });

  it('isTransient is false for anything that is not a MewsError', () => {
    expect(isTransient(new Error('boom'))).toBe(false);
    expect(isTransient('timeout')).toBe(false);
    expect(isTransient(undefined)).toBe(false);
  });

  it('errors have stable names and a safe JSON form', () => {
    const e = new MewsApiError({
      operation: 'getConfiguration',
      codes: [3],
      mewsMessage: 'Connection not found.',
    });
    expect(e.name).toBe('MewsApiError');
    expect(JSON.parse(JSON.stringify(e))).toMatchObject({
      name: 'MewsApiError',
      operation: 'getConfiguration',
      kind: 'permanent',
      code: 3,
    });
  });

  it('a response error lists at most five issues in its message', () => {
    const issues = Array.from({ length: 8 }, (_, i) => `properties[${i}].id: property has no id`);
    const e = new MewsResponseError({ operation: 'getProperties', issues });
    expect(e.message).toContain('and 3 more');
    expect(e.issues).toHaveLength(8);
  });
});

describe('maskEmail', () => {
  it('keeps the first characters and the TLD only', () => {
    expect(maskEmail('jane.doe@hotel.com')).toBe('j***@h***.com');
    expect(maskEmail('ops@mail.grand-hotel.cz')).toBe('o***@m***.cz');
    expect(maskEmail('a@b')).toBe('a***@b***');
    expect(maskEmail('not-an-email')).toBe('***');
    expect(maskEmail('@hotel.com')).toBe('***');
  });

  it('masks emails inside free text', () => {
    expect(maskEmailsIn("Employee 'jane.doe@hotel.com' is not verified.")).toBe(
      "Employee 'j***@h***.com' is not verified.",
    );
  });
});

describe('Retry-After and backoff', () => {
  it('parses seconds and HTTP dates', () => {
    const now = Date.parse('2024-05-01T08:00:00Z');
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Wed, 01 May 2024 08:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Wed, 01 May 2024 07:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-3', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it('full jitter within min(cap, base * 2^n)', () => {
    expect(backoffDelay(1, 200, 10_000, () => 1)).toBe(200);
    expect(backoffDelay(6, 200, 10_000, () => 1)).toBe(6400);
    expect(backoffDelay(10, 200, 10_000, () => 1)).toBe(10_000);
    expect(backoffDelay(3, 200, 10_000, () => 0)).toBe(0);
  });
});

describe('no secret ever leaves in an error or a log line', () => {
  const CLIENT_TOKEN = 'fake-client-token-SCAN-0001';
  const CONNECTION_TOKEN = 'fake-connection-token-SCAN-0002';
  const EMAIL = 'scan.person@fake-hotel.example';
  const SECRETS = [CLIENT_TOKEN, CONNECTION_TOKEN, EMAIL, 'scan.person'];

  let server: TestServer;
  const logged: unknown[] = [];
  const logger: Logger = {
    debug: (...args) => logged.push(args),
    info: (...args) => logged.push(args),
    warn: (...args) => logged.push(args),
    error: (...args) => logged.push(args),
  };
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  interface Scenario {
    name: string;
    responders: () => Responder[];
    /** Per-attempt timeout; generous unless the scenario is about timing out (the CI box may be loaded). */
    timeoutMs?: number;
  }
  const scenarios: Scenario[] = [
    {
      name: 'Mews message echoing the tokens and the email',
      responders: () => [
        json({
          success: false,
          errors: [
            {
              code: 8,
              message: `Invalid token ${CONNECTION_TOKEN} / ${CLIENT_TOKEN} for employee ${EMAIL} (${EMAIL.toUpperCase()})`,
            },
          ],
        }),
      ],
    },
    {
      name: 'deprecated single error',
      responders: () => [json({ success: false, error: { code: 6, message: `bad ${CLIENT_TOKEN}` } })],
    },
    {
      name: 'code 1 until the bound',
      responders: () =>
        Array.from({ length: 3 }, () =>
          json({ success: false, errors: [{ code: 1, message: CLIENT_TOKEN }] }),
        ),
    },
    {
      name: 'HTML pages until the bound',
      responders: () => Array.from({ length: 3 }, () => text(`<p>${CONNECTION_TOKEN}</p>`, 502)),
    },
    { name: 'timeouts', responders: () => Array.from({ length: 3 }, () => hang()), timeoutMs: 150 },
    {
      name: 'malformed answer echoing tokens in the wrong places',
      responders: () => [
        json({
          success: true,
          connectionToken: 42,
          properties: [{ id: 7, connections: [{ name: CONNECTION_TOKEN }, { token: 5 }] }],
          property: CLIENT_TOKEN,
        }),
      ],
    },
    { name: 'too large', responders: () => [bigBody(8 * 1024 * 1024).responder] },
    { name: 'HTTP 401 echoing the token', responders: () => [text(`bad ${CLIENT_TOKEN}`, 401)] },
  ];

  const errors: unknown[] = [];

  it.each(scenarios)('$name', async ({ responders, timeoutMs }) => {
    const client = new ChannelManagerClient({
      platformAddress: server.url,
      clientToken: CLIENT_TOKEN,
      retries: 2,
      timeoutMs: timeoutMs ?? 5000,
      maxResponseBytes: 256 * 1024,
      logger,
      sleep: async () => {},
    });
    for (const call of [() => client.getProperties(EMAIL), () => client.getConfiguration(CONNECTION_TOKEN)]) {
      server.reset();
      server.reply(...responders());
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(MewsError);
      // A timed-out attempt may not even reach the server on a loaded machine.
      if (timeoutMs === undefined) expect(server.pending()).toBe(0);
      errors.push(error);
    }
  });

  it('connection refused', async () => {
    const c = new ChannelManagerClient({
      platformAddress: await closedPortUrl(),
      clientToken: CLIENT_TOKEN,
      retries: 1,
      logger,
      sleep: async () => {},
    });
    errors.push(await c.getConfiguration(CONNECTION_TOKEN).catch((e: unknown) => e));
  });

  it('scan: message, stack, cause, JSON and inspect() of every error, and every log line', () => {
    expect(errors.length).toBe(scenarios.length * 2 + 1);
    const haystacks = errors.flatMap((e) => {
      const err = e as Error;
      return [
        String(err),
        err.message,
        err.stack ?? '',
        JSON.stringify(err),
        JSON.stringify(
          Object.fromEntries(Object.getOwnPropertyNames(err).map((k) => [k, (err as never)[k]])),
        ),
        inspect(err, { depth: 10, showHidden: true }),
        inspect((err as { cause?: unknown }).cause, { depth: 10, showHidden: true }),
      ];
    });
    haystacks.push(inspect(logged, { depth: 20 }), JSON.stringify(logged));
    for (const hay of haystacks) {
      for (const secret of SECRETS) {
        expect(hay.toLowerCase()).not.toContain(secret.toLowerCase());
      }
    }
    // And the Mews message survived, redacted, with the email masked.
    const echoed = errors.find((e): e is MewsApiError => e instanceof MewsApiError && e.code === 8);
    expect(echoed?.mewsMessage).toBe(
      'Invalid token [redacted] / [redacted] for employee [redacted] (S***@F***.EXAMPLE)',
    );
  });
});

describe('fixtures', () => {
  it('use obviously fake tokens only', () => {
    const all = JSON.stringify([fixture('get-properties.json'), fixture('get-configuration.json')]);
    for (const token of all.match(/"(?:token|code|connectionToken)":"[^"]*token[^"]*"/g) ?? []) {
      expect(token).toMatch(/fake-connection-token-\d{4}/);
    }
  });
});

describe('redaction of Mews messages', () => {
  it('hides known secrets, token-looking runs and emails; keeps prose', async () => {
    const { createRedactor } = await import('../../../shared/mews/redact.js');
    const redact = createRedactor(['s3cret', null, '']);
    expect(redact('key s3cret, id FAKE0TOKEN0LOOKING0RUN00000000000-FAKE00, mail a.b@c.org')).toBe(
      'key [redacted], id [redacted], mail a***@c***.org',
    );
    expect(redact("Invalid 'clientToken' or 'connectionToken'.")).toBe(
      "Invalid 'clientToken' or 'connectionToken'.",
    );
  });
});
