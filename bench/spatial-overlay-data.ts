/**
 * Deterministic synthetic data for bench/spatial-overlay.bench.ts: a land-use layer of
 * N × N quadrilaterals that tiles a square exactly (interior grid vertices are jittered,
 * shared vertices are the same doubles, so the cells' areas add up to the square's area) and
 * parcels: irregular polygons and long road corridors. Coordinates are CGCS2000 3° zone 38
 * with the zone prefix (EPSG:4526), i.e. eastings of 38 4xx xxx m.
 */
import type { LayerFeature, MultiPolygonGeometry, Position } from '@guotu/spatial';

export const EPSG = 4526;
export const X0 = 38_400_000;
export const Y0 = 2_580_000;
export const CELL = 20; // m: 1000 × 1000 cells → 20 km × 20 km
export const JITTER = 4; // m, interior vertices only (keeps every cell convex)

/** mulberry32: a small seeded PRNG, so every run builds the same data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// GB/T 21010 codes in rough proportion for a plain in south China
const CLASSES = [
  '0101',
  '0101',
  '0101',
  '0102',
  '0103',
  '0201',
  '0301',
  '0301',
  '0305',
  '0404',
  '0601',
  '0702',
  '0702',
  '1003',
  '1101',
  '1104',
];

export interface Grid {
  n: number;
  /** (n+1)² vertices, x then y, row-major from the south-west corner */
  xy: Float64Array;
}

export function buildGrid(n: number): Grid {
  const rand = prng(20261121);
  const xy = new Float64Array((n + 1) * (n + 1) * 2);
  for (let j = 0; j <= n; j++) {
    for (let i = 0; i <= n; i++) {
      const interior = i > 0 && i < n && j > 0 && j < n;
      // jitter in whole centimetres, as surveyed coordinates are written
      const dx = interior ? Math.round((rand() * 2 - 1) * JITTER * 100) / 100 : 0;
      const dy = interior ? Math.round((rand() * 2 - 1) * JITTER * 100) / 100 : 0;
      const k = (j * (n + 1) + i) * 2;
      xy[k] = X0 + i * CELL + dx;
      xy[k + 1] = Y0 + j * CELL + dy;
    }
  }
  return { n, xy };
}

export const classOf = (i: number, j: number): string =>
  CLASSES[((Math.imul(i + 7919, 2654435761) ^ Math.imul(j + 104729, 40503)) >>> 0) & 15] ?? '0101';

/** The ring of cell (i, j), counter-clockwise and closed. */
export function cellRing(g: Grid, i: number, j: number): Position[] {
  const v = (a: number, b: number): Position => {
    const k = (b * (g.n + 1) + a) * 2;
    return [g.xy[k]!, g.xy[k + 1]!];
  };
  const first = v(i, j);
  return [first, v(i + 1, j), v(i + 1, j + 1), v(i, j + 1), first];
}

export function layerFeatures(g: Grid): LayerFeature[] {
  const out: LayerFeature[] = new Array<LayerFeature>(g.n * g.n);
  for (let j = 0; j < g.n; j++) {
    for (let i = 0; i < g.n; i++) {
      out[j * g.n + i] = {
        id: String(j * g.n + i),
        classCode: classOf(i, j),
        attrs: {},
        geometry: { type: 'Polygon', coordinates: [cellRing(g, i, j)] },
      };
    }
  }
  return out;
}

/** Shoelace area of a closed ring relative to its first point (exact enough at 38 Mm). */
export function ringArea(r: readonly Position[]): number {
  const [x0, y0] = r[0]!;
  let s = 0;
  for (let k = 0; k + 1 < r.length; k++)
    s += (r[k]![0] - x0) * (r[k + 1]![1] - y0) - (r[k + 1]![0] - x0) * (r[k]![1] - y0);
  return s / 2;
}

export interface Parcel {
  kind: 'parcel' | 'corridor';
  geometry: MultiPolygonGeometry;
}

const EXTENT = () => CELL * 1000;

/** An irregular star-shaped polygon (8–24 corners, radius 40–400 m) inside the layer. */
function blob(rand: () => number, extent: number): Position[] {
  const r0 = 40 + rand() * 360;
  const cx = X0 + r0 + 10 + rand() * (extent - 2 * r0 - 20);
  const cy = Y0 + r0 + 10 + rand() * (extent - 2 * r0 - 20);
  const k = 8 + Math.floor(rand() * 17);
  const ring: Position[] = [];
  for (let a = 0; a < k; a++) {
    const t = (a / k) * 2 * Math.PI;
    const r = r0 * (0.55 + 0.45 * rand());
    ring.push([Math.round((cx + r * Math.cos(t)) * 100) / 100, Math.round((cy + r * Math.sin(t)) * 100) / 100]);
  }
  ring.push(ring[0]!);
  return ring;
}

/** A road corridor: a gently bending centre line 3–12 km long, 30 m wide (mitred offsets). */
function corridor(rand: () => number, extent: number): Position[] {
  const half = 15;
  const segments = 6 + Math.floor(rand() * 10);
  const len = (3000 + rand() * 9000) / segments;
  let heading = rand() * 2 * Math.PI;
  const line: Position[] = [[X0 + 2000 + rand() * (extent - 4000), Y0 + 2000 + rand() * (extent - 4000)]];
  for (let s = 0; s < segments; s++) {
    heading += (rand() - 0.5) * 0.5; // ≤ ±14° per bend
    const [px, py] = line[line.length - 1]!;
    let nx = px + len * Math.cos(heading);
    let ny = py + len * Math.sin(heading);
    if (nx < X0 + 100 || nx > X0 + extent - 100 || ny < Y0 + 100 || ny > Y0 + extent - 100) {
      heading += Math.PI / 2; // turn away from the edge
      nx = Math.min(Math.max(px + len * Math.cos(heading), X0 + 100), X0 + extent - 100);
      ny = Math.min(Math.max(py + len * Math.sin(heading), Y0 + 100), Y0 + extent - 100);
    }
    line.push([nx, ny]);
  }
  const left: Position[] = [];
  const right: Position[] = [];
  line.forEach((p, idx) => {
    const a = line[Math.max(idx - 1, 0)]!;
    const b = line[Math.min(idx + 1, line.length - 1)]!;
    const len2 = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
    const [nx, ny] = [-(b[1] - a[1]) / len2, (b[0] - a[0]) / len2];
    const r2 = (v: number) => Math.round(v * 100) / 100;
    left.push([r2(p[0] + nx * half), r2(p[1] + ny * half)]);
    right.push([r2(p[0] - nx * half), r2(p[1] - ny * half)]);
  });
  const ring = [...left, ...right.reverse()];
  ring.push(ring[0]!);
  return ring;
}

/** `count` parcels, every `corridorEvery`-th a road corridor; rings counter-clockwise. */
export function buildParcels(count: number, corridorEvery: number): Parcel[] {
  const rand = prng(5_46);
  const out: Parcel[] = [];
  for (let p = 0; p < count; p++) {
    const isCorridor = p % corridorEvery === 0;
    let ring = isCorridor ? corridor(rand, EXTENT()) : blob(rand, EXTENT());
    if (ringArea(ring) < 0) ring = ring.reverse();
    out.push({ kind: isCorridor ? 'corridor' : 'parcel', geometry: { type: 'MultiPolygon', coordinates: [[ring]] } });
  }
  return out;
}

export const toWkt = (g: MultiPolygonGeometry): string =>
  `MULTIPOLYGON(${g.coordinates.map((poly) => `(${poly.map((r) => `(${r.map((p) => `${p[0]} ${p[1]}`).join(',')})`).join(',')})`).join(',')})`;
