import type { CaseAnalysis, CaseParcel } from '@guotu/contracts';
import { parseCoordinateFile } from '@guotu/spatial';
import type { Db } from '../../platform/db.ts';
import { analyseParcel } from '../spatial/analysis-service.ts';

/**
 * The boundary coordinate file of a case: parsed (every error and warning with its line), and,
 * when it parses, overlaid on every map layer (docs/spatial.md) — the report a reviewer sees.
 */
export async function parcelOfFile(
  db: Db,
  bytes: Uint8Array,
  now: Date,
): Promise<{ parcel: CaseParcel; analysis: CaseAnalysis | null }> {
  const parsed = parseCoordinateFile(bytes);
  const issue = (i: { line: number; code: string; message: string }) => ({
    line: i.line > 0 ? i.line : null,
    code: i.code,
    message: i.message,
  });
  const parcel: CaseParcel = {
    crs: parsed.crs.epsg !== null ? `EPSG:${parsed.crs.epsg}` : parsed.crs.coordinateSystem || null,
    parcels: parsed.parcels.map((p) => ({
      no: p.no,
      name: p.name || null,
      areaM2: p.areaM2,
      declaredArea: p.declaredArea.value,
    })),
    totalAreaM2: parsed.parcels.reduce((sum, p) => sum + p.areaM2, 0),
    geometry: null,
    warnings: parsed.warnings.map(issue),
    errors: parsed.errors.map(issue),
  };
  if (parsed.parcels.length === 0 && parsed.errors.length === 0)
    parcel.errors.push({ line: null, code: 'NO_PARCELS', message: '坐标文件中没有地块' });
  if (parcel.errors.length > 0) return { parcel, analysis: null };
  const result = await analyseParcel(db, { coordinateFile: bytes });
  parcel.geometry = result.parcel.geometry;
  const analysis: CaseAnalysis = {
    analysedAt: now.toISOString(),
    parcelAreaM2: result.parcel.areaM2,
    layers: result.layers.map((l) => ({
      layerId: l.layerId,
      layerName: l.name,
      kind: l.kind,
      overlapM2: l.totalAreaM2,
      byClass: l.byClass.map((c) => ({ class: c.classCode, areaM2: c.areaM2 })),
    })),
    flags: result.assessment.flags.map((f) => f.code),
    approvalAuthority: result.assessment.approvalLevel,
  };
  return { parcel, analysis };
}
