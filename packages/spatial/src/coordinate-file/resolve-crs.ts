import {
  centralMeridianOf,
  gaussKruger,
  toProj4,
  zoneOfCentralMeridian,
  zoneWidthOfZone,
  type GeodeticDatum,
  type Helmert7,
  type ZoneWidth,
} from '../crs.ts';
import { parseNumber, type IssueLog } from './issues.ts';
import type { BoundaryPoint, ResolvedCrs } from './model.ts';
import type { ScannedFile } from './scan.ts';

const aliases: Record<string, string[]> = {
  坐标系: ['坐标系', '坐标系统', '坐标系名称'],
  几度分带: ['几度分带', '分带', '分带方式', '分带类型'],
  带号: ['带号', '投影带号'],
  计量单位: ['计量单位', '单位'],
  精度: ['精度', '坐标精度'],
  转换参数: ['转换参数', '坐标转换参数'],
  投影类型: ['投影类型', '投影方式'],
};

export const standardKeys = [
  '格式版本号',
  '数据产生单位',
  '数据产生日期',
  '坐标系',
  '几度分带',
  '投影类型',
  '计量单位',
  '带号',
  '精度',
  '转换参数',
];

interface Lookup {
  value: string | undefined;
  line: number;
}

function lookup(file: ScannedFile, key: string): Lookup {
  for (const k of aliases[key] ?? [key]) {
    for (const source of [file.attributes, file.registration, file.project]) {
      const v = source[k];
      if (v !== undefined) return { value: v, line: file.attributeLines[k] ?? 0 };
    }
  }
  return { value: undefined, line: file.sections.get('属性描述') ?? 0 };
}

function datumOf(text: string): GeodeticDatum | undefined {
  if (/2000|CGCS|国家大地/i.test(text)) return 'CGCS2000';
  if (/西安|xian|1980|80/i.test(text)) return 'Xian1980';
  if (/北京|beijing|1954|54/i.test(text)) return 'Beijing1954';
  return undefined;
}

function zoneWidthOf(text: string | undefined): ZoneWidth | undefined {
  if (!text) return undefined;
  if (/^\s*(3|三)/.test(text)) return 3;
  if (/^\s*(6|六)/.test(text)) return 6;
  return undefined;
}

// Northings in China run from about 2 000 000 m (18°N) to 5 900 000 m (53°N); eastings are
// 500 000 ± 350 000 m, or that plus zone × 1 000 000 when prefixed.
const isNorthing = (v: number): boolean => v >= 1e6 && v < 1e7;
const isEasting = (v: number): boolean => (v > 0 && v < 1e6) || (v >= 1.3e7 && v < 4.6e7);

/** Swaps X and Y in place when most points have the easting in the X column. */
export function fixSwappedXY(points: BoundaryPoint[], log: IssueLog): boolean {
  const swapped = points.filter((p) => isEasting(p.x) && isNorthing(p.y));
  const normal = points.filter((p) => isNorthing(p.x) && isEasting(p.y)).length;
  if (swapped.length === 0 || swapped.length <= normal) return false;
  for (const p of points) [p.x, p.y] = [p.y, p.x];
  log.warn(
    swapped[0]?.line ?? 0,
    'XY_SWAPPED',
    `X and Y are swapped in ${swapped.length} of ${points.length} points (X must be the northing, Y the easting); read them swapped back`,
  );
  return true;
}

/** Zone numbers in front of the easting (Y = 38 512 345.67 → 38), most common first. */
function prefixZones(points: BoundaryPoint[]): Map<number, number> {
  const zones = new Map<number, number>();
  for (const p of points) {
    if (p.y >= 1e7) zones.set(Math.floor(p.y / 1e6), (zones.get(Math.floor(p.y / 1e6)) ?? 0) + 1);
  }
  return new Map([...zones].sort((a, b) => b[1] - a[1]));
}

function parseTransform(text: string | undefined): Helmert7 | null {
  const nums = (text ?? '').split(',').map(parseNumber);
  if (nums.length !== 7 || nums.some((n) => n === undefined)) return null;
  return nums as Helmert7;
}

function parsePrecision(l: Lookup, log: IssueLog): number | null {
  const v = parseNumber(l.value);
  if (v === undefined || v <= 0) return null;
  if (Number.isInteger(v) && v >= 1 && v <= 10) {
    log.warn(l.line, 'PRECISION_AS_DIGITS', `精度=${l.value} read as ${v} decimal places (a step of ${10 ** -v} m)`);
    return 10 ** -v;
  }
  return v;
}

interface ZoneChoice {
  zone: number | null;
  zoneWidth: ZoneWidth | null;
  prefixed: boolean;
}

/** 带号 as a zone number; a value over 60 is a central meridian (117 → 3° zone 39). */
function headerZoneOf(zoneL: Lookup, width: ZoneWidth | null, log: IssueLog): number | null {
  const value = parseNumber(zoneL.value) ?? null;
  if (value === null || value <= 60) return value;
  const w = width ?? 3;
  const zone = zoneOfCentralMeridian(w, value);
  log.warn(zoneL.line, 'ZONE_MISMATCH', `带号=${value} is a central meridian, read as ${w}° zone ${zone}`);
  return Number.isInteger(zone) ? zone : null;
}

function reportZone(zoneL: Lookup, prefixZone: number | null, headerZone: number | null, log: IssueLog): void {
  if (prefixZone !== null && headerZone !== null && prefixZone !== headerZone) {
    const msg = `带号=${headerZone} but the eastings carry zone prefix ${prefixZone}; zone ${prefixZone} is used`;
    log.warn(zoneL.line, 'ZONE_MISMATCH', msg);
  } else if (prefixZone !== null && headerZone === null) {
    log.warn(zoneL.line, 'ZONE_INFERRED', `带号 is missing; zone ${prefixZone} taken from the easting prefix`);
  } else if (prefixZone === null && headerZone === null) {
    const msg =
      '带号 is missing and the eastings carry no zone prefix: the map position is unknown (areas are still computed)';
    log.warn(zoneL.line, 'ZONE_UNKNOWN', msg);
  }
}

/** 几度分带 as declared, else as the zone number implies (13–23: 6°, 24–45: 3°). */
function reconcileWidth(widthL: Lookup, zone: number | null, prefixed: boolean, log: IssueLog): ZoneWidth | null {
  const declared = zoneWidthOf(widthL.value) ?? null;
  const implied = zone !== null ? (zoneWidthOfZone(zone) ?? null) : null;
  if (declared === null && implied !== null) {
    log.warn(widthL.line, 'ZONE_WIDTH_INFERRED', `几度分带 is missing; zone ${zone} is a ${implied}° zone`);
    return implied;
  }
  if (declared !== null && implied !== null && declared !== implied && prefixed) {
    const msg = `几度分带=${declared} but zone ${zone} is a ${implied}° zone number; ${implied}° is used`;
    log.warn(widthL.line, 'ZONE_MISMATCH', msg);
    return implied;
  }
  return declared;
}

function chooseZone(file: ScannedFile, points: BoundaryPoint[], log: IssueLog): ZoneChoice {
  const zoneL = lookup(file, '带号');
  const widthL = lookup(file, '几度分带');
  const prefixes = [...prefixZones(points).keys()];
  const prefixZone = prefixes[0] ?? null;
  if (prefixes.length > 1) {
    const msg = `eastings carry several zone prefixes (${prefixes.join(', ')}); zone ${prefixZone} is used`;
    log.warn(0, 'MIXED_ZONES', msg);
  }
  const headerZone = headerZoneOf(zoneL, zoneWidthOf(widthL.value) ?? null, log);
  reportZone(zoneL, prefixZone, headerZone, log);
  const zone = prefixZone ?? headerZone;
  return { zone, zoneWidth: reconcileWidth(widthL, zone, prefixZone !== null, log), prefixed: prefixZone !== null };
}

/** Works out the CRS from [属性描述] and the coordinates themselves; swaps X/Y if needed. */
export function resolveCrs(file: ScannedFile, points: BoundaryPoint[], log: IssueLog): ResolvedCrs {
  const xySwapped = fixSwappedXY(points, log);
  const csL = lookup(file, '坐标系');
  let datum = datumOf(csL.value ?? '');
  if (!datum) {
    log.warn(csL.line, 'COORDINATE_SYSTEM_ASSUMED', `坐标系 "${csL.value ?? ''}" not recognised; CGCS2000 assumed`);
    datum = 'CGCS2000';
  }
  const transformL = lookup(file, '转换参数');
  const transformParameters = parseTransform(transformL.value);
  if (datum !== 'CGCS2000' && (!transformParameters || transformParameters.every((v) => v === 0))) {
    log.warn(
      transformL.line,
      'DATUM_SHIFT_MISSING',
      `${datum} coordinates without 转换参数 to CGCS2000: configure a 7-parameter shift before overlaying with CGCS2000 layers`,
    );
  }
  const { zone, zoneWidth, prefixed } = chooseZone(file, points, log);
  const gk = zone !== null && zoneWidth !== null ? gaussKruger({ datum, zoneWidth, zone, zonePrefix: prefixed }) : null;
  return {
    coordinateSystem: csL.value ?? '',
    datum,
    zoneWidth,
    zone,
    centralMeridian: zone !== null && zoneWidth !== null ? centralMeridianOf(zoneWidth, zone) : null,
    zonePrefix: prefixed,
    epsg: gk?.epsg ?? null,
    proj4: gk ? toProj4(gk, transformParameters ?? undefined) : null,
    unit: lookup(file, '计量单位').value ?? '',
    precision: parsePrecision(lookup(file, '精度'), log),
    transformParameters,
    xySwapped,
    gaussKruger: gk,
  };
}
