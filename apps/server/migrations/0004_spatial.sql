-- Reference layers for overlay analysis (图数联动). No PostGIS: geometry is GeoJSON (jsonb) in
-- the layer's projected CRS, with its envelope in plain columns for bounding-box queries; the
-- overlay itself runs in memory (@guotu/spatial: flatbush + GEOS WASM), identical on PGlite
-- and PostgreSQL.

create table spatial_layers (
  id integer generated always as identity primary key,
  name text not null unique check (length(name) between 1 and 200),
  kind text not null check (kind in ('permanentBasicFarmland', 'landUsePlan', 'landUse', 'miningRight',
                                     'geohazardZone', 'ecologicalRedLine', 'custom')),
  -- EPSG code of the projected (Gauss–Krüger) CRS the geometry is stored in; areas are m²
  crs integer not null,
  -- where it came from: 'geojson' | 'shapefile' | 'coordinateFile' | 'demo', and the file name
  source text not null,
  source_name text,
  feature_count integer not null default 0,
  -- total area of the features in m²
  area_m2 double precision not null default 0,
  -- bumped on every change; in-memory indexes compare it to know they are stale
  version integer not null default 1,
  created_by integer references users(id),
  created_at timestamptz not null default now()
);

create table spatial_features (
  layer_id integer not null references spatial_layers(id) on delete cascade,
  -- position in the imported file (0-based), the order the index is built in
  seq integer not null,
  feature_id text not null,
  class_code text not null default '',
  attributes jsonb not null default '{}',
  -- GeoJSON MultiPolygon, [easting, northing] in the layer's CRS
  geometry jsonb not null,
  area_m2 double precision not null,
  min_x double precision not null,
  min_y double precision not null,
  max_x double precision not null,
  max_y double precision not null,
  primary key (layer_id, seq)
);

create index spatial_features_bbox on spatial_features (layer_id, min_x, max_x, min_y, max_y);
