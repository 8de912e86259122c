import {
  DeleteParameterCommand,
  DeleteParametersCommand,
  DescribeParametersCommand,
  type DescribeParametersCommandOutput,
  GetParameterCommand,
  type ParameterTier,
  PutParameterCommand,
  type SSMClient,
  type Tag,
} from '@aws-sdk/client-ssm';
import type { ConnectionId, IntegrationId } from '../../domain/model.js';
import type { Clock } from '../../ports/clock.js';
import type {
  ExpiredTokenSweep,
  IntegrationTokenVault,
  SweepPage,
  TokenVault,
} from '../../ports/token-vault.js';
import { AwsAdapterError, awsErrorCode, describeAwsError } from './aws-support.js';

/** Tag on every token parameter, so it can be traced back without its name. */
const ID_TAG = 'provisioner:token-of';

/** DescribeParameters' page size limit, DeleteParameters' batch limit. */
const DESCRIBE_PAGE = 50;
const DELETE_BATCH = 10;

/** `Description` of a parameter scheduled for deletion; the sweep reads the time back from it. */
const DELETE_AFTER = 'scheduled for deletion; delete after ';

type Kind = 'connection' | 'integration';
type Id = ConnectionId | IntegrationId;

export interface SsmParameterTokenVaultOptions {
  client: SSMClient;
  /** Connection tokens are `${connectionPath}<id>`, e.g. `/mews-provisioner/prod/connections/`. */
  connectionPath: string;
  /** Integration access tokens are `${integrationPath}<id>`, e.g. `/mews-provisioner/prod/integrations/`. */
  integrationPath: string;
  /**
   * Tokens scheduled for deletion are `${deletedPath}connections/<id>` and
   * `${deletedPath}integrations/<id>`, outside the paths the consumer policies read. Default: a
   * sibling of the connection path, e.g. `/mews-provisioner/prod/deleted/`.
   */
  deletedPath?: string;
  /** The customer managed KMS key (id, ARN or alias) that encrypts the SecureString parameters. */
  kmsKeyId: string;
  /** Default Intelligent-Tiering: standard (free) parameters while the account has room, advanced beyond. */
  tier?: ParameterTier;
  /** Extra tags for new parameters (the id tag is always set). */
  tags?: Record<string, string>;
  /** When a scheduled deletion falls due. Default: the system clock. */
  clock?: Clock;
}

/** A parameter path: starts and ends with `/`, Parameter Store's name alphabet in between. */
const PATH = /^\/([A-Za-z0-9_.-]+\/)+$/;

/** `/a/b/connections/` -> `/a/b/deleted/`. */
export function deletedPathFor(connectionPath: string): string {
  return `${connectionPath.replace(/[^/]+\/$/, '')}deleted/`;
}

/**
 * Parameter Store behind the TokenVault port: one SecureString parameter per connection (and per
 * integration), named from its id, so storing twice stores once (PutParameter without Overwrite).
 *
 * Parameter Store has no recovery window, so this one builds it: scheduleDeletion moves the token
 * to the deleted path (copy first, then delete, so a crash leaves it in one place or both,
 * never none) with the time it falls due in the Description; `get` reads the live name only, so
 * a scheduled token is hidden as in Secrets Manager; a put or cancelDeletion within the window
 * writes the live parameter again; `deleteExpired` deletes the moved tokens whose time has come.
 * A moved copy left behind by a restore is harmless: a later scheduleDeletion overwrites it and
 * the sweep deletes it when due. Errors are AwsAdapterError naming the id and the call, never the token.
 */
export class SsmParameterTokenVault implements TokenVault, IntegrationTokenVault, ExpiredTokenSweep {
  readonly #client: SSMClient;
  readonly #paths: Record<Kind, string>;
  readonly #deletedPath: string;
  readonly #kmsKeyId: string;
  readonly #tier: ParameterTier;
  readonly #tags: Tag[];
  readonly #clock: Clock | undefined;

  constructor(options: SsmParameterTokenVaultOptions) {
    const deletedPath = options.deletedPath ?? deletedPathFor(options.connectionPath);
    for (const path of [options.connectionPath, options.integrationPath, deletedPath]) {
      if (!PATH.test(path)) {
        throw new Error(
          `the token parameter path '${path}' must start and end with / (letters, digits, _ . - between)`,
        );
      }
    }
    if (new Set([options.connectionPath, options.integrationPath, deletedPath]).size < 3) {
      throw new Error('the connection, integration and deleted token paths must differ');
    }
    this.#client = options.client;
    this.#paths = { connection: options.connectionPath, integration: options.integrationPath };
    this.#deletedPath = deletedPath;
    this.#kmsKeyId = options.kmsKeyId;
    this.#tier = options.tier ?? 'Intelligent-Tiering';
    this.#tags = Object.entries(options.tags ?? {})
      .filter(([key]) => key !== ID_TAG)
      .map(([Key, Value]) => ({ Key, Value }));
    this.#clock = options.clock;
  }

  /** The parameter's name: refs start with `/`, which says "Parameter Store" to subscribers. */
  refFor(connectionId: ConnectionId): string {
    return this.#name('connection', connectionId);
  }

  integrationRefFor(integrationId: IntegrationId): string {
    return this.#name('integration', integrationId);
  }

  put(connectionId: ConnectionId, token: string): Promise<{ ref: string; created: boolean }> {
    return this.#put('connection', connectionId, token);
  }

  get(connectionId: ConnectionId): Promise<string | undefined> {
    return this.#get('connection', connectionId);
  }

  scheduleDeletion(connectionId: ConnectionId, recoveryDays: number): Promise<void> {
    return this.#schedule('connection', connectionId, recoveryDays);
  }

  cancelDeletion(connectionId: ConnectionId): Promise<void> {
    return this.#cancel('connection', connectionId);
  }

  putIntegrationToken(
    integrationId: IntegrationId,
    token: string,
  ): Promise<{ ref: string; created: boolean }> {
    return this.#put('integration', integrationId, token);
  }

  getIntegrationToken(integrationId: IntegrationId): Promise<string | undefined> {
    return this.#get('integration', integrationId);
  }

  scheduleIntegrationTokenDeletion(integrationId: IntegrationId, recoveryDays: number): Promise<void> {
    return this.#schedule('integration', integrationId, recoveryDays);
  }

  /**
   * One page of the sweep: DescribeParameters under the deleted path (50 at most), then
   * DeleteParameters (10 a call) of those due at `now`. Deleting what is already gone is not an
   * error, so a repeated or overlapping sweep is harmless.
   */
  async deleteExpired(now: Date, cursor?: string): Promise<SweepPage> {
    let page: DescribeParametersCommandOutput;
    try {
      page = await this.#client.send(
        new DescribeParametersCommand({
          ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: [this.#deletedPath.slice(0, -1)] }],
          MaxResults: DESCRIBE_PAGE,
          ...(cursor ? { NextToken: cursor } : {}),
        }),
      );
    } catch (error) {
      throw new AwsAdapterError(
        `SSM DescribeParameters failed for the tokens scheduled for deletion under ${this.#deletedPath}`,
        describeAwsError(error),
      );
    }
    const due: { name: string; kind: Kind; id: Id }[] = [];
    let pending = 0;
    for (const p of page.Parameters ?? []) {
      const at = deleteAfterOf(p.Description);
      const moved = p.Name ? this.#movedTokenOf(p.Name) : undefined;
      if (p.Name && moved && at !== undefined && at <= now.getTime()) due.push({ name: p.Name, ...moved });
      else pending += 1;
    }
    // A copy whose token is live again (restored) is deleted too, but nothing was lost.
    const restored = new Set<string>();
    for (const d of due) {
      if (await this.#exists(d.kind, d.id, this.#name(d.kind, d.id))) restored.add(d.name);
    }
    for (let i = 0; i < due.length; i += DELETE_BATCH) {
      const names = due.slice(i, i + DELETE_BATCH).map((d) => d.name);
      try {
        await this.#client.send(new DeleteParametersCommand({ Names: names }));
      } catch (error) {
        throw new AwsAdapterError(
          `SSM DeleteParameters failed for ${names.join(', ')}`,
          describeAwsError(error),
        );
      }
    }
    return {
      deleted: due.filter((d) => !restored.has(d.name)).map((d) => d.id),
      pending,
      ...(page.NextToken ? { cursor: page.NextToken } : {}),
    };
  }

  /** Which token a parameter under the deleted path holds (undefined: not one of ours). */
  #movedTokenOf(name: string): { kind: Kind; id: Id } | undefined {
    for (const kind of ['connection', 'integration'] as const) {
      const prefix = `${this.#deletedPath}${kind}s/`;
      const id = name.slice(prefix.length);
      if (name.startsWith(prefix) && /^(con|int)_[A-Za-z0-9_-]+$/.test(id)) return { kind, id: id as Id };
    }
    return undefined;
  }

  // ---- the calls ----

  /**
   * PutParameter without Overwrite creates the token once (concurrent puts: one wins, the others
   * get ParameterAlreadyExists). A created one that was scheduled for deletion is a restore
   * (created: false). An existing integration token is overwritten only when Mews regenerated it.
   */
  async #put(kind: Kind, id: Id, token: string): Promise<{ ref: string; created: boolean }> {
    if (typeof token !== 'string' || token === '') {
      throw new Error(
        `refusing to store an empty ${kind === 'connection' ? '' : 'access '}token for ${kind} ${id}`,
      );
    }
    const name = this.#name(kind, id);
    if (await this.#create(kind, id, name, token)) {
      return { ref: name, created: !(await this.#exists(kind, id, this.#deletedName(kind, id))) };
    }
    if (kind === 'integration' && (await this.#read(kind, id, name, token)) !== token) {
      await this.#overwrite(kind, id, name, token, undefined);
    }
    return { ref: name, created: false };
  }

  async #get(kind: Kind, id: Id): Promise<string | undefined> {
    const value = await this.#read(kind, id, this.#name(kind, id));
    if (value === '') throw new Error(`the token parameter of ${kind} ${id} has no value`);
    return value;
  }

  /** Copy to the deleted path (with its due time), then delete the live one. Nothing live: nothing to do. */
  async #schedule(kind: Kind, id: Id, recoveryDays: number): Promise<void> {
    const name = this.#name(kind, id);
    const token = await this.#read(kind, id, name);
    if (token === undefined) return;
    const deleteAfter = new Date(this.#now().getTime() + recoveryDays * 86_400_000).toISOString();
    await this.#overwrite(kind, id, this.#deletedName(kind, id), token, `${DELETE_AFTER}${deleteAfter}`);
    await this.#delete(kind, id, name);
  }

  /** The moved token back under its live name (an existing live one wins); the moved copy stays for the sweep. */
  async #cancel(kind: Kind, id: Id): Promise<void> {
    const token = await this.#read(kind, id, this.#deletedName(kind, id));
    if (token === undefined || token === '') return;
    await this.#create(kind, id, this.#name(kind, id), token);
  }

  /** PutParameter, no Overwrite: true when it created the parameter, false when it existed. */
  async #create(kind: Kind, id: Id, name: string, token: string): Promise<boolean> {
    try {
      await this.#client.send(
        new PutParameterCommand({
          Name: name,
          Description: `Mews ${kind === 'connection' ? 'connection' : 'Connector API access'} token of ${id} (managed by the connection provisioner)`,
          Value: token,
          Type: 'SecureString',
          KeyId: this.#kmsKeyId,
          Tier: this.#tier,
          Overwrite: false,
          Tags: [{ Key: ID_TAG, Value: id }, ...this.#tags],
        }),
      );
      return true;
    } catch (error) {
      if (awsErrorCode(error) === 'ParameterAlreadyExists') return false;
      throw wrap('PutParameter', kind, id, error, token);
    }
  }

  /** PutParameter with Overwrite (which takes no Tags): creates or replaces the value. */
  async #overwrite(kind: Kind, id: Id, name: string, token: string, description: string | undefined) {
    try {
      await this.#client.send(
        new PutParameterCommand({
          Name: name,
          ...(description ? { Description: description } : {}),
          Value: token,
          Type: 'SecureString',
          KeyId: this.#kmsKeyId,
          Tier: this.#tier,
          Overwrite: true,
        }),
      );
    } catch (error) {
      throw wrap('PutParameter', kind, id, error, token);
    }
  }

  async #read(kind: Kind, id: Id, name: string, token?: string): Promise<string | undefined> {
    try {
      const out = await this.#client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
      return out.Parameter?.Value;
    } catch (error) {
      if (awsErrorCode(error) === 'ParameterNotFound') return undefined;
      throw wrap('GetParameter', kind, id, error, token);
    }
  }

  /** Whether the parameter exists, without decrypting it (no KMS call). */
  async #exists(kind: Kind, id: Id, name: string): Promise<boolean> {
    try {
      await this.#client.send(new GetParameterCommand({ Name: name, WithDecryption: false }));
      return true;
    } catch (error) {
      if (awsErrorCode(error) === 'ParameterNotFound') return false;
      throw wrap('GetParameter', kind, id, error);
    }
  }

  async #delete(kind: Kind, id: Id, name: string): Promise<void> {
    try {
      await this.#client.send(new DeleteParameterCommand({ Name: name }));
    } catch (error) {
      if (awsErrorCode(error) === 'ParameterNotFound') return;
      throw wrap('DeleteParameter', kind, id, error);
    }
  }

  #name(kind: Kind, id: Id): string {
    return `${this.#paths[kind]}${id}`;
  }

  #deletedName(kind: Kind, id: Id): string {
    return `${this.#deletedPath}${kind}s/${id}`;
  }

  #now(): Date {
    return this.#clock ? this.#clock.now() : new Date();
  }
}

/** The due time written by scheduleDeletion, or undefined for a description that is not ours. */
function deleteAfterOf(description: string | undefined): number | undefined {
  if (!description?.startsWith(DELETE_AFTER)) return undefined;
  const at = Date.parse(description.slice(DELETE_AFTER.length));
  return Number.isNaN(at) ? undefined : at;
}

function wrap(call: string, kind: Kind, id: Id, error: unknown, token?: string): AwsAdapterError {
  return new AwsAdapterError(
    `SSM ${call} failed for ${kind} ${id}`,
    describeAwsError(error, token === undefined ? [] : [token]),
  );
}
