import type { MappingView } from './configuration-view.js';

/** What changed in one list of the mapping view, by code (or code pair for mappings). */
export interface ListDiff {
  added: string[];
  removed: string[];
  /** Items present before and after whose mapping-relevant fields differ. */
  changed: { code: string; fields: Record<string, { from: unknown; to: unknown }> }[];
  /** True when a list above was cut to MAX_DIFF_ENTRIES (the counts stay exact). */
  truncated: boolean;
  counts: { added: number; removed: number; changed: number };
}

export type ConfigurationDiff = Record<keyof MappingView, ListDiff>;

/** Keeps a change event far below EventBridge's 256 KB entry limit for any property size. */
export const MAX_DIFF_ENTRIES = 200;

const pairKey = (a: string, b: string) => `${a}/${b}`;

const keyed: { [K in keyof MappingView]: (item: MappingView[K][number]) => string } = {
  spaceCategories: (c) => c.code,
  ratePlans: (r) => r.code,
  inventoryMappings: (m) => pairKey(m.ratePlanCode, m.spaceTypeCode),
  products: (p) => p.code,
  productMappings: (m) => pairKey(m.ratePlanCode, m.productCode),
  ageCategories: (a) => a.code,
};

/** Structured diff of two mapping views; empty lists everywhere means "no mapping-relevant change". */
export function diffConfigurations(before: MappingView, after: MappingView): ConfigurationDiff {
  const diff = {} as ConfigurationDiff;
  for (const list of Object.keys(keyed) as (keyof MappingView)[]) {
    diff[list] = diffList(before[list], after[list], keyed[list] as (item: unknown) => string);
  }
  return diff;
}

function diffList(
  before: readonly unknown[],
  after: readonly unknown[],
  key: (item: unknown) => string,
): ListDiff {
  const old = new Map(before.map((item) => [key(item), item as Record<string, unknown>]));
  const now = new Map(after.map((item) => [key(item), item as Record<string, unknown>]));
  const added = [...now.keys()].filter((k) => !old.has(k));
  const removed = [...old.keys()].filter((k) => !now.has(k));
  const changed: ListDiff['changed'] = [];
  for (const [code, item] of now) {
    const previous = old.get(code);
    if (!previous) continue;
    const fields: ListDiff['changed'][number]['fields'] = {};
    for (const field of Object.keys(item)) {
      if (JSON.stringify(item[field]) !== JSON.stringify(previous[field])) {
        fields[field] = { from: previous[field], to: item[field] };
      }
    }
    if (Object.keys(fields).length > 0) changed.push({ code, fields });
  }
  const cut = <T>(items: T[]) => items.slice(0, MAX_DIFF_ENTRIES);
  return {
    added: cut(added),
    removed: cut(removed),
    changed: cut(changed),
    truncated: [added, removed, changed].some((l) => l.length > MAX_DIFF_ENTRIES),
    counts: { added: added.length, removed: removed.length, changed: changed.length },
  };
}

export function isEmptyDiff(diff: ConfigurationDiff): boolean {
  return Object.values(diff).every((d) => d.counts.added + d.counts.removed + d.counts.changed === 0);
}
