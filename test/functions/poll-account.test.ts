import 'aws-sdk-client-mock-vitest/extend';
import { CreateSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../functions/poll-account/handler.js';
import { DynamoStateStore } from '../../shared/adapters/aws/dynamo-state-store.js';
import { resetServicesForTests } from '../../shared/composition/aws-services.js';
import { RECORD_BUDGET } from '../../shared/composition/sqs-record-handler.js';
import { type ListedEntry, listedEntries } from '../../shared/domain/listing-diff.js';
import type { Account } from '../../shared/domain/model.js';
import { ChannelManagerClient } from '../../shared/mews/channel-manager-client.js';
import { systemClock } from '../../shared/ports/clock.js';
import { type MewsSimulator, startMewsSimulator } from '../../shared/simulator/index.js';
import { registerAccount } from '../../shared/use-cases/accounts.js';
import { freshTable, type TestTable } from '../support/dynamo.js';
import {
  ACCOUNT_POLLS_QUEUE_URL,
  type Captured,
  CLIENT_TOKEN_SECRET_ARN,
  CONNECTION_SECRET_PREFIX,
  CONNECTION_SYNCS_QUEUE_URL,
  captureOutput,
  fakeSecretsManager,
  fakeSqs,
  KMS_KEY_ARN,
  lambdaContext,
  sqsEvent,
  sqsRecord,
  stubFunctionEnv,
} from './lambda-harness.js';

const RECEPTION = 'reception@sample-hostel.example';
const NIGHT_DESK = 'night-desk@sample-hostel.example';
const REVENUE = 'revenue@sample-hostel.example';
const LOCKED_OUT = 'former-manager@sample-hostel.example';

let table: TestTable;
let store: DynamoStateStore;
let sim: MewsSimulator;
let out: Captured;
const accounts = new Map<string, Account>();
/** Every token the simulator knows, to scan the output for. */
let tokens: string[];
const fake = fakeSecretsManager('replaced in beforeAll');
const queue = fakeSqs();
const context = lambdaContext('mews-provisioner-test-poll-account');
const captured: string[] = [];

const pollRecord = (account: Account | undefined) =>
  sqsRecord(JSON.stringify({ kind: 'poll-account', accountId: account?.id }), 'account-polls');

/** The log lines (debug ones aside) that name an SQS message. */
const linesAbout = (messageId: string) =>
  out.logs().filter((l) => l.level !== 'DEBUG' && JSON.stringify(l).includes(messageId));

/** The per-attempt debug lines of the Mews client. */
const mewsCalls = () => out.logs().filter((l) => l.message === 'mews call');

async function listedBy(email: string): Promise<ListedEntry[]> {
  const mews = new ChannelManagerClient({ platformAddress: sim.url, clientToken: sim.clientToken });
  return listedEntries(await mews.getProperties(email));
}

beforeAll(async () => {
  [table, sim] = await Promise.all([freshTable('poll-account'), startMewsSimulator()]);
  store = new DynamoStateStore({ client: table.client, tableName: table.tableName });
  for (const email of [RECEPTION, NIGHT_DESK, REVENUE, LOCKED_OUT]) {
    accounts.set(email, (await registerAccount({ email }, { store, clock: systemClock })).account);
  }
  tokens = [sim.clientToken, ...(await listedBy(RECEPTION)).map((e) => e.token)];
  fake.sm.restore();
  Object.assign(fake, fakeSecretsManager(sim.clientToken));
}, 120_000);

beforeEach(() => {
  stubFunctionEnv({ tableName: table.tableName, dynamoEndpoint: table.endpoint, mewsAddress: sim.url });
  resetServicesForTests();
  fake.sm.resetHistory();
  queue.sqs.resetHistory();
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

describe('poll-account handler', () => {
  it('stores one secret per new connection, records them and queues their sync; tokens stay in Secrets Manager', async () => {
    // Prepare
    const account = accounts.get(RECEPTION);
    const listed = await listedBy(RECEPTION);
    expect(listed.length).toBeGreaterThan(1);

    // Act
    const response = await handler(sqsEvent([pollRecord(account)]), context);

    // Assess: no failure
    expect(response).toEqual({ batchItemFailures: [] });

    // The client token is read from its secret; one secret per connection, named from its id, with the key.
    expect(fake.sm).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: CLIENT_TOKEN_SECRET_ARN });
    expect(fake.sm).toHaveReceivedCommandTimes(CreateSecretCommand, listed.length);
    for (const entry of listed) {
      expect(fake.sm).toHaveReceivedCommandWith(CreateSecretCommand, {
        Name: `${CONNECTION_SECRET_PREFIX}${entry.connectionId}`,
        KmsKeyId: KMS_KEY_ARN,
        SecretString: entry.token,
      });
    }

    // The sync messages: ids only.
    expect(queue.sqs).toHaveReceivedCommandWith(SendMessageBatchCommand, {
      QueueUrl: CONNECTION_SYNCS_QUEUE_URL,
    });
    const messages = queue.sent(CONNECTION_SYNCS_QUEUE_URL);
    expect(messages).toEqual(
      expect.arrayContaining(
        listed.map((e) => ({
          kind: 'sync-connection',
          connectionId: e.connectionId,
          accountId: account?.id,
          reason: 'discovered',
        })),
      ),
    );
    expect(messages).toHaveLength(listed.length);
    const bodies = queue.sqs
      .commandCalls(SendMessageBatchCommand)
      .flatMap((c) => c.args[0].input.Entries ?? [])
      .map((e) => e.MessageBody ?? '');
    for (const token of tokens) for (const body of bodies) expect(body).not.toContain(token);

    // The state: each connection discovered with its secret's name (its SecretId), memberships pending.
    for (const entry of listed) {
      const connection = await store.getConnection(entry.connectionId);
      expect(connection).toMatchObject({ status: 'discovered', propertyId: entry.propertyId });
      expect(connection?.secretRef).toBe(
        fake.secrets.get(`${CONNECTION_SECRET_PREFIX}${entry.connectionId}`)?.name,
      );
    }
    const view = await store.getAccountView(account?.id ?? 'acc_');
    expect(view?.memberships.map((m) => m.status)).toEqual(listed.map(() => 'pending'));

    // Metrics.
    expect(out.metric('PollSucceeded')).toBe(1);
    expect(out.metric('ConnectionsDiscovered')).toBe(listed.length);
    expect(out.metric('PollFailed')).toBeUndefined();
  });

  it('reads the client token once per container; a poll with nothing new stores no secret and re-asks pending syncs', async () => {
    // Prepare: the account was polled by the previous test; a cold container reads the token once.
    const account = accounts.get(NIGHT_DESK);
    await handler(sqsEvent([pollRecord(account)]), context);
    fake.sm.resetHistory();
    queue.sqs.resetHistory();
    out.clear();
    const secretsBefore = [...fake.secrets.keys()].sort();

    // Act: the second invocation (warm) finds nothing new.
    const response = await handler(sqsEvent([pollRecord(account)]), context);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(fake.sm).not.toHaveReceivedCommand(GetSecretValueCommand);
    // A pending connection's token was stored after its discovery was recorded: not put again
    // (a refused CreateSecret would spend the write quota all the same).
    expect(fake.sm).not.toHaveReceivedCommand(CreateSecretCommand);
    expect([...fake.secrets.keys()].sort()).toEqual(secretsBefore);
    // No sync has run yet, so the membership is still pending: its sync is asked for again.
    const listed = await listedBy(NIGHT_DESK);
    expect(queue.sent(CONNECTION_SYNCS_QUEUE_URL)).toEqual(
      listed.map((e) => ({
        kind: 'sync-connection',
        connectionId: e.connectionId,
        accountId: account?.id,
        reason: 'retry',
      })),
    );
    expect(out.metric('PollSucceeded')).toBe(1);
    expect(out.metric('ConnectionsDiscovered')).toBe(0);
  });

  it('reports only the poison messages as failed; the good one is done', async () => {
    // Prepare: a good poll, a body that is not JSON, a body of the wrong shape (an email where the id goes).
    const good = pollRecord(accounts.get(REVENUE));
    const notJson = sqsRecord(`{"kind":"poll-account","accountId":"${RECEPTION}"`, 'account-polls', 3);
    const wrongShape = sqsRecord(
      JSON.stringify({ kind: 'poll-account', accountId: RECEPTION }),
      'account-polls',
    );

    // Act
    const response = await handler(sqsEvent([notJson, good, wrongShape]), context);

    // Assess
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: notJson.messageId },
      { itemIdentifier: wrongShape.messageId },
    ]);
    expect(out.metric('PollSucceeded')).toBe(1);
    expect(out.metric('PollFailed')).toBe(2);
    const poison = out
      .logs()
      .filter((l) => l.message === 'poison message: it will be retried, then dead-lettered');
    expect(poison).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        messageId: notJson.messageId,
        receiveCount: 3,
        issues: ['(body): not JSON'],
      }),
      expect.objectContaining({
        messageId: wrongShape.messageId,
        issues: ['accountId: expected an account id (acc_ and 16 hex digits)'],
      }),
    ]);
    // Only the validation issues are logged, never the body.
    expect(out.text()).not.toContain(RECEPTION);
  });

  it('fails only the account whose Mews call keeps failing transiently', async () => {
    // Prepare: Mews answers "system error" (transient) to every call for one account.
    sim.addFault({ operation: 'getProperties', email: NIGHT_DESK, mewsErrorCode: 1 });
    const failing = pollRecord(accounts.get(NIGHT_DESK));
    const good = pollRecord(accounts.get(REVENUE));

    // Act
    const response = await handler(sqsEvent([failing, good]), context);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: failing.messageId }]);
    expect(out.metric('PollSucceeded')).toBe(1);
    expect(out.metric('PollFailed')).toBe(1);
    expect(
      out.logs().find((l) => l.message === 'account poll failed: the message will be retried'),
    ).toMatchObject({
      messageId: failing.messageId,
      error: { name: 'MewsApiError' },
    });
  }, 60_000);

  it('marks an account whose access Mews refuses as failing, once, without failing the message', async () => {
    // Prepare
    const account = accounts.get(LOCKED_OUT);

    // Act: two polls, as two cycles would.
    const first = await handler(sqsEvent([pollRecord(account)]), context);
    const second = await handler(sqsEvent([pollRecord(account)]), context);

    // Assess
    expect(first.batchItemFailures).toEqual([]);
    expect(second.batchItemFailures).toEqual([]);
    expect(out.metric('AccountAccessFailed')).toBe(1);
    expect(out.metric('PollSucceeded')).toBeUndefined();
    expect((await store.getAccount(account?.id ?? 'acc_'))?.access.status).toBe('failing');
    const events = await store.listEventsFor(account?.id ?? 'acc_');
    expect(events.map((e) => e.detailType)).toEqual(['Account Access Failed']);
  });

  it('a batch where every record fails is a partial response, not an invocation error, logged once', async () => {
    const poison = sqsRecord('not json at all', 'account-polls');

    const response = await handler(sqsEvent([poison]), context);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: poison.messageId }] });
    expect(out.metric('PollFailed')).toBe(1);
    expect(linesAbout(poison.messageId)).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        message: 'poison message: it will be retried, then dead-lettered',
      }),
    ]);
    expect(out.logs().filter((l) => l.level === 'ERROR')).toHaveLength(1);
  });

  it('a poll whose Mews call keeps failing: one log line, a partial response', async () => {
    sim.addFault({ operation: 'getProperties', email: REVENUE, httpStatus: 503 });
    const failing = pollRecord(accounts.get(REVENUE));

    const response = await handler(sqsEvent([failing]), context);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: failing.messageId }] });
    expect(linesAbout(failing.messageId)).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        message: 'account poll failed: the message will be retried',
        error: expect.objectContaining({ name: 'MewsTransportError', reason: 'http-status' }),
      }),
    ]);
    expect(out.logs().filter((l) => l.level === 'ERROR')).toHaveLength(1);
    expect(out.logs().find((l) => l.message === 'invocation failed')).toBeUndefined();
  }, 60_000);

  it('hanging Mews: the poll gives up within the invocation, its calls never reaching past the deadline', async () => {
    // Prepare: Mews never answers; the invocation has the reserve plus 3.5 s left.
    sim.addFault({ operation: 'getProperties', email: REVENUE, hang: true });
    const record = pollRecord(accounts.get(REVENUE));
    const deadline = Date.now() + RECORD_BUDGET.reserveMs + 3_500;
    const short = { ...context, getRemainingTimeInMillis: () => deadline - Date.now() };

    // Act
    const response = await handler(sqsEvent([record]), short);

    // Assess: a response naming the record, and every Mews attempt's budget ended before the reserve.
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
    const calls = mewsCalls();
    expect(calls.length).toBeGreaterThanOrEqual(1);
    for (const call of calls) {
      expect(call).toMatchObject({ outcome: 'transport-error', error: { reason: 'timeout' } });
      expect(Date.parse(String(call.deadline))).toBeLessThanOrEqual(deadline - RECORD_BUDGET.reserveMs);
      expect(call.timeoutMs).toBeLessThanOrEqual(3_500);
    }
    expect(linesAbout(record.messageId)).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        message: 'account poll failed: the message will be retried',
      }),
    ]);
  }, 60_000);

  it('too little time left: the record is not started (no Mews call) and is handed back, logged once', async () => {
    const record = pollRecord(accounts.get(REVENUE));
    const deadline = Date.now() + RECORD_BUDGET.reserveMs + RECORD_BUDGET.minRecordMs - 500;
    const short = { ...context, getRemainingTimeInMillis: () => deadline - Date.now() };
    sim.clearCalls();

    const response = await handler(sqsEvent([record]), short);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
    expect(sim.calls().getProperties).toBe(0);
    expect(out.metric('RecordsNotStarted')).toBe(1);
    expect(out.metric('PollFailed')).toBeUndefined();
    expect(linesAbout(record.messageId)).toEqual([
      expect.objectContaining({
        level: 'WARN',
        message: 'record not started: too little time left; the message will be retried',
      }),
    ]);
  });

  it('too little time left for every new token: one chunk stored, a continuation poll queued, the record done; the continuation stores the rest', async () => {
    // Prepare: an account listing 60 new connections (two chunks of token writes). The clock
    // jumps a minute once the first chunk's 50 secrets are created: its deadline has passed.
    const [email] = sim.addEnterprise({
      id: 'backfill-enterprise',
      accounts: ['backfill@sample-hostel.example'],
      properties: [{ id: 'backfill-property', connections: 60 }],
    }).accounts as [string];
    const { account } = await registerAccount({ email }, { store, clock: systemClock });
    const listed = await listedBy(email);
    tokens.push(...listed.map((e) => e.token));
    expect(listed).toHaveLength(60);
    const creates = () => fake.sm.commandCalls(CreateSecretCommand).length;
    const realNow = Date.now.bind(Date);
    const jump = vi.spyOn(Date, 'now').mockImplementation(() => realNow() + (creates() >= 50 ? 60_000 : 0));

    // Act
    const response = await handler(sqsEvent([pollRecord(account)]), context);
    jump.mockRestore();

    // Assess: success, 50 secrets, their syncs, and the continuation message.
    expect(response).toEqual({ batchItemFailures: [] });
    expect(fake.sm).toHaveReceivedCommandTimes(CreateSecretCommand, 50);
    expect(queue.sent(CONNECTION_SYNCS_QUEUE_URL)).toHaveLength(50);
    const continuation = JSON.stringify({
      kind: 'poll-account',
      accountId: account.id,
      reason: 'continuation',
    });
    expect(queue.sqs).toHaveReceivedCommandWith(SendMessageBatchCommand, {
      QueueUrl: ACCOUNT_POLLS_QUEUE_URL,
      Entries: [{ Id: 'm0', MessageBody: continuation }],
    });
    expect(queue.sent(ACCOUNT_POLLS_QUEUE_URL)).toHaveLength(1);
    expect(out.logs().filter((l) => String(l.message).startsWith('account poll cut short'))).toEqual([
      expect.objectContaining({ level: 'INFO', status: 'continued', discovered: 50, left: 10 }),
    ]);
    expect(out.metric('PollSucceeded')).toBe(1);
    expect(out.metric('ConnectionsDiscovered')).toBe(50);
    expect(out.metric('PollFailed')).toBeUndefined();

    // Act: the continuation, with time enough.
    const next = await handler(sqsEvent([sqsRecord(continuation, 'account-polls')]), context);

    // Assess: the other 10 stored (none of the 50 again), no further continuation.
    expect(next).toEqual({ batchItemFailures: [] });
    expect(fake.sm).toHaveReceivedCommandTimes(CreateSecretCommand, 60);
    expect(new Set(fake.sm.commandCalls(CreateSecretCommand).map((c) => c.args[0].input.Name)).size).toBe(60);
    expect(queue.sent(ACCOUNT_POLLS_QUEUE_URL)).toHaveLength(1);
    const view = await store.getAccountView(account.id);
    expect(view?.memberships).toHaveLength(60);
  });

  it('fails at cold start with a message naming a missing variable', async () => {
    vi.stubEnv('CONNECTION_SECRETS_KMS_KEY_ARN', '');
    vi.stubEnv('CONNECTION_SYNCS_QUEUE_URL', undefined);
    resetServicesForTests();
    await expect(handler(sqsEvent([pollRecord(accounts.get(REVENUE))]), context)).rejects.toThrow(
      /Invalid function environment.*CONNECTION_SECRETS_KMS_KEY_ARN.*CONNECTION_SYNCS_QUEUE_URL/,
    );
  });
});

describe('poll-account output', () => {
  it('never contains a token or an unmasked email', () => {
    const all = captured.join('\n');
    // Debug lines included: every Mews call is logged (with the account masked).
    expect(all).toContain('"message":"mews call"');
    expect(all).toMatch(/"account":"r\*\*\*@s\*\*\*\.example"/);
    for (const token of tokens) expect(all).not.toContain(token);
    expect(all).not.toContain('fake-conn-');
    for (const email of accounts.keys()) expect(all).not.toContain(email);
  });
});
