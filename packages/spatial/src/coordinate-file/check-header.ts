import type { IssueLog } from './issues.ts';
import type { RawParcel } from './scan.ts';

// Column names that ArcGIS exports leave in place of values (地块名称, 图幅号, 地块用途, 地类编码).
const PLACEHOLDERS = /^(FID(_\d+)?|OBJECTID|DKMC|DKBH|DKH|TFH|DKYT|DLBM|DLMC|MJ)$/i;
const GEOMETRY_TYPES = new Set(['面', '线', '点']);

/** Findings about the plot header line itself: counts, placeholders, shifted fields. */
export function checkHeader(raw: RawParcel, log: IssueLog): void {
  const h = raw.header;
  const no = h.no || '?';
  if (h.pointCount !== null && h.pointCount !== raw.points.length) {
    log.warn(
      h.line,
      'POINT_COUNT_MISMATCH',
      `parcel ${no}: header says ${h.pointCount} boundary points, ${raw.points.length} point rows follow`,
    );
  }
  const fields = { 地块号: h.no, 地块名称: h.name, 图幅号: h.mapSheet, 地块用途: h.landUse, 地类编码: h.landClassCode };
  const placeholders = Object.entries(fields).filter(([, v]) => PLACEHOLDERS.test(v.trim()));
  if (placeholders.length > 0) {
    log.warn(
      h.line,
      'PLOT_HEADER_PLACEHOLDERS',
      `parcel ${no}: header holds column names instead of values (${placeholders.map(([k, v]) => `${k}=${v}`).join(', ')})`,
    );
  }
  if (GEOMETRY_TYPES.has(h.geometryType)) return;
  const elsewhere = Object.entries(fields).find(([, v]) => GEOMETRY_TYPES.has(v) || /地块|宗地/.test(v));
  if (elsewhere && h.geometryType === '') {
    log.warn(
      h.line,
      'PLOT_HEADER_SHIFTED',
      `parcel ${no}: 图形属性 is empty and "${elsewhere[1]}" sits in ${elsewhere[0]}: the header fields look shifted`,
    );
  } else {
    log.warn(h.line, 'PLOT_HEADER_INCOMPLETE', `parcel ${no}: 图形属性 is "${h.geometryType}", expected 面`);
  }
}
