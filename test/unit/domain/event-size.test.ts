import { describe, expect, it } from 'vitest';
import {
  type ConfigurationDiff,
  diffConfigurations,
  diffSkeleton,
  fitDiff,
} from '../../../shared/domain/configuration-diff.js';
import type { MappingView } from '../../../shared/domain/configuration-view.js';
import { accountAccessFailed } from '../../../shared/domain/events/account-access.event.js';
import { accountAnomaly } from '../../../shared/domain/events/account-anomaly.event.js';
import {
  type ConnectionConfigurationChanged,
  connectionConfigurationChanged,
} from '../../../shared/domain/events/connection-configuration-changed.event.js';
import { connectionProvisioned } from '../../../shared/domain/events/connection-provisioned.event.js';
import { connectionProvisioningFailed } from '../../../shared/domain/events/connection-provisioning-failed.event.js';
import {
  CONNECTION_DEACTIVATED,
  connectionStatusEvent,
} from '../../../shared/domain/events/connection-status.event.js';
import {
  DETAIL_BUDGET_BYTES,
  EVENTBRIDGE_ENTRY_LIMIT_BYTES,
  jsonBytes,
  outboxEventEntrySize,
} from '../../../shared/domain/events/entry-size.js';
import { capText, MAX_TEXT_LENGTH } from '../../../shared/domain/events/event-parts.js';
import { integrationProvisioned } from '../../../shared/domain/events/integration-provisioned.event.js';
import {
  INTEGRATION_DELETED,
  integrationStatusEvent,
} from '../../../shared/domain/events/integration-status.event.js';
import { parseEventDetail } from '../../../shared/domain/events/registry.js';
import type { Account, ConfigurationState, Integration, OutboxEvent } from '../../../shared/domain/model.js';
import { WORST_CASE_CONNECTION, worstCaseViews } from '../../support/worst-case-property.js';

const AT = '2026-11-27T10:00:00.000Z';
/** Built once: 62,502 inventory mappings before and after. */
const WORST = worstCaseViews();
/** A source far longer than any deployment's (EventBridge allows 256 characters). */
const LONG_SOURCE = `com.example.${'s'.repeat(244)}`;

const configuration: ConfigurationState = {
  digest: `sha256:${'b'.repeat(64)}`,
  summary: {
    spaceCategories: 250,
    synchronizedSpaceCategories: 214,
    ratePlans: 250,
    synchronizedRatePlans: 208,
    inventoryMappings: 62_502,
    products: 250,
    ageCategories: 250,
    companies: 0,
    travelAgencies: 0,
  },
  fetchedAt: AT,
};

function changeEvent(diff: ConfigurationDiff, connection = WORST_CASE_CONNECTION): OutboxEvent {
  return connectionConfigurationChanged({
    connection,
    previousDigest: `sha256:${'a'.repeat(64)}`,
    configuration,
    diff,
    environment: 'production',
    at: AT,
  });
}

const LISTS = [
  'spaceCategories',
  'ratePlans',
  'inventoryMappings',
  'products',
  'productMappings',
  'ageCategories',
] as const;
const KINDS = ['added', 'removed', 'changed'] as const;

describe('Connection Configuration Changed of the largest property, everything changed', () => {
  const { before, after } = WORST;
  const full = diffConfigurations(before, after);
  const event = changeEvent(full);
  const detail = event.detail as ConnectionConfigurationChanged;

  it('would be far over 256 KB with the whole diff', () => {
    expect(jsonBytes(full)).toBeGreaterThan(4 * EVENTBRIDGE_ENTRY_LIMIT_BYTES);
  });

  it('fits one EventBridge entry, whatever the source, with the detail within its budget', () => {
    expect(jsonBytes(event.detail)).toBeLessThanOrEqual(DETAIL_BUDGET_BYTES);
    expect(outboxEventEntrySize(event, LONG_SOURCE)).toBeLessThan(EVENTBRIDGE_ENTRY_LIMIT_BYTES);
    // The budget is used, not wasted: less than one entry's worth is left.
    expect(jsonBytes(event.detail)).toBeGreaterThan(DETAIL_BUDGET_BYTES - 1_000);
  });

  it('says it is truncated, on the event and on every list, with exact counts', () => {
    expect(detail.truncated).toBe(true);
    for (const list of LISTS) expect(detail.diff[list].truncated, list).toBe(true);
    expect(detail.diff.spaceCategories.counts).toEqual({ added: 0, removed: 0, changed: 250 });
    expect(detail.diff.ratePlans.counts).toEqual({ added: 0, removed: 0, changed: 250 });
    expect(detail.diff.products.counts).toEqual({ added: 0, removed: 0, changed: 250 });
    expect(detail.diff.ageCategories.counts).toEqual({ added: 0, removed: 0, changed: 250 });
    expect(detail.diff.inventoryMappings.counts).toEqual({ added: 62_502, removed: 62_502, changed: 0 });
    expect(detail.diff.productMappings.counts).toEqual({ added: 250, removed: 250, changed: 0 });
  });

  it('shows the first entries of every list that changed, in order', () => {
    for (const list of LISTS) {
      for (const kind of KINDS) {
        const shown = detail.diff[list][kind];
        expect(shown, `${list}.${kind}`).toEqual(full[list][kind].slice(0, shown.length));
        if (full[list][kind].length > 0) expect(shown.length, `${list}.${kind}`).toBeGreaterThan(50);
      }
    }
    expect(detail.diff.ratePlans.changed[0]?.fields.name?.to).toContain('nouveau tarif');
  });

  it('validates against the event schema', () => {
    expect(() => parseEventDetail(event.detailType, event.detail)).not.toThrow();
  });
});

describe('Connection Configuration Changed of a small change', () => {
  it('carries every entry and says truncated: false', () => {
    const { before } = WORST;
    const small: MappingView = {
      ...before,
      spaceCategories: before.spaceCategories.map((c, i) => (i === 3 ? { ...c, name: 'Renamed' } : c)),
      inventoryMappings: [...before.inventoryMappings, { ratePlanCode: 'R001', spaceTypeCode: 'NEW' }],
      ageCategories: before.ageCategories.slice(1),
    };
    const diff = diffConfigurations(before, small);
    const detail = changeEvent(diff).detail as ConnectionConfigurationChanged;

    expect(detail.truncated).toBe(false);
    expect(detail.diff).toEqual(diff);
    expect(detail.diff.spaceCategories).toEqual({
      added: [],
      removed: [],
      changed: [{ code: 'C004', fields: { name: { from: before.spaceCategories[3]?.name, to: 'Renamed' } } }],
      truncated: false,
      counts: { added: 0, removed: 0, changed: 1 },
    });
    expect(detail.diff.inventoryMappings).toMatchObject({ added: ['R001/NEW'], truncated: false });
    expect(detail.diff.ageCategories).toMatchObject({ removed: ['10'], truncated: false });
    for (const list of LISTS) expect(detail.diff[list].truncated).toBe(false);
  });
});

describe('fitDiff', () => {
  const { before, after } = WORST;
  const full = diffConfigurations(before, after);

  it('never exceeds its budget on top of the skeleton, for any budget', () => {
    for (const budget of [0, 1, 13, 500, 4_096, 65_537, 150_000]) {
      const { diff } = fitDiff(full, budget);
      expect(jsonBytes(diff) - jsonBytes(diffSkeleton(full)), `budget ${budget}`).toBeLessThanOrEqual(budget);
    }
  });

  it('with no budget keeps the counts and drops every entry', () => {
    const { diff, truncated } = fitDiff(full, 0);
    expect(truncated).toBe(true);
    for (const list of LISTS) {
      expect(diff[list]).toMatchObject({ added: [], removed: [], changed: [], truncated: true });
      expect(diff[list].counts).toEqual(full[list].counts);
    }
  });

  it('leaves out an entry too big for any event (a name of a megabyte) and keeps the other lists whole', () => {
    const huge = 'ü'.repeat(500_000);
    const withHugeName: MappingView = {
      ...before,
      products: before.products.map((p, i) => (i === 0 ? { ...p, name: huge } : p)),
    };
    const diff = diffConfigurations(before, withHugeName);
    const detail = changeEvent(diff).detail as ConnectionConfigurationChanged;
    expect(jsonBytes(detail)).toBeLessThanOrEqual(DETAIL_BUDGET_BYTES);
    expect(detail.truncated).toBe(true);
    expect(detail.diff.products).toMatchObject({ changed: [], truncated: true, counts: { changed: 1 } });
  });
});

/** Every event built from text of 300,000 `filler`s wherever Mews or an operator gives text. */
function eventsWith(filler: string): [string, OutboxEvent][] {
  const long = filler.repeat(300_000);
  const account: Account = {
    id: 'acc_0123456789abcdef',
    email: `${'x'.repeat(5_000)}@${'y'.repeat(5_000)}.${'z'.repeat(5_000)}`,
    label: long,
    createdAt: AT,
    registration: 'registration-1',
    access: { status: 'ok' },
    accessVersion: 1,
    hold: null,
  };
  const connection = {
    ...WORST_CASE_CONNECTION,
    name: long,
    propertyName: long,
    propertyId: long,
  };
  const integration: Integration = {
    id: 'int_0123456789abcdef01234567',
    mewsId: long,
    name: long,
    enterprise: { id: long, name: long },
    service: { id: long, name: long },
    enabled: true,
    canceled: false,
    deletedAt: null,
    version: 2,
    createdUtc: long,
    recordedAt: AT,
    changedAt: null,
    secretRef: 'mews-provisioner/prod/connections/int_0123456789abcdef01234567',
    enterpriseConfiguration: {
      id: long,
      name: long,
      chainId: long,
      timeZoneIdentifier: long,
      defaultLanguageCode: long,
      legalEnvironmentCode: long,
      pricing: long,
      countryCode: long,
      currencies: Array.from({ length: 10_000 }, (_, i) => ({
        currency: `C${i}${long.slice(0, 2_000)}`,
        isDefault: i === 0,
        isEnabled: true,
      })),
    },
  };
  const environment = 'production' as const;
  const events: [string, OutboxEvent][] = [
    [
      'Connection Provisioned',
      connectionProvisioned({
        connection,
        accountId: account.id,
        secretRef: connection.secretRef ?? '',
        configuration,
        environment,
        at: AT,
      }),
    ],
    [
      'Connection Provisioning Failed',
      connectionProvisioningFailed({
        connection,
        accountId: account.id,
        code: 9,
        message: long,
        environment,
        at: AT,
      }),
    ],
    [
      'Connection Deactivated',
      connectionStatusEvent({ type: CONNECTION_DEACTIVATED, code: 3, connection, environment, at: AT }),
    ],
    [
      'Connection Configuration Changed',
      changeEvent(diffConfigurations(WORST.before, WORST.after), connection),
    ],
    [
      'Account Access Failed',
      accountAccessFailed({ account, version: 2, code: 8, message: long, environment, at: AT }),
    ],
    ['Account Anomaly', accountAnomaly({ account, missing: 3, known: 4, environment, at: AT })],
    [
      'Integration Provisioned',
      integrationProvisioned({
        integration,
        requestor: { name: long, email: account.email },
        environment,
        at: AT,
      }),
    ],
    [
      'Integration Deleted',
      integrationStatusEvent({
        type: INTEGRATION_DELETED,
        integration,
        environment,
        at: AT,
        deleted: { deletedUtc: long, secretRecoveryDays: 7 },
      }),
    ],
  ];
  return events;
}

describe('the other events stay small whatever Mews sends', () => {
  // 2 bytes each in UTF-8; 6 bytes each in JSON (\u0001): the costliest text there is.
  const cases = ['ł', '\u0001'].flatMap((filler) =>
    eventsWith(filler).map(([type, event]) => [type, JSON.stringify(filler), event] as const),
  );

  it.each(cases)('%s (text of %s): the detail stays within its budget', (_, filler, event) => {
    expect(jsonBytes(event.detail)).toBeLessThanOrEqual(DETAIL_BUDGET_BYTES);
    expect(outboxEventEntrySize(event, LONG_SOURCE)).toBeLessThan(EVENTBRIDGE_ENTRY_LIMIT_BYTES);
    expect(JSON.stringify(event.detail)).not.toContain(JSON.parse(filler).repeat(MAX_TEXT_LENGTH));
    expect(() => parseEventDetail(event.detailType, event.detail)).not.toThrow();
  });

  it('capText keeps short text as it is and cuts long text to MAX_TEXT_LENGTH, ending in …', () => {
    expect(capText('Harbour Hostel')).toBe('Harbour Hostel');
    expect(capText(null)).toBeNull();
    const exact = 'a'.repeat(MAX_TEXT_LENGTH);
    expect(capText(exact)).toBe(exact);
    const cut = capText(`${exact}b`);
    expect(cut).toHaveLength(MAX_TEXT_LENGTH);
    expect(cut.endsWith('a…')).toBe(true);
    // A surrogate pair is never split: 999 "a"... then an emoji straddling the cut.
    const emoji = capText(`${'a'.repeat(MAX_TEXT_LENGTH - 2)}😀😀`);
    expect(emoji).toBe(`${'a'.repeat(MAX_TEXT_LENGTH - 2)}…`);
  });
});
