import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sameJson } from './host.ts';

describe('sameJson (the row difference’s equality)', () => {
  it('agrees with comparing canonical JSON on any JSON-like values', () => {
    const canonical = (v: unknown): string =>
      JSON.stringify(v, (_k, value: unknown) =>
        value && typeof value === 'object' && !Array.isArray(value)
          ? Object.fromEntries(Object.entries(value).sort(([p], [q]) => p.localeCompare(q)))
          : value,
      );
    const value = fc.jsonValue({ maxDepth: 3 });
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(sameJson(a, b)).toBe(canonical(a) === canonical(b));
        expect(sameJson(a, structuredClone(a))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('treats a property holding undefined as absent and ignores key order', () => {
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameJson({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(sameJson([1, { x: [2] }], [1, { x: [3] }])).toBe(false);
    expect(sameJson([], {})).toBe(false);
  });
});
