import { beforeAll, describe, expect, it } from 'vitest';
import type { PolygonGeometry } from './geometry.ts';
import { createGeometryEngine, type GeometryEngine } from './geos-engine.ts';
import { LayerIndex, overlayParcel, type LayerFeature } from './layer-index.ts';

let engine: GeometryEngine;
beforeAll(async () => {
  engine = await createGeometryEngine();
});

const E0 = 38500000;
const N0 = 3000000;
const rect = (x: number, y: number, w: number, h: number): PolygonGeometry => ({
  type: 'Polygon',
  coordinates: [
    [
      [E0 + x, N0 + y],
      [E0 + x + w, N0 + y],
      [E0 + x + w, N0 + y + h],
      [E0 + x, N0 + y + h],
      [E0 + x, N0 + y],
    ],
  ],
});
const feature = (id: string, classCode: string, geometry: PolygonGeometry): LayerFeature => ({
  id,
  classCode,
  attrs: {},
  geometry,
});

//  y=200 +------+------+
//        | c    | d    |       parcel: the square (50,50)–(150,150),
//  y=100 +------+------+       a quarter in each of a, b, c, d
//        | a    | b    |
//  y=0   +------+------+   e far away at x=10 000
//        x=0   100    200
const layer = (): LayerFeature[] => [
  feature('a', '0101', rect(0, 0, 100, 100)),
  feature('b', '0101', rect(100, 0, 100, 100)),
  feature('c', '0301', rect(0, 100, 100, 100)),
  feature('d', '0702', rect(100, 100, 100, 100)),
  feature('e', '0101', rect(10000, 0, 100, 100)),
];

describe('LayerIndex and overlayParcel', () => {
  it('finds candidates by envelope only', () => {
    const index = LayerIndex.build(engine, layer());
    expect(index.size).toBe(5);
    expect(
      index
        .search({ minX: E0 + 50, minY: N0 + 50, maxX: E0 + 150, maxY: N0 + 150 })
        .map((f) => f.id)
        .sort(),
    ).toEqual(['a', 'b', 'c', 'd']);
  });

  it('splits a parcel by land class with areas that add up to the parcel', () => {
    const result = overlayParcel(LayerIndex.build(engine, layer()), rect(50, 50, 100, 100));
    expect(result.totalArea).toBeCloseTo(10000, 6);
    expect(
      result.byClass.map((c) => [c.classCode, Math.round(c.area * 1000) / 1000, c.features.map((f) => f.id)]),
    ).toEqual([
      ['0101', 5000, ['a', 'b']],
      ['0301', 2500, ['c']],
      ['0702', 2500, ['d']],
    ]);
    expect(result.byClass[0]!.features[0]!.geometry.coordinates).toHaveLength(1);
  });

  it('ignores features that only share a boundary with the parcel', () => {
    const result = overlayParcel(LayerIndex.build(engine, layer()), rect(200, 0, 50, 50));
    expect(result).toEqual({ totalArea: 0, byClass: [] });
  });

  it('handles an empty layer and an empty parcel', () => {
    expect(overlayParcel(LayerIndex.build(engine, []), rect(0, 0, 1, 1)).totalArea).toBe(0);
    expect(overlayParcel(LayerIndex.build(engine, layer()), { type: 'Polygon', coordinates: [] }).totalArea).toBe(0);
  });

  it('takes interior features whole and clips only along the boundary: same answer as clipping every candidate', () => {
    // 40 × 40 cells of 10 m with a hole-free L-shaped parcel and a thin diagonal corridor
    const cells: LayerFeature[] = [];
    for (let j = 0; j < 40; j++)
      for (let i = 0; i < 40; i++)
        cells.push({
          id: `${i},${j}`,
          classCode: (i + j) % 3 === 0 ? '0101' : '0301',
          attrs: {},
          geometry: rect(i * 10, j * 10, 10, 10),
        });
    const index = LayerIndex.build(engine, cells);
    const parcels: PolygonGeometry[] = [
      {
        type: 'Polygon',
        coordinates: [
          [
            [E0 + 15, N0 + 15],
            [E0 + 305, N0 + 15],
            [E0 + 305, N0 + 95],
            [E0 + 95, N0 + 95],
            [E0 + 95, N0 + 305],
            [E0 + 15, N0 + 305],
            [E0 + 15, N0 + 15],
          ],
        ],
      },
      {
        type: 'Polygon',
        coordinates: [
          [
            [E0 + 5, N0 + 1],
            [E0 + 399, N0 + 391],
            [E0 + 395, N0 + 398],
            [E0 + 1, N0 + 8],
            [E0 + 5, N0 + 1],
          ],
        ],
      },
    ];
    for (const parcel of parcels) {
      const fast = overlayParcel(index, parcel, { minArea: 0 });
      const all = engine.intersectEach(
        parcel,
        cells.map((c) => c.geometry),
      );
      const brute = all.reduce((s, p) => s + p.area, 0);
      expect(fast.totalArea).toBeCloseTo(brute, 6);
      expect(fast.totalArea).toBeCloseTo(engine.area(parcel), 6);
      for (const cls of ['0101', '0301']) {
        const want = all.filter((_, k) => cells[k]!.classCode === cls).reduce((s, p) => s + p.area, 0);
        expect(fast.byClass.find((c) => c.classCode === cls)?.area ?? 0).toBeCloseTo(want, 6);
      }
    }
  });
});
