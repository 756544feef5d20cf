import type { MultiPolygonGeometry } from '@guotu/spatial';
import type { Executor } from '../../platform/db.ts';
import { spatialDb, type LayerKind, type LayerSource } from './tables.ts';

export interface LayerRow {
  id: number;
  name: string;
  kind: LayerKind;
  crs: number;
  source: LayerSource;
  sourceName: string | null;
  featureCount: number;
  areaM2: number;
  version: number;
  createdBy: number | null;
  createdAt: Date;
}

export interface FeatureRow {
  seq: number;
  featureId: string;
  classCode: string;
  attributes: Record<string, unknown>;
  geometry: MultiPolygonGeometry;
  areaM2: number;
  bbox: [number, number, number, number];
}

const layerColumns = [
  'id',
  'name',
  'kind',
  'crs',
  'source',
  'source_name',
  'feature_count',
  'area_m2',
  'version',
  'created_by',
  'created_at',
] as const;

function presentLayer(r: {
  id: number;
  name: string;
  kind: LayerKind;
  crs: number;
  source: LayerSource;
  source_name: string | null;
  feature_count: number;
  area_m2: number;
  version: number;
  created_by: number | null;
  created_at: Date;
}): LayerRow {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    crs: r.crs,
    source: r.source,
    sourceName: r.source_name,
    featureCount: r.feature_count,
    areaM2: Number(r.area_m2),
    version: r.version,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

export async function listLayers(db: Executor): Promise<LayerRow[]> {
  const rows = await spatialDb(db).selectFrom('spatial_layers').select(layerColumns).orderBy('id').execute();
  return rows.map(presentLayer);
}

export async function findLayer(db: Executor, id: number): Promise<LayerRow | undefined> {
  const row = await spatialDb(db)
    .selectFrom('spatial_layers')
    .select(layerColumns)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? presentLayer(row) : undefined;
}

export async function findLayerByName(db: Executor, name: string): Promise<LayerRow | undefined> {
  const row = await spatialDb(db)
    .selectFrom('spatial_layers')
    .select(layerColumns)
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? presentLayer(row) : undefined;
}

export async function insertLayer(
  db: Executor,
  layer: {
    name: string;
    kind: LayerKind;
    crs: number;
    source: LayerSource;
    sourceName: string | null;
    createdBy: number | null;
  },
): Promise<number> {
  const row = await spatialDb(db)
    .insertInto('spatial_layers')
    .values({
      name: layer.name,
      kind: layer.kind,
      crs: layer.crs,
      source: layer.source,
      source_name: layer.sourceName,
      created_by: layer.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface NewFeature {
  featureId: string;
  classCode: string;
  attributes: Record<string, unknown>;
  geometry: MultiPolygonGeometry;
  areaM2: number;
  bbox: [number, number, number, number];
}

/** Inserts in batches (one statement per 500 rows keeps the parameter count low). */
export async function insertFeatures(
  db: Executor,
  layerId: number,
  features: readonly NewFeature[],
  onBatch?: (done: number) => void,
): Promise<void> {
  const batch = 500;
  for (let start = 0; start < features.length; start += batch) {
    const rows = features.slice(start, start + batch).map((f, i) => ({
      layer_id: layerId,
      seq: start + i,
      feature_id: f.featureId,
      class_code: f.classCode,
      attributes: JSON.stringify(f.attributes),
      geometry: JSON.stringify(f.geometry),
      area_m2: f.areaM2,
      min_x: f.bbox[0],
      min_y: f.bbox[1],
      max_x: f.bbox[2],
      max_y: f.bbox[3],
    }));
    await spatialDb(db).insertInto('spatial_features').values(rows).execute();
    onBatch?.(Math.min(start + batch, features.length));
  }
}

export async function setLayerTotals(db: Executor, id: number, featureCount: number, areaM2: number): Promise<void> {
  await spatialDb(db)
    .updateTable('spatial_layers')
    .set((eb) => ({ feature_count: featureCount, area_m2: areaM2, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function deleteLayer(db: Executor, id: number): Promise<number> {
  const r = await spatialDb(db).deleteFrom('spatial_layers').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows);
}

function presentFeature(r: {
  seq: number;
  feature_id: string;
  class_code: string;
  attributes: unknown;
  geometry: unknown;
  area_m2: number;
  min_x: number;
  min_y: number;
  max_x: number;
  max_y: number;
}): FeatureRow {
  return {
    seq: r.seq,
    featureId: r.feature_id,
    classCode: r.class_code,
    attributes: (r.attributes ?? {}) as Record<string, unknown>,
    geometry: r.geometry as MultiPolygonGeometry,
    areaM2: Number(r.area_m2),
    bbox: [Number(r.min_x), Number(r.min_y), Number(r.max_x), Number(r.max_y)],
  };
}

const featureColumns = [
  'seq',
  'feature_id',
  'class_code',
  'attributes',
  'geometry',
  'area_m2',
  'min_x',
  'min_y',
  'max_x',
  'max_y',
] as const;

export async function listFeatures(db: Executor, layerId: number): Promise<FeatureRow[]> {
  const rows = await spatialDb(db)
    .selectFrom('spatial_features')
    .select(featureColumns)
    .where('layer_id', '=', layerId)
    .orderBy('seq')
    .execute();
  return rows.map(presentFeature);
}

/** Features whose envelope meets the box (in the layer's CRS), at most `limit`. */
export async function featuresInBox(
  db: Executor,
  layerId: number,
  box: [number, number, number, number],
  limit: number,
): Promise<FeatureRow[]> {
  const rows = await spatialDb(db)
    .selectFrom('spatial_features')
    .select(featureColumns)
    .where('layer_id', '=', layerId)
    .where('max_x', '>=', box[0])
    .where('min_x', '<=', box[2])
    .where('max_y', '>=', box[1])
    .where('min_y', '<=', box[3])
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map(presentFeature);
}

/** Each layer's bounding box in its own CRS (from the features' bbox columns). */
export async function layerExtents(db: Executor): Promise<Map<number, [number, number, number, number]>> {
  const rows = await spatialDb(db)
    .selectFrom('spatial_features')
    .select((eb) => [
      'layer_id',
      eb.fn.min('min_x').as('x0'),
      eb.fn.min('min_y').as('y0'),
      eb.fn.max('max_x').as('x1'),
      eb.fn.max('max_y').as('y1'),
    ])
    .groupBy('layer_id')
    .execute();
  return new Map(rows.map((r) => [Number(r.layer_id), [Number(r.x0), Number(r.y0), Number(r.x1), Number(r.y1)]]));
}
