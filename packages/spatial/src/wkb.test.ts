import { describe, expect, it } from 'vitest';
import { decodePolygonsWkb, encodeMultiPolygonWkb } from './wkb.ts';
import type { Ring } from './geometry.ts';

/** Little-endian WKB writer for the parts GEOS may put in a result. */
class Writer {
  private readonly bytes: number[] = [];
  header(type: number): this {
    this.bytes.push(1);
    return this.u32(type);
  }
  u32(n: number): this {
    const v = new DataView(new ArrayBuffer(4));
    v.setUint32(0, n, true);
    this.bytes.push(...new Uint8Array(v.buffer));
    return this;
  }
  coords(...xs: number[]): this {
    const v = new DataView(new ArrayBuffer(8 * xs.length));
    xs.forEach((x, i) => v.setFloat64(8 * i, x, true));
    this.bytes.push(...new Uint8Array(v.buffer));
    return this;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

const square: Ring = [
  [0, 0],
  [1, 0],
  [1, 1],
  [0, 1],
  [0, 0],
];

describe('WKB', () => {
  it('round-trips multipolygons', () => {
    expect(decodePolygonsWkb(encodeMultiPolygonWkb([[square], [square, square]]))).toEqual([
      [square],
      [square, square],
    ]);
  });

  it('keeps the polygons of a collection whatever comes before them: lines, points, Z coordinates', () => {
    const w = new Writer()
      .header(7)
      .u32(5)
      .header(2) // LINESTRING (2 points)
      .u32(2)
      .coords(5, 5, 6, 6)
      .header(1) // POINT
      .coords(7, 7)
      .header(1002) // LINESTRING Z (ISO)
      .u32(2)
      .coords(1, 2, 3, 4, 5, 6)
      .header(3) // POLYGON
      .u32(1)
      .u32(5)
      .coords(...square.flat())
      .header(2) // LINESTRING after the polygon
      .u32(2)
      .coords(8, 8, 9, 9);
    expect(decodePolygonsWkb(w.done())).toEqual([[square]]);
  });
});
