import { beforeAll, describe, expect, it } from 'vitest';
import { planarArea, translate, type AreaGeometry } from './geometry.ts';
import { createGeometryEngine, type GeometryEngine, type OverlayOp } from './geos-engine.ts';
import { polyclipOverlay } from './polyclip-fallback.ts';

let engine: GeometryEngine;
beforeAll(async () => {
  engine = await createGeometryEngine();
});

const E = 38500000;
const N = 3000000;
const poly = (...pts: [number, number][]): AreaGeometry => ({ type: 'Polygon', coordinates: [[...pts, pts[0]!]] });

describe('polyclip-ts fallback', () => {
  // an L-shaped parcel with a hole, and a triangle across it
  const a = {
    type: 'Polygon' as const,
    coordinates: [
      [
        [E, N],
        [E + 100, N],
        [E + 100, N + 40],
        [E + 40, N + 40],
        [E + 40, N + 100],
        [E, N + 100],
        [E, N],
      ] as [number, number][],
      [
        [E + 10, N + 10],
        [E + 10, N + 20],
        [E + 20, N + 20],
        [E + 20, N + 10],
        [E + 10, N + 10],
      ] as [number, number][],
    ],
  };
  const b = poly([E + 5, N + 5], [E + 120, N + 30], [E + 30, N + 120]);

  it.each(['intersection', 'union', 'difference', 'symDifference'] as OverlayOp[])('agrees with GEOS on %s', (op) => {
    const [ox, oy] = [E, N];
    const local = polyclipOverlay(op, translate(a, ox, oy), translate(b, ox, oy));
    expect(planarArea(local)).toBeCloseTo(engine.overlayArea(op, a, b), 6);
  });
});
