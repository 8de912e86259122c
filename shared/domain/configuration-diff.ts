import type { MappingView } from './configuration-view.js';
import { jsonBytes } from './events/entry-size.js';

/** What changed in one list of the mapping view, by code (or code pair for mappings). */
interface ListDiff {
  added: string[];
  removed: string[];
  /** Items present before and after whose mapping-relevant fields differ. */
  changed: { code: string; fields: Record<string, { from: unknown; to: unknown }> }[];
  /**
   * True when entries of a list above were left out to keep the event within its byte budget
   * (see fitDiff); each list then holds the first entries, in order. The counts stay exact.
   */
  truncated: boolean;
  counts: { added: number; removed: number; changed: number };
}

export type ConfigurationDiff = Record<keyof MappingView, ListDiff>;

const pairKey = (a: string, b: string) => `${a}/${b}`;

const keyed: { [K in keyof MappingView]: (item: MappingView[K][number]) => string } = {
  spaceCategories: (c) => c.code,
  ratePlans: (r) => r.code,
  inventoryMappings: (m) => pairKey(m.ratePlanCode, m.spaceTypeCode),
  products: (p) => p.code,
  productMappings: (m) => pairKey(m.ratePlanCode, m.productCode),
  ageCategories: (a) => a.code,
};

/**
 * Structured diff of two mapping views, complete (nothing truncated; see fitDiff for an event);
 * empty lists everywhere means "no mapping-relevant change".
 */
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
  return {
    added,
    removed,
    changed,
    truncated: false,
    counts: { added: added.length, removed: removed.length, changed: changed.length },
  };
}

const KINDS = ['added', 'removed', 'changed'] as const;

/**
 * The diff cut to what fits in `budgetBytes` of JSON on top of `diffSkeleton(diff)` (the caller
 * measures that fixed part; `false` is the longer boolean, so the total never exceeds it). Entries are taken in turns, one from each list and kind
 * (spaceCategories.added, .removed, .changed, ratePlans.added, ...), so every list that changed
 * shows its first entries; a list stops at its first entry that no longer fits. `counts` stay the
 * totals; `truncated` says which lists lost entries.
 */
export function fitDiff(
  diff: ConfigurationDiff,
  budgetBytes: number,
): { diff: ConfigurationDiff; truncated: boolean } {
  const lists = Object.keys(diff) as (keyof MappingView)[];
  const fitted = {} as ConfigurationDiff;
  const streams: { items: readonly unknown[]; into: unknown[]; next: number; open: boolean }[] = [];
  for (const list of lists) {
    const source = diff[list];
    const into = { added: [] as string[], removed: [] as string[], changed: [] as ListDiff['changed'] };
    fitted[list] = { ...into, truncated: source.truncated, counts: { ...source.counts } };
    for (const kind of KINDS) {
      const items = source[kind] as readonly unknown[];
      streams.push({ items, into: fitted[list][kind] as unknown[], next: 0, open: items.length > 0 });
    }
  }

  let remaining = budgetBytes;
  let open = streams.filter((s) => s.open);
  while (open.length > 0) {
    for (const stream of open) {
      // A comma before every entry but a list's first.
      const cost = jsonBytes(stream.items[stream.next]) + (stream.into.length > 0 ? 1 : 0);
      if (cost > remaining) {
        stream.open = false;
        continue;
      }
      stream.into.push(stream.items[stream.next]);
      remaining -= cost;
      stream.next++;
      if (stream.next === stream.items.length) stream.open = false;
    }
    open = open.filter((s) => s.open);
  }

  let truncated = false;
  lists.forEach((list, i) => {
    const cut = KINDS.some((_, k) => {
      const stream = streams[i * KINDS.length + k];
      return stream !== undefined && stream.next < stream.items.length;
    });
    if (cut) fitted[list].truncated = true;
    truncated ||= fitted[list].truncated;
  });
  return { diff: fitted, truncated };
}

/** The diff with every list emptied: the fixed part of fitDiff's output, at its largest. */
export function diffSkeleton(diff: ConfigurationDiff): ConfigurationDiff {
  const skeleton = {} as ConfigurationDiff;
  for (const list of Object.keys(diff) as (keyof MappingView)[]) {
    skeleton[list] = {
      added: [],
      removed: [],
      changed: [],
      truncated: false,
      counts: { ...diff[list].counts },
    };
  }
  return skeleton;
}

export function isEmptyDiff(diff: ConfigurationDiff): boolean {
  return Object.values(diff).every((d) => d.counts.added + d.counts.removed + d.counts.changed === 0);
}
