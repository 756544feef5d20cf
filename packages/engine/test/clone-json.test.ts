import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cloneJson } from '../src/state.ts';

describe('cloneJson (the step’s copy of the instance state)', () => {
  it('copies any JSON value deeply: equal to structuredClone’s copy, sharing no object with the original', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const copy = cloneJson(value);
        expect(copy).toStrictEqual(structuredClone(value));
        const objects = (v: unknown, into: Set<object>): Set<object> => {
          if (v !== null && typeof v === 'object') {
            into.add(v);
            for (const x of Object.values(v)) objects(x, into);
          }
          return into;
        };
        const mine = objects(value, new Set());
        for (const o of objects(copy, new Set())) expect(mine.has(o)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps undefined members and a variable named __proto__ as an own key, not a prototype', () => {
    const state = JSON.parse('{"variables":{"__proto__":{"polluted":true},"a":1}}') as { variables: object };
    const withUndefined = { ...state, error: undefined };
    const copy = cloneJson(withUndefined);
    expect(Object.getPrototypeOf(copy.variables)).toBe(Object.prototype);
    expect(Object.keys(copy.variables)).toEqual(['__proto__', 'a']);
    expect((copy.variables as Record<string, unknown>)['__proto__']).toEqual({ polluted: true });
    expect('error' in copy).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
