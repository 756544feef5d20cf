import { AppError } from '@guotu/domain';
import type { Crs } from './crs.ts';
import type { MultiPolygonGeometry, Position } from './geometry.ts';
import type { LayerFeature } from './layer-index.ts';
import { crsFromPrj } from './prj.ts';
import { assembleRings } from './rings.ts';

export type AttributeValue = string | number | boolean | null;

export interface ShapeFeature {
  /** 1-based record number */
  id: number;
  properties: Record<string, AttributeValue>;
  /** null for a null shape */
  geometry: MultiPolygonGeometry | null;
}

export interface ShapefileInput {
  shp: Uint8Array;
  dbf?: Uint8Array;
  prj?: Uint8Array | string;
  cpg?: Uint8Array | string;
}

export interface ShapefileResult {
  features: ShapeFeature[];
  crs: Crs | undefined;
  /** the encoding the attributes were decoded with */
  encoding: string;
}

const asText = (x: Uint8Array | string | undefined): string | undefined =>
  x === undefined ? undefined : typeof x === 'string' ? x : new TextDecoder('utf-8').decode(x).replace(/^\uFEFF/, '');

/**
 * Polygon shapefiles from their buffers (.shp, optional .dbf/.prj/.cpg). Attributes are
 * decoded as the .cpg says, else as the dBASE language driver says (0x4D = GBK), else per
 * field as strict UTF-8 falling back to GB18030 — Chinese shapefiles are mostly GBK.
 * Rings are assembled by containment, not by their winding.
 */
export function readShapefile(input: ShapefileInput): ShapefileResult {
  const geometries = readShp(input.shp);
  const { rows, encoding } = input.dbf ? readDbf(input.dbf, asText(input.cpg)) : { rows: [], encoding: 'none' };
  const prj = asText(input.prj);
  return {
    features: geometries.map((geometry, i) => ({ id: i + 1, properties: rows[i] ?? {}, geometry })),
    crs: prj ? crsFromPrj(prj) : undefined,
    encoding,
  };
}

const POLYGON_TYPES = new Set([5, 15, 25]);

function readShp(bytes: Uint8Array): (MultiPolygonGeometry | null)[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 100 || v.getInt32(0, false) !== 9994)
    throw new AppError('GEOMETRY_INVALID', 'not a .shp file (file code 9994 missing)');
  const shapeType = v.getInt32(32, true);
  if (!POLYGON_TYPES.has(shapeType))
    throw new AppError('GEOMETRY_INVALID', `only polygon shapefiles are read (shape type ${shapeType})`);
  const out: (MultiPolygonGeometry | null)[] = [];
  let o = 100;
  while (o + 8 <= bytes.length) {
    const length = v.getInt32(o + 4, false) * 2;
    out.push(readPolygonRecord(v, o + 8));
    o += 8 + length;
  }
  return out;
}

function readPolygonRecord(v: DataView, o: number): MultiPolygonGeometry | null {
  if (v.getInt32(o, true) === 0) return null;
  const numParts = v.getInt32(o + 36, true);
  const numPoints = v.getInt32(o + 40, true);
  const partsAt = o + 44;
  const pointsAt = partsAt + 4 * numParts;
  const rings: Position[][] = [];
  for (let p = 0; p < numParts; p++) {
    const start = v.getInt32(partsAt + 4 * p, true);
    const end = p + 1 < numParts ? v.getInt32(partsAt + 4 * (p + 1), true) : numPoints;
    const ring: Position[] = [];
    for (let i = start; i < end; i++)
      ring.push([v.getFloat64(pointsAt + 16 * i, true), v.getFloat64(pointsAt + 16 * i + 8, true)]);
    if (ring.length >= 4) rings.push(ring);
  }
  return { type: 'MultiPolygon', coordinates: assembleRings(rings).polygons };
}

interface DbfField {
  name: string;
  type: string;
  length: number;
}

function encodingOf(cpg: string | undefined, ldid: number): string | undefined {
  const c = cpg?.trim().toUpperCase();
  if (c) {
    if (/^(UTF-?8|65001)$/.test(c)) return 'utf-8';
    if (/^(GBK|CP936|936|GB2312|GB18030|ANSI 936)$/.test(c)) return 'gb18030';
    return c.toLowerCase();
  }
  return ldid === 0x4d ? 'gb18030' : undefined;
}

function decoderFor(encoding: string | undefined): (b: Uint8Array) => string {
  if (encoding) {
    const d = new TextDecoder(encoding);
    return (b) => d.decode(b);
  }
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const gb = new TextDecoder('gb18030');
  return (b) => {
    try {
      return utf8.decode(b);
    } catch {
      return gb.decode(b); // not UTF-8: the usual GBK of Chinese desktop GIS
    }
  };
}

function readDbf(
  bytes: Uint8Array,
  cpg: string | undefined,
): { rows: Record<string, AttributeValue>[]; encoding: string } {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = v.getUint32(4, true);
  const headerLength = v.getUint16(8, true);
  const recordLength = v.getUint16(10, true);
  const encoding = encodingOf(cpg, bytes[29] ?? 0);
  const decode = decoderFor(encoding);
  const fields: DbfField[] = [];
  for (let o = 32; o + 32 <= headerLength && bytes[o] !== 0x0d; o += 32) {
    const raw = bytes.subarray(o, o + 11);
    const end = raw.indexOf(0);
    fields.push({
      name: decode(raw.subarray(0, end < 0 ? 11 : end)).trim(),
      type: String.fromCharCode(bytes[o + 11] ?? 0x43),
      length: bytes[o + 16] ?? 0,
    });
  }
  const rows: Record<string, AttributeValue>[] = [];
  for (let r = 0; r < count; r++) {
    let o = headerLength + r * recordLength + 1;
    const row: Record<string, AttributeValue> = {};
    for (const f of fields) {
      row[f.name] = fieldValue(f.type, decode(bytes.subarray(o, o + f.length)).trim());
      o += f.length;
    }
    rows.push(row);
  }
  return { rows, encoding: encoding ?? 'utf-8/gb18030 by field' };
}

function fieldValue(type: string, text: string): AttributeValue {
  switch (type) {
    case 'N':
    case 'F': {
      const n = Number(text);
      return text === '' || Number.isNaN(n) ? null : n;
    }
    case 'L':
      return /^[YyTt]$/.test(text) ? true : /^[NnFf]$/.test(text) ? false : null;
    default:
      return text === '' ? null : text;
  }
}

export interface LayerFieldMap {
  /** attribute holding the class code (e.g. DLBM 地类编码); absent → '' */
  classField?: string;
  /** attribute holding a stable id (e.g. BSM 标识码); absent → the record number */
  idField?: string;
}

/** Shapefile features as LayerIndex input; null shapes are dropped. */
export function toLayerFeatures(result: ShapefileResult, fields: LayerFieldMap = {}): LayerFeature[] {
  return result.features.flatMap((f) => {
    if (!f.geometry) return [];
    const id = fields.idField !== undefined ? f.properties[fields.idField] : undefined;
    const cls = fields.classField !== undefined ? f.properties[fields.classField] : undefined;
    return [
      {
        id: id === undefined || id === null ? String(f.id) : String(id),
        classCode: cls === undefined || cls === null ? '' : String(cls),
        attrs: f.properties,
        geometry: f.geometry,
      },
    ];
  });
}
