/**
 * Chinese national coordinate reference systems, generated from their parameters rather
 * than copied from a registry: CGCS2000, Xian 1980 and Beijing 1954 Gauss–Krüger in 3° and
 * 6° zones, with and without the zone number prefixed to the easting, plus geographic
 * CGCS2000 (EPSG:4490) for the map.
 *
 * Gauss–Krüger here: transverse Mercator, scale 1 on the central meridian, false easting
 * 500 000 m (+ zone × 1 000 000 when the easting carries the zone prefix), false northing 0.
 * 6° zone n: central meridian 6n − 3; 3° zone n: 3n (GB/T 17798, GB/T 20257.1).
 */
export type GeodeticDatum = 'CGCS2000' | 'Xian1980' | 'Beijing1954';
export type ZoneWidth = 3 | 6;

export interface Ellipsoid {
  /** semi-major axis, metres */
  a: number;
  /** inverse flattening */
  rf: number;
}

export const ellipsoids: Record<GeodeticDatum, Ellipsoid> = {
  // CGCS2000 ellipsoid (GM and ω differ from GRS80; a and f equal it to 1e-10 m at the pole)
  CGCS2000: { a: 6378137, rf: 298.257222101 },
  // IAG 1975, used by Xian 1980
  Xian1980: { a: 6378140, rf: 298.257 },
  // Krassowsky 1940, used by Beijing 1954
  Beijing1954: { a: 6378245, rf: 298.3 },
};

/**
 * A 7-parameter Helmert shift to WGS 84 / CGCS2000, in proj's `+towgs84` order and units:
 * dx, dy, dz (m), rx, ry, rz (arc-seconds, position-vector convention), ds (ppm). These
 * are per-region published parameters: configure them, never assume zero.
 */
export type Helmert7 = [number, number, number, number, number, number, number];

export interface GaussKrugerCrs {
  kind: 'gaussKruger';
  datum: GeodeticDatum;
  zoneWidth: ZoneWidth;
  zone: number;
  /** degrees east */
  centralMeridian: number;
  /** easting carries the zone number in front (Y = 38 512 345.67 in zone 38) */
  zonePrefix: boolean;
  epsg: number | undefined;
}

export interface GeographicCrs {
  kind: 'geographic';
  datum: 'CGCS2000';
  epsg: 4490;
}

export type Crs = GaussKrugerCrs | GeographicCrs;

export const cgcs2000Geographic: GeographicCrs = { kind: 'geographic', datum: 'CGCS2000', epsg: 4490 };

/** EPSG blocks: first code, datum, zone width, prefixed; zones are 13–23 (6°) or 25–45 (3°). */
const epsgBlocks: { first: number; datum: GeodeticDatum; width: ZoneWidth; prefix: boolean }[] = [
  { first: 4491, datum: 'CGCS2000', width: 6, prefix: true },
  { first: 4502, datum: 'CGCS2000', width: 6, prefix: false },
  { first: 4513, datum: 'CGCS2000', width: 3, prefix: true },
  { first: 4534, datum: 'CGCS2000', width: 3, prefix: false },
  { first: 2327, datum: 'Xian1980', width: 6, prefix: true },
  { first: 2338, datum: 'Xian1980', width: 6, prefix: false },
  { first: 2349, datum: 'Xian1980', width: 3, prefix: true },
  { first: 2370, datum: 'Xian1980', width: 3, prefix: false },
  { first: 2401, datum: 'Beijing1954', width: 3, prefix: true },
  { first: 2422, datum: 'Beijing1954', width: 3, prefix: false },
  { first: 21413, datum: 'Beijing1954', width: 6, prefix: true },
  { first: 21453, datum: 'Beijing1954', width: 6, prefix: false },
];

const firstZone = (width: ZoneWidth): number => (width === 6 ? 13 : 25);
const zoneCount = (width: ZoneWidth): number => (width === 6 ? 11 : 21);

export function centralMeridianOf(zoneWidth: ZoneWidth, zone: number): number {
  return zoneWidth === 6 ? zone * 6 - 3 : zone * 3;
}

export function zoneOfCentralMeridian(zoneWidth: ZoneWidth, cm: number): number {
  return zoneWidth === 6 ? (cm + 3) / 6 : cm / 3;
}

/** The zone width a zone number implies in China: 13–23 are 6° zones, 24–45 are 3° zones. */
export function zoneWidthOfZone(zone: number): ZoneWidth | undefined {
  if (zone >= 13 && zone <= 23) return 6;
  if (zone >= 24 && zone <= 45) return 3;
  return undefined;
}

export function epsgOf(
  datum: GeodeticDatum,
  zoneWidth: ZoneWidth,
  zone: number,
  zonePrefix: boolean,
): number | undefined {
  const block = epsgBlocks.find((b) => b.datum === datum && b.width === zoneWidth && b.prefix === zonePrefix);
  const i = zone - firstZone(zoneWidth);
  if (!block || i < 0 || i >= zoneCount(zoneWidth) || !Number.isInteger(i)) return undefined;
  return block.first + i;
}

export function gaussKruger(opts: {
  datum: GeodeticDatum;
  zoneWidth: ZoneWidth;
  zone: number;
  zonePrefix: boolean;
}): GaussKrugerCrs {
  const { datum, zoneWidth, zone, zonePrefix } = opts;
  return {
    kind: 'gaussKruger',
    datum,
    zoneWidth,
    zone,
    centralMeridian: centralMeridianOf(zoneWidth, zone),
    zonePrefix,
    epsg: epsgOf(datum, zoneWidth, zone, zonePrefix),
  };
}

/** The CRS of one of the EPSG codes 4490, 4491–4554, 2327–2390, 2401–2442, 21413–21463. */
export function crsFromEpsg(code: number): Crs | undefined {
  if (code === 4490) return cgcs2000Geographic;
  for (const b of epsgBlocks) {
    const i = code - b.first;
    if (i >= 0 && i < zoneCount(b.width)) {
      return gaussKruger({ datum: b.datum, zoneWidth: b.width, zone: firstZone(b.width) + i, zonePrefix: b.prefix });
    }
  }
  return undefined;
}

function ellipsoidParams(datum: GeodeticDatum): string {
  switch (datum) {
    case 'CGCS2000':
      return '+ellps=GRS80';
    case 'Xian1980':
      return `+a=${ellipsoids.Xian1980.a} +rf=${ellipsoids.Xian1980.rf}`;
    case 'Beijing1954':
      return '+ellps=krass';
  }
}

/**
 * proj4 definition. CGCS2000 is taken as coincident with WGS 84 (`+towgs84=0,…` is only
 * added when asked, for transforms); Xian 1980 and Beijing 1954 get `+towgs84` only from a
 * configured shift — without one proj4 does no datum shift at all.
 */
export function toProj4(crs: Crs, shift?: Helmert7): string {
  const towgs84 = shift ? ` +towgs84=${shift.join(',')}` : '';
  if (crs.kind === 'geographic') return `+proj=longlat +ellps=GRS80${towgs84} +no_defs`;
  const x0 = 500000 + (crs.zonePrefix ? crs.zone * 1_000_000 : 0);
  return (
    `+proj=tmerc +lat_0=0 +lon_0=${crs.centralMeridian} +k=1 +x_0=${x0} +y_0=0 ` +
    `${ellipsoidParams(crs.datum)}${towgs84} +units=m +no_defs`
  );
}

export function crsLabel(crs: Crs): string {
  if (crs.kind === 'geographic') return 'CGCS2000 geographic (EPSG:4490)';
  const epsg = crs.epsg ? ` (EPSG:${crs.epsg})` : '';
  return `${crs.datum} / Gauss-Kruger ${crs.zoneWidth}° zone ${crs.zone}, CM ${crs.centralMeridian}E${crs.zonePrefix ? ', zone-prefixed easting' : ''}${epsg}`;
}
