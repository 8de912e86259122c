import 'aws-sdk-client-mock-vitest/extend';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as pollHandler } from '../../functions/poll-account/handler.js';
import { handler } from '../../functions/sync-connection/handler.js';
import { DynamoStateStore } from '../../shared/adapters/aws/dynamo-state-store.js';
import { resetServicesForTests } from '../../shared/composition/aws-services.js';
import { RECORD_BUDGET } from '../../shared/composition/sqs-record-handler.js';
import { connectionIdFromToken } from '../../shared/domain/identity.js';
import type { Account, ConnectionId } from '../../shared/domain/model.js';
import { systemClock } from '../../shared/ports/clock.js';
import { type MewsSimulator, startMewsSimulator } from '../../shared/simulator/index.js';
import { registerAccount } from '../../shared/use-cases/accounts.js';
import { freshTable, type TestTable } from '../support/dynamo.js';
import {
  type Captured,
  CONNECTION_SECRET_PREFIX,
  CONNECTION_SYNCS_QUEUE_URL,
  captureOutput,
  fakeSecretsManager,
  fakeSqs,
  lambdaContext,
  sqsEvent,
  sqsRecord,
  stubFunctionEnv,
} from './lambda-harness.js';

const RECEPTION = 'reception@sample-hostel.example';
const PROPERTY = 'harbour-hostel-central';

let table: TestTable;
let store: DynamoStateStore;
let sim: MewsSimulator;
let account: Account;
let out: Captured;
const fake = fakeSecretsManager('replaced in beforeAll');
const queue = fakeSqs();
const context = lambdaContext('mews-provisioner-test-sync-connection');
const captured: string[] = [];
const tokens: string[] = [];

/** Polls the account through the poll-account handler; returns the sync messages it queued, as SQS records. */
async function poll(): Promise<SQSRecord[]> {
  queue.sqs.resetHistory();
  const poll = sqsRecord(JSON.stringify({ kind: 'poll-account', accountId: account.id }), 'account-polls');
  const response = await pollHandler(sqsEvent([poll]), lambdaContext('mews-provisioner-test-poll-account'));
  expect(response.batchItemFailures).toEqual([]);
  return queue.sent(CONNECTION_SYNCS_QUEUE_URL).map((m) => sqsRecord(JSON.stringify(m), 'connection-syncs'));
}

/** Adds a connection in Mews and lets a poll discover it; returns its token, id and sync message. */
async function newConnection(name: string) {
  const token = sim.addConnection(PROPERTY, { name });
  tokens.push(token);
  const connectionId = connectionIdFromToken(token);
  const record = (await poll()).find(
    (r) => (JSON.parse(r.body) as { connectionId: string }).connectionId === connectionId,
  );
  if (!record) throw new Error('the poll did not queue the new connection');
  return { token, connectionId, record };
}

const idOf = (record: SQSRecord) => (JSON.parse(record.body) as { connectionId: ConnectionId }).connectionId;

beforeAll(async () => {
  [table, sim] = await Promise.all([freshTable('sync-connection'), startMewsSimulator()]);
  store = new DynamoStateStore({ client: table.client, tableName: table.tableName });
  account = (await registerAccount({ email: RECEPTION }, { store, clock: systemClock })).account;
  tokens.push(sim.clientToken);
  fake.sm.restore();
  Object.assign(fake, fakeSecretsManager(sim.clientToken));
}, 120_000);

beforeEach(() => {
  stubFunctionEnv({ tableName: table.tableName, dynamoEndpoint: table.endpoint, mewsAddress: sim.url });
  resetServicesForTests();
  fake.sm.resetHistory();
  sim.clearFaults();
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
});

describe('sync-connection handler', () => {
  it('provisions every discovered connection: token from its secret, state, outbox event', async () => {
    // Prepare: the poll-account handler discovers the account's connections.
    const records = await poll();
    expect(records.length).toBeGreaterThan(1);
    for (const s of fake.secrets.values()) tokens.push(s.value);
    fake.sm.resetHistory();
    out.clear();

    // Act
    const response = await handler(sqsEvent(records), context);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    for (const record of records) {
      const connectionId = idOf(record);
      const secret = fake.secrets.get(`${CONNECTION_SECRET_PREFIX}${connectionId}`);
      expect(fake.sm).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: secret?.name });
      const connection = await store.getConnection(connectionId);
      expect(connection).toMatchObject({ status: 'provisioned', secretRef: secret?.name });
      expect(connection?.configuration?.digest).toMatch(/./);
      expect(await store.getMembership(account.id, connectionId)).toMatchObject({ status: 'synced' });

      const events = await store.listEventsFor(connectionId);
      expect(events.map((e) => e.detailType)).toEqual(['Connection Provisioned']);
      expect(events[0]?.detail).toMatchObject({
        environment: 'demo',
        connection: { id: connectionId, accountId: account.id, secretRef: secret?.name },
      });
      for (const token of tokens) expect(JSON.stringify(events)).not.toContain(token);
    }
    expect(out.metric('ConnectionProvisioned')).toBe(records.length);
    expect(out.metric('ProvisioningFailed')).toBeUndefined();
    expect(out.metric('SyncFailed')).toBeUndefined();

    // Replayed (SQS delivers at least once): nothing changes twice.
    out.clear();
    const pending = (await store.listPendingEvents(100)).length;
    expect(await handler(sqsEvent(records), context)).toEqual({ batchItemFailures: [] });
    expect((await store.listPendingEvents(100)).length).toBe(pending);
    expect(out.metric('ConnectionProvisioned')).toBeUndefined();
  });

  it('reports only the poison message as failed; the good one is provisioned', async () => {
    // Prepare
    const { connectionId, record: good } = await newConnection('Connection for the poison test');
    const poison = sqsRecord(
      JSON.stringify({
        kind: 'sync-connection',
        connectionId: 'fake-conn-0001',
        accountId: account.id,
        reason: 'new',
      }),
      'connection-syncs',
      2,
    );

    // Act
    const response = await handler(sqsEvent([good, poison]), context);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: poison.messageId }]);
    expect((await store.getConnection(connectionId))?.status).toBe('provisioned');
    expect(out.metric('ConnectionProvisioned')).toBe(1);
    expect(out.metric('SyncFailed')).toBe(1);
    expect(out.logs().find((l) => l.messageId === poison.messageId)).toMatchObject({
      level: 'ERROR',
      receiveCount: 2,
      issues: [
        'connectionId: expected a connection id (con_ and 24 hex digits)',
        'reason: Invalid option: expected one of "discovered"|"retry"|"refresh"|"notification"',
      ],
    });
  });

  it('reports a permanent Mews refusal as a failed provisioning, not a failed message', async () => {
    // Prepare: the connection is deleted in Mews between the poll and the sync (its token now fails, code 8).
    const { token, connectionId, record } = await newConnection('Connection deleted right away');
    sim.removeConnection(token);

    // Act
    const response = await handler(sqsEvent([record]), context);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(out.metric('ProvisioningFailed')).toBe(1);
    expect(out.metric('ConnectionProvisioned')).toBeUndefined();
    expect((await store.getConnection(connectionId))?.status).toBe('discovered');
    const events = await store.listEventsFor(connectionId);
    expect(events.map((e) => e.detailType)).toEqual(['Connection Provisioning Failed']);
  });

  it('a message whose token vanished from Secrets Manager hands it back to the polls, not to the dead-letter queue', async () => {
    // Prepare
    const { connectionId, record } = await newConnection('Connection whose secret vanished');
    const { record: good } = await newConnection('Connection synced alongside');
    fake.secrets.delete(`${CONNECTION_SECRET_PREFIX}${connectionId}`);

    // Act
    const response = await handler(sqsEvent([record, good]), context);

    // Assess: the next poll of the account stores the token again (its membership is awaiting-token).
    expect(response.batchItemFailures).toEqual([]);
    expect(out.metric('ConnectionProvisioned')).toBe(1);
    expect((await store.getMembership(account.id, connectionId))?.status).toBe('awaiting-token');
    expect((await store.getConnection(connectionId))?.status).toBe('discovered');
    expect(
      out
        .logs()
        .find(
          (l) =>
            l.message === 'no token in the vault; the next poll of each account listing it stores it again',
        ),
    ).toMatchObject({ connectionId });
  });

  it('a batch of slow Mews calls returns partial failures before the deadline, with no healthy message redelivered', async () => {
    // Prepare: five syncs; Mews is slow (60 s) for one connection and never answers for another.
    const a = await newConnection('Healthy before the slow one');
    const slow = await newConnection('Slow in Mews');
    const b = await newConnection('Healthy between');
    const hanging = await newConnection('Hanging in Mews');
    const c = await newConnection('Healthy last');
    sim.addFault({ operation: 'getConfiguration', connectionToken: slow.token, latencyMs: 60_000 });
    sim.addFault({ operation: 'getConfiguration', connectionToken: hanging.token, hang: true });
    // The invocation has 13 s of Mews time left (18 s minus the reserve); each attempt may take 10 s.
    const deadline = Date.now() + RECORD_BUDGET.reserveMs + 13_000;
    const short = { ...context, getRemainingTimeInMillis: () => deadline - Date.now() };
    const records = [a, slow, b, hanging, c].map((x) => x.record);
    out.clear();

    // Act
    const response = await handler(sqsEvent(records), short);

    // Assess: a response (not a timeout) naming exactly the slow and the hanging record.
    expect(response).toEqual({
      batchItemFailures: [
        { itemIdentifier: slow.record.messageId },
        { itemIdentifier: hanging.record.messageId },
      ],
    });
    for (const healthy of [a, b, c]) {
      expect((await store.getConnection(healthy.connectionId))?.status).toBe('provisioned');
    }
    // Every Mews attempt was given a budget that ends before the reserve: the handler answers in time.
    const calls = out.logs().filter((l) => l.message === 'mews call');
    expect(calls.length).toBeGreaterThanOrEqual(5);
    for (const call of calls) {
      expect(Date.parse(String(call.deadline))).toBeLessThanOrEqual(deadline - RECORD_BUDGET.reserveMs);
    }
    // The slow ones got their fair share, not the 10 s of a full attempt, and gave up by timing out.
    for (const failed of [slow, hanging]) {
      const mine = calls.filter((l) => l.connectionId === failed.connectionId);
      expect(mine.length).toBeGreaterThanOrEqual(1);
      for (const call of mine) {
        expect(call).toMatchObject({ outcome: 'transport-error', error: { reason: 'timeout' } });
        expect(call.timeoutMs).toBeLessThan(10_000);
      }
    }
    expect(out.metric('ConnectionProvisioned')).toBe(3);
    expect(out.metric('SyncFailed')).toBe(2);
    // One line per failed record, nothing else at error level.
    expect(out.logs().filter((l) => l.level === 'ERROR')).toEqual([
      expect.objectContaining({
        message: 'connection sync failed: the message will be retried',
        messageId: slow.record.messageId,
      }),
      expect.objectContaining({ messageId: hanging.record.messageId }),
    ]);
  }, 60_000);

  it('records that cannot get enough time are handed back unstarted, each in its own line', async () => {
    // Prepare: a hanging connection first, with 3.5 s of Mews time for the whole batch.
    const hanging = await newConnection('Hanging first');
    const after = await newConnection('Waiting behind it');
    sim.addFault({ operation: 'getConfiguration', connectionToken: hanging.token, hang: true });
    const deadline = Date.now() + RECORD_BUDGET.reserveMs + 3_500;
    const short = { ...context, getRemainingTimeInMillis: () => deadline - Date.now() };
    out.clear();
    sim.clearCalls();

    // Act
    const response = await handler(sqsEvent([hanging.record, after.record]), short);

    // Assess: both handed back; the second was never sent to Mews, and its connection is untouched.
    expect(response).toEqual({
      batchItemFailures: [
        { itemIdentifier: hanging.record.messageId },
        { itemIdentifier: after.record.messageId },
      ],
    });
    expect(sim.calls().getConfiguration).toBe(1);
    expect((await store.getConnection(after.connectionId))?.status).toBe('discovered');
    expect(out.metric('SyncFailed')).toBe(1);
    expect(out.metric('RecordsNotStarted')).toBe(1);
    const lines = (id: string) => out.logs().filter((l) => l.level !== 'DEBUG' && l.messageId === id);
    expect(lines(hanging.record.messageId)).toEqual([expect.objectContaining({ level: 'ERROR' })]);
    expect(lines(after.record.messageId)).toEqual([
      expect.objectContaining({
        level: 'WARN',
        message: 'record not started: too little time left; the message will be retried',
      }),
    ]);
  }, 60_000);

  it('a batch where every record fails is a partial response, not an invocation error', async () => {
    const poison = sqsRecord('{"kind":"sync-connection"}', 'connection-syncs');
    const response = await handler(sqsEvent([poison]), context);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: poison.messageId }] });
    expect(out.logs().filter((l) => l.level === 'ERROR')).toEqual([
      expect.objectContaining({ message: 'poison message: it will be retried, then dead-lettered' }),
    ]);
  });

  it('fails at cold start with a message naming a missing variable', async () => {
    vi.stubEnv('CONNECTION_SECRET_PREFIX', undefined);
    resetServicesForTests();
    await expect(handler(sqsEvent([]), context)).rejects.toThrow(
      /Invalid function environment.*CONNECTION_SECRET_PREFIX/,
    );
  });
});

describe('sync-connection output', () => {
  it('never contains a token or an unmasked email', () => {
    const all = captured.join('\n');
    expect(all).toContain('"message":"connection provisioned"');
    for (const token of new Set(tokens)) expect(all).not.toContain(token);
    expect(all).not.toContain('fake-conn-');
    expect(all).not.toContain(RECEPTION);
  });
});
