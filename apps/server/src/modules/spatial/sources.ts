import { AppError, type AppErrorDetail } from '@guotu/domain';
import {
  cgcs2000Geographic,
  createTransformer,
  crsFromEpsg,
  envelopeOf,
  epsgOf,
  parseCoordinateFile,
  readShapefile,
  toLayerFeatures,
  transformGeometry,
  type AreaGeometry,
  type Crs,
} from '@guotu/spatial';

/** A feature as read from a file, in the CRS of the layer it goes into. */
export interface SourceFeature {
  featureId: string;
  classCode: string;
  attributes: Record<string, unknown>;
  geometry: AreaGeometry;
}

export interface SourceLayer {
  /** EPSG code of a projected (Gauss–Krüger) CRS */
  crs: number;
  features: SourceFeature[];
  warnings: string[];
}

export interface FieldOptions {
  classField?: string;
  idField?: string;
  /** EPSG code when the file does not say */
  crs?: number;
}

// Common names for the class code and the id in Chinese land data (三调 / 永久基本农田 exports).
const classFields = ['DLBM', 'dlbm', 'classCode', 'class_code', '地类编码', 'YDLX', 'GNFQDM'];
const idFields = ['BSM', 'bsm', 'id', 'ID', 'TBBH', '标识码'];

/** Text of an attribute value (ids and class codes are numbers in some files). */
const asText = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);

const pick = (props: Record<string, unknown>, named: string | undefined, fallbacks: readonly string[]): unknown => {
  if (named !== undefined) return props[named];
  for (const k of fallbacks) if (props[k] !== undefined && props[k] !== null && props[k] !== '') return props[k];
  return undefined;
};

/**
 * Geographic input is projected to the CGCS2000 3° Gauss–Krüger zone of its centre (no zone
 * prefix), so layer areas are plane m² like everything else.
 */
function toProjected(
  features: SourceFeature[],
  from: Crs,
  warnings: string[],
): { crs: number; features: SourceFeature[] } {
  if (from.kind === 'gaussKruger') {
    if (!from.epsg)
      throw new AppError('VALIDATION_FAILED', 'the layer CRS has no EPSG code', [
        { path: 'crs', message: 'unsupported CRS' },
      ]);
    return { crs: from.epsg, features };
  }
  const env = features.map((f) => envelopeOf(f.geometry)).filter((e) => e !== undefined);
  const lon = env.length ? (Math.min(...env.map((e) => e.minX)) + Math.max(...env.map((e) => e.maxX))) / 2 : 114;
  const zone = Math.round(lon / 3);
  const epsg = epsgOf('CGCS2000', 3, zone, false);
  const target = epsg ? crsFromEpsg(epsg) : undefined;
  if (!epsg || !target)
    throw new AppError('VALIDATION_FAILED', `longitude ${lon.toFixed(3)} is outside China's Gauss–Krüger zones`, [
      { path: 'geometry', message: 'outside 75°E–135°E' },
    ]);
  const t = createTransformer(from, target);
  warnings.push(`geographic input projected to EPSG:${epsg} (CGCS2000 3° zone ${zone})`);
  return {
    crs: epsg,
    features: features.map((f) => ({ ...f, geometry: transformGeometry(f.geometry, (p) => t.forward(p)) })),
  };
}

function crsOf(code: number | undefined, path: string): Crs {
  const crs = code === undefined ? cgcs2000Geographic : code === 4326 ? cgcs2000Geographic : crsFromEpsg(code);
  if (!crs)
    throw new AppError('VALIDATION_FAILED', `unsupported CRS EPSG:${code}`, [
      { path, message: 'use a CGCS2000 / Xian 1980 / Beijing 1954 Gauss–Krüger EPSG code or 4490' },
    ]);
  return crs;
}

/** EPSG code from a GeoJSON `crs` member ("EPSG:4525", "urn:ogc:def:crs:EPSG::4525"). */
export function geoJsonCrsCode(doc: { crs?: { properties?: { name?: unknown } } }): number | undefined {
  const name = doc.crs?.properties?.name;
  if (typeof name !== 'string') return undefined;
  if (/CRS84$/i.test(name)) return 4326;
  const m = /EPSG:{1,2}(\d+)$/i.exec(name);
  return m ? Number(m[1]) : undefined;
}

interface GeoJsonFeature {
  type?: unknown;
  id?: unknown;
  properties?: Record<string, unknown> | null;
  geometry?: { type?: unknown; coordinates?: unknown } | null;
}

export function readGeoJsonLayer(text: string, opts: FieldOptions = {}): SourceLayer {
  let doc: { type?: unknown; features?: unknown; crs?: { properties?: { name?: unknown } } };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch (e) {
    throw new AppError('VALIDATION_FAILED', `not JSON: ${(e as Error).message}`, [
      { path: 'file', message: 'GeoJSON expected' },
    ]);
  }
  const list: GeoJsonFeature[] =
    doc.type === 'FeatureCollection' && Array.isArray(doc.features)
      ? (doc.features as GeoJsonFeature[])
      : doc.type === 'Feature'
        ? [doc]
        : [];
  if (list.length === 0)
    throw new AppError('VALIDATION_FAILED', 'a GeoJSON FeatureCollection with polygon features is expected', [
      { path: 'file', message: 'no features' },
    ]);
  const details: AppErrorDetail[] = [];
  const features: SourceFeature[] = [];
  list.forEach((f, i) => {
    const g = f.geometry;
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon') || !Array.isArray(g.coordinates)) {
      details.push({ path: `features[${i}]`, message: `geometry ${asText(g?.type ?? 'null')} is not a polygon` });
      return;
    }
    const props = f.properties ?? {};
    const id = pick(props, opts.idField, idFields) ?? f.id;
    const cls = pick(props, opts.classField, classFields);
    features.push({
      featureId: id === undefined || id === null ? String(i + 1) : asText(id),
      classCode: cls === undefined || cls === null ? '' : asText(cls),
      attributes: props,
      geometry: g as unknown as AreaGeometry,
    });
  });
  if (details.length > 0)
    throw new AppError(
      'GEOMETRY_INVALID',
      `${details.length} feature(s) are not polygons; nothing was imported`,
      details.slice(0, 50),
    );
  const warnings: string[] = [];
  const code = geoJsonCrsCode(doc) ?? opts.crs;
  return { warnings, ...toProjected(features, crsOf(code, 'crs'), warnings) };
}

export function readShapefileLayer(
  files: { shp: Uint8Array; dbf?: Uint8Array; prj?: Uint8Array; cpg?: Uint8Array },
  opts: FieldOptions = {},
): SourceLayer {
  const result = readShapefile(files);
  const raw = toLayerFeatures(result, {
    ...(opts.classField ? { classField: opts.classField } : {}),
    ...(opts.idField ? { idField: opts.idField } : {}),
  });
  const features: SourceFeature[] = raw.map((f) => {
    const cls = opts.classField ? f.classCode : pick(f.attrs, undefined, classFields);
    const id = opts.idField ? f.id : pick(f.attrs, undefined, idFields);
    return {
      featureId: id === undefined ? f.id : asText(id),
      classCode: cls === undefined || cls === null ? '' : asText(cls),
      attributes: f.attrs,
      geometry: f.geometry,
    };
  });
  const warnings = [`attributes decoded as ${result.encoding}`];
  let crs = result.crs;
  if (!crs) {
    if (opts.crs === undefined)
      throw new AppError('VALIDATION_FAILED', 'the shapefile has no (recognised) .prj; give the CRS as an EPSG code', [
        { path: 'prj', message: 'missing' },
      ]);
    crs = crsOf(opts.crs, 'crs');
  }
  return { warnings, ...toProjected(features, crs, warnings) };
}

export function readCoordinateFileLayer(bytes: Uint8Array): SourceLayer {
  const parsed = parseCoordinateFile(bytes);
  if (parsed.errors.length > 0) {
    throw new AppError(
      'COORDINATE_FILE_INVALID',
      `the coordinate file has ${parsed.errors.length} error(s)`,
      parsed.errors.map((e) => ({ line: e.line, message: `${e.code}: ${e.message}` })),
    );
  }
  if (!parsed.crs.gaussKruger?.epsg)
    throw new AppError('COORDINATE_FILE_INVALID', 'the coordinate file’s CRS could not be resolved to an EPSG code', [
      { path: 'crs', message: parsed.crs.coordinateSystem },
    ]);
  return {
    crs: parsed.crs.gaussKruger.epsg,
    warnings: parsed.warnings.map((w) => `line ${w.line}: ${w.code} ${w.message}`),
    features: parsed.parcels.map((p, i) => ({
      featureId: p.no || String(i + 1),
      classCode: p.landClassCode,
      attributes: { name: p.name, landUse: p.landUse, mapSheet: p.mapSheet },
      geometry: p.geometry,
    })),
  };
}
