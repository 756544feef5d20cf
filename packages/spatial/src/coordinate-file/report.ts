import type { MultiPolygonGeometry } from '../geometry.ts';
import type { CoordinateIssue, DeclaredArea, ParsedCoordinateFile, RingClosure } from './model.ts';
import { parseCoordinateFile, type ParseOptions } from './parse.ts';

export interface RingReport {
  ringNo: number;
  line: number;
  role: 'outer' | 'hole';
  depth: number;
  pointCount: number;
  closedBy: RingClosure;
  areaM2: number;
  elevation?: { top: number; bottom: number };
}

export interface ParcelReport {
  no: string;
  name: string;
  line: number;
  areaM2: number;
  declaredArea: DeclaredArea;
  rings: RingReport[];
  pointCount: number;
  geometryType: string;
  mapSheet: string;
  landUse: string;
  landClassCode: string;
  /** [easting, northing] in the file's CRS (`crs.epsg`) */
  geometry: MultiPolygonGeometry;
}

export interface CoordinateFileReport {
  encoding: string;
  layout: 'parcel' | 'miningRight';
  crs: {
    coordinateSystem: string;
    datum: string;
    zoneWidth: number | null;
    zone: number | null;
    centralMeridian: number | null;
    zonePrefix: boolean;
    epsg: number | null;
    proj4: string | null;
    unit: string;
    precision: number | null;
    transformParameters: number[] | null;
    xySwapped: boolean;
  };
  parcels: ParcelReport[];
  warnings: CoordinateIssue[];
  errors: CoordinateIssue[];
}

/** The JSON-able report of a parsed file (what `guotu coords check FILE --json` prints). */
export function reportOf(parsed: ParsedCoordinateFile): CoordinateFileReport {
  const { gaussKruger: _gk, ...crs } = parsed.crs;
  return {
    encoding: parsed.encoding,
    layout: parsed.layout,
    crs,
    parcels: parsed.parcels.map((p) => ({
      no: p.no,
      name: p.name,
      line: p.line,
      areaM2: p.areaM2,
      declaredArea: p.declaredArea,
      rings: p.rings.map((r) => ({
        ringNo: r.ringNo,
        line: r.line,
        role: r.role,
        depth: r.depth,
        pointCount: r.points.length,
        closedBy: r.closedBy,
        areaM2: r.areaM2,
        ...(r.elevation ? { elevation: r.elevation } : {}),
      })),
      pointCount: p.points.length,
      geometryType: p.geometryType,
      mapSheet: p.mapSheet,
      landUse: p.landUse,
      landClassCode: p.landClassCode,
      geometry: p.geometry,
    })),
    warnings: parsed.warnings,
    errors: parsed.errors,
  };
}

/** Parses and reports in one call; never throws on file content. */
export function checkCoordinateFile(bytes: Uint8Array, opts: ParseOptions = {}): CoordinateFileReport {
  return reportOf(parseCoordinateFile(bytes, opts));
}
