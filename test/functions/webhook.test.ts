import 'aws-sdk-client-mock-vitest/extend';
import { randomUUID } from 'node:crypto';
import { CreateSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as pollHandler } from '../../functions/poll-account/handler.js';
import { handler as syncHandler } from '../../functions/sync-connection/handler.js';
import { handler } from '../../functions/webhook/handler.js';
import { DynamoStateStore } from '../../shared/adapters/aws/dynamo-state-store.js';
import { resetServicesForTests } from '../../shared/composition/aws-services.js';
import { connectionIdFromToken, integrationIdFromMewsId } from '../../shared/domain/identity.js';
import type { Account } from '../../shared/domain/model.js';
import { systemClock } from '../../shared/ports/clock.js';
import { type MewsSimulator, startMewsSimulator } from '../../shared/simulator/index.js';
import { registerAccount } from '../../shared/use-cases/accounts.js';
import { freshTable, type TestTable } from '../support/dynamo.js';
import {
  ACCOUNT,
  ACCOUNT_POLLS_QUEUE_URL,
  type Captured,
  CONNECTION_SYNCS_QUEUE_URL,
  captureOutput,
  fakeSecretsManager,
  fakeSqs,
  INTEGRATION_SECRET_PREFIX,
  KMS_KEY_ARN,
  lambdaContext,
  REGION,
  sqsEvent,
  sqsRecord,
  stubFunctionEnv,
} from './lambda-harness.js';

/**
 * The webhook function behind its Function URL: realistic Function URL events, DynamoDB Local,
 * the simulator (its Connector API answers configuration/get), Secrets Manager and SQS mocked.
 */
const RECEPTION = 'reception@sample-hostel.example';
const DOCKS_TOKEN = 'fake-conn-harbour-docks';
const DOCKS = connectionIdFromToken(DOCKS_TOKEN);
const WEBHOOK_SECRET = 'fake-webhook-url-secret-for-tests-0123456789';
const WEBHOOK_SECRET_NAME = 'mews-provisioner/test/integration-webhook';
const WEBHOOK_SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${WEBHOOK_SECRET_NAME}-Xy12Zw`;
const URL_DOMAIN = 'abcdefghijklmnopqrstuvwxyz012345.lambda-url.eu-west-1.on.aws';

let table: TestTable;
let store: DynamoStateStore;
let sim: MewsSimulator;
let account: Account;
let out: Captured;
const fake = fakeSecretsManager('replaced in beforeAll');
const queue = fakeSqs();
const context = lambdaContext('mews-provisioner-test-webhook');
const secrets: string[] = [WEBHOOK_SECRET, DOCKS_TOKEN];
const captured: string[] = [];

/** A Function URL invocation as Lambda delivers it (payload format 2.0). */
function urlEvent(
  method: string,
  rawPath: string,
  body: string | undefined,
  options: { base64?: boolean } = {},
): LambdaFunctionURLEvent {
  const encoded = body !== undefined && options.base64 ? Buffer.from(body).toString('base64') : body;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: '',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body ?? '')),
      host: URL_DOMAIN,
      'user-agent': 'Mews-Webhooks/1.0',
      'x-amzn-tls-version': 'TLSv1.3',
      'x-amzn-trace-id': `Root=1-${Date.now().toString(16)}-${randomUUID().replaceAll('-', '').slice(0, 24)}`,
      'x-forwarded-for': '198.51.100.23',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
    },
    requestContext: {
      accountId: 'anonymous',
      apiId: URL_DOMAIN.split('.')[0] ?? 'abc',
      domainName: URL_DOMAIN,
      domainPrefix: URL_DOMAIN.split('.')[0] ?? 'abc',
      http: {
        method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '198.51.100.23',
        userAgent: 'Mews-Webhooks/1.0',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: '27/Nov/2026:10:00:00 +0000',
      timeEpoch: Date.now(),
    },
    ...(encoded === undefined ? {} : { body: encoded }),
    isBase64Encoded: options.base64 ?? false,
  };
}

const notification = (type: number, clientToken = sim.clientToken, connectionToken = DOCKS_TOKEN) =>
  JSON.stringify({ clientToken, connectionToken, type });
const json = (body: string | undefined) => JSON.parse(body ?? 'null') as Record<string, unknown>;

beforeAll(async () => {
  [table, sim] = await Promise.all([freshTable('webhook-fn'), startMewsSimulator()]);
  store = new DynamoStateStore({ client: table.client, tableName: table.tableName });
  account = (await registerAccount({ email: RECEPTION }, { store, clock: systemClock })).account;
  secrets.push(sim.clientToken);
  fake.sm.restore();
  Object.assign(fake, fakeSecretsManager(sim.clientToken));
}, 120_000);

beforeEach(() => {
  stubFunctionEnv({ tableName: table.tableName, dynamoEndpoint: table.endpoint, mewsAddress: sim.url });
  vi.stubEnv('INTEGRATION_WEBHOOK_SECRET_ARN', WEBHOOK_SECRET_ARN);
  fake.secrets.set(WEBHOOK_SECRET_NAME, {
    name: WEBHOOK_SECRET_NAME,
    arn: WEBHOOK_SECRET_ARN,
    value: WEBHOOK_SECRET,
    kmsKeyId: KMS_KEY_ARN,
  });
  resetServicesForTests();
  fake.sm.resetHistory();
  queue.sqs.resetHistory();
  out = captureOutput();
  return () => {
    captured.push(out.text());
    out.restore();
  };
});

afterAll(async () => {
  fake.sm.restore();
  queue.sqs.restore();
  vi.unstubAllEnvs();
  resetServicesForTests();
  await sim?.close();
  // Nothing the functions wrote (logs, metrics) holds a token, the client token or the URL secret.
  const text = captured.join('\n');
  for (const secret of secrets) expect(text).not.toContain(secret);
});

/** Provisions the account's connections through the poll-account and sync-connection handlers. */
async function provisionAll(): Promise<void> {
  const poll = sqsRecord(JSON.stringify({ kind: 'poll-account', accountId: account.id }), 'account-polls');
  expect((await pollHandler(sqsEvent([poll]), lambdaContext('poll'))).batchItemFailures).toEqual([]);
  const syncs = queue
    .sent(CONNECTION_SYNCS_QUEUE_URL)
    .map((m) => sqsRecord(JSON.stringify(m), 'connection-syncs'));
  expect((await syncHandler(sqsEvent(syncs), lambdaContext('sync'))).batchItemFailures).toEqual([]);
  queue.sqs.resetHistory();
  fake.sm.resetHistory();
  out.clear();
}

describe('webhook handler: change notifications', () => {
  it('a known connection: answers success and queues a notification sync, ids only; the sync deactivates it', async () => {
    await provisionAll();
    sim.setConnectionEnabled(DOCKS_TOKEN, false);

    const response = await handler(urlEvent('POST', '/changeNotification', notification(3)), context);

    expect(response).toMatchObject({ statusCode: 200 });
    expect(json(response.body)).toEqual({ success: true });
    const sent = queue.sent(CONNECTION_SYNCS_QUEUE_URL);
    expect(sent).toEqual([
      { kind: 'sync-connection', connectionId: DOCKS, accountId: account.id, reason: 'notification' },
    ]);
    expect(queue.sent(ACCOUNT_POLLS_QUEUE_URL)).toEqual([]);
    expect(out.metric('ChangeNotificationAccepted')).toBe(1);
    expect(out.logs().find((l) => l.message === 'change notification accepted')).toMatchObject({
      connectionId: DOCKS,
      type: 'deactivated',
      known: 'provisioned',
    });

    // The sync-connection function takes the notification's message (reason included).
    const sync = await syncHandler(
      sqsEvent([sqsRecord(JSON.stringify(sent[0]), 'connection-syncs')]),
      context,
    );
    expect(sync.batchItemFailures).toEqual([]);
    expect((await store.getConnection(DOCKS))?.status).toBe('deactivated');
    expect((await store.listEventsFor(DOCKS)).map((e) => e.detailType)).toEqual([
      'Connection Provisioned',
      'Connection Deactivated',
    ]);
    sim.setConnectionEnabled(DOCKS_TOKEN, true);
  });

  it('a connection not known yet: polls of every registered account (documented path spelling, base64 body)', async () => {
    const token = sim.addConnection('harbour-hostel-annex', { name: 'Notified' });
    secrets.push(token);
    const response = await handler(
      urlEvent('POST', '/changeNotificaton', notification(0, sim.clientToken, token), { base64: true }),
      context,
    );
    expect(json(response.body)).toEqual({ success: true });
    expect(queue.sent(ACCOUNT_POLLS_QUEUE_URL)).toEqual([{ kind: 'poll-account', accountId: account.id }]);
    expect(queue.sent(CONNECTION_SYNCS_QUEUE_URL)).toEqual([]);
  });

  it('a wrong client token: error shape with code 8, nothing queued', async () => {
    const response = await handler(
      urlEvent('POST', '/changeNotification', notification(1, 'fake-wrong-token')),
      context,
    );
    expect(response.statusCode).toBe(200);
    expect(json(response.body)).toEqual({
      success: false,
      error: { code: 8, message: "Invalid 'clientToken'." },
    });
    expect(queue.sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
    expect(out.metric('WebhookUnauthenticated')).toBe(1);
  });

  it('bad bodies: error shape with code 6, nothing queued', async () => {
    for (const body of [
      'not json',
      '',
      '{"clientToken":',
      JSON.stringify({ clientToken: sim.clientToken, type: 9 }),
    ]) {
      const response = await handler(urlEvent('POST', '/changeNotification', body), context);
      expect(json(response.body)).toMatchObject({ success: false, error: { code: 6 } });
    }
    expect(queue.sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
    expect(out.metric('WebhookRejected')).toBe(4);
  });

  it('other paths, methods and oversized bodies', async () => {
    expect((await handler(urlEvent('POST', '/', '{}'), context)).statusCode).toBe(404);
    expect((await handler(urlEvent('GET', '/changeNotification', undefined), context)).statusCode).toBe(405);
    const huge = `{"pad":"${'x'.repeat(300_000)}"}`;
    expect((await handler(urlEvent('POST', '/changeNotification', huge), context)).statusCode).toBe(413);
    expect(queue.sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
    expect(out.metric('WebhookRejected')).toBe(3);
  });

  it('a notification that fails on our side (the queue is down): code 1, WebhookFailed, one log line', async () => {
    queue.sqs.on(SendMessageBatchCommand).rejects(new Error('SQS is unavailable'));
    try {
      const response = await handler(
        urlEvent('POST', '/changeNotification', notification(1, sim.clientToken, 'fake-conn-not-known-yet')),
        context,
      );

      expect(json(response.body)).toMatchObject({ success: false, error: { code: 1 } });
      expect(out.metric('WebhookFailed')).toBe(1);
      expect(out.logs().filter((l) => l.level === 'ERROR' || l.level === 'WARN')).toEqual([
        expect.objectContaining({
          level: 'ERROR',
          message: 'webhook answered',
          outcome: 'failed',
          error: expect.objectContaining({ name: 'WorkQueueSendError' }),
        }),
      ]);
    } finally {
      queue.reset();
    }
  });
});

describe('webhook handler: integration webhooks', () => {
  it('IntegrationCreated: the access token to Secrets Manager (KMS key, prefix), configuration/get, integration and event', async () => {
    const added = sim.addIntegration({ enterpriseId: 'harbour-hostels', name: 'Channel sync' });
    secrets.push(added.accessToken);
    const id = integrationIdFromMewsId(added.integrationId);
    const body = JSON.stringify({
      Action: 'IntegrationCreated',
      Data: {
        Enterprise: { Id: 'harbour-hostels', Name: 'Harbour Hostels' },
        Service: null,
        Requestor: { Name: 'Ada Example', Email: 'ada@sample-hostel.example' },
        AccessToken: added.accessToken,
        CreatedUtc: '2026-11-27T10:00:00Z',
        IsEnabled: true,
        Integration: { Id: added.integrationId, Name: 'Channel sync' },
      },
    });

    const response = await handler(urlEvent('POST', `/integrations/${WEBHOOK_SECRET}`, body), context);
    const again = await handler(urlEvent('POST', `/integrations/${WEBHOOK_SECRET}`, body), context);

    expect(response.statusCode).toBe(200);
    expect(json(response.body)).toEqual({ Result: 'provisioned' });
    expect(json(again.body)).toEqual({ Result: 'already-provisioned' });
    expect(fake.sm).toHaveReceivedCommandWith(CreateSecretCommand, {
      Name: `${INTEGRATION_SECRET_PREFIX}${id}`,
      KmsKeyId: KMS_KEY_ARN,
      SecretString: added.accessToken,
    });
    expect(fake.sm).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: WEBHOOK_SECRET_ARN });
    expect(sim.connectorRequests()).toEqual([
      expect.objectContaining({ client: 'Mews Connection Provisioner 0.1.0', httpStatus: 200 }),
    ]);
    const integration = await store.getIntegration(id);
    expect(integration).toMatchObject({ enabled: true, enterprise: { id: 'harbour-hostels' } });
    // The secret's name, as for connections: never the ARN CreateSecret answered.
    expect(integration?.secretRef).toBe(`${INTEGRATION_SECRET_PREFIX}${id}`);
    const events = await store.listEventsFor(id);
    expect(events.map((e) => e.detailType)).toEqual(['Integration Provisioned']);
    expect(events[0]?.detail).toMatchObject({
      integration: { secretRef: `${INTEGRATION_SECRET_PREFIX}${id}`, secretStore: 'secrets-manager' },
      environment: 'demo',
      requestor: { maskedEmail: 'a***@s***.example' },
    });
    expect(JSON.stringify(events)).not.toContain(added.accessToken);
    expect(out.metric('IntegrationWebhookApplied')).toBe(1);

    const disabled = await handler(
      urlEvent(
        'POST',
        `/integrations/${WEBHOOK_SECRET}`,
        JSON.stringify({
          Action: 'IntegrationDisabled',
          Data: { Integration: { Id: added.integrationId, Name: 'x' } },
        }),
      ),
      context,
    );
    expect(json(disabled.body)).toEqual({ Result: 'changed' });
    expect((await store.listEventsFor(id)).map((e) => e.detailType)).toEqual([
      'Integration Provisioned',
      'Integration Disabled',
    ]);
  });

  it('with too little of the invocation left, configuration/get is not called: 503, Mews re-sends', async () => {
    // Prepare: 2.1 s left: the webhook keeps 2 s for itself, so the Connector API call has no time.
    const added = sim.addIntegration({ enterpriseId: 'harbour-hostels', name: 'Late sync' });
    secrets.push(added.accessToken);
    const body = JSON.stringify({
      Action: 'IntegrationCreated',
      Data: {
        Enterprise: { Id: 'harbour-hostels', Name: 'Harbour Hostels' },
        Service: null,
        Requestor: null,
        AccessToken: added.accessToken,
        CreatedUtc: '2026-11-27T10:00:00Z',
        IsEnabled: true,
        Integration: { Id: added.integrationId, Name: 'Late sync' },
      },
    });
    const deadline = Date.now() + 2_100;
    const short = { ...context, getRemainingTimeInMillis: () => deadline - Date.now() };
    const before = sim.connectorRequests().length;

    // Act
    const response = await handler(urlEvent('POST', `/integrations/${WEBHOOK_SECRET}`, body), short);

    // Assess
    expect(response.statusCode).toBe(503);
    expect(sim.connectorRequests()).toHaveLength(before);
    expect(await store.getIntegration(integrationIdFromMewsId(added.integrationId))).toBeUndefined();
    expect(out.metric('WebhookFailed')).toBe(1);
    expect(out.logs().filter((l) => l.level === 'ERROR')).toEqual([
      expect.objectContaining({
        message: 'webhook answered',
        outcome: 'failed',
        error: expect.objectContaining({ message: expect.stringMatching(/too little time left/) }),
      }),
    ]);
  });

  it('a wrong URL secret: 401, nothing stored', async () => {
    const body = JSON.stringify({
      Action: 'IntegrationEnabled',
      Data: { Integration: { Id: 'x', Name: 'y' } },
    });
    const response = await handler(urlEvent('POST', '/integrations/fake-not-the-secret', body), context);
    expect(response.statusCode).toBe(401);
    expect(json(response.body)).toEqual({ Message: 'Unauthorized.' });
    expect(fake.sm).not.toHaveReceivedCommand(CreateSecretCommand);
    expect(out.metric('WebhookUnauthenticated')).toBe(1);
  });

  it('an unreadable webhook secret: 503 (Mews re-sends), counted as a failure', async () => {
    vi.stubEnv('INTEGRATION_WEBHOOK_SECRET_ARN', `${WEBHOOK_SECRET_ARN}-missing`);
    resetServicesForTests();
    const response = await handler(urlEvent('POST', '/changeNotification', notification(1)), context);
    expect(response.statusCode).toBe(503);
    expect(out.metric('WebhookFailed')).toBe(1);
  });

  it('a webhook secret shorter than 32 characters is refused at start', async () => {
    fake.secrets.set(WEBHOOK_SECRET_NAME, {
      name: WEBHOOK_SECRET_NAME,
      arn: WEBHOOK_SECRET_ARN,
      value: 'short',
      kmsKeyId: undefined,
    });
    const response = await handler(urlEvent('POST', '/changeNotification', notification(1)), context);
    expect(response.statusCode).toBe(503);
    expect(out.logs().find((l) => l.message === 'webhook dependencies unavailable')).toBeDefined();
  });
});
