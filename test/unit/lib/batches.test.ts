import { describe, expect, it } from 'vitest';
import { OversizedItemError, packBatches } from '../../../shared/lib/batches.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('packBatches', () => {
  it('cuts by count alone, in order, the last batch holding the rest', () => {
    expect(packBatches(range(25), { maxCount: 10 })).toEqual([
      range(10),
      range(20).slice(10),
      [20, 21, 22, 23, 24],
    ]);
    expect(packBatches(range(20), { maxCount: 10 })).toEqual([range(10), range(20).slice(10)]);
    expect(packBatches(range(3), { maxCount: 25 })).toEqual([[0, 1, 2]]);
  });

  it('returns no batch for no items', () => {
    expect(packBatches([], { maxCount: 10 })).toEqual([]);
    expect(packBatches([], { maxCount: 10, maxBytes: 5, sizeOf: () => 1 })).toEqual([]);
  });

  it('closes a batch when the next item would exceed maxBytes (inclusive limit)', () => {
    const sizes = [40, 60, 1, 50, 50, 100, 99, 2];
    const batches = packBatches(sizes, { maxCount: 10, maxBytes: 100, sizeOf: (n) => n });
    // 40+60 = 100 fits exactly; 1+50 then 50 would make 101; 100 alone; 99 then 2 would make 101.
    expect(batches).toEqual([[40, 60], [1, 50], [50], [100], [99], [2]]);
    for (const batch of batches) expect(batch.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(100);
    expect(batches.flat()).toEqual(sizes);
  });

  it('applies whichever limit comes first', () => {
    const batches = packBatches(
      Array.from({ length: 12 }, () => 1),
      { maxCount: 5, maxBytes: 3, sizeOf: (n) => n },
    );
    expect(batches.map((b) => b.length)).toEqual([3, 3, 3, 3]);
    expect(
      packBatches(
        Array.from({ length: 12 }, () => 1),
        { maxCount: 5, maxBytes: 100, sizeOf: (n) => n },
      ).map((b) => b.length),
    ).toEqual([5, 5, 2]);
  });

  it('measures each item once, by default as the UTF-8 bytes of its JSON', () => {
    let calls = 0;
    packBatches(range(7), {
      maxCount: 2,
      maxBytes: 10,
      sizeOf: () => {
        calls++;
        return 1;
      },
    });
    expect(calls).toBe(7);
    // "é" is 2 bytes in UTF-8: '"é"' is 4.
    expect(packBatches(['é', 'é', 'é'], { maxCount: 10, maxBytes: 8 })).toEqual([['é', 'é'], ['é']]);
  });

  it('throws for an item no batch can hold, naming it, rather than sending it alone', () => {
    const pack = () => packBatches([1, 500, 2], { maxCount: 10, maxBytes: 100, sizeOf: (n) => n });
    expect(pack).toThrow(OversizedItemError);
    expect(pack).toThrow('item 1 is 500 bytes; a batch holds at most 100 bytes');
  });

  it('refuses limits that make no sense', () => {
    expect(() => packBatches([1], { maxCount: 0 })).toThrow(/maxCount must be a positive integer/);
    expect(() => packBatches([1], { maxCount: 1.5 })).toThrow(/maxCount must be a positive integer/);
    expect(() => packBatches([1], { maxCount: 1, maxBytes: 0 })).toThrow(/maxBytes must be positive/);
  });
});
