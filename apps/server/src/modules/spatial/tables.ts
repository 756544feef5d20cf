import type { ColumnType, Generated } from 'kysely';
import type { Executor } from '../../platform/db.ts';

/** Layer kinds; the overlay flags (assessParcel) read the first six. */
export const layerKinds = [
  'permanentBasicFarmland',
  'landUsePlan',
  'landUse',
  'miningRight',
  'geohazardZone',
  'ecologicalRedLine',
  'custom',
] as const;
export type LayerKind = (typeof layerKinds)[number];

export const layerSources = ['geojson', 'shapefile', 'coordinateFile', 'demo'] as const;
export type LayerSource = (typeof layerSources)[number];

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** migrations/0004_spatial.sql; kept beside the module and joined in with `withTables`. */
// A type alias (not an interface): withTables needs an index-signature-compatible type.
export type SpatialTables = {
  spatial_layers: {
    id: Generated<number>;
    name: string;
    kind: LayerKind;
    crs: number;
    source: LayerSource;
    source_name: string | null;
    feature_count: ColumnType<number, number | undefined, number>;
    area_m2: ColumnType<number, number | undefined, number>;
    version: ColumnType<number, number | undefined, number>;
    created_by: number | null;
    created_at: Timestamp;
  };
  spatial_features: {
    layer_id: number;
    seq: number;
    feature_id: string;
    class_code: string;
    attributes: ColumnType<unknown, string, string>;
    geometry: ColumnType<unknown, string, string>;
    area_m2: number;
    min_x: number;
    min_y: number;
    max_x: number;
    max_y: number;
  };
};

export const spatialDb = (db: Executor) => db.withTables<SpatialTables>();
