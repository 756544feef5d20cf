import { AppError, hasPermission, type Actor, type AppErrorDetail } from '@guotu/domain';
import {
  cgcs2000Geographic,
  createTransformer,
  crsFromEpsg,
  envelopeOf,
  isEmptyGeometry,
  planarArea,
  polygonsOf,
  toMultiPolygon,
  type GeometryEngine,
  type MultiPolygonGeometry,
  type Position,
} from '@guotu/spatial';
import { inTransaction, type Db } from '../../platform/db.ts';
import { appendAudit } from '../audit/repository.ts';
import { geometryEngine, layerIndexCache } from './layer-cache.ts';
import * as repo from './repository.ts';
import type { SourceLayer } from './sources.ts';
import type { LayerKind, LayerSource } from './tables.ts';

export interface RepairNote {
  /** 0-based position in the file */
  index: number;
  featureId: string;
  reason: string;
  location?: Position;
  areaBeforeM2: number;
  areaAfterM2: number;
}

export interface ImportProgress {
  phase: 'validate' | 'insert';
  done: number;
  total: number;
}

export interface LayerView {
  id: number;
  name: string;
  kind: LayerKind;
  crs: number;
  source: LayerSource;
  sourceName: string | null;
  featureCount: number;
  areaM2: number;
  createdAt: string;
}

export interface ImportReport {
  layer: LayerView;
  imported: number;
  repaired: RepairNote[];
  warnings: string[];
  /** the phases the import went through, each complete (the CLI shows them live) */
  progress: ImportProgress[];
}

export const presentLayer = (l: repo.LayerRow): LayerView => ({
  id: l.id,
  name: l.name,
  kind: l.kind,
  crs: l.crs,
  source: l.source,
  sourceName: l.sourceName,
  featureCount: l.featureCount,
  areaM2: l.areaM2,
  createdAt: l.createdAt.toISOString(),
});

function requireManage(actor: Actor | null): void {
  if (actor && !hasPermission(actor, 'map.manage')) throw new AppError('FORBIDDEN', 'requires permission map.manage');
}

const tooShort = (g: MultiPolygonGeometry): boolean =>
  polygonsOf(g).some((poly) => poly.some((ring) => ring.length < 4));

/**
 * Validates every feature (GEOS isValid) and repairs invalid ones with makeValid. Features
 * that cannot be used (not a polygon, fewer than 4 positions in a ring, nothing left after
 * repair) are all listed by index and nothing is imported.
 */
export function validateFeatures(
  engine: GeometryEngine,
  layer: SourceLayer,
  onProgress?: (p: ImportProgress) => void,
): { features: repo.NewFeature[]; repaired: RepairNote[] } {
  const errors: AppErrorDetail[] = [];
  const repaired: RepairNote[] = [];
  const features: repo.NewFeature[] = [];
  const total = layer.features.length;
  layer.features.forEach((f, index) => {
    let g = toMultiPolygon(f.geometry);
    const where = `features[${index}] (id ${f.featureId})`;
    if (isEmptyGeometry(g) || tooShort(g)) {
      errors.push({ path: where, message: 'empty polygon or a ring with fewer than 4 positions' });
      return;
    }
    const check = engine.validate(g);
    if (!check.valid) {
      const before = planarArea(g);
      g = engine.makeValid(g);
      const after = planarArea(g);
      if (isEmptyGeometry(g) || after <= 0) {
        errors.push({
          path: where,
          message: `invalid (${check.reason ?? 'unknown'}) and nothing is left after repair`,
        });
        return;
      }
      repaired.push({
        index,
        featureId: f.featureId,
        reason: check.reason ?? 'invalid',
        ...(check.location ? { location: check.location } : {}),
        areaBeforeM2: before,
        areaAfterM2: after,
      });
    }
    const e = envelopeOf(g);
    if (!e) return;
    features.push({
      featureId: f.featureId,
      classCode: f.classCode,
      attributes: f.attributes,
      geometry: g,
      areaM2: engine.area(g),
      bbox: [e.minX, e.minY, e.maxX, e.maxY],
    });
    if (onProgress && (index % 1000 === 999 || index === total - 1))
      onProgress({ phase: 'validate', done: index + 1, total });
  });
  if (errors.length > 0) {
    throw new AppError(
      'GEOMETRY_INVALID',
      `${errors.length} feature(s) cannot be imported (first: ${errors[0]?.path}); nothing was imported`,
      errors.slice(0, 100),
    );
  }
  return { features, repaired };
}

export interface ImportLayerInput {
  name: string;
  kind: LayerKind;
  source: LayerSource;
  sourceName: string | null;
  layer: SourceLayer;
  onProgress?: (p: ImportProgress) => void;
}

/** Imports a layer: validate and repair, then the layer, its features and the audit row in one transaction. */
export async function importLayer(db: Db, actor: Actor | null, input: ImportLayerInput): Promise<ImportReport> {
  requireManage(actor);
  if (input.layer.features.length === 0)
    throw new AppError('VALIDATION_FAILED', 'the file has no features', [{ path: 'file', message: 'empty' }]);
  const engine = await geometryEngine();
  const progress: ImportProgress[] = [];
  const report = (p: ImportProgress): void => {
    input.onProgress?.(p);
    const last = progress[progress.length - 1];
    if (last && last.phase === p.phase) progress[progress.length - 1] = p;
    else progress.push(p);
  };
  const { features, repaired } = validateFeatures(engine, input.layer, report);
  const total = features.reduce((s, f) => s + f.areaM2, 0);
  const id = await inTransaction(db, async (tx) => {
    if (await repo.findLayerByName(tx, input.name))
      throw new AppError('CONFLICT', `a layer named ${input.name} exists`, [{ path: 'name', message: 'taken' }]);
    const layerId = await repo.insertLayer(tx, {
      name: input.name,
      kind: input.kind,
      crs: input.layer.crs,
      source: input.source,
      sourceName: input.sourceName,
      createdBy: actor?.userId ?? null,
    });
    await repo.insertFeatures(tx, layerId, features, (done) =>
      report({ phase: 'insert', done, total: features.length }),
    );
    await repo.setLayerTotals(tx, layerId, features.length, total);
    await appendAudit(tx, {
      actorId: actor?.userId ?? null,
      actorName: actor?.username ?? 'cli',
      requestId: actor?.requestId ?? null,
      action: 'spatial.layer_imported',
      entityType: 'spatial_layer',
      entityId: layerId,
      after: {
        name: input.name,
        kind: input.kind,
        crs: input.layer.crs,
        source: input.source,
        sourceName: input.sourceName,
        features: features.length,
        areaM2: total,
        repaired: repaired.length,
      },
    });
    return layerId;
  });
  layerIndexCache.invalidate(id);
  const layer = await repo.findLayer(db, id);
  if (!layer) throw new AppError('INTERNAL', 'imported layer vanished');
  return { layer: presentLayer(layer), imported: features.length, repaired, warnings: input.layer.warnings, progress };
}

export async function listLayerViews(
  db: Db,
  actor: Actor,
): Promise<Array<LayerView & { extent: [number, number, number, number] | null }>> {
  if (!hasPermission(actor, 'map.read')) throw new AppError('FORBIDDEN', 'requires permission map.read');
  const extents = await repo.layerExtents(db);
  return (await repo.listLayers(db)).map((l) => ({
    ...presentLayer(l),
    extent: geographicExtent(l.crs, extents.get(l.id)),
  }));
}

/** [minLon, minLat, maxLon, maxLat] in CGCS2000 of a projected box (its four corners), so the map can fit to a layer. */
function geographicExtent(
  code: number,
  box: [number, number, number, number] | undefined,
): [number, number, number, number] | null {
  if (!box) return null;
  const crs = crsFromEpsg(code);
  if (!crs) return null;
  if (crs.kind === 'geographic') return box;
  const t = createTransformer(crs, cgcs2000Geographic);
  const corners = [
    t.forward([box[0], box[1]]),
    t.forward([box[0], box[3]]),
    t.forward([box[2], box[1]]),
    t.forward([box[2], box[3]]),
  ];
  const xs = corners.map((p) => p[0]);
  const ys = corners.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

export async function getLayer(db: Db, id: number): Promise<repo.LayerRow> {
  const layer = await repo.findLayer(db, id);
  if (!layer) throw new AppError('NOT_FOUND', `no layer ${id}`);
  return layer;
}

export async function deleteLayer(db: Db, actor: Actor | null, id: number): Promise<void> {
  requireManage(actor);
  await inTransaction(db, async (tx) => {
    const before = await repo.findLayer(tx, id);
    if (!before) throw new AppError('NOT_FOUND', `no layer ${id}`);
    await repo.deleteLayer(tx, id);
    await appendAudit(tx, {
      actorId: actor?.userId ?? null,
      actorName: actor?.username ?? 'cli',
      requestId: actor?.requestId ?? null,
      action: 'spatial.layer_deleted',
      entityType: 'spatial_layer',
      entityId: id,
      before: presentLayer(before),
    });
  });
  layerIndexCache.invalidate(id);
}
