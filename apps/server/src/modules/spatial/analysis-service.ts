import { AppError, hasPermission, type Actor } from '@guotu/domain';
import {
  assessParcel,
  cgcs2000Geographic,
  createTransformer,
  crsFromEpsg,
  isEmptyGeometry,
  measureArea,
  overlayParcel,
  parseCoordinateFile,
  toMultiPolygon,
  transformGeometry,
  type AreaGeometry,
  type Crs,
  type LayerOverlays,
  type MultiPolygonGeometry,
  type ParcelAssessment,
  type ParcelOverlay,
} from '@guotu/spatial';
import type { Db } from '../../platform/db.ts';
import { geometryEngine, layerIndexCache } from './layer-cache.ts';
import { listLayers } from './repository.ts';
import type { LayerKind } from './tables.ts';

export type AnalyseInput =
  { geometry: AreaGeometry; crs?: number; layerIds?: number[] } | { coordinateFile: Uint8Array; layerIds?: number[] };

export interface LayerResult {
  layerId: number;
  name: string;
  kind: LayerKind;
  /** m², in the layer's Gauss–Krüger plane */
  totalAreaM2: number;
  byClass: Array<{
    classCode: string;
    areaM2: number;
    features: Array<{ id: string; areaM2: number; geometry: MultiPolygonGeometry }>;
  }>;
}

export interface AnalysisResult {
  parcel: { crs: number; areaM2: number; parcels: number; geometry: MultiPolygonGeometry };
  layers: LayerResult[];
  assessment: ParcelAssessment;
  warnings: string[];
}

/** The parcel (all parcels of a file, dissolved) in its own CRS. */
async function parcelOf(
  input: AnalyseInput,
): Promise<{ geometry: MultiPolygonGeometry; crs: Crs; parcels: number; warnings: string[] }> {
  const engine = await geometryEngine();
  if ('coordinateFile' in input) {
    const parsed = parseCoordinateFile(input.coordinateFile);
    if (parsed.errors.length > 0) {
      throw new AppError(
        'COORDINATE_FILE_INVALID',
        `the coordinate file has ${parsed.errors.length} error(s)`,
        parsed.errors.map((e) => ({ line: e.line, message: `${e.code}: ${e.message}` })),
      );
    }
    const crs = parsed.crs.gaussKruger;
    if (!crs || parsed.parcels.length === 0)
      throw new AppError('COORDINATE_FILE_INVALID', 'no parcels with a resolvable CRS', [
        { path: 'file', message: 'no parcels' },
      ]);
    let geometry: MultiPolygonGeometry = toMultiPolygon(null);
    for (const p of parsed.parcels) geometry = engine.union(geometry, p.geometry);
    return {
      geometry,
      crs,
      parcels: parsed.parcels.length,
      warnings: parsed.warnings.map((w) => `line ${w.line}: ${w.code} ${w.message}`),
    };
  }
  const code = input.crs ?? 4490;
  const crs = code === 4326 ? cgcs2000Geographic : crsFromEpsg(code);
  if (!crs)
    throw new AppError('VALIDATION_FAILED', `unsupported CRS EPSG:${code}`, [{ path: 'crs', message: 'unsupported' }]);
  const geometry = toMultiPolygon(input.geometry);
  if (isEmptyGeometry(geometry))
    throw new AppError('GEOMETRY_INVALID', 'the geometry is empty', [{ path: 'geometry', message: 'empty' }]);
  const check = engine.validate(geometry);
  if (!check.valid) {
    const at = check.location ? ` at ${check.location.map((v) => v.toFixed(3)).join(', ')}` : '';
    throw new AppError('GEOMETRY_INVALID', `the parcel is not a valid polygon: ${check.reason ?? 'invalid'}${at}`, [
      { path: 'geometry', message: check.reason ?? 'invalid' },
    ]);
  }
  return { geometry, crs, parcels: 1, warnings: [] };
}

function mergeOverlays(a: ParcelOverlay | undefined, b: ParcelOverlay): ParcelOverlay {
  if (!a) return b;
  const byClass = [...a.byClass, ...b.byClass].sort((x, y) => y.area - x.area);
  return { totalArea: a.totalArea + b.totalArea, byClass };
}

const flagKinds = ['permanentBasicFarmland', 'landUse', 'miningRight', 'geohazardZone', 'ecologicalRedLine'] as const;
type FlagKind = (typeof flagKinds)[number];
const isFlagKind = (k: LayerKind): k is FlagKind => (flagKinds as readonly string[]).includes(k);

/**
 * Overlays a parcel (a geometry, or every parcel of a coordinate file) on the layers: area per
 * layer and per class with the overlapping pieces (returned in EPSG:4490 for the map), and
 * assessParcel's flags and 土地管理法 §46 approval level.
 */
export async function analyse(db: Db, actor: Actor, input: AnalyseInput): Promise<AnalysisResult> {
  if (!hasPermission(actor, 'map.read')) throw new AppError('FORBIDDEN', 'requires permission map.read');
  return analyseParcel(db, input);
}

/** The analysis without a permission check: for modules that decide access themselves (cases). */
export async function analyseParcel(db: Db, input: AnalyseInput): Promise<AnalysisResult> {
  const parcel = await parcelOf(input);
  const warnings = [...parcel.warnings];
  const all = await listLayers(db);
  const layers = input.layerIds ? all.filter((l) => input.layerIds?.includes(l.id)) : all;
  const toMap = parcel.crs.kind === 'geographic' ? undefined : createTransformer(parcel.crs, cgcs2000Geographic);
  const overlays: LayerOverlays = {};
  const results: LayerResult[] = [];
  const parcelAreaM2 = measureArea(parcel.geometry, parcel.crs);
  for (const l of layers) {
    const cached = await layerIndexCache.get(db, l.id);
    const layerCrs = crsFromEpsg(l.crs);
    if (!cached || !layerCrs) continue;
    const t = createTransformer(parcel.crs, layerCrs);
    for (const w of t.warnings) if (!warnings.includes(w.message)) warnings.push(w.message);
    const same = parcel.crs.kind === layerCrs.kind && parcel.crs.epsg === layerCrs.epsg;
    const local = same ? parcel.geometry : toMultiPolygon(transformGeometry(parcel.geometry, (p) => t.forward(p)));
    const overlay = overlayParcel(cached.index, local);
    const back = createTransformer(layerCrs, cgcs2000Geographic);
    results.push({
      layerId: l.id,
      name: l.name,
      kind: l.kind,
      totalAreaM2: overlay.totalArea,
      byClass: overlay.byClass.map((c) => ({
        classCode: c.classCode,
        areaM2: c.area,
        features: c.features.map((f) => ({
          id: f.id,
          areaM2: f.area,
          geometry: toMultiPolygon(transformGeometry(f.geometry, (p) => back.forward(p))),
        })),
      })),
    });
    if (isFlagKind(l.kind)) overlays[l.kind] = mergeOverlays(overlays[l.kind], overlay);
  }
  const geometry = toMap
    ? toMultiPolygon(transformGeometry(parcel.geometry, (p) => toMap.forward(p)))
    : parcel.geometry;
  return {
    parcel: {
      crs: parcel.crs.kind === 'geographic' ? 4490 : (parcel.crs.epsg ?? 0),
      areaM2: parcelAreaM2,
      parcels: parcel.parcels,
      geometry,
    },
    layers: results,
    assessment: assessParcel(overlays, { parcelAreaM2 }),
    warnings,
  };
}
