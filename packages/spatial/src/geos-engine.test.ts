import { beforeAll, describe, expect, it } from 'vitest';
import { planarArea, type PolygonGeometry } from './geometry.ts';
import { createGeometryEngine, type GeometryEngine } from './geos-engine.ts';

let engine: GeometryEngine;
beforeAll(async () => {
  engine = await createGeometryEngine();
});

const E = 38512345.678;
const N = 3353189.181;
const rect = (x: number, y: number, w: number, h: number): PolygonGeometry => ({
  type: 'Polygon',
  coordinates: [
    [
      [E + x, N + y],
      [E + x + w, N + y],
      [E + x + w, N + y + h],
      [E + x, N + y + h],
      [E + x, N + y],
    ],
  ],
});

describe('GEOS engine at Gauss–Krüger magnitudes', () => {
  it('keeps a 1 mm overlap of two parcels 38 million metres from the origin', () => {
    const a = rect(0, 0, 100, 100);
    const b = rect(99.999, 0, 100, 100);
    expect(engine.overlayArea('intersection', a, b)).toBeCloseTo(0.1, 6);
    expect(engine.overlayArea('union', a, b)).toBeCloseTo(19999.9, 6);
    expect(planarArea(engine.difference(a, b))).toBeCloseTo(9999.9, 6);
    expect(planarArea(engine.symDifference(a, b))).toBeCloseTo(19999.8, 6);
  });

  it('returns results in the original coordinates', () => {
    const piece = engine.intersection(rect(0, 0, 10, 10), rect(5, 5, 10, 10));
    const xs = piece.coordinates.flat(2).map((p) => p[0]);
    expect(Math.min(...xs)).toBeCloseTo(E + 5, 6);
    expect(Math.max(...xs)).toBeCloseTo(E + 10, 6);
  });

  it('gives the same pieces from intersectEach as from one intersection at a time', () => {
    const clip = rect(0, 0, 100, 100);
    const others = [
      rect(10, 10, 20, 20),
      rect(90, 90, 20, 20),
      rect(500, 500, 1, 1),
      { type: 'Polygon' as const, coordinates: [] },
    ];
    const pieces = engine.intersectEach(clip, others);
    expect(pieces.map((p) => Math.round(p.area * 1e6) / 1e6)).toEqual([400, 100, 0, 0]);
    expect(pieces.map((p) => planarArea(p.geometry))).toEqual(
      others.map((o) => planarArea(engine.intersection(clip, o))),
    );
  });

  it('reads intersections that also touch along edges (polygon, then two lines): pieces intact, no garbage', () => {
    // the overlap is a 5 × 5 square; the other two parts touch the parcel along its edges,
    // which GEOS returns as two line strings after the polygon
    const parcel = rect(0, 0, 10, 10);
    const layer = {
      type: 'MultiPolygon' as const,
      coordinates: [rect(5, 0, 10, 5), rect(10, 6, 10, 2), rect(-5, 2, 5, 1)].map((r) => r.coordinates),
    };
    const piece = engine.intersection(parcel, layer);
    expect(piece.coordinates).toHaveLength(1);
    expect(planarArea(piece)).toBeCloseTo(25, 6);
    const [clipped] = engine.intersectEach(parcel, [layer]);
    expect(clipped!.area).toBeCloseTo(25, 6);
    expect(clipped!.geometry.coordinates).toHaveLength(1);
  });

  it('reports why a bow-tie is invalid and where', () => {
    const bowTie: PolygonGeometry = {
      type: 'Polygon',
      coordinates: [
        [
          [E, N],
          [E + 10, N + 10],
          [E + 10, N],
          [E, N + 10],
          [E, N],
        ],
      ],
    };
    const v = engine.validate(bowTie);
    expect(v.valid).toBe(false);
    expect(v.reason).toMatch(/Self-intersection/i);
    expect(v.location![0]).toBeCloseTo(E + 5, 6);
    expect(planarArea(engine.makeValid(bowTie))).toBeCloseTo(50, 6);
  });

  it('snaps to a grid when asked', () => {
    const a = rect(0, 0, 10.4, 10);
    expect(engine.overlayArea('union', a, rect(0, 0, 1, 1), { gridSize: 1 })).toBeCloseTo(100, 6);
  });
});
