import { describe, expect, it } from 'vitest';
import { crsFromPrj } from './prj.ts';
import { readShapefile, toLayerFeatures } from './shapefile.ts';
import { planarArea, type Position } from './geometry.ts';

/** Writes a minimal polygon .shp: each record is a list of rings (null = null shape). */
function shp(records: (Position[][] | null)[]): Uint8Array {
  const bodies = records.map((rings) => {
    if (!rings) return new Uint8Array(4); // shape type 0
    const points = rings.flat();
    const b = new DataView(new ArrayBuffer(44 + 4 * rings.length + 16 * points.length));
    b.setInt32(0, 5, true);
    b.setInt32(36, rings.length, true);
    b.setInt32(40, points.length, true);
    let start = 0;
    rings.forEach((r, i) => {
      b.setInt32(44 + 4 * i, start, true);
      start += r.length;
    });
    points.forEach(([x, y], i) => {
      b.setFloat64(44 + 4 * rings.length + 16 * i, x, true);
      b.setFloat64(44 + 4 * rings.length + 16 * i + 8, y, true);
    });
    return new Uint8Array(b.buffer);
  });
  const total = 100 + bodies.reduce((s, b) => s + 8 + b.length, 0);
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  v.setInt32(0, 9994, false);
  v.setInt32(24, total / 2, false);
  v.setInt32(28, 1000, true);
  v.setInt32(32, 5, true);
  let o = 100;
  bodies.forEach((b, i) => {
    v.setInt32(o, i + 1, false);
    v.setInt32(o + 4, b.length / 2, false);
    out.set(b, o + 8);
    o += 8 + b.length;
  });
  return out;
}

/** Writes a minimal .dbf; values are raw bytes (so tests can give GBK). */
function dbf(fields: { name: number[]; type: string; length: number }[], rows: number[][][], ldid = 0): Uint8Array {
  const headerLength = 32 + 32 * fields.length + 1;
  const recordLength = 1 + fields.reduce((s, f) => s + f.length, 0);
  const out = new Uint8Array(headerLength + recordLength * rows.length + 1).fill(0x20, headerLength);
  const v = new DataView(out.buffer);
  out[0] = 3;
  v.setUint32(4, rows.length, true);
  v.setUint16(8, headerLength, true);
  v.setUint16(10, recordLength, true);
  out[29] = ldid;
  fields.forEach((f, i) => {
    const o = 32 + 32 * i;
    out.fill(0, o, o + 32);
    out.set(f.name, o);
    out[o + 11] = f.type.charCodeAt(0);
    out[o + 16] = f.length;
  });
  out[headerLength - 1] = 0x0d;
  rows.forEach((row, r) => {
    let o = headerLength + r * recordLength + 1;
    row.forEach((value, i) => {
      out.set(value, o);
      o += fields[i]!.length;
    });
  });
  out[out.length - 1] = 0x1a;
  return out;
}

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
const E = 38500000;
const N = 3000000;
// shapefile convention: outer ring clockwise, hole counter-clockwise
const outer: Position[] = [
  [E, N],
  [E, N + 100],
  [E + 100, N + 100],
  [E + 100, N],
  [E, N],
];
const hole: Position[] = [
  [E + 40, N + 40],
  [E + 60, N + 40],
  [E + 60, N + 60],
  [E + 40, N + 60],
  [E + 40, N + 40],
];

const GBK_WATER_FIELD = [0xcb, 0xae, 0xcc, 0xef]; // 水田
const GBK_NAME = [0xb5, 0xd8, 0xc0, 0xe0, 0xc3, 0xfb, 0xb3, 0xc6]; // 地类名称

const cgcs2000Zone38 =
  'PROJCS["CGCS2000_3_Degree_GK_Zone_38",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",38500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';

describe('readShapefile', () => {
  const fields = [
    { name: ascii('DLBM'), type: 'C', length: 4 },
    { name: GBK_NAME, type: 'C', length: 10 },
    { name: ascii('MJ'), type: 'N', length: 10 },
  ];
  const rows = [
    [ascii('0101'), GBK_WATER_FIELD, ascii('    9600.5')],
    [ascii('0702'), [], []],
  ];

  it('reads polygons with holes, GBK attributes from the language driver, and the CRS from .prj', () => {
    const r = readShapefile({ shp: shp([[outer, hole], null]), dbf: dbf(fields, rows, 0x4d), prj: cgcs2000Zone38 });
    expect(r.encoding).toBe('gb18030');
    expect(r.crs).toMatchObject({ kind: 'gaussKruger', datum: 'CGCS2000', zone: 38, zonePrefix: true, epsg: 4526 });
    expect(r.features).toHaveLength(2);
    expect(r.features[0]!.properties).toEqual({ DLBM: '0101', 地类名称: '水田', MJ: 9600.5 });
    expect(planarArea(r.features[0]!.geometry)).toBe(9600);
    expect(r.features[0]!.geometry!.coordinates[0]).toHaveLength(2);
    expect(r.features[1]).toEqual({ id: 2, properties: { DLBM: '0702', 地类名称: null, MJ: null }, geometry: null });
  });

  it('honours a .cpg and otherwise guesses UTF-8 or GBK per field', () => {
    const utf8Rows = [[ascii('0101'), [...new TextEncoder().encode('水田')], ascii('1')]];
    const utf8Fields = fields.map((f) =>
      f.name === GBK_NAME ? { ...f, name: [...new TextEncoder().encode('地类')] } : f,
    );
    const withCpg = readShapefile({ shp: shp([[outer]]), dbf: dbf(utf8Fields, utf8Rows), cpg: 'UTF-8' });
    expect(withCpg.encoding).toBe('utf-8');
    expect(withCpg.features[0]!.properties['地类']).toBe('水田');
    const guessed = readShapefile({ shp: shp([[outer]]), dbf: dbf(fields, [rows[0]!]) });
    expect(guessed.features[0]!.properties['地类名称']).toBe('水田');
  });

  it('turns features into LayerIndex input keyed by the chosen fields', () => {
    const r = readShapefile({ shp: shp([[outer, hole], null]), dbf: dbf(fields, rows, 0x4d) });
    const layer = toLayerFeatures(r, { classField: 'DLBM' });
    expect(layer.map((f) => [f.id, f.classCode])).toEqual([['1', '0101']]);
  });

  it('refuses a file that is not a polygon shapefile', () => {
    expect(() => readShapefile({ shp: new Uint8Array(120) })).toThrow(/9994/);
  });
});

describe('crsFromPrj', () => {
  it('reads an unprefixed 3° CM 114E projection as EPSG:4547', () => {
    const wkt = cgcs2000Zone38.replace('Zone_38', 'CM_114E').replace('38500000.0', '500000.0');
    expect(crsFromPrj(wkt)).toMatchObject({ zone: 38, zonePrefix: false, epsg: 4547 });
  });

  it('reads Xian 1980 and an EPSG authority', () => {
    const xian = cgcs2000Zone38.replace('CGCS2000_3', 'Xian_1980_3').replace('D_China_2000', 'D_Xian_1980');
    expect(crsFromPrj(xian)).toMatchObject({ datum: 'Xian1980', epsg: 2362 });
    expect(crsFromPrj(`${cgcs2000Zone38.slice(0, -1)},AUTHORITY["EPSG","4527"]]`)).toMatchObject({
      zone: 39,
      epsg: 4527,
    });
  });

  it('reads geographic CGCS2000 as EPSG:4490', () => {
    expect(
      crsFromPrj(
        'GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]',
      ),
    ).toMatchObject({ epsg: 4490 });
  });
});
