import 'aws-sdk-client-mock-vitest/extend';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type ConsumerResult,
  DETAIL_TYPES,
  handler,
  InvalidEventError,
  resetConsumerForTests,
} from '../../examples/mapping-consumer/handler.js';
import { connectionIdFromToken } from '../../shared/domain/identity.js';
import { type MewsSimulator, startMewsSimulator } from '../../shared/simulator/index.js';
import { ACCOUNT, type Captured, captureOutput, lambdaContext, REGION } from '../functions/lambda-harness.js';

// The handler's logger reads its level when the module loads: debug, so the token scan covers the Mews client's lines too.
vi.hoisted(() => {
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
});

/** The seed's connection "Connection for dorm beds" of Harbour Hostel Central (a fake token). */
const CONNECTION_TOKEN = 'fake-conn-harbour-central-dorms';
const CONNECTION_ID = 'con_02be1223e845640931bc0b34';
const PROPERTY = 'harbour-hostel-central';
/** The connection's secretRef: the secret's name, as the provisioner records it. */
const CONNECTION_SECRET = `mews-provisioner/demo/connections/${CONNECTION_ID}`;
const CONNECTION_SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${CONNECTION_SECRET}-Xy12Zq`;
const CLIENT_TOKEN_SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:mews-provisioner/demo/mews-client-token-Ab12Cd`;
const SOURCE = 'com.example.mews-provisioner';

/** `Connection Provisioned` exactly as docs/events.md shows it, as delivered on AWS (secretRef the secret's name). */
function provisionedEvent() {
  return {
    version: '0',
    id: 'ae7d6e7c-af09-4ef0-bf6c-7fb9fc3fb17a',
    'detail-type': 'Connection Provisioned',
    source: SOURCE,
    account: ACCOUNT,
    time: '2026-11-27T10:47:59Z',
    region: REGION,
    resources: [],
    detail: {
      schemaVersion: 1,
      eventId: 'evt_e9e1694bbef033ce0fe7aede6533dfa0',
      occurredAt: '2026-11-27T10:47:59.697Z',
      environment: 'demo',
      connection: {
        id: CONNECTION_ID,
        name: 'Connection for dorm beds',
        propertyId: PROPERTY,
        propertyName: 'Harbour Hostel Central',
        accountId: 'acc_238298b061cde1ad',
        secretRef: CONNECTION_SECRET,
      },
      configuration: {
        digest: 'sha256:5a012694782241406b83b6725f072ac263bdffb06af107078d0af5d3687a313a',
        summary: {
          spaceCategories: 4,
          synchronizedSpaceCategories: 3,
          ratePlans: 4,
          synchronizedRatePlans: 3,
          inventoryMappings: 9,
          products: 2,
          ageCategories: 2,
          companies: 2,
          travelAgencies: 2,
        },
        snapshot: {
          connectionId: CONNECTION_ID,
          digest: 'sha256:5a012694782241406b83b6725f072ac263bdffb06af107078d0af5d3687a313a',
        },
      },
    },
  };
}

const emptyDiff = () => ({
  added: [] as string[],
  removed: [] as string[],
  changed: [],
  truncated: false,
  counts: { added: 0, removed: 0, changed: 0 },
});

/** `Connection Configuration Changed` for the same connection: a category DORM4 was added. */
function changedEvent() {
  const provisioned = provisionedEvent();
  return {
    ...provisioned,
    id: '0f4c7c1e-5a0e-4d7b-9a54-1d7d0f0c6b11',
    'detail-type': 'Connection Configuration Changed',
    time: '2026-11-27T11:02:10Z',
    detail: {
      schemaVersion: 1,
      eventId: 'evt_0c41b9e2d7a84f5e9c3b2a1d0e9f8a7b',
      occurredAt: '2026-11-27T11:02:10.115Z',
      environment: 'demo',
      connection: provisioned.detail.connection,
      previousDigest: provisioned.detail.configuration.digest,
      configuration: {
        digest: 'sha256:0c41aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
        summary: { ...provisioned.detail.configuration.summary, spaceCategories: 5 },
        snapshot: {
          connectionId: CONNECTION_ID,
          digest: 'sha256:0c41aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
        },
      },
      diff: {
        spaceCategories: { ...emptyDiff(), added: ['DORM4'], counts: { added: 1, removed: 0, changed: 0 } },
        ratePlans: emptyDiff(),
        inventoryMappings: emptyDiff(),
        products: emptyDiff(),
        productMappings: emptyDiff(),
        ageCategories: emptyDiff(),
      },
    },
  };
}

const sm = mockClient(SecretsManagerClient);
const ssm = mockClient(SSMClient);
let sim: MewsSimulator;
let out: Captured;
const context = lambdaContext('mews-mapping-consumer-test');
const captured: string[] = [];
const results: ConsumerResult[] = [];

const secretIdsRead = () => sm.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input.SecretId);

async function invoke(event: unknown): Promise<ConsumerResult> {
  const result = await handler(event, context);
  results.push(result);
  return result;
}

function planned(result: ConsumerResult) {
  if (result.status !== 'planned') throw new Error(`expected a plan, got ${result.status}`);
  return result;
}

beforeAll(async () => {
  sim = await startMewsSimulator();
});

beforeEach(() => {
  for (const [key, value] of Object.entries({
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'fake-access-key-id',
    AWS_SECRET_ACCESS_KEY: 'fake-secret-access-key-for-tests',
    POWERTOOLS_LOG_LEVEL: 'DEBUG',
    MEWS_PLATFORM_ADDRESS: sim.url,
    MEWS_CLIENT_TOKEN_SECRET_ARN: CLIENT_TOKEN_SECRET_ARN,
  })) {
    vi.stubEnv(key, value);
  }
  for (const key of ['AWS_PROFILE', 'AWS_ENDPOINT_URL', 'POWERTOOLS_DEV']) vi.stubEnv(key, undefined);

  // A fresh container, and Secrets Manager holding the two secrets the consumer reads.
  resetConsumerForTests();
  sm.reset();
  ssm.reset();
  sm.on(GetSecretValueCommand, { SecretId: CLIENT_TOKEN_SECRET_ARN }).resolves({
    ARN: CLIENT_TOKEN_SECRET_ARN,
    SecretString: sim.clientToken,
    VersionStages: ['AWSCURRENT'],
  });
  sm.on(GetSecretValueCommand, { SecretId: CONNECTION_SECRET }).resolves({
    ARN: CONNECTION_SECRET_ARN,
    SecretString: CONNECTION_TOKEN,
    VersionStages: ['AWSCURRENT'],
  });
  sim.reset();
  out = captureOutput();
  return () => {
    captured.push(out.text());
    out.restore();
  };
});

afterAll(async () => {
  sm.restore();
  ssm.restore();
  vi.unstubAllEnvs();
  resetConsumerForTests();
  await sim?.close();
});

describe('mapping consumer handler', () => {
  it('consumes the detail-types the provisioner publishes', () => {
    expect(connectionIdFromToken(CONNECTION_TOKEN)).toBe(CONNECTION_ID);
    expect(DETAIL_TYPES).toEqual(['Connection Provisioned', 'Connection Configuration Changed']);
  });

  it('builds the mapping plan of a provisioned connection from its live configuration', async () => {
    // Act
    const result = planned(await invoke(provisionedEvent()));

    // Assess: the two secrets read, client token first (by ARN), then the connection's (by secretRef).
    expect(secretIdsRead()).toEqual([CLIENT_TOKEN_SECRET_ARN, CONNECTION_SECRET]);
    expect(sim.calls().getConfiguration).toBe(1);
    expect(sim.requests().at(-1)).toMatchObject({ operation: 'getConfiguration', propertyId: PROPERTY });

    expect(result).toMatchObject({
      status: 'planned',
      eventId: 'evt_e9e1694bbef033ce0fe7aede6533dfa0',
      detailType: 'Connection Provisioned',
      environment: 'demo',
      connection: {
        id: CONNECTION_ID,
        name: 'Connection for dorm beds',
        propertyId: PROPERTY,
        propertyName: 'Harbour Hostel Central',
      },
      announcedDigest: 'sha256:5a012694782241406b83b6725f072ac263bdffb06af107078d0af5d3687a313a',
    });
    const { plan } = result;
    expect(plan.pairs.map((p) => [p.key, p.synchronized])).toEqual([
      ['FLEX/DORM4F', true],
      ['FLEX/DORM8', true],
      ['FLEX/PRIV2', true],
      ['GRP/FAM4', false],
      ['HOST/DORM8', true],
      ['NREF/DORM8', true],
      ['NREF/PRIV2', true],
    ]);
    expect(plan.pairs[1]).toEqual({
      key: 'FLEX/DORM8',
      ratePlan: { code: 'FLEX', name: 'Flexible', currencyCode: 'GBP', isSynchronized: true },
      spaceCategory: { code: 'DORM8', name: 'Bed in 8-bed dorm', isSynchronized: true },
      synchronized: true,
    });
    // The seed, like Mews' own sample, maps codes it does not list.
    expect(plan.unresolved).toEqual([
      { key: 'FLEX/QUAD', ratePlanCode: 'FLEX', spaceCategoryCode: 'QUAD', missing: ['spaceCategory'] },
      { key: 'SUMMER/DORM8', ratePlanCode: 'SUMMER', spaceCategoryCode: 'DORM8', missing: ['ratePlan'] },
    ]);
    expect(plan.unmapped).toEqual({ spaceCategories: [], ratePlans: [] });
    expect(plan.counts).toEqual({
      pairs: 7,
      synchronizedPairs: 6,
      unresolved: 2,
      unmappedSpaceCategories: 0,
      unmappedRatePlans: 0,
      duplicateMappings: 0,
    });

    // One summary line: counts and ids.
    const summary = out.logs().filter((l) => l.message === 'mapping plan built');
    expect(summary).toEqual([
      expect.objectContaining({
        level: 'INFO',
        service: 'mews-mapping-consumer',
        function_request_id: context.awsRequestId,
        eventId: 'evt_e9e1694bbef033ce0fe7aede6533dfa0',
        detailType: 'Connection Provisioned',
        connectionId: CONNECTION_ID,
        propertyId: PROPERTY,
        pairs: 7,
        synchronizedPairs: 6,
        unresolved: 2,
        unresolvedMappings: ['FLEX/QUAD', 'SUMMER/DORM8'],
      }),
    ]);
  });

  it('reuses the tokens it read (cached by ARN) for the next event of the same connection', async () => {
    // Prepare: provisioned, then the property adds a synchronized category nobody maps yet.
    planned(await invoke(provisionedEvent()));
    sim.updateConfiguration(PROPERTY, (c) => ({
      ...c,
      spaceCategories: [
        ...c.spaceCategories,
        { code: 'DORM4', name: 'Bed in 4-bed dorm', isSynchronized: true, spaceCount: 8 },
      ],
    }));
    sm.resetHistory();

    // Act
    const result = planned(await invoke(changedEvent()));

    // Assess
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 0);
    expect(sim.calls().getConfiguration).toBe(2);
    expect(result.detailType).toBe('Connection Configuration Changed');
    expect(result.plan.unmapped.spaceCategories).toEqual([
      { code: 'DORM4', name: 'Bed in 4-bed dorm', isSynchronized: true },
    ]);
    expect(result.plan.counts).toMatchObject({ pairs: 7, unmappedSpaceCategories: 1 });
  });

  it('drops a redelivered event by its eventId', async () => {
    // Prepare
    planned(await invoke(provisionedEvent()));
    const redelivered = { ...provisionedEvent(), id: '5b0f1c4e-1111-4a2b-8c3d-9e8f7a6b5c4d' };

    // Act
    const result = await invoke(redelivered);

    // Assess
    expect(result).toEqual({ status: 'duplicate', eventId: 'evt_e9e1694bbef033ce0fe7aede6533dfa0' });
    expect(sim.calls().getConfiguration).toBe(1);
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
    expect(out.logs().some((l) => l.message === 'duplicate event dropped')).toBe(true);
  });

  const bad = (change: (e: ReturnType<typeof provisionedEvent>) => unknown) => {
    const event = provisionedEvent();
    return change(event);
  };

  it.each([
    [
      'a detail-type it does not consume',
      bad((e) => ({ ...e, 'detail-type': 'Connection Removed' })),
      /detail-type: Invalid option: expected one of "Connection Provisioned"\|"Connection Configuration Changed"/,
    ],
    [
      'no secretRef',
      bad((e) => {
        const { secretRef: _, ...connection } = e.detail.connection;
        return { ...e, detail: { ...e.detail, connection } };
      }),
      /detail\.connection\.secretRef: Invalid input: expected string/,
    ],
    [
      'a secretRef that is not of the store secretStore names',
      bad((e) => {
        Object.assign(e.detail.connection, { secretStore: 'parameter-store' });
        return e;
      }),
      /detail\.connection\.secretRef: not a Parameter Store parameter name \(starting with \/\) or ARN \(secretStore parameter-store\)/,
    ],
    [
      'a store it does not know',
      bad((e) => {
        Object.assign(e.detail.connection, { secretStore: 'vault-in-the-cellar' });
        return e;
      }),
      /detail\.connection\.secretStore: Invalid option/,
    ],
    [
      'another schema version',
      bad((e) => ({ ...e, detail: { ...e.detail, schemaVersion: 2 } })),
      /detail\.schemaVersion: Invalid input: expected 1/,
    ],
    ['no event at all', null, /\(event\): Invalid input: expected object/],
  ])('rejects %s with a clear error, calling nothing', async (_, event, message) => {
    // Act
    const error = await handler(event, context).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as Error).message).toMatch(
      /^not a Connection Provisioned or Connection Configuration Changed event/,
    );
    expect((error as Error).message).toMatch(message);
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 0);
    expect(sim.calls().getConfiguration).toBe(0);
    expect(out.logs()).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        error: expect.objectContaining({ name: 'InvalidEventError' }),
      }),
    );
  });

  describe('reads the token from the store the event names', () => {
    const PARAMETER = `/mews-provisioner-demo/connections/${CONNECTION_ID}`;
    const inParameterStore = () => {
      const event = provisionedEvent();
      Object.assign(event.detail.connection, { secretRef: PARAMETER, secretStore: 'parameter-store' });
      return event;
    };

    it('Parameter Store: GetParameter with decryption, by the parameter name', async () => {
      // Prepare
      ssm.on(GetParameterCommand).resolves({
        Parameter: { Name: PARAMETER, Type: 'SecureString', Value: CONNECTION_TOKEN, Version: 1 },
      });

      // Act
      const result = planned(await invoke(inParameterStore()));

      // Assess: the connection token from Parameter Store, the client token from its secret.
      expect(ssm).toHaveReceivedCommandTimes(GetParameterCommand, 1);
      expect(ssm).toHaveReceivedCommandWith(GetParameterCommand, { Name: PARAMETER, WithDecryption: true });
      expect(secretIdsRead()).toEqual([CLIENT_TOKEN_SECRET_ARN]);
      expect(result.plan.counts).toMatchObject({ pairs: 7, synchronizedPairs: 6 });
    });

    it('Parameter Store: a missing parameter fails clearly, naming the store and the parameter', async () => {
      // Prepare
      ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: '', $metadata: {} }));

      // Act, Assess
      await expect(handler(inParameterStore(), context)).rejects.toThrow(
        `cannot read the token of connection ${CONNECTION_ID} from Parameter Store (${PARAMETER}): ParameterNotFound`,
      );
      expect(sim.calls().getConfiguration).toBe(0);
    });

    it('Secrets Manager: named by secretStore, or told from secretRef in events older than the field', async () => {
      // Prepare
      const named = provisionedEvent();
      Object.assign(named.detail.connection, { secretStore: 'secrets-manager' });

      // Act
      planned(await invoke(named));

      // Assess (the other tests' events have no secretStore, as events before it did)
      expect(secretIdsRead()).toEqual([CLIENT_TOKEN_SECRET_ARN, CONNECTION_SECRET]);
      expect(ssm).toHaveReceivedCommandTimes(GetParameterCommand, 0);
    });

    it('Secrets Manager: an ARN as secretRef (recorded by an earlier version) is passed unchanged as SecretId', async () => {
      // Prepare
      const older = provisionedEvent();
      Object.assign(older.detail.connection, { secretRef: CONNECTION_SECRET_ARN });
      sm.on(GetSecretValueCommand, { SecretId: CONNECTION_SECRET_ARN }).resolves({
        ARN: CONNECTION_SECRET_ARN,
        SecretString: CONNECTION_TOKEN,
      });

      // Act
      planned(await invoke(older));

      // Assess
      expect(secretIdsRead()).toEqual([CLIENT_TOKEN_SECRET_ARN, CONNECTION_SECRET_ARN]);
    });

    it("a local run: without the run's vault directory, says which variable to set, calling nothing", async () => {
      // Prepare
      const local = provisionedEvent();
      Object.assign(local.detail.connection, {
        secretRef: `local-vault:${CONNECTION_ID}`,
        secretStore: 'local-vault',
      });

      // Act, Assess
      await expect(handler(local, context)).rejects.toThrow(
        `cannot read the token of connection ${CONNECTION_ID} from the local vault (local-vault:${CONNECTION_ID}): Error: a local run wrote this event; set MEWS_LOCAL_VAULT_DIR`,
      );
      expect(secretIdsRead()).toEqual([CLIENT_TOKEN_SECRET_ARN]);
      expect(ssm).toHaveReceivedCommandTimes(GetParameterCommand, 0);
      expect(sim.calls().getConfiguration).toBe(0);
    });
  });

  it('names the variable when its environment is wrong', async () => {
    // Prepare
    vi.stubEnv('MEWS_CLIENT_TOKEN_SECRET_ARN', 'mews/client-token');

    // Act, Assess
    await expect(handler(provisionedEvent(), context)).rejects.toThrow(
      'invalid environment: MEWS_CLIENT_TOKEN_SECRET_ARN: must be a Secrets Manager secret ARN',
    );
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 0);
  });

  it('fails clearly when the token cannot be read, and reads it again on the next delivery', async () => {
    // Prepare
    sm.on(GetSecretValueCommand, { SecretId: CONNECTION_SECRET })
      .rejectsOnce(
        new ResourceNotFoundException({
          message: "Secrets Manager can't find the specified secret.",
          $metadata: { httpStatusCode: 400 },
        }),
      )
      .resolves({ ARN: CONNECTION_SECRET_ARN, SecretString: CONNECTION_TOKEN });

    // Act
    const failed = handler(provisionedEvent(), context);

    // Assess
    await expect(failed).rejects.toThrow(
      `cannot read the token of connection ${CONNECTION_ID} from Secrets Manager (${CONNECTION_SECRET}): ResourceNotFoundException`,
    );
    expect(sim.calls().getConfiguration).toBe(0);
    // Lambda's retry: the failed read was not cached.
    planned(await invoke(provisionedEvent()));
    expect(secretIdsRead()).toEqual([CLIENT_TOKEN_SECRET_ARN, CONNECTION_SECRET, CONNECTION_SECRET]);
  });

  it('forgets the tokens when Mews refuses them, so the retry reads them again', async () => {
    // Prepare: the connection was deleted in Mews (its token now answers code 8).
    sim.removeConnection(CONNECTION_TOKEN);

    // Act
    const failed = handler(provisionedEvent(), context);

    // Assess
    await expect(failed).rejects.toThrow(/Mews getConfiguration answered code 8/);
    sm.resetHistory();
    await expect(handler(provisionedEvent(), context)).rejects.toThrow(/code 8/);
    expect(secretIdsRead()).toEqual([CLIENT_TOKEN_SECRET_ARN, CONNECTION_SECRET]);
  });

  it('never writes or returns a token', () => {
    const logs = captured.join('\n');
    expect(logs).toContain('mapping plan built');
    expect(logs).toContain('"message":"mews call"');
    expect(logs).toContain('Mews getConfiguration answered code 8');
    expect(logs).toContain('from Parameter Store');
    for (const token of [CONNECTION_TOKEN, sim.clientToken]) {
      expect(logs).not.toContain(token);
      expect(JSON.stringify(results)).not.toContain(token);
    }
    expect(results.length).toBeGreaterThan(3);
  });
});
