import proj4 from 'proj4';
import { cgcs2000Geographic, ellipsoids, toProj4, type Crs, type GeodeticDatum, type Helmert7 } from './crs.ts';
import { planarArea, polygonsOf, polygonArea, type AreaGeometry, type Position } from './geometry.ts';

export interface SpatialWarning {
  code: string;
  message: string;
}

export interface TransformOptions {
  /** configured Helmert parameters from each non-CGCS2000 datum to CGCS2000 */
  datumShifts?: Partial<Record<GeodeticDatum, Helmert7>>;
}

export interface Transformer {
  forward(p: Position): Position;
  inverse(p: Position): Position;
  /** e.g. DATUM_SHIFT_MISSING when a Xian 1980 → CGCS2000 shift has no parameters */
  warnings: SpatialWarning[];
}

const ZERO: Helmert7 = [0, 0, 0, 0, 0, 0, 0];

function definition(crs: Crs, other: Crs, opts: TransformOptions, warnings: SpatialWarning[]): string {
  if (crs.datum === 'CGCS2000') return toProj4(crs, ZERO);
  if (crs.datum === other.datum) return toProj4(crs);
  const shift = opts.datumShifts?.[crs.datum];
  if (!shift) {
    warnings.push({
      code: 'DATUM_SHIFT_MISSING',
      message: `no 7-parameter shift configured from ${crs.datum} to ${other.datum}: coordinates are transformed without a datum shift (errors of tens to a hundred metres)`,
    });
  }
  return toProj4(crs, shift);
}

/** A transformer between two CRSs; datum shifts come only from configuration. */
export function createTransformer(from: Crs, to: Crs, opts: TransformOptions = {}): Transformer {
  const warnings: SpatialWarning[] = [];
  const converter = proj4(definition(from, to, opts, warnings), definition(to, from, opts, warnings));
  return {
    forward: (p) => converter.forward<Position>([p[0], p[1]]),
    inverse: (p) => converter.inverse<Position>([p[0], p[1]]),
    warnings,
  };
}

export function transformGeometry(g: AreaGeometry, t: (p: Position) => Position): AreaGeometry {
  return {
    type: 'MultiPolygon',
    coordinates: polygonsOf(g).map((poly) => poly.map((ring) => ring.map(t))),
  };
}

/**
 * Ellipsoidal area (m²) of a geographic (longitude, latitude in degrees) polygon on the
 * CGCS2000 ellipsoid: projected with a Lambert azimuthal equal-area centred on the
 * geometry, which preserves area exactly on the ellipsoid; edges are taken as straight in
 * that projection, which for parcels differs from geodesics by far less than survey error.
 */
export function ellipsoidalArea(g: AreaGeometry, datum: GeodeticDatum = 'CGCS2000'): number {
  const polys = polygonsOf(g);
  const pts = polys.flatMap((p) => p[0] ?? []);
  if (pts.length === 0) return 0;
  const lon0 = (Math.min(...pts.map((p) => p[0])) + Math.max(...pts.map((p) => p[0]))) / 2;
  const lat0 = (Math.min(...pts.map((p) => p[1])) + Math.max(...pts.map((p) => p[1]))) / 2;
  const { a, rf } = ellipsoids[datum];
  const laea = `+proj=laea +lat_0=${lat0} +lon_0=${lon0} +x_0=0 +y_0=0 +a=${a} +rf=${rf} +units=m +no_defs`;
  const project = proj4(`+proj=longlat +a=${a} +rf=${rf} +no_defs`, laea);
  return polys.reduce(
    (s, poly) => s + polygonArea(poly.map((ring) => ring.map((p) => project.forward<Position>([p[0], p[1]])))),
    0,
  );
}

export { cgcs2000Geographic };

/**
 * Area in m² in the way the CRS calls for: planar for Gauss–Krüger (shifted to a local
 * origin, so 8-digit eastings keep their centimetres), ellipsoidal for longitude/latitude.
 */
export function measureArea(g: AreaGeometry, crs: Crs): number {
  if (crs.kind === 'geographic') return ellipsoidalArea(g, crs.datum);
  const first = polygonsOf(g)[0]?.[0]?.[0];
  if (!first) return 0;
  return planarArea(translateBy(g, first));
}

function translateBy(g: AreaGeometry, [ox, oy]: Position): AreaGeometry {
  return transformGeometry(g, (p) => [p[0] - ox, p[1] - oy]);
}
