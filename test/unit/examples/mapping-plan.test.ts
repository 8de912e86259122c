import { describe, expect, it } from 'vitest';
import { buildMappingPlan, type MappingSource } from '../../../examples/mapping-consumer/mapping-plan.js';
import { getConfigurationResponseSchema } from '../../../shared/mews/configuration.schema.js';

const category = (
  code: string,
  isSynchronized: boolean | null,
  name: string | null = `Category ${code}`,
) => ({
  code,
  name,
  isSynchronized,
});
const rate = (code: string, isSynchronized: boolean | null, currencyCode: string | null = 'EUR') => ({
  code,
  name: `Rate ${code}`,
  currencyCode,
  isSynchronized,
});
const map = (ratePlanCode: string, spaceTypeCode: string) => ({ ratePlanCode, spaceTypeCode });

describe('buildMappingPlan', () => {
  it('pairs every mapping whose rate plan and space category exist, with names, currency and flags', () => {
    // Prepare
    const source: MappingSource = {
      spaceCategories: [category('DBL', true, 'Double'), category('SGL', true, 'Single')],
      ratePlans: [rate('BAR', true, 'CHF')],
      inventoryMappings: [map('BAR', 'SGL'), map('BAR', 'DBL')],
    };

    // Act
    const plan = buildMappingPlan(source);

    // Assess
    expect(plan.pairs).toEqual([
      {
        key: 'BAR/DBL',
        ratePlan: { code: 'BAR', name: 'Rate BAR', currencyCode: 'CHF', isSynchronized: true },
        spaceCategory: { code: 'DBL', name: 'Double', isSynchronized: true },
        synchronized: true,
      },
      {
        key: 'BAR/SGL',
        ratePlan: { code: 'BAR', name: 'Rate BAR', currencyCode: 'CHF', isSynchronized: true },
        spaceCategory: { code: 'SGL', name: 'Single', isSynchronized: true },
        synchronized: true,
      },
    ]);
    expect(plan.unresolved).toEqual([]);
    expect(plan.unmapped).toEqual({ spaceCategories: [], ratePlans: [] });
    expect(plan.counts).toEqual({
      pairs: 2,
      synchronizedPairs: 2,
      unresolved: 0,
      unmappedSpaceCategories: 0,
      unmappedRatePlans: 0,
      duplicateMappings: 0,
    });
  });

  it("lists mappings naming unknown codes as unresolved, as in Mews' own sample (KD, QD, ROM)", () => {
    // Prepare: the documentation's sample maps categories that its configuration does not list.
    const source: MappingSource = {
      spaceCategories: [category('DBL', true)],
      ratePlans: [rate('BAR', true), rate('NR', true)],
      inventoryMappings: [
        map('BAR', 'KD'),
        map('BAR', 'DBL'),
        map('NR', 'QD'),
        map('OLD', 'ROM'),
        map('OLD', 'DBL'),
      ],
    };

    // Act
    const plan = buildMappingPlan(source);

    // Assess
    expect(plan.pairs.map((p) => p.key)).toEqual(['BAR/DBL']);
    expect(plan.unresolved).toEqual([
      { key: 'BAR/KD', ratePlanCode: 'BAR', spaceCategoryCode: 'KD', missing: ['spaceCategory'] },
      { key: 'NR/QD', ratePlanCode: 'NR', spaceCategoryCode: 'QD', missing: ['spaceCategory'] },
      { key: 'OLD/DBL', ratePlanCode: 'OLD', spaceCategoryCode: 'DBL', missing: ['ratePlan'] },
      {
        key: 'OLD/ROM',
        ratePlanCode: 'OLD',
        spaceCategoryCode: 'ROM',
        missing: ['ratePlan', 'spaceCategory'],
      },
    ]);
    // NR is named only by an unresolvable mapping: nothing sells it, so it is unmapped.
    expect(plan.unmapped.ratePlans.map((r) => r.code)).toEqual(['NR']);
    expect(plan.counts.unresolved).toBe(4);
  });

  it('keeps pairs with an unsynchronized side, flagged; lists only synchronized items as unmapped', () => {
    // Prepare
    const source: MappingSource = {
      spaceCategories: [
        category('DORM', true),
        category('FAM', false),
        category('SUITE', false),
        category('LOFT', true),
        category('ATTIC', null),
      ],
      ratePlans: [rate('FLEX', true), rate('GRP', false), rate('HOST', true), rate('CORP', false)],
      inventoryMappings: [map('FLEX', 'DORM'), map('GRP', 'FAM'), map('FLEX', 'FAM'), map('GRP', 'DORM')],
    };

    // Act
    const plan = buildMappingPlan(source);

    // Assess
    expect(
      plan.pairs.map((p) => [
        p.key,
        p.ratePlan.isSynchronized,
        p.spaceCategory.isSynchronized,
        p.synchronized,
      ]),
    ).toEqual([
      ['FLEX/DORM', true, true, true],
      ['FLEX/FAM', true, false, false],
      ['GRP/DORM', false, true, false],
      ['GRP/FAM', false, false, false],
    ]);
    // SUITE and CORP are unsynchronized (not for sale anyway); ATTIC's missing flag counts as not synchronized.
    expect(plan.unmapped).toEqual({
      spaceCategories: [{ code: 'LOFT', name: 'Category LOFT', isSynchronized: true }],
      ratePlans: [{ code: 'HOST', name: 'Rate HOST', currencyCode: 'EUR', isSynchronized: true }],
    });
    expect(plan.counts).toMatchObject({
      pairs: 4,
      synchronizedPairs: 1,
      unmappedSpaceCategories: 1,
      unmappedRatePlans: 1,
    });
  });

  it('collapses duplicate mappings and keeps the first entry of a duplicate code, reporting both', () => {
    // Prepare
    const source: MappingSource = {
      spaceCategories: [
        category('DBL', true, 'Double'),
        category('DBL', false, 'Double (old)'),
        category('SGL', true),
      ],
      ratePlans: [rate('BAR', true, 'EUR'), rate('BAR', true, 'USD')],
      inventoryMappings: [
        map('BAR', 'DBL'),
        map('BAR', 'SGL'),
        map('BAR', 'DBL'),
        map('BAR', 'DBL'),
        map('X', 'Y'),
        map('X', 'Y'),
      ],
    };

    // Act
    const plan = buildMappingPlan(source);

    // Assess
    expect(plan.pairs.map((p) => p.key)).toEqual(['BAR/DBL', 'BAR/SGL']);
    expect(plan.pairs[0]).toMatchObject({
      ratePlan: { currencyCode: 'EUR' },
      spaceCategory: { name: 'Double', isSynchronized: true },
      synchronized: true,
    });
    expect(plan.unresolved.map((u) => u.key)).toEqual(['X/Y']);
    expect(plan.duplicates).toEqual({
      inventoryMappings: ['BAR/DBL', 'X/Y'],
      spaceCategories: ['DBL'],
      ratePlans: ['BAR'],
    });
    expect(plan.counts.duplicateMappings).toBe(2);
  });

  it('is the same plan whatever order Mews lists things in', () => {
    // Prepare
    const source: MappingSource = {
      spaceCategories: [category('B', true), category('A', true), category('C', true), category('D', true)],
      ratePlans: [rate('R2', true), rate('R1', true), rate('R3', true)],
      inventoryMappings: [map('R2', 'A'), map('R1', 'B'), map('R1', 'A'), map('R9', 'A'), map('R1', 'Z')],
    };
    const reversed: MappingSource = {
      spaceCategories: [...source.spaceCategories].reverse(),
      ratePlans: [...source.ratePlans].reverse(),
      inventoryMappings: [...source.inventoryMappings].reverse(),
    };

    // Act
    const plan = buildMappingPlan(source);

    // Assess
    expect(buildMappingPlan(reversed)).toEqual(plan);
    expect(plan.pairs.map((p) => p.key)).toEqual(['R1/A', 'R1/B', 'R2/A']);
    expect(plan.unresolved.map((u) => u.key)).toEqual(['R1/Z', 'R9/A']);
    expect(plan.unmapped.spaceCategories.map((c) => c.code)).toEqual(['C', 'D']);
    expect(plan.unmapped.ratePlans.map((r) => r.code)).toEqual(['R3']);
  });

  it('turns null or padded names and currencies into clean values', () => {
    // Act
    const plan = buildMappingPlan({
      spaceCategories: [category('DBL', true, null)],
      ratePlans: [{ code: 'BAR', name: '  Best available  ', currencyCode: '   ', isSynchronized: true }],
      inventoryMappings: [map('BAR', 'DBL')],
    });

    // Assess
    expect(plan.pairs[0]).toMatchObject({
      ratePlan: { name: 'Best available', currencyCode: null },
      spaceCategory: { name: null },
    });
  });

  it('gives an empty plan for an empty configuration', () => {
    // Act
    const plan = buildMappingPlan({ spaceCategories: [], ratePlans: [], inventoryMappings: [] });

    // Assess
    expect(plan).toEqual({
      pairs: [],
      unresolved: [],
      unmapped: { spaceCategories: [], ratePlans: [] },
      duplicates: { inventoryMappings: [], spaceCategories: [], ratePlans: [] },
      counts: {
        pairs: 0,
        synchronizedPairs: 0,
        unresolved: 0,
        unmappedSpaceCategories: 0,
        unmappedRatePlans: 0,
        duplicateMappings: 0,
      },
    });
  });

  it("accepts the Mews client's parsed configuration as it is (missing lists, extra fields)", () => {
    // Prepare: what the ChannelManagerClient returns for a sparse answer.
    const configuration = getConfigurationResponseSchema.parse({
      success: true,
      property: { name: 'Sample Hotel' },
      spaceCategories: [{ code: 'KD', name: 'King deluxe', isSynchronized: true, virtualTourUrl: null }],
      ratePlans: [
        { code: 'BAR', name: 'Best available', currencyCode: 'EUR', isSynchronized: true, rateType: 1 },
      ],
      inventoryMappings: [{ ratePlanCode: 'BAR', spaceTypeCode: 'KD' }],
    });

    // Act
    const plan = buildMappingPlan(configuration);

    // Assess
    expect(plan.pairs.map((p) => p.key)).toEqual(['BAR/KD']);
    expect(plan.counts.synchronizedPairs).toBe(1);
  });
});
