import { AppError } from '@guotu/domain';
import { cgcs2000Geographic, gaussKruger, type GeodeticDatum, type Helmert7, type ZoneWidth } from '../crs.ts';
import type { MultiPolygonGeometry } from '../geometry.ts';
import { createTransformer, transformGeometry, type SpatialWarning, type TransformOptions } from '../transform.ts';
import type { DeclaredArea, ParsedCoordinateFile } from './model.ts';
import { reportOf, type CoordinateFileReport } from './report.ts';

export interface ParcelFeature {
  type: 'Feature';
  id: string;
  properties: {
    no: string;
    name: string;
    areaM2: number;
    declaredArea: DeclaredArea;
    landUse: string;
    landClassCode: string;
    mapSheet: string;
  };
  geometry: MultiPolygonGeometry;
}

export interface ParcelFeatureCollection {
  type: 'FeatureCollection';
  features: ParcelFeature[];
  /** pre-RFC 7946 `crs` member, present for projected output so GIS tools place it */
  crs?: { type: 'name'; properties: { name: string } };
  /** transformation warnings (e.g. DATUM_SHIFT_MISSING) */
  warnings: SpatialWarning[];
}

export interface GeoJsonOptions extends TransformOptions {
  /** longitude/latitude on CGCS2000 (EPSG:4490) instead of the file's Gauss–Krüger plane */
  geographic?: boolean;
}

const isParsed = (x: CoordinateFileReport | ParsedCoordinateFile): x is ParsedCoordinateFile => 'attributes' in x;

/** Parcels as GeoJSON, in the file's plane ([easting, northing]) or in EPSG:4490. */
export function toGeoJSON(
  input: CoordinateFileReport | ParsedCoordinateFile,
  opts: GeoJsonOptions = {},
): ParcelFeatureCollection {
  const report = isParsed(input) ? reportOf(input) : input;
  const features: ParcelFeature[] = report.parcels.map((p) => ({
    type: 'Feature',
    id: p.no,
    properties: {
      no: p.no,
      name: p.name,
      areaM2: p.areaM2,
      declaredArea: p.declaredArea,
      landUse: p.landUse,
      landClassCode: p.landClassCode,
      mapSheet: p.mapSheet,
    },
    geometry: p.geometry,
  }));
  const { crs } = report;
  if (!opts.geographic) {
    const out: ParcelFeatureCollection = { type: 'FeatureCollection', features, warnings: [] };
    if (crs.epsg !== null) out.crs = { type: 'name', properties: { name: `urn:ogc:def:crs:EPSG::${crs.epsg}` } };
    return out;
  }
  if (crs.zone === null || crs.zoneWidth === null) {
    throw new AppError(
      'COORDINATE_FILE_INVALID',
      'the projection zone is unknown (no 带号 and no zone prefix): cannot place the parcels on the map',
    );
  }
  const from = gaussKruger({
    datum: crs.datum as GeodeticDatum,
    zoneWidth: crs.zoneWidth as ZoneWidth,
    zone: crs.zone,
    zonePrefix: crs.zonePrefix,
  });
  // 转换参数 written in the file count as configured when the caller configured none
  const fileShift = crs.transformParameters?.some((v) => v !== 0) ? (crs.transformParameters as Helmert7) : undefined;
  const configured = opts.datumShifts?.[from.datum] ?? fileShift;
  const t = createTransformer(
    from,
    cgcs2000Geographic,
    configured ? { datumShifts: { [from.datum]: configured } } : opts,
  );
  const project = (p: [number, number]): [number, number] => t.forward(p);
  return {
    type: 'FeatureCollection',
    features: features.map((f) => ({ ...f, geometry: transformGeometry(f.geometry, project) as MultiPolygonGeometry })),
    warnings: t.warnings,
  };
}
