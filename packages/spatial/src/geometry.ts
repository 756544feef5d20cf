/**
 * Plain planar geometry: GeoJSON-shaped polygon types and the few exact-enough formulas we
 * need without GEOS (ring area, orientation, containment). Coordinates are [x, y] in the
 * GeoJSON order — for Gauss–Krüger that is [easting, northing], i.e. [Y, X] of a Chinese
 * survey file.
 */
export type Position = [number, number];
export type Ring = Position[];

export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: Ring[];
}

export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: Ring[][];
}

export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;

export interface Envelope {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** The polygons of a polygonal geometry; an empty list for an empty geometry. */
export function polygonsOf(g: AreaGeometry | null | undefined): Ring[][] {
  if (!g) return [];
  if (g.type === 'Polygon') return g.coordinates.length > 0 ? [g.coordinates] : [];
  return g.coordinates.filter((p) => p.length > 0);
}

export function isEmptyGeometry(g: AreaGeometry | null | undefined): boolean {
  return polygonsOf(g).every((p) => (p[0]?.length ?? 0) === 0);
}

export function toMultiPolygon(g: AreaGeometry | null | undefined): MultiPolygonGeometry {
  return { type: 'MultiPolygon', coordinates: polygonsOf(g) };
}

export function envelopeOf(g: AreaGeometry | null | undefined): Envelope | undefined {
  let e: Envelope | undefined;
  for (const poly of polygonsOf(g)) {
    for (const ring of poly) {
      for (const [x, y] of ring) {
        if (!e) e = { minX: x, minY: y, maxX: x, maxY: y };
        else {
          if (x < e.minX) e.minX = x;
          if (y < e.minY) e.minY = y;
          if (x > e.maxX) e.maxX = x;
          if (y > e.maxY) e.maxY = y;
        }
      }
    }
  }
  return e;
}

/**
 * Twice the signed area of a ring (positive = counter-clockwise), computed relative to the
 * ring's first vertex so that 8-digit Gauss–Krüger coordinates do not lose the centimetres
 * to cancellation. The ring may or may not repeat its first point at the end.
 */
export function ringSignedArea2(ring: readonly Position[]): number {
  const first = ring[0];
  if (!first || ring.length < 3) return 0;
  const [ox, oy] = first;
  let sum = 0;
  for (let i = 1; i + 1 < ring.length; i++) {
    const a = ring[i] as Position;
    const b = ring[i + 1] as Position;
    sum += (a[0] - ox) * (b[1] - oy) - (b[0] - ox) * (a[1] - oy);
  }
  return sum;
}

export function ringArea(ring: readonly Position[]): number {
  return Math.abs(ringSignedArea2(ring)) / 2;
}

/** Area of a polygon: outer ring minus holes (absolute, orientation does not matter). */
export function polygonArea(poly: readonly (readonly Position[])[]): number {
  let area = 0;
  poly.forEach((ring, i) => {
    area += i === 0 ? ringArea(ring) : -ringArea(ring);
  });
  return area;
}

export function planarArea(g: AreaGeometry | null | undefined): number {
  return polygonsOf(g).reduce((s, p) => s + polygonArea(p), 0);
}

export function isClosed(ring: readonly Position[]): boolean {
  const a = ring[0];
  const b = ring[ring.length - 1];
  return !!a && !!b && ring.length > 1 && a[0] === b[0] && a[1] === b[1];
}

export function closeRing(ring: readonly Position[]): Ring {
  const out = ring.map((p): Position => [p[0], p[1]]);
  const first = out[0];
  if (first && !isClosed(out)) out.push([first[0], first[1]]);
  return out;
}

/** Orient a closed ring: counter-clockwise for shells, clockwise for holes (RFC 7946 §3.1.6). */
export function orientRing(ring: readonly Position[], ccw: boolean): Ring {
  const out = closeRing(ring);
  return ringSignedArea2(out) > 0 === ccw ? out : out.reverse();
}

export type PointInRing = 'inside' | 'outside' | 'boundary';

/** Crossing-number test; points on an edge (within `eps`) count as `boundary`. */
export function locatePointInRing(p: Position, ring: readonly Position[], eps = 1e-9): PointInRing {
  let inside = false;
  const n = ring.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const a = ring[i] as Position;
    const b = ring[j] as Position;
    if (onSegment(p, a, b, eps)) return 'boundary';
    if (a[1] > p[1] !== b[1] > p[1]) {
      const x = a[0] + ((p[1] - a[1]) * (b[0] - a[0])) / (b[1] - a[1]);
      if (p[0] < x) inside = !inside;
    }
  }
  return inside ? 'inside' : 'outside';
}

function onSegment(p: Position, a: Position, b: Position, eps: number): boolean {
  const cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
  const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
  if (Math.abs(cross) > eps * Math.max(len, 1)) return false;
  return (
    p[0] >= Math.min(a[0], b[0]) - eps &&
    p[0] <= Math.max(a[0], b[0]) + eps &&
    p[1] >= Math.min(a[1], b[1]) - eps &&
    p[1] <= Math.max(a[1], b[1]) + eps
  );
}

/**
 * Whether ring `inner` lies inside ring `outer`: decided by the first vertex of `inner`
 * that is not on the boundary of `outer` (rings that merely touch share vertices). Falls
 * back to the midpoint of the first edge when every vertex is on the boundary.
 */
export function ringInsideRing(inner: readonly Position[], outer: readonly Position[]): boolean {
  for (const p of inner) {
    const where = locatePointInRing(p, outer, 1e-7);
    if (where !== 'boundary') return where === 'inside';
  }
  const a = inner[0];
  const b = inner[1];
  if (!a || !b) return false;
  return locatePointInRing([(a[0] + b[0]) / 2, (a[1] + b[1]) / 2], outer, 1e-7) === 'inside';
}

/** Translate every coordinate by (-ox, -oy); used to move clipping to a local origin. */
export function translate(g: AreaGeometry, ox: number, oy: number): MultiPolygonGeometry {
  return {
    type: 'MultiPolygon',
    coordinates: polygonsOf(g).map((poly) => poly.map((ring) => ring.map((p): Position => [p[0] - ox, p[1] - oy]))),
  };
}
