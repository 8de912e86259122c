/**
 * The pure lifecycle decisions (shared/domain/lifecycle/) against docs/lifecycle.md: one `it` per
 * row of the connection transition table and per rule of its "Removal" and "Account" sections.
 */
import { describe, expect, it } from 'vitest';
import { digestOf, type MappingView } from '../../../shared/domain/configuration-view.js';
import {
  ACCOUNT_ACCESS_FAILED,
  ACCOUNT_ACCESS_RESTORED,
} from '../../../shared/domain/events/account-access.event.js';
import { ACCOUNT_ANOMALY } from '../../../shared/domain/events/account-anomaly.event.js';
import { CONNECTION_CONFIGURATION_CHANGED } from '../../../shared/domain/events/connection-configuration-changed.event.js';
import { CONNECTION_PROVISIONED } from '../../../shared/domain/events/connection-provisioned.event.js';
import { CONNECTION_PROVISIONING_FAILED } from '../../../shared/domain/events/connection-provisioning-failed.event.js';
import {
  CONNECTION_DEACTIVATED,
  CONNECTION_REACTIVATED,
  CONNECTION_REMOVED,
} from '../../../shared/domain/events/connection-status.event.js';
import { accountIdFromEmail, connectionIdFromToken } from '../../../shared/domain/identity.js';
import { decideAccess, planPoll } from '../../../shared/domain/lifecycle/account-lifecycle.js';
import {
  type ConfigurationAnswer,
  type DecisionContext,
  decideMissing,
  decideSync,
  type MissingDecision,
  planSync,
  REMOVAL_CONFIRMATIONS,
  type SyncDecision,
  type SyncTrigger,
} from '../../../shared/domain/lifecycle/connection-lifecycle.js';
import type { ListedEntry } from '../../../shared/domain/listing-diff.js';
import type {
  Account,
  AccountId,
  ConfigurationSummary,
  Connection,
  ConnectionStatus,
  Membership,
  OutboxEvent,
} from '../../../shared/domain/model.js';

// ---------------------------------------------------------------- factories

const AT = '2026-05-04T09:00:00.000Z';
const LATER = '2026-05-04T10:30:00.000Z';
const ctx: DecisionContext = { environment: 'simulator', at: AT };
const pollCtx = { ...ctx, massDisappearanceShare: 0.5 };
const missingCtx = { ...ctx, secretRecoveryDays: 7 };

const ACC: AccountId = accountIdFromEmail('front-desk@lifecycle.example');
const OTHER: AccountId = accountIdFromEmail('night-desk@lifecycle.example');
const TOKEN = 'fake-lifecycle-token';
const CON = connectionIdFromToken(TOKEN);

const SUMMARY: ConfigurationSummary = {
  spaceCategories: 1,
  synchronizedSpaceCategories: 1,
  ratePlans: 1,
  synchronizedRatePlans: 1,
  inventoryMappings: 1,
  products: 0,
  ageCategories: 0,
  companies: 0,
  travelAgencies: 0,
};

/** A one-category, one-rate mapping view; `name` is what changes between versions. */
function view(name: string): MappingView {
  return {
    spaceCategories: [
      {
        code: 'DBL',
        name,
        isSynchronized: true,
        classification: null,
        bedCount: 2,
        extraBedCount: null,
        spaceCount: 4,
      },
    ],
    ratePlans: [
      { code: 'FLEX', name: 'Flexible', currencyCode: 'EUR', isSynchronized: true, rateType: null },
    ],
    inventoryMappings: [{ ratePlanCode: 'FLEX', spaceTypeCode: 'DBL' }],
    products: [],
    productMappings: [],
    ageCategories: [],
  };
}
const VIEW_A = view('Double');
const VIEW_B = view('Double, sea view');
const state = (v: MappingView) => ({ digest: digestOf(v), summary: SUMMARY, fetchedAt: AT });

/** A never-provisioned connection, as a poll records it. */
function discovered(patch: Partial<Connection> = {}): Connection {
  return {
    id: CON,
    status: 'discovered',
    propertyId: 'hostel',
    propertyName: 'Sample Hostel',
    name: 'Channel manager',
    discoveredBy: ACC,
    discoveredAt: '2026-05-01T08:00:00.000Z',
    provisionedAt: null,
    changedAt: null,
    version: 0,
    secretRef: `memory-vault:${CON}`,
    configuration: null,
    ...patch,
  };
}

/** A provisioned connection whose stored configuration has VIEW_A's digest. */
function provisioned(patch: Partial<Connection> = {}): Connection {
  return discovered({
    status: 'provisioned',
    provisionedAt: '2026-05-01T08:01:00.000Z',
    version: 1,
    configuration: state(VIEW_A),
    ...patch,
  });
}

/**
 * Mews answers getConfiguration with `now`, as the use case hands it on: the stored snapshot's
 * view only when the digest moved.
 */
function answers(
  connection: Connection,
  now: MappingView,
  stored: MappingView = VIEW_A,
): ConfigurationAnswer {
  const moved = connection.configuration !== null && connection.configuration.digest !== digestOf(now);
  return { kind: 'configuration', state: state(now), view: now, previousView: moved ? stored : null };
}

const refuses = (code: number | null): ConfigurationAnswer => ({
  kind: 'refused',
  code,
  message: `Mews refused (code ${code})`,
});

function account(patch: Partial<Account> = {}): Account {
  return {
    id: ACC,
    email: 'front-desk@lifecycle.example',
    label: 'Front desk',
    createdAt: '2026-05-01T07:00:00.000Z',
    registration: 'registration-1',
    access: { status: 'ok' },
    accessVersion: 0,
    hold: null,
    ...patch,
  };
}

function membership(token: string, patch: Partial<Membership> = {}): Membership {
  return {
    accountId: ACC,
    connectionId: connectionIdFromToken(token),
    status: 'synced',
    propertyId: 'hostel',
    propertyName: 'Sample Hostel',
    connectionName: null,
    firstSeenAt: '2026-05-01T08:00:00.000Z',
    missingPolls: 0,
    ...patch,
  };
}

function entry(token: string): ListedEntry {
  return {
    connectionId: connectionIdFromToken(token),
    token,
    propertyId: 'hostel',
    propertyName: 'Sample Hostel',
    connectionName: null,
  };
}

const tokens = (n: number, prefix = 'fake-tok') => Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`);
const types = (events: OutboxEvent[]) => events.map((e) => e.detailType);
const ids = (events: OutboxEvent[]) => events.map((e) => e.eventId);

/** A decision as the doc's table reads it: the state it leads to and the events it writes. */
type To = ConnectionStatus | 'unchanged';
interface Outcome {
  to: To;
  events: string[];
}

function ofSync(d: SyncDecision): Outcome {
  switch (d.kind) {
    case 'provision':
      return { to: 'provisioned', events: types(d.events) };
    case 'update':
      return { to: d.status, events: types(d.events) };
    case 'report':
      return { to: 'unchanged', events: types(d.events) };
    case 'none':
      return { to: 'unchanged', events: [] };
  }
}

function ofMissing(d: MissingDecision): Outcome {
  return d.kind === 'remove' ? { to: 'removed', events: types(d.events) } : { to: 'unchanged', events: [] };
}

const eventsOf = (d: SyncDecision | MissingDecision): OutboxEvent[] => ('events' in d ? d.events : []);
const detailOf = (d: SyncDecision, type: string) => eventsOf(d).find((e) => e.detailType === type)?.detail;

/** Every account listing it has confirmed it missing. */
const allConfirmed = (...accounts: AccountId[]) =>
  accounts.map((accountId) => membership(TOKEN, { accountId, missingPolls: REMOVAL_CONFIRMATIONS }));

// ---------------------------------------------------------------- the connection table

interface Row {
  from: string;
  happened: string;
  to: To;
  events: string[];
  decide: () => Outcome;
}

const removedNeverProvisioned = () => discovered({ status: 'removed', version: 1, changedAt: AT });
const removedProvisionedBefore = () => provisioned({ status: 'removed', version: 4, changedAt: AT });

const connectionTable: Row[] = [
  {
    from: '(none)',
    happened: 'a poll lists an unknown token',
    to: 'discovered',
    events: [],
    decide: () => {
      const plan = planPoll(account(), [], [entry(TOKEN)], pollCtx);
      expect(plan.added.map((e) => e.connectionId)).toEqual([CON]);
      // the sync follows: a discovered connection always asks Mews
      expect(planSync(discovered(), 'discovered')).toEqual({ kind: 'ask-mews' });
      const events = plan.hold.kind === 'place' ? types(plan.hold.events) : [];
      return { to: 'discovered', events };
    },
  },
  {
    from: 'discovered',
    happened: 'Mews answers getConfiguration',
    to: 'provisioned',
    events: [CONNECTION_PROVISIONED],
    decide: () => ofSync(decideSync(discovered(), ACC, answers(discovered(), VIEW_A), ctx)),
  },
  {
    from: 'removed and never provisioned',
    happened: 'Mews answers getConfiguration',
    to: 'provisioned',
    events: [CONNECTION_PROVISIONED],
    decide: () => {
      const removed = removedNeverProvisioned();
      expect(planSync(removed, 'discovered')).toEqual({ kind: 'ask-mews' });
      return ofSync(decideSync(removed, ACC, answers(removed, VIEW_A), ctx));
    },
  },
  {
    from: 'discovered',
    happened: 'Mews refuses (permanent code 8)',
    to: 'unchanged',
    events: [CONNECTION_PROVISIONING_FAILED],
    decide: () => ofSync(decideSync(discovered(), ACC, refuses(8), ctx)),
  },
  {
    from: 'removed and never provisioned',
    happened: 'Mews refuses (permanent code 3: still only Provisioning Failed before provisioning)',
    to: 'unchanged',
    events: [CONNECTION_PROVISIONING_FAILED],
    decide: () => ofSync(decideSync(removedNeverProvisioned(), ACC, refuses(3), ctx)),
  },
  {
    from: 'provisioned',
    happened: "the mapping view's digest moved and the diff is not empty",
    to: 'provisioned',
    events: [CONNECTION_CONFIGURATION_CHANGED],
    decide: () => ofSync(decideSync(provisioned(), ACC, answers(provisioned(), VIEW_B), ctx)),
  },
  {
    from: 'provisioned',
    happened: 'Mews answers code 3',
    to: 'deactivated',
    events: [CONNECTION_DEACTIVATED],
    decide: () => ofSync(decideSync(provisioned(), ACC, refuses(3), ctx)),
  },
  {
    from: 'provisioned',
    happened: 'Mews answers code 9',
    to: 'deactivated',
    events: [CONNECTION_DEACTIVATED],
    decide: () => ofSync(decideSync(provisioned(), ACC, refuses(9), ctx)),
  },
  {
    from: 'provisioned',
    happened: 'Mews answers code 8 (also a wrong client token)',
    to: 'unchanged',
    events: [],
    decide: () => ofSync(decideSync(provisioned(), ACC, refuses(8), ctx)),
  },
  {
    from: 'provisioned',
    happened: 'Mews answers any other permanent code (6, or none)',
    to: 'unchanged',
    events: [],
    decide: () => {
      expect(ofSync(decideSync(provisioned(), ACC, refuses(null), ctx))).toEqual({
        to: 'unchanged',
        events: [],
      });
      return ofSync(decideSync(provisioned(), ACC, refuses(6), ctx));
    },
  },
  {
    from: 'deactivated',
    happened: 'Mews answers (configuration as it was)',
    to: 'provisioned',
    events: [CONNECTION_REACTIVATED],
    decide: () => {
      const off = provisioned({ status: 'deactivated', version: 2 });
      const d = decideSync(off, ACC, answers(off, VIEW_A), ctx);
      expect(detailOf(d, CONNECTION_REACTIVATED)).toMatchObject({
        reason: 'activated',
        previousStatus: 'deactivated',
      });
      return ofSync(d);
    },
  },
  {
    from: 'deactivated',
    happened: 'Mews answers, and the configuration moved',
    to: 'provisioned',
    events: [CONNECTION_REACTIVATED, CONNECTION_CONFIGURATION_CHANGED],
    decide: () => {
      const off = provisioned({ status: 'deactivated', version: 2 });
      return ofSync(decideSync(off, ACC, answers(off, VIEW_B), ctx));
    },
  },
  {
    from: 'removed, provisioned before',
    happened: 'listed again and Mews answers',
    to: 'provisioned',
    events: [CONNECTION_REACTIVATED],
    decide: () => {
      const removed = removedProvisionedBefore();
      expect(planSync(removed, 'discovered')).toEqual({ kind: 'ask-mews' });
      const d = decideSync(removed, ACC, answers(removed, VIEW_A), ctx);
      expect(detailOf(d, CONNECTION_REACTIVATED)).toMatchObject({
        reason: 'returned',
        previousStatus: 'removed',
      });
      return ofSync(d);
    },
  },
  {
    from: 'removed, provisioned before',
    happened: 'listed again and Mews answers a moved configuration',
    to: 'provisioned',
    events: [CONNECTION_REACTIVATED, CONNECTION_CONFIGURATION_CHANGED],
    decide: () => {
      const removed = removedProvisionedBefore();
      return ofSync(decideSync(removed, ACC, answers(removed, VIEW_B), ctx));
    },
  },
  {
    from: 'removed, provisioned before',
    happened: 'listed again, Mews answers code 3',
    to: 'deactivated',
    events: [CONNECTION_REACTIVATED, CONNECTION_DEACTIVATED],
    decide: () => {
      const d = decideSync(removedProvisionedBefore(), ACC, refuses(3), ctx);
      expect(detailOf(d, CONNECTION_REACTIVATED)).toMatchObject({
        reason: 'returned',
        previousStatus: 'removed',
      });
      expect(detailOf(d, CONNECTION_DEACTIVATED)).toMatchObject({ code: 3 });
      return ofSync(d);
    },
  },
  {
    from: 'removed, provisioned before',
    happened: 'listed again, Mews answers code 9',
    to: 'deactivated',
    events: [CONNECTION_REACTIVATED, CONNECTION_DEACTIVATED],
    decide: () => ofSync(decideSync(removedProvisionedBefore(), ACC, refuses(9), ctx)),
  },
  {
    from: 'provisioned',
    happened: 'every account that listed it confirmed it missing',
    to: 'removed',
    events: [CONNECTION_REMOVED],
    decide: () => {
      const d = decideMissing(provisioned(), allConfirmed(ACC, OTHER), ACC, missingCtx);
      expect(d).toMatchObject({ kind: 'remove', members: [ACC, OTHER] });
      expect(eventsOf(d)[0]?.detail).toMatchObject({ secretRecoveryDays: 7 });
      return ofMissing(d);
    },
  },
  {
    from: 'deactivated',
    happened: 'every account that listed it confirmed it missing',
    to: 'removed',
    events: [CONNECTION_REMOVED],
    decide: () =>
      ofMissing(decideMissing(provisioned({ status: 'deactivated' }), allConfirmed(ACC), ACC, missingCtx)),
  },
  {
    from: 'discovered (subscribers never heard of it)',
    happened: 'every account that listed it confirmed it missing',
    to: 'removed',
    events: [],
    decide: () => ofMissing(decideMissing(discovered(), allConfirmed(ACC), ACC, missingCtx)),
  },
  {
    from: 'provisioned',
    happened: 'one account confirmed it missing, another still lists it',
    to: 'unchanged',
    events: [],
    decide: () => {
      const memberships = [
        membership(TOKEN, { missingPolls: REMOVAL_CONFIRMATIONS }),
        membership(TOKEN, { accountId: OTHER, missingPolls: 0 }),
      ];
      const d = decideMissing(provisioned(), memberships, ACC, missingCtx);
      expect(d).toEqual({ kind: 'leave' });
      return ofMissing(d);
    },
  },
  {
    from: 'discovered',
    happened: 'one account confirmed it missing, another still lists it',
    to: 'unchanged',
    events: [],
    decide: () => {
      const memberships = [
        membership(TOKEN, { accountId: OTHER, missingPolls: 1 }),
        membership(TOKEN, { missingPolls: REMOVAL_CONFIRMATIONS }),
      ];
      const d = decideMissing(discovered(), memberships, ACC, missingCtx);
      expect(d).toEqual({ kind: 'leave' });
      return ofMissing(d);
    },
  },
];

describe('connection lifecycle (docs/lifecycle.md, the transition table)', () => {
  for (const { from, happened, to, events, decide } of connectionTable) {
    it(`${from} | ${happened} -> ${to}${events.length > 0 ? ` / ${events.join(', ')}` : ''}`, () => {
      expect(decide()).toEqual({ to, events });
    });
  }
});

describe('planSync: whether a sync needs Mews', () => {
  const rows: { status: ConnectionStatus; trigger: SyncTrigger; plan: string }[] = [
    { status: 'provisioned', trigger: 'discovered', plan: 'mark-synced' },
    { status: 'provisioned', trigger: 'retry', plan: 'mark-synced' },
    { status: 'provisioned', trigger: 'refresh', plan: 'ask-mews' },
    { status: 'provisioned', trigger: 'notification', plan: 'ask-mews' },
    { status: 'discovered', trigger: 'discovered', plan: 'ask-mews' },
    { status: 'discovered', trigger: 'refresh', plan: 'ask-mews' },
    { status: 'deactivated', trigger: 'retry', plan: 'ask-mews' },
    { status: 'deactivated', trigger: 'refresh', plan: 'ask-mews' },
    { status: 'removed', trigger: 'discovered', plan: 'ask-mews' },
    { status: 'removed', trigger: 'retry', plan: 'ask-mews' },
    { status: 'removed', trigger: 'refresh', plan: 'skip' },
    { status: 'removed', trigger: 'notification', plan: 'skip' },
  ];
  it.each(rows)('$status, triggered by $trigger: $plan', ({ status, trigger, plan }) => {
    expect(planSync(provisioned({ status }), trigger)).toEqual({ kind: plan });
  });
});

describe('decideSync', () => {
  it('provisions from discovered, announcing the discovering account, the token reference and the configuration', () => {
    const d = decideSync(discovered(), OTHER, answers(discovered(), VIEW_A), ctx);
    expect(d.kind).toBe('provision');
    expect(detailOf(d, CONNECTION_PROVISIONED)).toMatchObject({
      connection: { id: CON, accountId: ACC, secretRef: `memory-vault:${CON}` },
      configuration: { digest: digestOf(VIEW_A), summary: SUMMARY },
    });
  });

  it('provisions a removed connection that was never provisioned (not a reactivation)', () => {
    const d = decideSync(removedNeverProvisioned(), ACC, answers(removedNeverProvisioned(), VIEW_A), ctx);
    expect(d.kind).toBe('provision');
    expect(types(eventsOf(d))).toEqual([CONNECTION_PROVISIONED]);
  });

  it.each([3, 8, 9, null])('a refusal (code %s) is Provisioning Failed only before provisioning', (code) => {
    const before = decideSync(discovered(), ACC, refuses(code), ctx);
    expect(before.kind).toBe('report');
    expect(detailOf(before, CONNECTION_PROVISIONING_FAILED)).toMatchObject({
      connection: { id: CON, accountId: ACC },
      error: { code, message: `Mews refused (code ${code})` },
    });
    for (const after of [provisioned(), provisioned({ status: 'deactivated' }), removedProvisionedBefore()]) {
      expect(types(eventsOf(decideSync(after, ACC, refuses(code), ctx)))).not.toContain(
        CONNECTION_PROVISIONING_FAILED,
      );
    }
  });

  it.each([3, 9])('code %s deactivates a provisioned connection, once', (code) => {
    expect(ofSync(decideSync(provisioned(), ACC, refuses(code), ctx))).toEqual({
      to: 'deactivated',
      events: [CONNECTION_DEACTIVATED],
    });
    // deactivated already: nothing more
    expect(decideSync(provisioned({ status: 'deactivated' }), ACC, refuses(code), ctx)).toEqual({
      kind: 'none',
    });
  });

  it('code 8 never deactivates, whatever the status', () => {
    for (const c of [provisioned(), provisioned({ status: 'deactivated' }), removedProvisionedBefore()]) {
      expect(decideSync(c, ACC, refuses(8), ctx)).toEqual({ kind: 'none' });
    }
    expect(decideSync(discovered(), ACC, refuses(8), ctx).kind).toBe('report');
  });

  it('removed and disabled in Mews: Reactivated (returned), then Deactivated, in one update without configuration', () => {
    const d = decideSync(removedProvisionedBefore(), ACC, refuses(3), ctx);
    expect(d).toMatchObject({ kind: 'update', status: 'deactivated', withConfiguration: false });
    expect(types(eventsOf(d))).toEqual([CONNECTION_REACTIVATED, CONNECTION_DEACTIVATED]);
    expect(new Set(ids(eventsOf(d))).size).toBe(2);
  });

  it('a provisioned connection answering as before changes nothing', () => {
    expect(decideSync(provisioned(), ACC, answers(provisioned(), VIEW_A), ctx)).toEqual({ kind: 'none' });
  });

  it('a moved digest whose diff is empty is no change', () => {
    const answer: ConfigurationAnswer = {
      kind: 'configuration',
      state: { ...state(VIEW_A), digest: 'sha256:moved-but-same-view' },
      view: VIEW_A,
      previousView: VIEW_A,
    };
    expect(decideSync(provisioned(), ACC, answer, ctx)).toEqual({ kind: 'none' });
  });

  it('a change carries the previous digest, the new configuration and the diff', () => {
    const d = decideSync(provisioned(), ACC, answers(provisioned(), VIEW_B), ctx);
    expect(d).toMatchObject({ kind: 'update', status: 'provisioned', withConfiguration: true });
    expect(detailOf(d, CONNECTION_CONFIGURATION_CHANGED)).toMatchObject({
      previousDigest: digestOf(VIEW_A),
      configuration: { digest: digestOf(VIEW_B) },
      diff: {
        spaceCategories: {
          changed: [{ code: 'DBL', fields: { name: { from: 'Double', to: 'Double, sea view' } } }],
        },
      },
      truncated: false,
    });
  });
});

describe('event ids: keyed by the version the transition creates', () => {
  /** Applies an update decision as the store does: bump the version, take status and configuration. */
  function apply(c: Connection, d: SyncDecision, now?: MappingView): Connection {
    if (d.kind !== 'update') throw new Error(`expected an update, got ${d.kind}`);
    return {
      ...c,
      status: d.status,
      version: c.version + 1,
      configuration: d.withConfiguration && now ? state(now) : c.configuration,
    };
  }

  it('a replay of the same transition repeats its ids, at another time and for another account', () => {
    for (const [c, answer] of [
      [discovered(), answers(discovered(), VIEW_A)],
      [provisioned(), answers(provisioned(), VIEW_B)],
      [provisioned(), refuses(3)],
      [provisioned({ status: 'deactivated' }), answers(provisioned(), VIEW_B)],
      [removedProvisionedBefore(), refuses(9)],
      [discovered(), refuses(8)],
    ] as const) {
      const first = decideSync(c, ACC, answer, ctx);
      const replay = decideSync(c, OTHER, answer, { ...ctx, at: LATER });
      expect(ids(eventsOf(replay))).toEqual(ids(eventsOf(first)));
      expect(eventsOf(first).length).toBeGreaterThan(0);
    }
    const removal = decideMissing(provisioned(), allConfirmed(ACC), ACC, missingCtx);
    const again = decideMissing(provisioned(), allConfirmed(ACC), ACC, { ...missingCtx, at: LATER });
    expect(ids(eventsOf(again))).toEqual(ids(eventsOf(removal)));
  });

  it('no two transitions share an id: A -> B -> A -> B, off -> on -> off, removed and back', () => {
    const seen: string[] = [];
    let c = provisioned();
    for (const now of [VIEW_B, VIEW_A, VIEW_B]) {
      const stored = c.configuration?.digest === digestOf(VIEW_A) ? VIEW_A : VIEW_B;
      const d = decideSync(c, ACC, answers(c, now, stored), ctx);
      seen.push(...ids(eventsOf(d)));
      c = apply(c, d, now);
    }
    for (const answer of [refuses(3), answers(c, VIEW_B, VIEW_B), refuses(9)]) {
      const d = decideSync(c, ACC, answer, ctx);
      seen.push(...ids(eventsOf(d)));
      c = apply(c, d, VIEW_B);
    }
    const removal = decideMissing(c, allConfirmed(ACC), ACC, missingCtx);
    seen.push(...ids(eventsOf(removal)));
    c = { ...c, status: 'removed', version: c.version + 1 };
    seen.push(...ids(eventsOf(decideSync(c, ACC, refuses(3), ctx))));
    // 3 changes, Deactivated, Reactivated, Deactivated, Removed, Reactivated + Deactivated
    expect(seen).toHaveLength(9);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('Connection Provisioned depends on the connection alone: one per connection, whatever its version', () => {
    const first = decideSync(discovered(), ACC, answers(discovered(), VIEW_A), ctx);
    const afterRemoval = decideSync(removedNeverProvisioned(), OTHER, answers(discovered(), VIEW_B), ctx);
    expect(ids(eventsOf(afterRemoval))).toEqual(ids(eventsOf(first)));
  });

  it('Provisioning Failed is once per version and code', () => {
    const id = (c: Connection, code: number | null) =>
      ids(eventsOf(decideSync(c, ACC, refuses(code), ctx)))[0];
    expect(id(discovered(), 8)).toBe(id(discovered(), 8));
    expect(id(discovered(), 8)).not.toBe(id(discovered(), 3));
    expect(id(discovered(), null)).not.toBe(id(discovered(), 8));
    expect(id(discovered(), 8)).not.toBe(id(removedNeverProvisioned(), 8));
  });
});

// ---------------------------------------------------------------- Removal

describe('Removal: two consecutive misses', () => {
  const five = tokens(5);
  const listedAll = five.map(entry);
  const known = (patch: (t: string) => Partial<Membership> = () => ({})) =>
    five.map((t) => membership(t, patch(t)));
  const [x] = five as [string, ...string[]];
  const X = connectionIdFromToken(x);
  const allBut = (t: string) => listedAll.filter((e) => e.token !== t);

  it('a poll that lists the connection stores its token again and then sets its count to 0', () => {
    const plan = planPoll(
      account(),
      known((t) => (t === x ? { missingPolls: 1 } : {})),
      listedAll,
      pollCtx,
    );
    expect(plan.restore).toEqual([{ entry: entry(x), returned: true, awaitingToken: false }]);
    expect(plan.missCounts).toEqual([]);
    expect(plan.confirmedMissing).toEqual([]);
  });

  it('a held poll that lists the connection sets its count to 0 too, and counts no miss', () => {
    // X was missed once; now X is back and three of the other four are gone: held.
    const listed = listedAll.filter((e, i) => e.token === x || i === 4);
    const memberships = known((t) => (t === x ? { missingPolls: 1 } : {}));
    const plan = planPoll(account(), memberships, listed, pollCtx);
    expect(plan.hold.kind).toBe('place');
    expect(plan.restore.map((r) => r.entry.connectionId)).toEqual([X]);
    expect(plan.missCounts).toEqual([]);
    expect(plan.confirmedMissing).toEqual([]);
  });

  it('a poll that lacks it adds 1', () => {
    const plan = planPoll(account(), known(), allBut(x), pollCtx);
    expect(plan.missCounts).toEqual([{ connectionId: X, missingPolls: 1 }]);
    expect(plan.confirmedMissing).toEqual([]);
    expect(plan.missing).toBe(1);
  });

  it('the second consecutive miss reaches 2: the account has confirmed it missing', () => {
    const plan = planPoll(
      account(),
      known((t) => (t === x ? { missingPolls: 1 } : {})),
      allBut(x),
      pollCtx,
    );
    expect(plan.missCounts).toEqual([{ connectionId: X, missingPolls: REMOVAL_CONFIRMATIONS }]);
    expect(plan.confirmedMissing).toEqual([X]);
  });

  it('a held poll that lacks it counts no miss and confirms nothing, even one missed once already', () => {
    const held = account({ hold: { since: AT, missing: 4, known: 5, released: false } });
    const listed = listedAll.slice(4);
    const plan = planPoll(
      held,
      known((t) => (t === x ? { missingPolls: 1 } : {})),
      listed,
      pollCtx,
    );
    expect(plan.hold).toEqual({ kind: 'keep' });
    expect(plan.missCounts).toEqual([]);
    expect(plan.confirmedMissing).toEqual([]);
  });

  it('a count left at 2 by a crash is confirmed again by the next poll without a write (never above 2)', () => {
    const plan = planPoll(
      account(),
      known((t) => (t === x ? { missingPolls: REMOVAL_CONFIRMATIONS } : {})),
      allBut(x),
      pollCtx,
    );
    expect(plan.missCounts).toEqual([]);
    expect(plan.confirmedMissing).toEqual([X]);
  });

  it('tokens: stored again only where one may be missing (awaiting-token, back after a miss), never for a pending one', () => {
    const memberships = [
      membership('fake-pending', { status: 'pending' }),
      membership('fake-pending-missed', { status: 'pending', missingPolls: 1 }),
      membership('fake-awaiting', { status: 'awaiting-token' }),
      membership('fake-back', { missingPolls: 1 }),
      membership('fake-steady'),
    ];
    const listed = [
      'fake-new',
      'fake-pending',
      'fake-pending-missed',
      'fake-awaiting',
      'fake-back',
      'fake-steady',
    ].map(entry);
    const plan = planPoll(account(), memberships, listed, pollCtx);
    const idsOf = (entries: ListedEntry[]) => entries.map((e) => e.token);
    expect(idsOf(plan.added)).toEqual(['fake-new']);
    expect(idsOf(plan.pending)).toEqual(['fake-pending', 'fake-pending-missed']);
    expect(plan.restore.map((r) => [r.entry.token, r.returned, r.awaitingToken])).toEqual([
      ['fake-pending-missed', true, false],
      ['fake-awaiting', false, true],
      ['fake-back', true, false],
    ]);
    expect(plan.missCounts).toEqual([]);
  });
});

describe('decideMissing: leave, remove or nothing', () => {
  const own = (missingPolls: number) => membership(TOKEN, { missingPolls });
  const other = (missingPolls: number) => membership(TOKEN, { accountId: OTHER, missingPolls });

  it('leaves while another account count is below 2 (it still lists it, or missed it once)', () => {
    for (const n of [0, 1]) {
      expect(decideMissing(provisioned(), [own(2), other(n)], ACC, missingCtx)).toEqual({ kind: 'leave' });
    }
  });

  it('removes when every membership is at 2, deciding from exactly those members', () => {
    const d = decideMissing(provisioned(), [other(2), own(2)], ACC, missingCtx);
    expect(d).toMatchObject({ kind: 'remove', members: [OTHER, ACC] });
    expect(types(eventsOf(d))).toEqual([CONNECTION_REMOVED]);
  });

  it('does nothing when this account has not confirmed it missing (re-listed, or never listed it)', () => {
    expect(decideMissing(provisioned(), [own(1)], ACC, missingCtx)).toEqual({ kind: 'none' });
    expect(decideMissing(provisioned(), [own(0), other(2)], ACC, missingCtx)).toEqual({ kind: 'none' });
    expect(decideMissing(provisioned(), [other(2)], ACC, missingCtx)).toEqual({ kind: 'none' });
    expect(decideMissing(undefined, [own(2)], ACC, missingCtx)).toEqual({ kind: 'none' });
  });

  it('removes a never-provisioned connection quietly (provisioning failed, or still pending)', () => {
    for (const c of [discovered(), discovered({ version: 3 })]) {
      expect(decideMissing(c, [own(2)], ACC, missingCtx)).toEqual({
        kind: 'remove',
        members: [ACC],
        events: [],
      });
    }
  });

  it('a removed connection listed again and confirmed missing again is removed quietly: Removed was announced already', () => {
    expect(decideMissing(removedProvisionedBefore(), [own(2)], ACC, missingCtx)).toEqual({
      kind: 'remove',
      members: [ACC],
      events: [],
    });
  });
});

// ---------------------------------------------------------------- Holds

describe('holds: a mass disappearance', () => {
  const five = tokens(5);
  const listedAll = five.map(entry);
  const known = () => five.map((t) => membership(t));
  const heldAccount = (released = false) => account({ hold: { since: AT, missing: 3, known: 5, released } });

  it('places a hold when a successful answer newly lacks more than half of at least 3 known, with one Account Anomaly', () => {
    const listed = [...listedAll.slice(3), entry('fake-brand-new')];
    const plan = planPoll(account(), known(), listed, pollCtx);
    expect(plan.hold).toMatchObject({
      kind: 'place',
      hold: { since: AT, missing: 3, known: 5, released: false },
    });
    expect(plan.hold.kind === 'place' && types(plan.hold.events)).toEqual([ACCOUNT_ANOMALY]);
    expect(plan.hold.kind === 'place' && plan.hold.events[0]?.detail).toMatchObject({
      missing: 3,
      known: 5,
      action: 'removals-held',
    });
    // new connections are still provisioned; no miss is counted, nothing removed
    expect(plan.added.map((e) => e.token)).toEqual(['fake-brand-new']);
    expect(plan.missCounts).toEqual([]);
    expect(plan.confirmedMissing).toEqual([]);
  });

  it('is no hold at exactly the share, nor with fewer than 3 known', () => {
    const four = tokens(4).map((t) => membership(t));
    const half = planPoll(account(), four, tokens(4).slice(2).map(entry), pollCtx);
    expect(half.hold).toEqual({ kind: 'none' });
    expect(half.missCounts.map((m) => m.missingPolls)).toEqual([1, 1]);
    const two = tokens(2).map((t) => membership(t));
    const small = planPoll(account(), two, [], pollCtx);
    expect(small.hold).toEqual({ kind: 'none' });
    expect(small.missCounts.map((m) => m.missingPolls)).toEqual([1, 1]);
  });

  it('counts only newly missing connections: ones missed before do not make it massive', () => {
    const memberships = five.map((t, i) => membership(t, { missingPolls: i < 2 ? 1 : 0 }));
    const plan = planPoll(account(), memberships, listedAll.slice(3), pollCtx);
    expect(plan.hold).toEqual({ kind: 'none' });
    expect(plan.confirmedMissing).toHaveLength(2);
  });

  it('follows the configured share', () => {
    const plan = planPoll(account(), known(), listedAll.slice(2), {
      ...pollCtx,
      massDisappearanceShare: 0.6,
    });
    expect(plan.hold).toEqual({ kind: 'none' });
  });

  it('keeps the hold while the listing stays massive, without another Account Anomaly', () => {
    const plan = planPoll(heldAccount(), known(), listedAll.slice(3), pollCtx);
    expect(plan.hold).toEqual({ kind: 'keep' });
    expect(plan.missCounts).toEqual([]);
    expect(plan.confirmedMissing).toEqual([]);
  });

  it('lifts the hold by itself when a poll is no longer massive; misses count from that poll', () => {
    const plan = planPoll(heldAccount(), known(), listedAll.slice(1), pollCtx);
    expect(plan.hold).toEqual({ kind: 'lift', why: 'recovered' });
    expect(plan.missCounts).toEqual([
      { connectionId: connectionIdFromToken(five[0] as string), missingPolls: 1 },
    ]);
  });

  it('lifts a released hold even while massive; misses count from that poll', () => {
    const plan = planPoll(heldAccount(true), known(), listedAll.slice(3), pollCtx);
    expect(plan.hold).toEqual({ kind: 'lift', why: 'released' });
    expect(plan.missCounts.map((m) => m.missingPolls)).toEqual([1, 1, 1]);
  });
});

// ---------------------------------------------------------------- Account

describe('account access: ok <-> failing, once per transition', () => {
  const failing = (patch: Partial<Account> = {}) =>
    account({
      access: { status: 'failing', code: 8, reason: 'not an employee', since: '2026-05-02T00:00:00.000Z' },
      accessVersion: 1,
      ...patch,
    });
  const refused = { kind: 'refused', code: 8, message: 'Invalid email.' } as const;
  const listed = { kind: 'listed' } as const;

  it('ok -> failing when getProperties is refused with a permanent code: Account Access Failed', () => {
    const d = decideAccess(account(), refused, ctx);
    expect(d).toMatchObject({
      kind: 'change',
      access: { status: 'failing', code: 8, reason: 'Invalid email.', since: AT },
      expectedVersion: 0,
    });
    expect(d.kind === 'change' && types(d.events)).toEqual([ACCOUNT_ACCESS_FAILED]);
    expect(d.kind === 'change' && d.events[0]?.detail).toMatchObject({
      error: { code: 8, message: 'Invalid email.' },
    });
  });

  it('failing and refused again: nothing (announced once)', () => {
    expect(decideAccess(failing(), refused, ctx)).toEqual({ kind: 'none' });
    expect(decideAccess(failing(), { ...refused, code: 9 }, ctx)).toEqual({ kind: 'none' });
  });

  it('failing -> ok when getProperties answers: Account Access Restored', () => {
    const d = decideAccess(failing(), listed, ctx);
    expect(d).toMatchObject({ kind: 'change', access: { status: 'ok' }, expectedVersion: 1 });
    expect(d.kind === 'change' && d.events[0]).toMatchObject({
      detailType: ACCOUNT_ACCESS_RESTORED,
      detail: { failingSince: '2026-05-02T00:00:00.000Z' },
    });
  });

  it('ok and answering: nothing', () => {
    expect(decideAccess(account(), listed, ctx)).toEqual({ kind: 'none' });
  });

  it('access and hold are apart: a held account fails and is restored as any other', () => {
    const hold = { since: AT, missing: 3, known: 5, released: false };
    expect(decideAccess(account({ hold }), refused, ctx).kind).toBe('change');
    expect(decideAccess(failing({ hold }), listed, ctx).kind).toBe('change');
  });

  it('access event ids are keyed by the registration and the accessVersion', () => {
    const id = (a: Account, answer: typeof refused | typeof listed, at = AT) => {
      const d = decideAccess(a, answer, { ...ctx, at });
      return d.kind === 'change' ? d.events[0]?.eventId : undefined;
    };
    // replay: the same id
    expect(id(account(), refused, LATER)).toBe(id(account(), refused));
    // the next failure (after a restore) has its own
    expect(id(account({ accessVersion: 2 }), refused)).not.toBe(id(account(), refused));
    // registered again: the version restarts, the id does not repeat
    expect(id(account({ registration: 'registration-2' }), refused)).not.toBe(id(account(), refused));
    expect(id(failing({ registration: 'registration-2' }), listed)).not.toBe(id(failing(), listed));
  });
});
