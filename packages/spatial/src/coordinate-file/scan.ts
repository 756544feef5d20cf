import { normaliseLine } from './decode.ts';
import type { IssueLog } from './issues.ts';
import { parseNumber } from './issues.ts';
import type { BoundaryPoint, ParcelHeader } from './model.ts';

export interface RawParcel {
  header: ParcelHeader;
  points: BoundaryPoint[];
  /** mining-right blocks: elevation per ring number */
  elevations: Map<number, { top: number; bottom: number }>;
  /** mining-right blocks list each corner once: closing is implied, no area is declared */
  miningBlocks?: boolean;
}

export interface ScannedFile {
  sections: Map<string, number>;
  attributes: Record<string, string>;
  attributeLines: Record<string, number>;
  project: Record<string, string>;
  registration: Record<string, string>;
  parcels: RawParcel[];
  miningRight: boolean;
  /** XYnnn= rows seen (points and elevation lines), to check against the declared total */
  miningRows: number;
  lastLine: number;
}

const ATTRIBUTE_SECTIONS = new Set(['属性描述', '项目信息', '登记项目']);
const SECTION = /^\[\s*([^\]]+?)\s*\]$/;
const KEY_VALUE = /^([^=,]+?)\s*=\s*(.*)$/;
const MINING_POINT = /^(?:XY|JD|J)?(\d+)\s*=\s*(.+)$/i;

const fieldsOf = (line: string): string[] => line.split(',').map((f) => f.trim());

/** A plot header ends with `@` (possibly followed by empty fields). */
function isPlotHeader(fields: string[]): boolean {
  const nonEmpty = fields.filter((f) => f !== '');
  return nonEmpty[nonEmpty.length - 1] === '@';
}

function parseHeader(fields: string[], line: number): ParcelHeader {
  const at = fields.lastIndexOf('@');
  const f = fields.slice(0, at);
  const count = parseNumber(f[0]);
  return {
    line,
    pointCount: count !== undefined && Number.isInteger(count) ? count : null,
    declaredAreaText: f[1] ?? '',
    no: f[2] ?? '',
    name: f[3] ?? '',
    geometryType: f[4] ?? '',
    mapSheet: f[5] ?? '',
    landUse: f[6] ?? '',
    landClassCode: f[7] ?? '',
    extraFields: f.slice(8),
  };
}

const emptyHeader = (line: number, no: string): ParcelHeader => ({
  line,
  pointCount: null,
  declaredAreaText: '',
  no,
  name: '',
  geometryType: '面',
  mapSheet: '',
  landUse: '',
  landClassCode: '',
  extraFields: [],
});

/**
 * A point row: 点号,圈号,X,Y[,…] (the standard four columns, extra columns kept), or
 * 序号,点号,圈号,X,Y[,…] in the six-column variant whose third column is the ring number.
 */
function parsePointRow(fields: string[], line: number, log: IssueLog): BoundaryPoint | undefined {
  const [f0 = '', f1 = '', f2 = '', f3 = '', f4 = ''] = fields;
  const ringAt1 = parseNumber(f1);
  const n2 = parseNumber(f2);
  const n4 = parseNumber(f4);
  const standard = n2 !== undefined && parseNumber(f3) !== undefined;
  // 序号,点号,圈号,X,Y: a ring number (small integer) in column 3 and coordinates after it
  const sixColumn =
    n2 !== undefined &&
    Number.isInteger(n2) &&
    parseNumber(f3) !== undefined &&
    n4 !== undefined &&
    (ringAt1 === undefined || (Math.abs(n2) < 1000 && Math.abs(n4) >= 1000));
  if (sixColumn) {
    return {
      name: f1,
      ringNo: parseNumber(f2) ?? 1,
      x: parseNumber(f3) ?? NaN,
      y: parseNumber(f4) ?? NaN,
      line,
      extra: fields.slice(5),
    };
  }
  if (!standard) {
    log.error(
      line,
      'NON_NUMERIC_COORDINATE',
      `point ${f0 || '(unnamed)'}: X "${f2}" or Y "${f3}" is not a number; the point is left out`,
    );
    return undefined;
  }
  const ringNo = ringAt1 !== undefined && Number.isInteger(ringAt1) ? ringAt1 : 1;
  return { name: f0, ringNo, x: parseNumber(f2) ?? NaN, y: parseNumber(f3) ?? NaN, line, extra: fields.slice(4) };
}

interface ScanState {
  out: ScannedFile;
  log: IssueLog;
  section: string | undefined;
  current: RawParcel | undefined;
  miningRing: number;
}

export function scanLines(lines: string[], log: IssueLog): ScannedFile {
  const out: ScannedFile = {
    sections: new Map(),
    attributes: {},
    attributeLines: {},
    project: {},
    registration: {},
    parcels: [],
    miningRight: false,
    miningRows: 0,
    lastLine: lines.length,
  };
  const st: ScanState = { out, log, section: undefined, current: undefined, miningRing: 1 };
  lines.forEach((raw, i) => scanLine(st, normaliseLine(raw), i + 1));
  return out;
}

function scanLine(st: ScanState, text: string, line: number): void {
  if (text === '') return;
  const section = SECTION.exec(text);
  if (section) {
    st.section = (section[1] ?? '').replace(/\s+/g, '');
    if (!st.out.sections.has(st.section)) st.out.sections.set(st.section, line);
    if (st.section === '登记项目') st.out.miningRight = true;
    return;
  }
  if (st.section === '地块坐标') return scanPlotLine(st, text, line);
  if (st.section !== undefined && ATTRIBUTE_SECTIONS.has(st.section)) return scanAttributeLine(st, text, line);
  st.log.warn(line, 'UNKNOWN_LINE', `line outside any known section is ignored: "${text.slice(0, 40)}"`);
}

function scanPlotLine(st: ScanState, text: string, line: number): void {
  const fields = fieldsOf(text);
  if (isPlotHeader(fields)) {
    st.current = { header: parseHeader(fields, line), points: [], elevations: new Map() };
    st.out.parcels.push(st.current);
    return;
  }
  if (fields.length < 4 && !fields.some((f) => parseNumber(f) !== undefined)) {
    st.log.warn(line, 'UNKNOWN_LINE', `not a plot header or point row: "${text.slice(0, 40)}"`);
    return;
  }
  // 点号,X,Y without 圈号: one ring
  const row = fields.length === 3 ? [fields[0] ?? '', '1', fields[1] ?? '', fields[2] ?? ''] : fields;
  if (row.length < 4) {
    st.log.error(line, 'NON_NUMERIC_COORDINATE', `point row has ${fields.length} columns, expected 点号,圈号,X,Y`);
    return;
  }
  const point = parsePointRow(row, line, st.log);
  if (!point) return;
  if (!st.current) {
    st.log.warn(line, 'PLOT_HEADER_INCOMPLETE', 'points before any plot header: they form a parcel without a header');
    st.current = { header: emptyHeader(line, String(st.out.parcels.length + 1)), points: [], elevations: new Map() };
    st.out.parcels.push(st.current);
  }
  st.current.points.push(point);
}

function scanAttributeLine(st: ScanState, text: string, line: number): void {
  if (st.out.miningRight && scanMiningLine(st, text, line)) return;
  const kv = KEY_VALUE.exec(text);
  if (!kv) {
    st.log.warn(line, 'UNKNOWN_LINE', `expected key=value in [${st.section}]: "${text.slice(0, 40)}"`);
    return;
  }
  const key = (kv[1] ?? '').replace(/\s+/g, '');
  const value = (kv[2] ?? '').trim();
  const target =
    st.section === '属性描述' ? st.out.attributes : st.section === '项目信息' ? st.out.project : st.out.registration;
  target[key] = value;
  if (st.section === '属性描述' || !(key in st.out.attributeLines)) st.out.attributeLines[key] = line;
}

/**
 * The mining-right layout (矿业权登记, as written by the registration systems):
 *   [登记项目]
 *   ***采矿权项目内容***                        (banner, ignored)
 *   项目名称=…  许可证号=…                      (key=value)
 *   矿区范围拐点坐标总数应小于1000个            (fixed text, ignored)
 *   矿区范围拐点坐标与标高的总行数=  6
 *   XY001=1,2588801.00,39438457.00             (序号,X,Y of one block, X northing)
 *   …
 *   XY005=标高,220,100,,1                      (closes the block: top, bottom elevation)
 * Bare `序号,X,Y` rows and `*,top,bottom` lines are read the same way. All blocks form one
 * parcel; each block is a ring with its elevation range.
 */
function scanMiningLine(st: ScanState, text: string, line: number): boolean {
  if (/^\*{3}/.test(text) || /^矿区范围拐点坐标总数/.test(text)) return true;
  const m = MINING_POINT.exec(text);
  if (m) st.out.miningRows++;
  const values = m ? fieldsOf(m[2] ?? '') : fieldsOf(text);
  if (values[0] === '*' || values[0] === '标高') {
    closeMiningBlock(st, values, line);
    return true;
  }
  if (!m && !(values.length === 3 && parseNumber(values[0]) !== undefined)) return false;
  const nums = values.map(parseNumber);
  const [x, y] = nums.length >= 3 ? [nums[1], nums[2]] : [nums[0], nums[1]];
  const name = values.length >= 3 ? (values[0] ?? '') : `XY${m?.[1] ?? ''}`;
  if (x === undefined || y === undefined) {
    st.log.error(line, 'NON_NUMERIC_COORDINATE', `point ${name}: coordinates "${values.join(',')}" are not numbers`);
    return true;
  }
  miningParcel(st, line).points.push({ name, ringNo: st.miningRing, x, y, line, extra: [] });
  return true;
}

function closeMiningBlock(st: ScanState, values: string[], line: number): void {
  const top = parseNumber(values[1]);
  const bottom = parseNumber(values[2]);
  if (top !== undefined && bottom !== undefined) miningParcel(st, line).elevations.set(st.miningRing, { top, bottom });
  st.miningRing++;
}

function miningParcel(st: ScanState, line: number): RawParcel {
  if (!st.current) {
    const reg = st.out.registration;
    const header = emptyHeader(line, reg['许可证号'] ?? reg['项目编号'] ?? reg['登记号'] ?? '1');
    header.name = reg['项目名称'] ?? reg['矿山名称'] ?? reg['矿区名称'] ?? '';
    st.current = { header, points: [], elevations: new Map(), miningBlocks: true };
    st.out.parcels.push(st.current);
  }
  return st.current;
}
