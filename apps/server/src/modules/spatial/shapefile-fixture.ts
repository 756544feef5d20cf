/**
 * A tiny polygon shapefile set built in memory for the API tests: one-ring polygons, a .dbf
 * with a class code and a GBK-encoded name (written as raw bytes; LDID 0x4D = GBK), and a .prj
 * for CGCS2000 3° zone 38 with the zone prefix (EPSG:4526).
 */
type Ring = Array<[number, number]>;

export function shpOf(rings: Ring[]): Buffer {
  const bodies = rings.map((ring) => {
    const b = Buffer.alloc(44 + 4 + 16 * ring.length);
    b.writeInt32LE(5, 0);
    b.writeInt32LE(1, 36);
    b.writeInt32LE(ring.length, 40);
    b.writeInt32LE(0, 44);
    ring.forEach(([x, y], i) => {
      b.writeDoubleLE(x, 48 + 16 * i);
      b.writeDoubleLE(y, 56 + 16 * i);
    });
    return b;
  });
  const total = 100 + bodies.reduce((s, b) => s + 8 + b.length, 0);
  const head = Buffer.alloc(100);
  head.writeInt32BE(9994, 0);
  head.writeInt32BE(total / 2, 24);
  head.writeInt32LE(1000, 28);
  head.writeInt32LE(5, 32);
  const records = bodies.map((b, i) => {
    const h = Buffer.alloc(8);
    h.writeInt32BE(i + 1, 0);
    h.writeInt32BE(b.length / 2, 4);
    return Buffer.concat([h, b]);
  });
  return Buffer.concat([head, ...records]);
}

/** Fields DLBM (C 4) and MC (C 20); `names` are GBK bytes. */
export function dbfOf(rows: Array<{ dlbm: string; name: Buffer }>): Buffer {
  const fields = [
    { name: 'DLBM', length: 4 },
    { name: 'MC', length: 20 },
  ];
  const headerLength = 32 + 32 * fields.length + 1;
  const recordLength = 1 + fields.reduce((s, f) => s + f.length, 0);
  const out = Buffer.alloc(headerLength + recordLength * rows.length + 1, 0x20);
  out.fill(0, 0, headerLength);
  out[0] = 3;
  out.writeUInt32LE(rows.length, 4);
  out.writeUInt16LE(headerLength, 8);
  out.writeUInt16LE(recordLength, 10);
  out[29] = 0x4d;
  fields.forEach((f, i) => {
    const o = 32 + 32 * i;
    out.write(f.name, o, 'latin1');
    out[o + 11] = 'C'.charCodeAt(0);
    out[o + 16] = f.length;
  });
  out[headerLength - 1] = 0x0d;
  rows.forEach((r, i) => {
    const o = headerLength + recordLength * i;
    out.write(r.dlbm, o + 1, 'latin1');
    r.name.copy(out, o + 1 + 4);
  });
  out[out.length - 1] = 0x1a;
  return out;
}

export const prjZone38 =
  'PROJCS["CGCS2000_3_Degree_GK_Zone_38",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",38500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';

// 水田 and 旱地 in GBK
export const GBK_SHUITIAN = Buffer.from([0xcb, 0xae, 0xcc, 0xef]);
export const GBK_HANDI = Buffer.from([0xba, 0xb5, 0xb5, 0xd8]);
