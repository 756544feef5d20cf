import { difference, intersection, union, xor, type Geom } from 'polyclip-ts';
import { polygonsOf, type MultiPolygonGeometry, type Ring } from './geometry.ts';
import type { OverlayOp } from './geos-engine.ts';

/**
 * The second opinion when GEOS gives up on a pair (after its own snapping fallbacks and a
 * make-valid retry): polyclip-ts, a Martinez–Rueda sweep with exact-ish predicates. About
 * 60× slower than GEOS on land-use data, so only ever used for the pair that failed.
 * Inputs are expected at the local origin already.
 */
export function polyclipOverlay(op: OverlayOp, a: MultiPolygonGeometry, b: MultiPolygonGeometry): MultiPolygonGeometry {
  const ga: Geom = polygonsOf(a);
  const gb: Geom = polygonsOf(b);
  const run = { intersection, union, difference, symDifference: xor }[op];
  const coordinates: Ring[][] = run(ga, gb);
  return { type: 'MultiPolygon', coordinates };
}
