import Flatbush from 'flatbush';
import { envelopeOf, type AreaGeometry, type Envelope, type MultiPolygonGeometry } from './geometry.ts';
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
 * that clips against it. Built once per layer version; read-only afterwards.
 */
export class LayerIndex {
  private constructor(
    readonly engine: GeometryEngine,
    private readonly features: LayerFeature[],
    private readonly tree: Flatbush | undefined,
  ) {}

  static build(engine: GeometryEngine, features: readonly LayerFeature[]): LayerIndex {
    const kept = features.filter((f) => envelopeOf(f.geometry) !== undefined);
    if (kept.length === 0) return new LayerIndex(engine, [], undefined);
    const tree = new Flatbush(kept.length);
    for (const f of kept) {
      const e = envelopeOf(f.geometry) as Envelope;
      tree.add(e.minX, e.minY, e.maxX, e.maxY);
    }
    tree.finish();
    return new LayerIndex(engine, kept, tree);
  }

  get size(): number {
    return this.features.length;
  }

  /** Features whose envelope meets `e`. */
  search(e: Envelope): LayerFeature[] {
    if (!this.tree) return [];
    return this.tree.search(e.minX, e.minY, e.maxX, e.maxY).map((i) => this.features[i] as LayerFeature);
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
 * Clips a parcel against every candidate feature of a layer (R-tree on envelopes, then
 * GEOS intersection at a local origin) and totals the pieces by class.
 */
export function overlayParcel(index: LayerIndex, parcel: AreaGeometry, opts: OverlayParcelOptions = {}): ParcelOverlay {
  const env = envelopeOf(parcel);
  if (!env) return { totalArea: 0, byClass: [] };
  const minArea = opts.minArea ?? 0.01;
  const classes = new Map<string, OverlayClass>();
  const candidates = index.search(env);
  const pieces = index.engine.intersectEach(
    parcel,
    candidates.map((f) => f.geometry),
  );
  candidates.forEach((f, i) => {
    const { area, geometry } = pieces[i] ?? { area: 0, geometry: { type: 'MultiPolygon', coordinates: [] } };
    if (area < minArea) return;
    const c = classes.get(f.classCode) ?? { classCode: f.classCode, area: 0, features: [] };
    c.area += area;
    c.features.push({ id: f.id, area, geometry });
    classes.set(f.classCode, c);
  });
  const byClass = [...classes.values()].sort((a, b) => b.area - a.area);
  return { totalArea: byClass.reduce((s, c) => s + c.area, 0), byClass };
}
