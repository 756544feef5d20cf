import Flatbush from 'flatbush';
import {
  envelopeOf,
  locatePointInRing,
  planarArea,
  polygonsOf,
  toMultiPolygon,
  type AreaGeometry,
  type Envelope,
  type MultiPolygonGeometry,
  type Position,
} from './geometry.ts';
import { FeatureStore } from './feature-store.ts';
import type { GeometryEngine } from './geos-engine.ts';

/** One polygon feature of a reference layer (land use, farmland, red line, mining rights…). */
export interface LayerFeature {
  id: string;
  /** e.g. the GB/T 21010 land-class code (地类编码) for land use, a zone level for hazards */
  classCode: string;
  attrs: Record<string, unknown>;
  geometry: AreaGeometry;
}

/**
 * A reference layer held in a packed Hilbert R-tree (flatbush) with the geometry engine
 * that clips against it. Built once per layer version; read-only afterwards. Geometry is
 * kept in flat typed arrays (FeatureStore), and each feature's envelope and area in flat
 * arrays (40 bytes a feature) for the overlay's interior test.
 */
export class LayerIndex {
  private constructor(
    readonly engine: GeometryEngine,
    private readonly store: FeatureStore,
    private readonly tree: Flatbush | undefined,
    /** minX, minY, maxX, maxY per feature */
    readonly envelopes: Float64Array,
    readonly areas: Float64Array,
    /** median envelope side of the features (the step boundary queries are cut into) */
    readonly typicalSize: number,
  ) {}

  static build(engine: GeometryEngine, features: readonly LayerFeature[]): LayerIndex {
    const kept = features.filter((f) => envelopeOf(f.geometry) !== undefined);
    const envelopes = new Float64Array(kept.length * 4);
    const areas = new Float64Array(kept.length);
    if (kept.length === 0) return new LayerIndex(engine, FeatureStore.from([]), undefined, envelopes, areas, 1);
    const tree = new Flatbush(kept.length);
    const sides: number[] = [];
    kept.forEach((f, i) => {
      const e = envelopeOf(f.geometry) as Envelope;
      envelopes.set([e.minX, e.minY, e.maxX, e.maxY], i * 4);
      areas[i] = planarArea(f.geometry); // relative to each ring's first vertex: exact enough at 38 Mm
      if (i % 97 === 0) sides.push(Math.max(e.maxX - e.minX, e.maxY - e.minY));
      tree.add(e.minX, e.minY, e.maxX, e.maxY);
    });
    tree.finish();
    sides.sort((x, y) => x - y);
    return new LayerIndex(
      engine,
      FeatureStore.from(kept),
      tree,
      envelopes,
      areas,
      Math.max(sides[sides.length >> 1] ?? 1, 1e-9),
    );
  }

  get size(): number {
    return this.store.size;
  }

  /** Feature i with its geometry rebuilt as GeoJSON (a fresh copy each call). */
  feature(i: number): LayerFeature {
    return this.store.feature(i);
  }

  geometry(i: number): MultiPolygonGeometry {
    return this.store.geometry(i);
  }

  id(i: number): string {
    return this.store.id(i);
  }

  classCode(i: number): string {
    return this.store.classCode(i);
  }

  polygonCount(i: number): number {
    return this.store.polygonCount(i);
  }

  firstVertex(i: number): Position | undefined {
    return this.store.firstVertex(i);
  }

  /** Indices of the features whose envelope meets the box. */
  searchIndices(minX: number, minY: number, maxX: number, maxY: number): number[] {
    return this.tree ? this.tree.search(minX, minY, maxX, maxY) : [];
  }

  /** Features whose envelope meets `e`. */
  search(e: Envelope): LayerFeature[] {
    return this.searchIndices(e.minX, e.minY, e.maxX, e.maxY).map((i) => this.store.feature(i));
  }
}

export interface OverlayPiece {
  id: string;
  area: number;
  geometry: MultiPolygonGeometry;
}

export interface OverlayClass {
  classCode: string;
  area: number;
  features: OverlayPiece[];
}

export interface ParcelOverlay {
  /** sum over the pieces, in the square units of the layer (m² for Gauss–Krüger) */
  totalArea: number;
  /** largest class first */
  byClass: OverlayClass[];
}

export interface OverlayParcelOptions {
  /** pieces smaller than this are slivers from coincident boundaries; default 0.01 (m²) */
  minArea?: number;
}

/**
 * Splits the candidates of a parcel: features whose envelope meets a piece of the parcel's
 * boundary (edges cut into steps of a few typical feature sizes) go to GEOS; the rest lie
 * wholly inside or wholly outside, which one vertex decides (point in polygon, in JS). A long
 * road corridor's envelope holds hundreds of thousands of features; only those along its
 * boundary are clipped.
 */
function splitCandidates(index: LayerIndex, parcel: AreaGeometry, env: Envelope): { clip: number[]; inside: number[] } {
  const step = index.typicalSize * 4;
  const near = new Set<number>();
  const polygons = polygonsOf(parcel);
  // a coarse grid over the parcel's envelope: cells a boundary piece passes through, and the rest
  const nx = Math.max(1, Math.ceil((env.maxX - env.minX) / step));
  const ny = Math.max(1, Math.ceil((env.maxY - env.minY) / step));
  const coarse = new Uint8Array(nx * ny); // 0 unknown/outside, 1 boundary, 2 inside
  const col = (x: number) => Math.min(nx - 1, Math.max(0, Math.floor((x - env.minX) / step)));
  const row = (y: number) => Math.min(ny - 1, Math.max(0, Math.floor((y - env.minY) / step)));
  for (const poly of polygons) {
    for (const ring of poly) {
      for (let k = 0; k + 1 < ring.length; k++) {
        const [ax, ay] = ring[k] as Position;
        const [bx, by] = ring[k + 1] as Position;
        const pieces = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay) / step));
        for (let p = 0; p < pieces; p++) {
          const [x1, y1] = [ax + ((bx - ax) * p) / pieces, ay + ((by - ay) * p) / pieces];
          const [x2, y2] = [ax + ((bx - ax) * (p + 1)) / pieces, ay + ((by - ay) * (p + 1)) / pieces];
          const box = [Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2)] as const;
          for (const i of index.searchIndices(box[0], box[1], box[2], box[3])) near.add(i);
          for (let cy = row(box[1]); cy <= row(box[3]); cy++)
            for (let cx = col(box[0]); cx <= col(box[2]); cx++) coarse[cy * nx + cx] = 1;
        }
      }
    }
  }
  const inside: number[] = [];
  const seen = new Set<number>();
  for (let cy = 0; cy < ny; cy++) {
    for (let cx = 0; cx < nx; cx++) {
      const x0 = env.minX + cx * step;
      const y0 = env.minY + cy * step;
      if (coarse[cy * nx + cx] === 0 && locateInPolygons([x0 + step / 2, y0 + step / 2], polygons) === 'outside')
        continue;
      // boundary or inside cell: its features not along the boundary are wholly in or out
      for (const i of index.searchIndices(x0, y0, x0 + step, y0 + step)) {
        if (near.has(i) || seen.has(i)) continue;
        seen.add(i);
        const first = index.firstVertex(i);
        // multipart features may lie partly in and partly out: let GEOS decide
        if (index.polygonCount(i) !== 1 || !first) {
          near.add(i);
          continue;
        }
        const where = locateInPolygons(first, polygons);
        if (where === 'boundary') near.add(i);
        else if (where === 'inside') inside.push(i);
      }
    }
  }
  return { clip: [...near], inside };
}

function locateInPolygons(
  p: Position,
  polygons: readonly (readonly (readonly Position[])[])[],
): 'inside' | 'outside' | 'boundary' {
  let inside = false;
  for (const poly of polygons) {
    for (const ring of poly) {
      const where = locatePointInRing(p, ring);
      if (where === 'boundary') return 'boundary';
      if (where === 'inside') inside = !inside;
    }
  }
  return inside ? 'inside' : 'outside';
}

/**
 * Clips a parcel against every candidate feature of a layer (R-tree on envelopes; features
 * wholly inside are taken whole, those along the boundary clipped by GEOS at a local origin)
 * and totals the pieces by class.
 */
export function overlayParcel(index: LayerIndex, parcel: AreaGeometry, opts: OverlayParcelOptions = {}): ParcelOverlay {
  const env = envelopeOf(parcel);
  if (!env) return { totalArea: 0, byClass: [] };
  const minArea = opts.minArea ?? 0.01;
  const classes = new Map<string, OverlayClass>();
  const add = (f: { id: string; classCode: string }, area: number, geometry: MultiPolygonGeometry): void => {
    if (area < minArea) return;
    const c = classes.get(f.classCode) ?? { classCode: f.classCode, area: 0, features: [] };
    c.area += area;
    c.features.push({ id: f.id, area, geometry });
    classes.set(f.classCode, c);
  };
  const { clip, inside } = splitCandidates(index, parcel, env);
  const pieces = index.engine.intersectEach(
    parcel,
    clip.map((i) => index.geometry(i)),
  );
  // in layer order, so results do not depend on which path a feature took
  const found: Array<[number, number, MultiPolygonGeometry]> = [
    ...inside.map((i): [number, number, MultiPolygonGeometry] => [i, index.areas[i] ?? 0, index.geometry(i)]),
    ...clip.map((i, k): [number, number, MultiPolygonGeometry] => [
      i,
      pieces[k]?.area ?? 0,
      pieces[k]?.geometry ?? toMultiPolygon(null),
    ]),
  ].sort((x, y) => x[0] - y[0]);
  for (const [i, area, geometry] of found) add({ id: index.id(i), classCode: index.classCode(i) }, area, geometry);
  const byClass = [...classes.values()].sort((a, b) => b.area - a.area || (a.classCode < b.classCode ? -1 : 1));
  return { totalArea: byClass.reduce((s, c) => s + c.area, 0), byClass };
}
