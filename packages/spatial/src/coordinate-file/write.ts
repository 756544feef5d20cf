import type { BoundaryPoint, Parcel, ParcelRing, ParsedCoordinateFile } from './model.ts';
import { standardKeys } from './resolve-crs.ts';

export interface WriteOptions {
  /** default CRLF, as the ministry's tools write */
  lineEnding?: '\r\n' | '\n';
}

const DATUM_NAMES = {
  CGCS2000: '2000国家大地坐标系',
  Xian1980: '1980西安坐标系',
  Beijing1954: '1954北京坐标系',
} as const;

function attributeLines(parsed: ParsedCoordinateFile): string[] {
  const { crs, attributes } = parsed;
  const derived: Record<string, string> = {
    坐标系: crs.coordinateSystem || DATUM_NAMES[crs.datum],
    几度分带: crs.zoneWidth !== null ? String(crs.zoneWidth) : '',
    投影类型: '高斯克吕格',
    计量单位: crs.unit || '米',
    带号: crs.zone !== null ? String(crs.zone) : '',
    精度: crs.precision !== null ? String(crs.precision) : '',
    转换参数: crs.transformParameters ? crs.transformParameters.join(',') : ',,,,,,',
  };
  const value = (k: string): string => (k in derived ? (derived[k] ?? '') : (attributes[k] ?? ''));
  const extra = Object.keys(attributes).filter((k) => !standardKeys.includes(k) && k !== '分带');
  return [
    '[属性描述]',
    ...standardKeys.map((k) => `${k}=${value(k)}`),
    ...extra.map((k) => `${k}=${attributes[k] ?? ''}`),
  ];
}

function formatter(precision: number | null): (v: number) => string {
  const decimals = precision ? Math.max(0, Math.round(-Math.log10(precision))) : undefined;
  return (v) => {
    if (decimals === undefined) return String(v);
    const fixed = v.toFixed(decimals);
    return Number(fixed) === v ? fixed : String(v);
  };
}

function ringRows(ring: ParcelRing, fmt: (v: number) => string): string[] {
  const row = (p: BoundaryPoint, name = p.name): string =>
    [name, ring.ringNo, fmt(p.x), fmt(p.y), ...p.extra].join(',');
  const first = ring.points[0];
  if (!first) return [];
  return [...ring.points.map((p) => row(p)), row(first)];
}

function parcelLines(p: Parcel, fmt: (v: number) => string): string[] {
  const rows = p.rings.flatMap((r) => ringRows(r, fmt));
  const header = [
    rows.length,
    p.declaredAreaText,
    p.no,
    p.name,
    p.geometryType || '面',
    p.mapSheet,
    p.landUse,
    p.landClassCode,
    ...p.extraFields,
    '@',
  ];
  return [header.join(','), ...rows];
}

/**
 * Writes the exchange text back: [属性描述] with the resolved coordinate system, then
 * [地块坐标] with each ring closed by repeating its first point. X/Y come out in the
 * standard order even if the source had them swapped. Returns text; encode it to GBK at
 * the edge if the recipient needs it.
 */
export function writeCoordinateFile(parsed: ParsedCoordinateFile, opts: WriteOptions = {}): string {
  const fmt = formatter(parsed.crs.precision);
  const project = Object.entries(parsed.project);
  const lines = [
    ...(project.length > 0 ? ['[项目信息]', ...project.map(([k, v]) => `${k}=${v}`)] : []),
    ...attributeLines(parsed),
    '[地块坐标]',
    ...parsed.parcels.flatMap((p) => parcelLines(p, fmt)),
  ];
  const eol = opts.lineEnding ?? '\r\n';
  return lines.join(eol) + eol;
}
