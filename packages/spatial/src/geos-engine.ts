import initGeosJs from 'geos-wasm';
import {
  envelopeOf,
  isEmptyGeometry,
  planarArea,
  toMultiPolygon,
  translate,
  type AreaGeometry,
  type MultiPolygonGeometry,
  type Position,
} from './geometry.ts';
import { isAppError, type AppError } from '@guotu/domain';
import { GeosBridge, type Geos, type GeomPtr } from './geos-bridge.ts';
import { polyclipOverlay } from './polyclip-fallback.ts';
import { alternativeOrigin, localOrigin } from './origin.ts';

export type OverlayOp = 'intersection' | 'union' | 'difference' | 'symDifference';

export interface OverlayOptions {
  /**
   * Snap-rounding grid in the units of the coordinates (metres for Gauss–Krüger). Omitted:
   * floating precision (GEOS OverlayNG with its own robustness fallbacks).
   */
  gridSize?: number;
}

export interface ClipPiece {
  /** planar area of the piece, in square units of the coordinates */
  area: number;
  geometry: MultiPolygonGeometry;
}

export interface ValidationResult {
  valid: boolean;
  reason?: string;
  location?: Position;
}

/**
 * Polygon overlay backed by GEOS 3.13 (geos-wasm). Inputs cross into WASM as WKB after a
 * shift to a local origin (the rounded centre of both envelopes), so 8-digit Gauss–Krüger
 * coordinates are clipped with their centimetres intact; results are shifted back.
 * One instance owns one WASM module; it is not shared between threads.
 */
export interface GeometryEngine {
  overlay(op: OverlayOp, a: AreaGeometry | null, b: AreaGeometry | null, opts?: OverlayOptions): MultiPolygonGeometry;
  /** Area of an overlay result without converting it back to coordinates. */
  overlayArea(op: OverlayOp, a: AreaGeometry | null, b: AreaGeometry | null, opts?: OverlayOptions): number;
  intersection(a: AreaGeometry | null, b: AreaGeometry | null, opts?: OverlayOptions): MultiPolygonGeometry;
  union(a: AreaGeometry | null, b: AreaGeometry | null, opts?: OverlayOptions): MultiPolygonGeometry;
  difference(a: AreaGeometry | null, b: AreaGeometry | null, opts?: OverlayOptions): MultiPolygonGeometry;
  symDifference(a: AreaGeometry | null, b: AreaGeometry | null, opts?: OverlayOptions): MultiPolygonGeometry;
  /** Planar area of a polygonal geometry (in the square units of its coordinates). */
  area(g: AreaGeometry | null): number;
  /**
   * Intersects one polygon (a parcel) with many: the clip geometry is converted and
   * prepared once; pieces wholly inside it are returned as they are, without clipping.
   */
  intersectEach(clip: AreaGeometry, others: readonly AreaGeometry[]): ClipPiece[];
  validate(g: AreaGeometry): ValidationResult;
  makeValid(g: AreaGeometry): MultiPolygonGeometry;
  readonly geosVersion: string;
}

/** Creates an engine around a fresh GEOS WASM instance (about 40 ms). */
export async function createGeometryEngine(): Promise<GeometryEngine> {
  const errors: string[] = [];
  const geos = await initGeosJs({
    errorHandler: (m: string) => errors.push(m),
    noticeHandler: () => undefined,
  });
  return new GeosEngine(geos, errors);
}

/**
 * The answer when an input is empty: `null` for an empty result, the other input when
 * it passes through (union, symmetric difference, A − ∅), which GEOS then dissolves.
 */
function emptyInputAnswer(
  op: OverlayOp,
  a: AreaGeometry | null,
  b: AreaGeometry | null,
): 'empty' | AreaGeometry | undefined {
  const ea = isEmptyGeometry(a);
  const eb = isEmptyGeometry(b);
  if (!ea && !eb) return undefined;
  if (ea && eb) return 'empty';
  switch (op) {
    case 'intersection':
      return 'empty';
    case 'difference':
      return ea ? 'empty' : (a as AreaGeometry);
    case 'union':
    case 'symDifference':
      return ea ? (b as AreaGeometry) : (a as AreaGeometry);
  }
}

/** polyclip-ts' area for the op, or undefined when it cannot compute it. */
function refereeArea(op: OverlayOp, a: MultiPolygonGeometry, b: MultiPolygonGeometry): number | undefined {
  try {
    return planarArea(polyclipOverlay(op, a, b));
  } catch {
    return undefined;
  }
}

function polyclipFallback(
  op: OverlayOp,
  a: MultiPolygonGeometry,
  b: MultiPolygonGeometry,
  geosError: AppError,
): MultiPolygonGeometry {
  try {
    return polyclipOverlay(op, a, b);
  } catch {
    throw geosError; // both engines failed: report GEOS' reason
  }
}

class GeosEngine implements GeometryEngine {
  readonly geosVersion: string;

  private readonly geos: Geos;
  private readonly bridge: GeosBridge;

  constructor(geos: Geos, errors: string[]) {
    this.geos = geos;
    this.bridge = new GeosBridge(geos, errors);
    this.geosVersion = geos.GEOSversion();
  }

  overlay(
    op: OverlayOp,
    a: AreaGeometry | null,
    b: AreaGeometry | null,
    opts: OverlayOptions = {},
  ): MultiPolygonGeometry {
    const result = this.overlayPtr(op, a, b, opts);
    if (!result) return toMultiPolygon(null);
    const [ox, oy] = result.origin;
    try {
      return translate({ type: 'MultiPolygon', coordinates: this.bridge.readPolygons(result.ptr) }, -ox, -oy);
    } finally {
      this.geos.GEOSGeom_destroy(result.ptr);
    }
  }

  overlayArea(op: OverlayOp, a: AreaGeometry | null, b: AreaGeometry | null, opts: OverlayOptions = {}): number {
    const result = this.overlayPtr(op, a, b, opts);
    if (!result) return 0;
    try {
      return this.bridge.area(result.ptr);
    } finally {
      this.geos.GEOSGeom_destroy(result.ptr);
    }
  }

  /**
   * The overlay as a GEOS geometry in local coordinates, or undefined when empty. In
   * floating precision the op also runs at a second exact origin; when the two areas
   * disagree (beyond 1e-7 of the larger input — OverlayNG's known wrong answers, JTS
   * TestOverlayNGFailure #4, #5), polyclip-ts referees and the closer answer is kept.
   */
  private overlayPtr(
    op: OverlayOp,
    a: AreaGeometry | null,
    b: AreaGeometry | null,
    opts: OverlayOptions,
  ): { ptr: GeomPtr; origin: [number, number] } | undefined {
    const early = emptyInputAnswer(op, a, b);
    if (early === 'empty') return undefined;
    const origin = localOrigin([a, b], opts.gridSize);
    const [ox, oy] = origin;
    if (early) return { ptr: this.unaryUnion(translate(early, ox, oy), opts.gridSize), origin };
    const ga = a as AreaGeometry;
    const gb = b as AreaGeometry;
    const at = (o: [number, number]): GeomPtr =>
      this.runOverlay(op, translate(ga, o[0], o[1]), translate(gb, o[0], o[1]), opts);
    const first = at(origin);
    const alt = opts.gridSize === undefined ? alternativeOrigin([a, b], origin, opts.gridSize) : undefined;
    if (!alt) return { ptr: first, origin };
    const second = at(alt);
    const [r1, r2] = [this.bridge.area(first), this.bridge.area(second)];
    const tol = 1e-7 * Math.max(planarArea(translate(ga, ox, oy)), planarArea(translate(gb, ox, oy)));
    let keepSecond = false;
    if (Math.abs(r1 - r2) > tol) {
      const referee = refereeArea(op, translate(ga, ox, oy), translate(gb, ox, oy));
      keepSecond = referee !== undefined && Math.abs(r2 - referee) < Math.abs(r1 - referee);
    }
    this.geos.GEOSGeom_destroy(keepSecond ? first : second);
    return keepSecond ? { ptr: second, origin: alt } : { ptr: first, origin };
  }

  private unaryUnion(g: MultiPolygonGeometry, grid: number | undefined): GeomPtr {
    const ptr = this.bridge.toGeos(g);
    try {
      const r = grid ? this.geos.GEOSUnaryUnionPrec(ptr, grid) : this.geos.GEOSUnaryUnion(ptr);
      if (!r) throw this.bridge.failure('union');
      return r;
    } finally {
      this.geos.GEOSGeom_destroy(ptr);
    }
  }

  intersection(a: AreaGeometry | null, b: AreaGeometry | null, opts?: OverlayOptions): MultiPolygonGeometry {
    return this.overlay('intersection', a, b, opts);
  }
  union(a: AreaGeometry | null, b: AreaGeometry | null, opts?: OverlayOptions): MultiPolygonGeometry {
    return this.overlay('union', a, b, opts);
  }
  difference(a: AreaGeometry | null, b: AreaGeometry | null, opts?: OverlayOptions): MultiPolygonGeometry {
    return this.overlay('difference', a, b, opts);
  }
  symDifference(a: AreaGeometry | null, b: AreaGeometry | null, opts?: OverlayOptions): MultiPolygonGeometry {
    return this.overlay('symDifference', a, b, opts);
  }

  area(g: AreaGeometry | null): number {
    if (!g) return 0;
    const e = envelopeOf(g);
    return e ? planarArea(translate(g, Math.round(e.minX), Math.round(e.minY))) : 0;
  }

  validate(g: AreaGeometry): ValidationResult {
    const [ox, oy] = localOrigin([g], undefined);
    const ptr = this.bridge.toGeos(translate(g, ox, oy));
    const { Module: M } = this.geos;
    const reasonPtr = M._malloc(4);
    const locPtr = M._malloc(4);
    try {
      const valid = this.geos.GEOSisValidDetail(ptr, 0, reasonPtr, locPtr) === 1;
      if (valid) return { valid };
      const reason = M.getValue(reasonPtr, 'i32');
      const loc = M.getValue(locPtr, 'i32');
      const out: ValidationResult = { valid, reason: reason ? M.UTF8ToString(reason) : 'invalid' };
      if (reason) this.geos.GEOSFree(reason);
      if (loc) {
        const [x, y] = this.bridge.pointCoords(loc);
        out.location = [x + ox, y + oy];
        this.geos.GEOSGeom_destroy(loc);
      }
      return out;
    } finally {
      M._free(reasonPtr);
      M._free(locPtr);
      this.geos.GEOSGeom_destroy(ptr);
    }
  }

  makeValid(g: AreaGeometry): MultiPolygonGeometry {
    const [ox, oy] = localOrigin([g], undefined);
    const ptr = this.bridge.toGeos(translate(g, ox, oy));
    const fixed = this.geos.GEOSMakeValid(ptr);
    this.geos.GEOSGeom_destroy(ptr);
    if (!fixed) throw this.bridge.failure('make valid');
    try {
      return translate({ type: 'MultiPolygon', coordinates: this.bridge.readPolygons(fixed) }, -ox, -oy);
    } finally {
      this.geos.GEOSGeom_destroy(fixed);
    }
  }

  /** Runs one overlay; on a GEOS failure retries once with both inputs made valid. */
  private runOverlay(op: OverlayOp, a: MultiPolygonGeometry, b: MultiPolygonGeometry, opts: OverlayOptions): GeomPtr {
    const ga = this.bridge.toGeos(a);
    const gb = this.bridge.toGeos(b);
    try {
      return this.overlayPointers(op, ga, gb, opts.gridSize);
    } catch (e) {
      // GEOS failed even on valid inputs: ask polyclip-ts (floating precision only); if
      // that fails too, the GEOS error is the one to report.
      if (opts.gridSize !== undefined || !isAppError(e)) throw e;
      return this.bridge.toGeos(polyclipFallback(op, a, b, e));
    } finally {
      this.geos.GEOSGeom_destroy(ga);
      this.geos.GEOSGeom_destroy(gb);
    }
  }

  /** One overlay on GEOS pointers (not freed); on failure retries once with valid inputs. */
  private overlayPointers(op: OverlayOp, ga: GeomPtr, gb: GeomPtr, grid: number | undefined): GeomPtr {
    const r = this.bridge.callOp(op, ga, gb, grid);
    if (r) return r;
    const va = this.geos.GEOSMakeValid(ga);
    const vb = this.geos.GEOSMakeValid(gb);
    const retry = va && vb ? this.bridge.callOp(op, va, vb, grid) : 0;
    if (va) this.geos.GEOSGeom_destroy(va);
    if (vb) this.geos.GEOSGeom_destroy(vb);
    if (!retry) throw this.bridge.failure(op);
    return retry;
  }

  intersectEach(clip: AreaGeometry, others: readonly AreaGeometry[]): ClipPiece[] {
    if (isEmptyGeometry(clip)) return others.map(() => ({ area: 0, geometry: toMultiPolygon(null) }));
    const [ox, oy] = localOrigin([clip], undefined);
    const clipPtr = this.bridge.toGeos(translate(clip, ox, oy));
    const prepared = this.geos.GEOSPrepare(clipPtr);
    try {
      return others.map((other) => {
        if (isEmptyGeometry(other)) return { area: 0, geometry: toMultiPolygon(null) };
        const ptr = this.bridge.toGeos(translate(other, ox, oy));
        try {
          if (!this.geos.GEOSPreparedIntersects(prepared, ptr)) return { area: 0, geometry: toMultiPolygon(null) };
          // wholly inside: the feature itself is the piece, no clipping needed
          if (this.geos.GEOSPreparedContains(prepared, ptr))
            return { area: this.bridge.area(ptr), geometry: toMultiPolygon(other) };
          const r = this.overlayPointers('intersection', clipPtr, ptr, undefined);
          try {
            const coordinates = this.bridge.readPolygons(r);
            return { area: this.bridge.area(r), geometry: translate({ type: 'MultiPolygon', coordinates }, -ox, -oy) };
          } finally {
            this.geos.GEOSGeom_destroy(r);
          }
        } finally {
          this.geos.GEOSGeom_destroy(ptr);
        }
      });
    } finally {
      this.geos.GEOSPreparedGeom_destroy(prepared);
      this.geos.GEOSGeom_destroy(clipPtr);
    }
  }
}
