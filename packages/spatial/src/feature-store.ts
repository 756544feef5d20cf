import { polygonsOf, type MultiPolygonGeometry, type Position } from './geometry.ts';
import type { LayerFeature } from './layer-index.ts';

const EMPTY: Record<string, unknown> = Object.freeze({});

/**
 * Layer features in flat typed arrays instead of GeoJSON arrays: 16 bytes a vertex plus a few
 * offsets, against about 60 bytes a vertex as nested JS arrays. GeoJSON is rebuilt on demand
 * for the features a query actually clips or returns.
 */
export class FeatureStore {
  private constructor(
    private readonly ids: string[],
    private readonly classes: string[],
    private readonly attrs: Record<string, unknown>[],
    /** x, y per vertex */
    private readonly coords: Float64Array,
    /** first vertex of each ring, plus the end */
    private readonly ringStart: Uint32Array,
    /** first ring of each polygon, plus the end */
    private readonly polyStart: Uint32Array,
    /** first polygon of each feature, plus the end */
    private readonly featStart: Uint32Array,
  ) {}

  static from(features: readonly LayerFeature[]): FeatureStore {
    let vertices = 0;
    let rings = 0;
    let polys = 0;
    for (const f of features) {
      for (const poly of polygonsOf(f.geometry)) {
        polys += 1;
        rings += poly.length;
        for (const ring of poly) vertices += ring.length;
      }
    }
    const coords = new Float64Array(vertices * 2);
    const ringStart = new Uint32Array(rings + 1);
    const polyStart = new Uint32Array(polys + 1);
    const featStart = new Uint32Array(features.length + 1);
    let v = 0;
    let r = 0;
    let p = 0;
    features.forEach((f, i) => {
      featStart[i] = p;
      for (const poly of polygonsOf(f.geometry)) {
        polyStart[p++] = r;
        for (const ring of poly) {
          ringStart[r++] = v;
          for (const [x, y] of ring) {
            coords[2 * v] = x;
            coords[2 * v + 1] = y;
            v += 1;
          }
        }
      }
    });
    featStart[features.length] = p;
    polyStart[polys] = r;
    ringStart[rings] = v;
    return new FeatureStore(
      features.map((f) => f.id),
      features.map((f) => f.classCode),
      features.map((f) => (Object.keys(f.attrs).length === 0 ? EMPTY : f.attrs)),
      coords,
      ringStart,
      polyStart,
      featStart,
    );
  }

  get size(): number {
    return this.ids.length;
  }

  id(i: number): string {
    return this.ids[i] ?? '';
  }

  classCode(i: number): string {
    return this.classes[i] ?? '';
  }

  polygonCount(i: number): number {
    return (this.featStart[i + 1] ?? 0) - (this.featStart[i] ?? 0);
  }

  /** The first vertex of the feature's first ring, or undefined for an empty feature. */
  firstVertex(i: number): Position | undefined {
    if (this.polygonCount(i) === 0) return undefined;
    const v = this.ringStart[this.polyStart[this.featStart[i] ?? 0] ?? 0] ?? 0;
    return [this.coords[2 * v] ?? NaN, this.coords[2 * v + 1] ?? NaN];
  }

  geometry(i: number): MultiPolygonGeometry {
    const coordinates: Position[][][] = [];
    for (let p = this.featStart[i] ?? 0; p < (this.featStart[i + 1] ?? 0); p++) {
      const poly: Position[][] = [];
      for (let r = this.polyStart[p] ?? 0; r < (this.polyStart[p + 1] ?? 0); r++) {
        const ring: Position[] = [];
        for (let v = this.ringStart[r] ?? 0; v < (this.ringStart[r + 1] ?? 0); v++)
          ring.push([this.coords[2 * v] ?? NaN, this.coords[2 * v + 1] ?? NaN]);
        poly.push(ring);
      }
      coordinates.push(poly);
    }
    return { type: 'MultiPolygon', coordinates };
  }

  feature(i: number): LayerFeature {
    return {
      id: this.ids[i] ?? '',
      classCode: this.classes[i] ?? '',
      attrs: this.attrs[i] ?? EMPTY,
      geometry: this.geometry(i),
    };
  }
}
