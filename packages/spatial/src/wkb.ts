import type { Position, Ring } from './geometry.ts';

/**
 * Little-endian 2D WKB for polygons and multipolygons (what we hand to GEOS), and a reader
 * that keeps only the polygonal parts of whatever GEOS returns (an intersection of two
 * polygons can also yield lines and points where they touch).
 */
export function encodeMultiPolygonWkb(polygons: readonly (readonly (readonly Position[])[])[]): Uint8Array {
  let size = 9;
  for (const poly of polygons) {
    size += 9;
    for (const ring of poly) size += 4 + ring.length * 16;
  }
  const buf = new ArrayBuffer(size);
  const v = new DataView(buf);
  let o = 0;
  const header = (type: number, count: number): void => {
    v.setUint8(o, 1);
    v.setUint32(o + 1, type, true);
    v.setUint32(o + 5, count, true);
    o += 9;
  };
  header(6, polygons.length);
  for (const poly of polygons) {
    header(3, poly.length);
    for (const ring of poly) {
      v.setUint32(o, ring.length, true);
      o += 4;
      for (const p of ring) {
        v.setFloat64(o, p[0], true);
        v.setFloat64(o + 8, p[1], true);
        o += 16;
      }
    }
  }
  return new Uint8Array(buf);
}

interface Cursor {
  v: DataView;
  o: number;
}

/** Reads WKB (ISO or EWKB flags, any byte order) into a list of polygons. */
export function decodePolygonsWkb(bytes: Uint8Array): Ring[][] {
  const c: Cursor = { v: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), o: 0 };
  const out: Ring[][] = [];
  readGeometry(c, out);
  return out;
}

function readGeometry(c: Cursor, out: Ring[][]): void {
  const le = c.v.getUint8(c.o) === 1;
  const raw = c.v.getUint32(c.o + 1, le);
  c.o += 5;
  if (raw & 0x20000000) c.o += 4; // EWKB SRID
  const hasZ = (raw & 0x80000000) !== 0 || Math.floor((raw & 0xffff) / 1000) % 2 === 1;
  const hasM = (raw & 0x40000000) !== 0 || Math.floor((raw & 0xffff) / 1000) >= 2;
  const dims = 2 + (hasZ ? 1 : 0) + (hasM ? 1 : 0);
  const type = (raw & 0xffff) % 1000;
  switch (type) {
    case 1:
      c.o += 8 * dims;
      return;
    case 2: {
      // read the count first: `c.o += … readCount(c)` would add to the offset from before
      // the count and land 4 bytes short, garbling every part after a line string
      const n = readCount(c, le);
      c.o += 8 * dims * n;
      return;
    }
    case 3:
      out.push(readPolygon(c, le, dims));
      return;
    default: {
      const n = readCount(c, le);
      for (let i = 0; i < n; i++) readGeometry(c, out);
    }
  }
}

function readCount(c: Cursor, le: boolean): number {
  const n = c.v.getUint32(c.o, le);
  c.o += 4;
  return n;
}

function readPolygon(c: Cursor, le: boolean, dims: number): Ring[] {
  const rings: Ring[] = [];
  const nRings = readCount(c, le);
  for (let r = 0; r < nRings; r++) {
    const n = readCount(c, le);
    const ring: Ring = [];
    for (let i = 0; i < n; i++) {
      ring.push([c.v.getFloat64(c.o, le), c.v.getFloat64(c.o + 8, le)]);
      c.o += 8 * dims;
    }
    rings.push(ring);
  }
  return rings;
}
