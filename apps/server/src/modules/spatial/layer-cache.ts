import { createGeometryEngine, LayerIndex, type GeometryEngine } from '@guotu/spatial';
import type { Executor } from '../../platform/db.ts';
import { findLayer, listFeatures, type LayerRow } from './repository.ts';

let enginePromise: Promise<GeometryEngine> | undefined;

/** One GEOS WASM instance per process (about 40 ms to create); JS is single-threaded. */
export function geometryEngine(): Promise<GeometryEngine> {
  enginePromise ??= createGeometryEngine();
  return enginePromise;
}

interface Cached {
  version: number;
  index: Promise<LayerIndex>;
}

/**
 * In-memory LayerIndex per layer, built on first use and rebuilt when the layer's `version`
 * changes (every import or delete bumps or removes it — so other processes notice too: each
 * use reads the layer row, one primary-key lookup). Memory: see docs/spatial.md.
 */
export class LayerIndexCache {
  private readonly cache = new Map<number, Cached>();

  async get(db: Executor, layerId: number): Promise<{ layer: LayerRow; index: LayerIndex } | undefined> {
    const layer = await findLayer(db, layerId);
    if (!layer) {
      this.cache.delete(layerId);
      return undefined;
    }
    let hit = this.cache.get(layerId);
    if (!hit || hit.version !== layer.version) {
      const index = this.build(db, layerId);
      hit = { version: layer.version, index };
      this.cache.set(layerId, hit);
      index.catch(() => this.cache.delete(layerId));
    }
    return { layer, index: await hit.index };
  }

  invalidate(layerId: number): void {
    this.cache.delete(layerId);
  }

  get size(): number {
    return this.cache.size;
  }

  private async build(db: Executor, layerId: number): Promise<LayerIndex> {
    const [engine, rows] = await Promise.all([geometryEngine(), listFeatures(db, layerId)]);
    return LayerIndex.build(
      engine,
      rows.map((r) => ({ id: r.featureId, classCode: r.classCode, attrs: r.attributes, geometry: r.geometry })),
    );
  }
}

/** The process-wide cache the routes use. */
export const layerIndexCache = new LayerIndexCache();
