import {
  crsFromEpsg,
  gaussKruger,
  zoneOfCentralMeridian,
  zoneWidthOfZone,
  type Crs,
  type GeodeticDatum,
  type ZoneWidth,
} from './crs.ts';

/**
 * Reads the CRS from an ESRI .prj (WKT1). Trusts an EPSG authority when present, else the
 * datum name, central meridian and false easting (a zone prefix shows as FE = zone×1e6 +
 * 500 000). The zone width comes from the name ("3_Degree"), the prefix zone number, or
 * the central meridian (only multiples of 3 that are not 6n−3 are unambiguous).
 */
export function crsFromPrj(wkt: string): Crs | undefined {
  const authority = /AUTHORITY\s*\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]\s*\]\s*$/i.exec(wkt.trim());
  const byCode = authority ? crsFromEpsg(Number(authority[1])) : undefined;
  if (byCode) return byCode;
  const datum = datumOf(wkt);
  if (!datum) return undefined;
  if (!/^\s*PROJCS/i.test(wkt)) return datum === 'CGCS2000' ? crsFromEpsg(4490) : undefined;
  const cm = parameter(wkt, 'Central_Meridian');
  const fe = parameter(wkt, 'False_Easting');
  if (cm === undefined || fe === undefined) return undefined;
  const prefixZone = fe > 1e6 ? Math.floor(fe / 1e6) : undefined;
  const width: ZoneWidth = /3_?Degree|3度/i.test(wkt)
    ? 3
    : /6_?Degree|6度/i.test(wkt)
      ? 6
      : prefixZone !== undefined
        ? (zoneWidthOfZone(prefixZone) ?? 3)
        : cm % 6 === 3
          ? 6
          : 3;
  const zone = prefixZone ?? zoneOfCentralMeridian(width, cm);
  if (!Number.isInteger(zone)) return undefined;
  return gaussKruger({ datum, zoneWidth: width, zone, zonePrefix: prefixZone !== undefined });
}

function datumOf(wkt: string): GeodeticDatum | undefined {
  const name = /DATUM\s*\[\s*"([^"]+)"/i.exec(wkt)?.[1] ?? wkt;
  if (/2000/.test(name)) return 'CGCS2000';
  if (/Xian|1980/i.test(name)) return 'Xian1980';
  if (/Beijing|1954/i.test(name)) return 'Beijing1954';
  return undefined;
}

function parameter(wkt: string, name: string): number | undefined {
  const m = new RegExp(`PARAMETER\\s*\\[\\s*"${name}"\\s*,\\s*([-+0-9.eE]+)`, 'i').exec(wkt);
  return m ? Number(m[1]) : undefined;
}
