/**
 * The history the sample events (packages/events/samples/) come from: the real use cases over the
 * in-memory ports, on a manual clock, through a story that makes every event the service
 * publishes. Deterministic: event ids derive from the facts, times from the clock, and the
 * envelope's id from the event id, so a run writes the same files byte for byte.
 *
 * Token references are shaped as on AWS (the Secrets Manager vault's secret names, and after the
 * story's `tokens migrate --to parameter-store` the Parameter Store vault's parameter names) and
 * `environment` is `demo`: the samples show what a subscriber of a deployed stage receives.
 */
import { createMemoryServices } from '../../shared/adapters/memory/memory-services.js';
import { MemoryTokenVault } from '../../shared/adapters/memory/memory-token-vault.js';
import { schemaFileName } from '../../shared/domain/events/event-json-schemas.js';
import type { ConnectionId, IntegrationId, OutboxEvent } from '../../shared/domain/model.js';
import type { Configuration } from '../../shared/mews/configuration.schema.js';
import { silentLogger } from '../../shared/ports/logger.js';
import type { IntegrationTokenVault, TokenVault } from '../../shared/ports/token-vault.js';
import { mewsConfigurationSchema } from '../../shared/simulator/configuration-schema.js';
import { loadDefaultSeed } from '../../shared/simulator/default-seed.js';
import { registerAccount } from '../../shared/use-cases/accounts.js';
import { handleIntegrationWebhook } from '../../shared/use-cases/handle-integration-webhook.js';
import {
  migrateTokens,
  type TokenLayout,
  type TokenStoreName,
} from '../../shared/use-cases/migrate-tokens.js';
import { pollAccount } from '../../shared/use-cases/poll-account.js';
import { relayPendingEvents } from '../../shared/use-cases/relay-outbox.js';
import { schedulePolls } from '../../shared/use-cases/schedule-polls.js';
import { scheduleRefreshes } from '../../shared/use-cases/schedule-refreshes.js';
import { syncConnection } from '../../shared/use-cases/sync-connection.js';
import { DEFAULT_POLICY, type UseCaseDeps } from '../../shared/use-cases/use-case-deps.js';

/** What a rule target receives; the envelope as EventBridge writes it. */
interface SampleEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

const SOURCE = 'com.example.mews-provisioner';
const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
/** A deployed `demo` stage's token names: Secrets Manager's secrets, Parameter Store's parameters. */
const TOKEN_PREFIXES: Record<TokenStoreName, string> = {
  'secrets-manager': 'mews-provisioner-demo/',
  'parameter-store': '/mews-provisioner-demo/',
};

/**
 * The in-memory vault, naming tokens as the vaults of a deployed `demo` stage name them
 * (`<prefix>connections/<id>`, `<prefix>integrations/<id>`), so the references in the samples
 * are the deployed ones.
 */
class StageNamedVault implements TokenVault, IntegrationTokenVault {
  constructor(
    readonly inner: MemoryTokenVault,
    readonly prefix: string,
  ) {}
  refFor(id: ConnectionId) {
    return `${this.prefix}connections/${id}`;
  }
  integrationRefFor(id: IntegrationId) {
    return `${this.prefix}integrations/${id}`;
  }
  async put(id: ConnectionId, token: string) {
    return { ...(await this.inner.put(id, token)), ref: this.refFor(id) };
  }
  get(id: ConnectionId) {
    return this.inner.get(id);
  }
  scheduleDeletion(id: ConnectionId, days: number) {
    return this.inner.scheduleDeletion(id, days);
  }
  cancelDeletion(id: ConnectionId) {
    return this.inner.cancelDeletion(id);
  }
  async putIntegrationToken(id: IntegrationId, token: string) {
    return { ...(await this.inner.putIntegrationToken(id, token)), ref: this.integrationRefFor(id) };
  }
  getIntegrationToken(id: IntegrationId) {
    return this.inner.getIntegrationToken(id);
  }
  scheduleIntegrationTokenDeletion(id: IntegrationId, days: number) {
    return this.inner.scheduleIntegrationTokenDeletion(id, days);
  }
}

/** The vault as `tokens migrate` sees a store. */
function layoutOf(name: TokenStoreName, vault: StageNamedVault): TokenLayout {
  return {
    name,
    vault,
    integrations: vault,
    holds: (ref) => ref.startsWith(vault.prefix),
    integrationRefFor: (id) => vault.integrationRefFor(id),
  };
}

/** Runs the story; returns every published event in order, as a subscriber receives them. */
async function runSampleHistory(): Promise<SampleEvent[]> {
  const services = createMemoryServices({
    clock: { start: '2026-11-27T10:47:58.000Z', stepMs: 7 },
    eventSource: SOURCE,
  });
  const { world, mews, clock } = services;
  const vault = new StageNamedVault(services.vault, TOKEN_PREFIXES['secrets-manager']);
  let registrations = 0;
  const deps: UseCaseDeps = {
    ...services,
    vault,
    logger: silentLogger,
    environment: 'demo',
    policy: DEFAULT_POLICY,
    newId: () => `registration-${++registrations}`,
  };

  // Mews: Harbour Hostels of the simulator's seed (its properties, connections and configurations).
  const enterpriseId = 'harbour-hostels';
  const harbour = loadDefaultSeed().enterprises.find((e) => e.id === enterpriseId);
  const enterpriseName = harbour?.name ?? 'Harbour Hostels';
  world.addEnterprise({
    id: enterpriseId,
    name: enterpriseName,
    configuration: { chainId: 'chain-of-harbour-hostels' },
  });
  for (const property of harbour?.properties ?? []) {
    const propertyId = property.id ?? '';
    world.addProperty(enterpriseId, { id: propertyId, ...(property.name ? { name: property.name } : {}) });
    for (const c of Array.isArray(property.connections) ? property.connections : []) {
      const configuration = {
        success: true,
        ...mewsConfigurationSchema.parse(property.configuration),
      } as Configuration;
      if (c.token) world.addConnection(propertyId, { token: c.token, name: c.name ?? null, configuration });
    }
  }
  const reception = 'reception@sample-hostel.example';
  const nightDesk = 'night-desk@sample-hostel.example';
  world.grantAccess(reception, enterpriseId);

  const cycle = async (minutes = 5) => {
    clock.advance(minutes * 60_000);
    await schedulePolls(deps);
    // One delivery each: the story has no failure a redelivery would cure, so any is a broken story.
    const once = async (result: Promise<{ error?: unknown } | undefined>) => {
      const { error } = (await result) ?? {};
      if (error !== undefined) throw new Error(`the sample history failed: ${String(error)}`);
    };
    while (services.polls.size() > 0)
      await once(services.polls.deliverOne((m) => pollAccount(m, deps), { maxAttempts: 1 }));
    while (services.syncs.size() > 0)
      await once(services.syncs.deliverOne((m) => syncConnection(m, deps), { maxAttempts: 1 }));
    await relayPendingEvents(deps);
  };
  const refresh = async () => {
    clock.advance(60_000);
    await scheduleRefreshes({ now: clock.now(), intervalMs: 60_000, windowMs: 60_000 }, deps);
    await cycle(1);
  };

  // Connection Provisioned (each connection), Connection Provisioning Failed (Mews refuses one
  // connection's configuration with code 9), Account Access Failed (an email Mews does not know yet).
  const docks = 'fake-conn-harbour-docks';
  const refused = mews.failCalls({
    operation: 'getConfiguration',
    token: docks,
    fault: { kind: 'refused', code: 9 },
  });
  await registerAccount({ email: reception, label: 'Front desk' }, deps);
  await registerAccount({ email: nightDesk }, deps);
  await cycle();
  mews.removeFault(refused);
  await cycle();

  // Account Access Restored: Mews now lists the night desk's property for it.
  world.grantAccess(nightDesk, enterpriseId, { propertyIds: ['harbour-hostel-docks'] });
  await cycle();

  // Connection Configuration Changed: a space category renamed and a dorm added, with its mapping.
  world.updateConfiguration('fake-conn-harbour-central-dorms', (c) => ({
    ...c,
    spaceCategories: [
      ...c.spaceCategories.map((s, i) => (i === 0 ? { ...s, name: `${s.name} (renovated)` } : s)),
      { code: 'DORM12', name: 'Bed in 12-bed dorm', isSynchronized: true, bedCount: 12, spaceCount: 1 },
    ],
    inventoryMappings: [...c.inventoryMappings, { ratePlanCode: 'FLEX', spaceTypeCode: 'DORM12' }],
  }));
  await refresh();

  // Connection Deactivated, then Connection Reactivated: Mews disables the Docks connection and enables it again.
  world.setConnectionEnabled(docks, false);
  await refresh();
  world.setConnectionEnabled(docks, true);
  await refresh();

  // Connection Removed: the unnamed connection disconnects (missing from two successful listings).
  world.removeConnection('fake-conn-harbour-central-3');
  await cycle();
  await cycle();

  // Account Anomaly: two of the reception account's three connections vanish at once.
  world.removeConnection('fake-conn-harbour-central-private');
  world.removeConnection(docks);
  await cycle();

  // Integrations: created, then every state change Mews' Connector API webhooks announce.
  const accessToken = 'fake-integration-access-token-harbour';
  world.addIntegration({ accessToken, enterpriseId: enterpriseId });
  const integration = { Id: '7d1c3a52-94e1-4f0b-8a65-2b9e0c4d7f11', Name: 'Harbour channel sync' };
  let tokens = vault;
  const webhook = async (Action: string, Data: Record<string, unknown> = {}) => {
    clock.advance(60_000);
    const outcome = await handleIntegrationWebhook(
      { Action, Data: { Integration: integration, ...Data } },
      {
        ...deps,
        integrations: services.store,
        vault: tokens,
        connector: services.connector,
      },
    );
    if (outcome.status === 'rejected' || outcome.status === 'unknown-integration') {
      throw new Error(`the sample history's ${Action} webhook was not applied: ${JSON.stringify(outcome)}`);
    }
    await relayPendingEvents(deps);
  };
  await webhook('IntegrationCreated', {
    Enterprise: { Id: enterpriseId, Name: enterpriseName },
    Service: { Id: 'accommodation', Name: 'Accommodation' },
    Requestor: { Name: 'Ada Example', Email: 'ada@sample-hostel.example' },
    AccessToken: accessToken,
    CreatedUtc: '2026-11-27T11:30:00Z',
    IsEnabled: true,
  });
  world.setIntegrationStatus(accessToken, 'disabled');
  await webhook('IntegrationDisabled');
  world.setIntegrationStatus(accessToken, 'enabled');
  await webhook('IntegrationEnabled');
  world.setIntegrationStatus(accessToken, 'canceled');
  await webhook('IntegrationCanceled');
  world.setIntegrationStatus(accessToken, 'enabled');
  await webhook('IntegrationReinstated');

  // Connection Token Moved, Integration Token Moved: the stage is deployed with tokenStore
  // parameter-store and its tokens moved (`provisioner tokens migrate --to parameter-store`).
  const parameters = new StageNamedVault(new MemoryTokenVault({ clock }), TOKEN_PREFIXES['parameter-store']);
  clock.advance(60_000);
  const migration = await migrateTokens({
    store: services.store,
    from: layoutOf('secrets-manager', vault),
    to: layoutOf('parameter-store', parameters),
    recoveryDays: DEFAULT_POLICY.secretRecoveryDays,
    environment: 'demo',
    clock,
  });
  if (!migration.complete)
    throw new Error(`the sample history's migration failed: ${JSON.stringify(migration)}`);
  await relayPendingEvents(deps);
  tokens = parameters;
  deps.vault = parameters;
  world.setIntegrationStatus(accessToken, 'deleted');
  await webhook('IntegrationDeleted', { DeletedUtc: '2026-11-27T11:40:00Z' });

  return services.publisher.entries().map((e) => envelope(e.event, e.source));
}

/** As EventBridge delivers it: its own id (a UUID; here derived from the event id) and a time in seconds. */
function envelope(event: OutboxEvent, source: string): SampleEvent {
  const hex = event.eventId.slice('evt_'.length);
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return {
    version: '0',
    id,
    'detail-type': event.detailType,
    source,
    account: ACCOUNT,
    time: `${new Date(event.time).toISOString().slice(0, 19)}Z`,
    region: REGION,
    resources: [],
    detail: event.detail,
  };
}

/** The first event of each detail-type the history published. */
async function sampleEvents(): Promise<Map<string, SampleEvent>> {
  const samples = new Map<string, SampleEvent>();
  for (const event of await runSampleHistory()) {
    if (!samples.has(event['detail-type'])) samples.set(event['detail-type'], event);
  }
  return samples;
}

/** One file per event, named as its JSON Schema (`connection-provisioned.json`), as checked in. */
export async function sampleFiles(): Promise<{ file: string; content: string }[]> {
  return [...(await sampleEvents()).values()].map((event) => ({
    file: schemaFileName(event['detail-type']),
    content: `${JSON.stringify(event, null, 2)}\n`,
  }));
}
