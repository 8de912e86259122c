import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { MewsEnvironment } from '../../domain/events/event-parts.js';
import { integrationTokenMoved } from '../../domain/events/token-moved.event.js';
import type { Integration, IntegrationId } from '../../domain/model.js';
import type { Clock } from '../../ports/clock.js';
import type { IntegrationStore } from '../../ports/integration-store.js';
import {
  readSecret,
  SecretsManagerIntegrationTokenVault,
  wrapIntegration,
} from './secrets-manager-integration-token-vault.js';
import { deleteSecret } from './secrets-manager-token-vault.js';

/**
 * Moves Connector API access tokens that earlier versions stored among the connection tokens
 * (`<resourcePrefix>/connections/int_…`) to their own prefix (`<resourcePrefix>/integrations/int_…`),
 * one integration at a time, in an order that never loses a token:
 *
 * 1. read the old secret (GetSecretValue);
 * 2. copy it under the new name (CreateSecret with a request token derived from the id, so a repeat
 *    is the same request); a secret already there is kept, as the webhook wrote it since the upgrade
 *    (a regenerated key) and it is the newer one;
 * 3. verify: read the new secret back (GetSecretValue) and compare;
 * 4. switch the integration's `secretRef` in the state to the new secret's name, as the webhook
 *    records it (conditional on the version read: a concurrent webhook makes it start over), with
 *    the `Integration Token Moved` that tells subscribers in the same write (its id keyed by the
 *    version the switch makes, so a crash and rerun announces the move once);
 * 5. only then schedule the old secret's deletion, with the stage's recovery window (restorable).
 *
 * Each step is idempotent, and at any point the state names a secret that holds the token, so a
 * crash anywhere is finished by running it again; a finished integration costs one DeleteSecret
 * (answered "already scheduled") on a re-run. A deleted integration is not copied: its old secret
 * is scheduled for deletion (the webhook, since the upgrade, deletes under the new name only).
 */
export interface IntegrationTokenMigrationOptions {
  client: SecretsManagerClient;
  integrations: IntegrationStore;
  /** `<resourcePrefix>/connections/`: where earlier versions put access tokens. */
  legacyPrefix: string;
  /** `<resourcePrefix>/integrations/`. */
  prefix: string;
  /** The stack's customer managed key (new secrets are encrypted with it). */
  kmsKeyId: string;
  /** The recovery window of the old secrets (the stage's secretRecoveryWindowDays). */
  recoveryDays: number;
  /** The stage's Mews environment, as its events name it. */
  environment: MewsEnvironment;
  clock: Clock;
  /** Report what would be done from the state alone: no Secrets Manager call, nothing changed. */
  dryRun?: boolean;
  /** Called after each integration. */
  onProgress?: (result: IntegrationMigrationResult, done: number, total: number) => void;
}

export type IntegrationMigrationOutcome =
  /** Copied, verified, the state switched, the old secret scheduled for deletion. */
  | 'moved'
  /** A (newer) secret was under the new name already: the state switched to it, the old secret scheduled. */
  | 'kept-newer'
  /** The state names the new secret already; the old one (if any) is scheduled for deletion. */
  | 'already-moved'
  /** A deleted integration: nothing copied, its old secret scheduled for deletion. */
  | 'deleted'
  /** No secret holds its token (neither name): nothing changed; say so, it needs a person. */
  | 'missing'
  /** `secretRef` is neither name (a local reference, say): left alone. */
  | 'not-ours'
  /** Dry run: what a real run would do. */
  | 'would-move'
  | 'would-delete-old';

export interface IntegrationMigrationResult {
  integrationId: IntegrationId;
  outcome: IntegrationMigrationOutcome;
}

/** Concurrent webhooks about one integration: re-read and start over this many times. */
const ATTEMPTS = 3;

export async function migrateIntegrationTokens(
  options: IntegrationTokenMigrationOptions,
): Promise<IntegrationMigrationResult[]> {
  const integrations = await options.integrations.listIntegrations();
  const results: IntegrationMigrationResult[] = [];
  for (const integration of integrations) {
    const outcome = options.dryRun ? plan(integration, options) : await migrateOne(integration, options);
    const result = { integrationId: integration.id, outcome };
    results.push(result);
    options.onProgress?.(result, results.length, integrations.length);
  }
  return results;
}

function plan(
  integration: Integration,
  options: IntegrationTokenMigrationOptions,
): IntegrationMigrationOutcome {
  const where = locate(integration, options);
  if (where === 'new') return 'already-moved';
  if (where === 'elsewhere') return 'not-ours';
  return integration.deletedAt === null ? 'would-move' : 'would-delete-old';
}

async function migrateOne(
  first: Integration,
  options: IntegrationTokenMigrationOptions,
): Promise<IntegrationMigrationOutcome> {
  const { client, recoveryDays } = options;
  const vault = new SecretsManagerIntegrationTokenVault({
    client,
    prefix: options.prefix,
    kmsKeyId: options.kmsKeyId,
  });
  const id = first.id;
  const legacyName = `${options.legacyPrefix}${id}`;
  const deleteOld = () =>
    deleteSecret(client, legacyName, recoveryDays, (error) => wrapIntegration('DeleteSecret', id, error));

  let integration: Integration | undefined = first;
  for (let attempt = 1; ; attempt++) {
    const where = locate(integration, options);
    if (where === 'elsewhere') return 'not-ours';
    if (where === 'new') {
      await deleteOld();
      return 'already-moved';
    }
    if (integration.deletedAt !== null) {
      await deleteOld();
      return 'deleted';
    }

    // 1. read the old secret
    const old = await readSecret(client, legacyName, (error) => wrapIntegration('GetSecretValue', id, error));
    // 2. copy it (a secret under the new name is kept); no old secret: only a new one can hold it
    if (old !== undefined) await vault.putIntegrationTokenIfAbsent(id, old);
    // 3. verify
    const copy = await vault.read(id, old);
    if (copy === undefined) {
      if (old === undefined) return 'missing';
      throw new Error(
        `the copy of integration ${id}'s access token cannot be read back: nothing was switched or deleted; run again`,
      );
    }
    // 4. switch the state to it, announcing the move
    const at = options.clock.now().toISOString();
    const to = vault.secretName(id);
    const switched = await options.integrations.updateIntegration({
      id,
      expectedVersion: integration.version,
      changes: { secretRef: to },
      at,
      events: [
        integrationTokenMoved({ integration, to, recoveryDays, environment: options.environment, at }),
      ],
    });
    if (switched === 'applied') {
      // 5. only now: the old secret's deletion (restorable within the window)
      if (old !== undefined) await deleteOld();
      return copy === old ? 'moved' : 'kept-newer';
    }
    if (attempt >= ATTEMPTS) {
      throw new Error(`integration ${id} kept changing during the migration: nothing was deleted; run again`);
    }
    integration = await options.integrations.getIntegration(id);
    if (!integration) return 'missing';
  }
}

/** Which name the integration's secretRef (a secret's ARN or name) points to. */
function locate(
  integration: Integration,
  options: Pick<IntegrationTokenMigrationOptions, 'legacyPrefix' | 'prefix'>,
): 'legacy' | 'new' | 'elsewhere' {
  const name = secretNameOf(integration.secretRef);
  if (name === `${options.prefix}${integration.id}`) return 'new';
  if (name === `${options.legacyPrefix}${integration.id}`) return 'legacy';
  return 'elsewhere';
}

/** `arn:…:secret:<name>-AbCdEf` → `<name>`; a name stays as it is. */
function secretNameOf(ref: string): string {
  const arn = /^arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:(.+)-[A-Za-z0-9]{6}$/.exec(ref);
  return arn?.[1] ?? ref;
}
