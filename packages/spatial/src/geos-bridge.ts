import type initGeosJs from 'geos-wasm';
import { AppError } from '@guotu/domain';
import { polygonsOf, type AreaGeometry, type Position, type Ring } from './geometry.ts';
import type { OverlayOp } from './geos-engine.ts';
import { decodePolygonsWkb, encodeMultiPolygonWkb } from './wkb.ts';

export type Geos = Awaited<ReturnType<typeof initGeosJs>>;
export type GeomPtr = number;

/**
 * The pointer-level side of GEOS: geometries cross as WKB through WASM memory (never as
 * WKT), every buffer is freed in `finally`, and GEOS' error messages become AppErrors.
 */
export class GeosBridge {
  constructor(
    readonly geos: Geos,
    private readonly errors: string[],
  ) {}

  /** Frees a GEOS geometry (0 is ignored). */
  destroy(ptr: GeomPtr): void {
    if (ptr) this.geos.GEOSGeom_destroy(ptr);
  }

  callOp(op: OverlayOp, a: GeomPtr, b: GeomPtr, grid: number | undefined): GeomPtr {
    const g = this.geos;
    if (grid !== undefined && grid > 0) {
      switch (op) {
        case 'intersection':
          return g.GEOSIntersectionPrec(a, b, grid);
        case 'union':
          return g.GEOSUnionPrec(a, b, grid);
        case 'difference':
          return g.GEOSDifferencePrec(a, b, grid);
        case 'symDifference':
          return g.GEOSSymDifferencePrec(a, b, grid);
      }
    }
    switch (op) {
      case 'intersection':
        return g.GEOSIntersection(a, b);
      case 'union':
        return g.GEOSUnion(a, b);
      case 'difference':
        return g.GEOSDifference(a, b);
      case 'symDifference':
        return g.GEOSSymDifference(a, b);
    }
  }

  failure(what: string): AppError {
    const message = this.errors.splice(0).join('; ') || 'GEOS returned no result';
    return new AppError('GEOMETRY_INVALID', `${what} failed: ${message}`);
  }

  toGeos(g: AreaGeometry): GeomPtr {
    const wkb = encodeMultiPolygonWkb(polygonsOf(g));
    const { Module: M } = this.geos;
    const buf = M._malloc(wkb.length);
    try {
      M.HEAPU8.set(wkb, buf);
      const ptr = this.geos.GEOSGeomFromWKB_buf(buf, wkb.length);
      if (!ptr) throw this.failure('reading geometry');
      return ptr;
    } finally {
      M._free(buf);
    }
  }

  readPolygons(ptr: GeomPtr): Ring[][] {
    const { Module: M } = this.geos;
    const sizePtr = M._malloc(4);
    try {
      const wkbPtr = this.geos.GEOSGeomToWKB_buf(ptr, sizePtr);
      if (!wkbPtr) throw this.failure('writing geometry');
      const size = M.getValue(sizePtr, 'i32');
      const bytes = M.HEAPU8.slice(wkbPtr, wkbPtr + size);
      this.geos.GEOSFree(wkbPtr);
      return decodePolygonsWkb(bytes);
    } finally {
      M._free(sizePtr);
    }
  }

  area(ptr: GeomPtr): number {
    const { Module: M } = this.geos;
    const out = M._malloc(8);
    try {
      if (!this.geos.GEOSArea(ptr, out)) throw this.failure('area');
      return M.getValue(out, 'double');
    } finally {
      M._free(out);
    }
  }

  pointCoords(ptr: GeomPtr): Position {
    const { Module: M } = this.geos;
    const out = M._malloc(16);
    try {
      this.geos.GEOSGeomGetX(ptr, out);
      this.geos.GEOSGeomGetY(ptr, out + 8);
      return [M.getValue(out, 'double'), M.getValue(out + 8, 'double')];
    } finally {
      M._free(out);
    }
  }
}
