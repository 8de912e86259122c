/**
 * Turns a Mews getConfiguration answer into a mapping plan: which rate plan x space category pairs
 * a channel manager can map, which mappings cannot be resolved, and what Mews synchronizes but
 * nothing maps. Pure (no AWS, no I/O, no clock): the same configuration always gives the same plan,
 * whatever the order Mews lists things in.
 *
 * Quirks it copes with, all seen in Mews' own documentation samples or in real properties:
 * - `inventoryMappings` may name codes that are not in `spaceCategories` or `ratePlans` (the sample
 *   maps `KD`, `QD` and `ROM`, none of them listed): those mappings are `unresolved`, not errors;
 * - a mapping may name an unsynchronized category or rate: it is a pair, with `synchronized: false`;
 * - the same mapping listed twice is one pair; a code listed twice keeps its first entry; both are
 *   reported under `duplicates`;
 * - names may be null or padded; `isSynchronized` may be null or missing (treated as false: nothing
 *   is sold on a guess).
 */

/** The slice of a getConfiguration answer the plan reads; `Configuration` of the Mews client fits it. */
export interface MappingSource {
  readonly spaceCategories: readonly {
    readonly code: string;
    readonly name?: string | null | undefined;
    readonly isSynchronized?: boolean | null | undefined;
  }[];
  readonly ratePlans: readonly {
    readonly code: string;
    readonly name?: string | null | undefined;
    readonly currencyCode?: string | null | undefined;
    readonly isSynchronized?: boolean | null | undefined;
  }[];
  readonly inventoryMappings: readonly { readonly ratePlanCode: string; readonly spaceTypeCode: string }[];
}

export interface PlannedRatePlan {
  code: string;
  name: string | null;
  currencyCode: string | null;
  isSynchronized: boolean;
}

export interface PlannedSpaceCategory {
  code: string;
  name: string | null;
  isSynchronized: boolean;
}

/** An inventory mapping whose rate plan and space category both exist. */
export interface MappingPair {
  /** `ratePlanCode/spaceCategoryCode`, the notation of the events' `inventoryMappings` diff. */
  key: string;
  ratePlan: PlannedRatePlan;
  spaceCategory: PlannedSpaceCategory;
  /** Both sides synchronized: Mews sends availability and prices for this pair. */
  synchronized: boolean;
}

/** An inventory mapping naming a rate plan or space category the configuration does not list. */
export interface UnresolvedMapping {
  key: string;
  ratePlanCode: string;
  spaceCategoryCode: string;
  missing: ('ratePlan' | 'spaceCategory')[];
}

export interface MappingPlan {
  /** Sorted by rate plan code, then space category code. */
  pairs: MappingPair[];
  /** Sorted like `pairs`. */
  unresolved: UnresolvedMapping[];
  /** Synchronized, but in no pair (a mapping naming them with an unknown partner does not count). */
  unmapped: {
    spaceCategories: PlannedSpaceCategory[];
    ratePlans: PlannedRatePlan[];
  };
  /** Listed more than once: mapping keys, and category / rate codes (the first entry is used). */
  duplicates: {
    inventoryMappings: string[];
    spaceCategories: string[];
    ratePlans: string[];
  };
  counts: {
    pairs: number;
    synchronizedPairs: number;
    unresolved: number;
    unmappedSpaceCategories: number;
    unmappedRatePlans: number;
    duplicateMappings: number;
  };
}

export function buildMappingPlan(source: MappingSource): MappingPlan {
  const categories = firstByCode(source.spaceCategories, (c) => ({
    code: c.code,
    name: cleanText(c.name),
    isSynchronized: c.isSynchronized === true,
  }));
  const rates = firstByCode(source.ratePlans, (r) => ({
    code: r.code,
    name: cleanText(r.name),
    currencyCode: cleanText(r.currencyCode),
    isSynchronized: r.isSynchronized === true,
  }));

  const pairs: MappingPair[] = [];
  const unresolved: UnresolvedMapping[] = [];
  const seen = new Set<string>();
  const duplicateMappings = new Set<string>();
  const mappedCategories = new Set<string>();
  const mappedRates = new Set<string>();

  for (const mapping of source.inventoryMappings) {
    const key = `${mapping.ratePlanCode}/${mapping.spaceTypeCode}`;
    if (seen.has(key)) {
      duplicateMappings.add(key);
      continue;
    }
    seen.add(key);

    const ratePlan = rates.byCode.get(mapping.ratePlanCode);
    const spaceCategory = categories.byCode.get(mapping.spaceTypeCode);
    if (ratePlan && spaceCategory) {
      pairs.push({
        key,
        ratePlan,
        spaceCategory,
        synchronized: ratePlan.isSynchronized && spaceCategory.isSynchronized,
      });
      mappedRates.add(ratePlan.code);
      mappedCategories.add(spaceCategory.code);
    } else {
      unresolved.push({
        key,
        ratePlanCode: mapping.ratePlanCode,
        spaceCategoryCode: mapping.spaceTypeCode,
        missing: [
          ...(ratePlan ? [] : ['ratePlan' as const]),
          ...(spaceCategory ? [] : ['spaceCategory' as const]),
        ],
      });
    }
  }

  const byPair = (
    a: { ratePlanCode: string; spaceCategoryCode: string },
    b: { ratePlanCode: string; spaceCategoryCode: string },
  ) => compare(a.ratePlanCode, b.ratePlanCode) || compare(a.spaceCategoryCode, b.spaceCategoryCode);
  pairs.sort((a, b) =>
    byPair(
      { ratePlanCode: a.ratePlan.code, spaceCategoryCode: a.spaceCategory.code },
      { ratePlanCode: b.ratePlan.code, spaceCategoryCode: b.spaceCategory.code },
    ),
  );
  unresolved.sort(byPair);

  const unmappedCategories = [...categories.byCode.values()]
    .filter((c) => c.isSynchronized && !mappedCategories.has(c.code))
    .sort((a, b) => compare(a.code, b.code));
  const unmappedRates = [...rates.byCode.values()]
    .filter((r) => r.isSynchronized && !mappedRates.has(r.code))
    .sort((a, b) => compare(a.code, b.code));

  return {
    pairs,
    unresolved,
    unmapped: { spaceCategories: unmappedCategories, ratePlans: unmappedRates },
    duplicates: {
      inventoryMappings: [...duplicateMappings].sort(compare),
      spaceCategories: categories.duplicates,
      ratePlans: rates.duplicates,
    },
    counts: {
      pairs: pairs.length,
      synchronizedPairs: pairs.filter((p) => p.synchronized).length,
      unresolved: unresolved.length,
      unmappedSpaceCategories: unmappedCategories.length,
      unmappedRatePlans: unmappedRates.length,
      duplicateMappings: duplicateMappings.size,
    },
  };
}

/** Items by code, the first entry of a code winning; the codes listed more than once, sorted. */
function firstByCode<I extends { code: string }, O>(
  items: readonly I[],
  toPlanned: (item: I) => O,
): { byCode: Map<string, O>; duplicates: string[] } {
  const byCode = new Map<string, O>();
  const duplicates = new Set<string>();
  for (const item of items) {
    if (byCode.has(item.code)) duplicates.add(item.code);
    else byCode.set(item.code, toPlanned(item));
  }
  return { byCode, duplicates: [...duplicates].sort(compare) };
}

function cleanText(value: string | null | undefined): string | null {
  const text = value?.trim();
  return text ? text : null;
}

/** Code-unit order: the same on every machine, whatever its locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
