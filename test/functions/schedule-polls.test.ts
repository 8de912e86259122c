import 'aws-sdk-client-mock-vitest/extend';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../functions/schedule-polls/handler.js';
import { DynamoStateStore } from '../../shared/adapters/aws/dynamo-state-store.js';
import { resetServicesForTests } from '../../shared/composition/aws-services.js';
import { SCHEDULE_POLLS_INPUT } from '../../shared/config/function-inputs.js';
import type { AccountId } from '../../shared/domain/model.js';
import { systemClock } from '../../shared/ports/clock.js';
import { registerAccount } from '../../shared/use-cases/accounts.js';
import { freshTable, type TestTable } from '../support/dynamo.js';
import {
  ACCOUNT_POLLS_QUEUE_URL,
  type Captured,
  CONNECTION_SYNCS_QUEUE_URL,
  captureOutput,
  fakeSqs,
  lambdaContext,
  SERVICE,
  stubFunctionEnv,
} from './lambda-harness.js';

const EMAILS = ['reception@sample-hostel.example', 'Revenue@Sample-Hostel.example'];

let table: TestTable;
let accountIds: AccountId[];
let out: Captured;
const { sqs, sent, reset: resetSqs } = fakeSqs();
const context = lambdaContext('mews-provisioner-test-schedule-polls');

beforeAll(async () => {
  table = await freshTable('schedule-polls');
  const store = new DynamoStateStore({ client: table.client, tableName: table.tableName });
  accountIds = [];
  for (const email of EMAILS)
    accountIds.push((await registerAccount({ email }, { store, clock: systemClock })).account.id);
}, 120_000);

beforeEach(() => {
  stubFunctionEnv({ tableName: table.tableName, dynamoEndpoint: table.endpoint });
  resetServicesForTests();
  resetSqs();
  out = captureOutput();
  return () => out.restore();
});

afterAll(() => {
  sqs.restore();
  vi.unstubAllEnvs();
  resetServicesForTests();
});

describe('schedule-polls handler', () => {
  it('also queues configuration refreshes of provisioned connections, spread over the refresh interval', async () => {
    // Prepare: one provisioned connection; a refresh interval equal to the poll rate covers all.
    const store = new DynamoStateStore({ client: table.client, tableName: table.tableName });
    const connectionId = 'con_0123456789abcdef01234567';
    const [accountId] = accountIds;
    if (!accountId) throw new Error('no account');
    const at = new Date().toISOString();
    await store.recordDiscoveries(
      accountId,
      [{ connectionId, propertyId: 'p', propertyName: 'P', connectionName: null, secretRef: 'arn:secret' }],
      at,
    );
    const summary = {
      spaceCategories: 0,
      synchronizedSpaceCategories: 0,
      ratePlans: 0,
      synchronizedRatePlans: 0,
      inventoryMappings: 0,
      products: 0,
      ageCategories: 0,
      companies: 0,
      travelAgencies: 0,
    };
    await store.recordProvisioned({
      connectionId,
      expectedVersion: 0,
      accountId,
      secretRef: 'arn:secret',
      configuration: { digest: 'sha256:x', summary, fetchedAt: at },
      snapshot: {},
      at,
      events: [],
    });
    vi.stubEnv('CONFIGURATION_REFRESH_MINUTES', '5');
    resetServicesForTests();

    // Act
    const result = await handler(undefined, context);

    // Assess
    expect(result).toEqual({ accounts: 2, refreshes: 1 });
    expect(sent(CONNECTION_SYNCS_QUEUE_URL)).toEqual([
      { kind: 'sync-connection', connectionId, accountId, reason: 'refresh' },
    ]);
    await store.updateMissingPolls(accountId, [{ connectionId, missingPolls: 2 }]);
    await store.removeConnection({ connectionId, expectedVersion: 1, members: [accountId], at, events: [] });
  });

  it.each([
    ['the stack input', { ...SCHEDULE_POLLS_INPUT, scheduledTime: '2026-05-04T12:05:00Z' }],
    ['the stack input without a scheduled time', SCHEDULE_POLLS_INPUT],
    ['an empty object', {}],
    ['no payload', undefined],
  ])('queues one poll-account message per registered account (%s)', async (_, payload) => {
    // Act
    const result = await handler(payload, context);

    // Assess
    expect(result).toEqual({ accounts: 2, refreshes: 0 });
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 1);
    expect(sqs).toHaveReceivedCommandWith(SendMessageBatchCommand, { QueueUrl: ACCOUNT_POLLS_QUEUE_URL });
    expect(sent(ACCOUNT_POLLS_QUEUE_URL)).toEqual(
      expect.arrayContaining(accountIds.map((accountId) => ({ kind: 'poll-account', accountId }))),
    );
    expect(sent(ACCOUNT_POLLS_QUEUE_URL)).toHaveLength(2);

    expect(out.metric('PollCycleScheduled')).toBe(1);
    expect(out.metric('AccountsScheduled')).toBe(2);
    const [emf] = out.emf();
    expect(emf).toMatchObject({
      service: SERVICE,
      _aws: { CloudWatchMetrics: [{ Namespace: 'MewsProvisioner', Dimensions: [['service']] }] },
    });
    const log = out.logs().find((l) => l.message === 'poll cycle scheduled');
    expect(log).toMatchObject({ accounts: 2, function_name: context.functionName, service: SERVICE });
    // Only a run without its scheduled time (a manual one) says its window comes from the clock.
    const fromClock = out.logs().some((l) => /no scheduledTime in the input/.test(String(l.message)));
    expect(fromClock).toBe(!(payload as { scheduledTime?: string } | undefined)?.scheduledTime);
    expect(log?.windowFrom).toBe(fromClock ? 'clock' : 'scheduled time');
    // Emails never reach the queue or the logs unmasked.
    expect(out.text()).not.toMatch(/reception@sample-hostel\.example/i);
  });

  it('rejects an input it does not understand, naming the problem, and queues nothing', async () => {
    await expect(handler({ kind: 'sweep-outbox' }, context)).rejects.toThrow(
      /schedule-polls input is not valid: kind: Invalid input: expected "schedule-polls"/,
    );
    await expect(handler({ accounts: ['x'] }, context)).rejects.toThrow(/Unrecognized key: "accounts"/);
    await expect(
      handler({ ...SCHEDULE_POLLS_INPUT, scheduledTime: '<aws.scheduler.scheduled-time>' }, context),
    ).rejects.toThrow(/scheduledTime: must be an ISO 8601 UTC time such as 2026-03-22T18:55:00Z/);
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
  });

  it('fails at cold start with a message naming a missing variable', async () => {
    vi.stubEnv('ACCOUNT_POLLS_QUEUE_URL', undefined);
    resetServicesForTests();
    await expect(handler({}, context)).rejects.toThrow(
      /Invalid function environment.*ACCOUNT_POLLS_QUEUE_URL/,
    );
    expect(out.logs().find((l) => l.message === 'invocation failed')).toBeDefined();
  });
});
