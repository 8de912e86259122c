import { describe, expect, it } from 'vitest';
import { parseEventDetail } from '../../../packages/events/src/index.js';
import {
  type IntegrationTokenMigrationOptions,
  migrateIntegrationTokens,
} from '../../../shared/adapters/aws/integration-token-migration.js';
import { requestTokenFor } from '../../../shared/adapters/aws/secrets-manager-token-vault.js';
import { ManualClock } from '../../../shared/adapters/memory/manual-clock.js';
import { MemoryStateStore } from '../../../shared/adapters/memory/memory-state-store.js';
import type { OnPortCall } from '../../../shared/adapters/memory/port-call.js';
import { eventIdFor } from '../../../shared/domain/identity.js';
import type { Integration, IntegrationId } from '../../../shared/domain/model.js';
import { integration as makeIntegration } from '../../contract/integration-store.contract.js';
import { type FakeSecretsManager, fakeSecretsManager } from '../../support/secrets-manager-fake.js';

const PREFIX = 'mews-provisioner-demo';
const LEGACY = `${PREFIX}/connections/`;
const NEW = `${PREFIX}/integrations/`;
const KMS_KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const TOKEN = 'FAKE-connector-access-token-0001';

/** An integration recorded by an earlier version: its token under the connection prefix. */
function legacySetup(
  fake: FakeSecretsManager,
  store: MemoryStateStore,
  overrides: Partial<Integration> = {},
) {
  const base = makeIntegration(overrides);
  const secret = fake.seed(`${LEGACY}${base.id}`, TOKEN);
  const recorded: Integration = { ...base, secretRef: secret.arn };
  store.table.integrations.set(recorded.id, structuredClone(recorded));
  return recorded;
}

function setup(onCall?: OnPortCall) {
  const fake = fakeSecretsManager();
  const store = new MemoryStateStore(onCall ? { onCall } : {});
  const options: IntegrationTokenMigrationOptions = {
    client: fake.client,
    integrations: store,
    legacyPrefix: LEGACY,
    prefix: NEW,
    kmsKeyId: KMS_KEY,
    recoveryDays: 7,
    environment: 'demo',
    clock: new ManualClock({ start: '2026-12-02T04:00:00Z' }),
  };
  return { fake, store, options };
}

const newName = (id: IntegrationId) => `${NEW}${id}`;
const legacyName = (id: IntegrationId) => `${LEGACY}${id}`;

/** The exact commands of a first, uninterrupted migration of one integration. */
const firstRunCommands = (id: IntegrationId) => [
  ['GetSecretValue', { SecretId: legacyName(id) }],
  [
    'CreateSecret',
    {
      Name: newName(id),
      Description: `Mews Connector API access token of ${id} (managed by the connection provisioner)`,
      KmsKeyId: KMS_KEY,
      SecretString: TOKEN,
      ClientRequestToken: requestTokenFor('create', id),
      Tags: [{ Key: 'provisioner:integration-id', Value: id }],
    },
  ],
  ['GetSecretValue', { SecretId: newName(id) }],
  ['DeleteSecret', { SecretId: legacyName(id), RecoveryWindowInDays: 7 }],
];

/**
 * The move's one event, written with the switch: `Integration Token Moved`, keyed by the version
 * the switch made (so a resumed run that writes the switch carries the same id), naming the new
 * secret and the old one.
 */
async function expectAnnounced(store: MemoryStateStore, before: Integration, switchedFrom = before) {
  const events = await store.listEventsFor(before.id);
  expect(events.map((e) => [e.detailType, e.eventId])).toEqual([
    ['Integration Token Moved', eventIdFor('Integration Token Moved', before.id, switchedFrom.version + 1)],
  ]);
  const detail = parseEventDetail('Integration Token Moved', events[0]?.detail);
  expect(detail).toMatchObject({
    occurredAt: '2026-12-02T04:00:00.000Z',
    environment: 'demo',
    integration: { id: before.id, secretRef: newName(before.id), secretStore: 'secrets-manager' },
    enabled: switchedFrom.enabled,
    deleted: false,
    previous: {
      secretRef: before.secretRef,
      secretStore: 'secrets-manager',
      deletedAfter: '2026-12-09T04:00:00.000Z',
    },
  });
}

/** The end state every path must reach: the token at the new name, the state pointing there, the old one scheduled, the move announced once. */
async function expectMoved(fake: FakeSecretsManager, store: MemoryStateStore, before: Integration) {
  const moved = fake.secrets.get(newName(before.id));
  expect(moved?.value).toBe(TOKEN);
  expect(moved?.kmsKeyId).toBe(KMS_KEY);
  expect(moved?.deletionWindowDays).toBeUndefined();
  const after = store.table.integrations.get(before.id);
  // The name, as every secretRef is now; the ARN the earlier version recorded is gone.
  expect(after?.secretRef).toBe(newName(before.id));
  expect(after).toEqual({
    ...before,
    secretRef: newName(before.id),
    version: before.version + 1,
    changedAt: '2026-12-02T04:00:00.000Z',
  });
  expect(fake.secrets.get(legacyName(before.id))).toMatchObject({ value: TOKEN, deletionWindowDays: 7 });
  await expectAnnounced(store, before);
}

/** At any point the state names a secret (by name, or by the ARN an earlier version recorded) that holds the token. */
function expectReadableFromState(fake: FakeSecretsManager, store: MemoryStateStore, id: IntegrationId) {
  const ref = store.table.integrations.get(id)?.secretRef ?? '';
  const secret = fake.secrets.get(ref) ?? [...fake.secrets.values()].find((s) => s.arn === ref);
  expect(secret, `state names ${ref}`).toMatchObject({ value: TOKEN, deletionWindowDays: undefined });
}

describe('migrateIntegrationTokens', () => {
  it('copies, verifies, switches the state, and only then schedules the old secret for deletion', async () => {
    const { fake, store, options } = setup();
    const before = legacySetup(fake, store);

    const results = await migrateIntegrationTokens(options);

    expect(results).toEqual([{ integrationId: before.id, outcome: 'moved' }]);
    expect(fake.commands()).toEqual(firstRunCommands(before.id));
    await expectMoved(fake, store, before);
  });

  it('is idempotent: a second run only confirms the old secret is scheduled, and changes nothing', async () => {
    const { fake, store, options } = setup();
    const before = legacySetup(fake, store);
    await migrateIntegrationTokens(options);
    const afterFirst = structuredClone(store.table.integrations.get(before.id));
    fake.sm.resetHistory();

    const results = await migrateIntegrationTokens(options);

    expect(results).toEqual([{ integrationId: before.id, outcome: 'already-moved' }]);
    expect(fake.commands()).toEqual([
      ['DeleteSecret', { SecretId: legacyName(before.id), RecoveryWindowInDays: 7 }],
    ]);
    expect(store.table.integrations.get(before.id)).toEqual(afterFirst);
    await expectMoved(fake, store, before);
  });

  // A crash is the call failing with no effect (the process dies just before it takes effect).
  const CRASH_POINTS = [
    { step: 'reading the old secret', secrets: 'GetSecretValue', nth: 1 },
    { step: 'copying it', secrets: 'CreateSecret', nth: 1 },
    { step: 'verifying the copy', secrets: 'GetSecretValue', nth: 2 },
    { step: 'switching the state', store: 'updateIntegration' },
    { step: 'scheduling the old secret for deletion', secrets: 'DeleteSecret', nth: 1 },
  ] as const;

  it.each(CRASH_POINTS)(
    'a crash at $step loses nothing, and the next run finishes the move',
    async (point) => {
      let crashed = false;
      const { fake, store, options } = setup(({ method }) => {
        if ('store' in point && method === point.store && !crashed) {
          crashed = true;
          throw new Error('process died');
        }
      });
      const before = legacySetup(fake, store);
      if ('secrets' in point) {
        let seen = 0;
        fake.setBeforeCommand((name) => {
          if (name === point.secrets && ++seen === point.nth && !crashed) {
            crashed = true;
            throw new Error('process died');
          }
        });
      }

      await expect(migrateIntegrationTokens(options)).rejects.toThrow('process died');
      expect(crashed).toBe(true);
      expectReadableFromState(fake, store, before.id);
      const firstRun = fake.commands().length;

      const results = await migrateIntegrationTokens(options);

      expect(results).toEqual([
        {
          integrationId: before.id,
          // Only a crash after the state switched leaves a move the next run finds done.
          outcome: point.step === 'scheduling the old secret for deletion' ? 'already-moved' : 'moved',
        },
      ]);
      await expectMoved(fake, store, before);
      expect([...fake.secrets.keys()].filter((name) => name.includes(before.id)).sort()).toEqual(
        [legacyName(before.id), newName(before.id)].sort(),
      );
      // The resumed run's commands, exactly: a copy made before the crash is found and kept.
      const resumed = fake.commands().slice(firstRun);
      const [getOld, create, verify, deleteOld] = firstRunCommands(before.id);
      expect(resumed).toEqual(
        point.step === 'scheduling the old secret for deletion'
          ? [deleteOld]
          : [getOld, create, verify, deleteOld],
      );
    },
  );

  it('an integration an earlier version of the migration switched to the new ARN counts as moved, and keeps its ref', async () => {
    const { fake, store, options } = setup();
    const before = legacySetup(fake, store);
    const copy = fake.seed(newName(before.id), TOKEN);
    const switched: Integration = { ...before, secretRef: copy.arn };
    store.table.integrations.set(before.id, structuredClone(switched));

    expect(await migrateIntegrationTokens(options)).toEqual([
      { integrationId: before.id, outcome: 'already-moved' },
    ]);
    expect(fake.commands()).toEqual([
      ['DeleteSecret', { SecretId: legacyName(before.id), RecoveryWindowInDays: 7 }],
    ]);
    // An ARN already recorded still works as SecretId: it is left as it is, and nothing is announced.
    expect(store.table.integrations.get(before.id)).toEqual(switched);
    expect(await store.listEventsFor(before.id)).toEqual([]);
  });

  it('keeps a newer token the webhook stored under the new name since the upgrade', async () => {
    const { fake, store, options } = setup();
    const before = legacySetup(fake, store);
    fake.seed(newName(before.id), 'FAKE-regenerated-access-token-0002');

    const results = await migrateIntegrationTokens(options);

    expect(results).toEqual([{ integrationId: before.id, outcome: 'kept-newer' }]);
    expect(fake.secrets.get(newName(before.id))?.value).toBe('FAKE-regenerated-access-token-0002');
    expect(store.table.integrations.get(before.id)?.secretRef).toBe(newName(before.id));
    expect(fake.secrets.get(legacyName(before.id))?.deletionWindowDays).toBe(7);
    expect(fake.commands().map(([name]) => name)).toEqual([
      'GetSecretValue',
      'CreateSecret',
      'GetSecretValue',
      'DeleteSecret',
    ]);
  });

  it('a deleted integration: nothing copied, its old secret scheduled for deletion, the state untouched', async () => {
    const { fake, store, options } = setup();
    const before = legacySetup(fake, store, { deletedAt: '2026-11-30T10:00:00Z', version: 3 });

    const results = await migrateIntegrationTokens(options);

    expect(results).toEqual([{ integrationId: before.id, outcome: 'deleted' }]);
    expect(fake.commands()).toEqual([
      ['DeleteSecret', { SecretId: legacyName(before.id), RecoveryWindowInDays: 7 }],
    ]);
    expect(store.table.integrations.get(before.id)).toEqual(before);
    expect(await store.listEventsFor(before.id)).toEqual([]);
  });

  it('a token found nowhere is reported missing, and nothing is changed or deleted', async () => {
    const { fake, store, options } = setup();
    const before = legacySetup(fake, store);
    fake.secrets.delete(legacyName(before.id));

    expect(await migrateIntegrationTokens(options)).toEqual([
      { integrationId: before.id, outcome: 'missing' },
    ]);
    expect(fake.commands().map(([name]) => name)).toEqual(['GetSecretValue', 'GetSecretValue']);
    expect(store.table.integrations.get(before.id)).toEqual(before);
  });

  it('a webhook changing the integration meanwhile: re-read, and the move still lands on the latest version', async () => {
    let bumped = false;
    const { fake, store, options } = setup(({ method }) => {
      if (method === 'updateIntegration' && !bumped) {
        bumped = true;
        const current = store.table.integrations.get(before.id) as Integration;
        store.table.integrations.set(before.id, { ...current, enabled: false, version: current.version + 1 });
      }
    });
    const before = legacySetup(fake, store);

    expect(await migrateIntegrationTokens(options)).toEqual([{ integrationId: before.id, outcome: 'moved' }]);
    expect(store.table.integrations.get(before.id)).toMatchObject({
      enabled: false,
      version: before.version + 2,
      secretRef: newName(before.id),
    });
    // announced once, from the version the switch read again
    await expectAnnounced(store, before, { ...before, enabled: false, version: before.version + 1 });
  });

  it('dry run: says what it would do from the state alone, with no Secrets Manager call', async () => {
    const { fake, store, options } = setup();
    const active = legacySetup(fake, store, { mewsId: '00000000-0000-4000-8000-00000000000a' });
    const deleted = legacySetup(fake, store, {
      mewsId: '00000000-0000-4000-8000-00000000000b',
      deletedAt: '2026-11-30T10:00:00Z',
    });
    const progress: string[] = [];

    const results = await migrateIntegrationTokens({
      ...options,
      dryRun: true,
      onProgress: (r, done, total) => progress.push(`${done}/${total} ${r.outcome}`),
    });

    expect(new Map(results.map((r) => [r.integrationId, r.outcome]))).toEqual(
      new Map([
        [active.id, 'would-move'],
        [deleted.id, 'would-delete-old'],
      ]),
    );
    expect(progress).toHaveLength(2);
    expect(progress[1]).toMatch(/^2\/2 /);
    expect(fake.commands()).toEqual([]);
    expect(store.table.integrations.get(active.id)).toEqual(active);
  });

  it('never puts the token in an error', async () => {
    const { fake, store, options } = setup();
    legacySetup(fake, store);
    fake.setBeforeCommand((name, input) => {
      if (name === 'CreateSecret') throw new Error(`throttled while storing ${String(input.SecretString)}`);
    });

    const error = await migrateIntegrationTokens(options).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Error);
    expect(JSON.stringify(error)).not.toContain(TOKEN);
    expect(String((error as Error).message)).not.toContain(TOKEN);
    expect(String((error as Error).stack)).not.toContain(TOKEN);
  });
});
