import { envelopeOf, type AreaGeometry } from './geometry.ts';

/**
 * Coordinates below 2^23 (8 388 608 units) are used as they are: a double there resolves
 * better than 1e-9 m, and overlay results then match GEOS run on the same numbers. Above it
 * (Gauss–Krüger eastings with the zone prefix, Y = 38 512 345.67) the inputs are shifted to
 * a local origin first.
 */
export const SHIFT_THRESHOLD = 2 ** 23;
/** Local origins are multiples of this (a power of two), so `x − origin` is exact. */
export const ORIGIN_STEP = 1024;

function centre(g: readonly (AreaGeometry | null)[]): { cx: number; cy: number; max: number } | undefined {
  const envs = g.map((x) => envelopeOf(x)).filter((e) => e !== undefined);
  if (envs.length === 0) return undefined;
  const minX = Math.min(...envs.map((e) => e.minX));
  const maxX = Math.max(...envs.map((e) => e.maxX));
  const minY = Math.min(...envs.map((e) => e.minY));
  const maxY = Math.max(...envs.map((e) => e.maxY));
  const max = Math.max(Math.abs(minX), Math.abs(maxX), Math.abs(minY), Math.abs(maxY));
  return { cx: (minX + maxX) / 2, cy: (minY + maxY) / 2, max };
}

/**
 * The origin the inputs are shifted to: (0, 0) for coordinates below SHIFT_THRESHOLD,
 * otherwise the centre of the envelopes rounded to a multiple of 1024 (and of the grid when
 * snap-rounding). Both are exact shifts: the same geometry, only translated.
 */
export function localOrigin(g: readonly (AreaGeometry | null)[], gridSize: number | undefined): [number, number] {
  const c = centre(g);
  if (!c || c.max < SHIFT_THRESHOLD) return [0, 0];
  const step = gridSize && gridSize > ORIGIN_STEP ? gridSize * Math.ceil(ORIGIN_STEP / gridSize) : ORIGIN_STEP;
  return [Math.round(c.cx / step) * step, Math.round(c.cy / step) * step];
}

/**
 * A second exact origin to cross-check a floating overlay at: the centre rounded
 * to whole units (a multiple of the grid when snapping), or undefined when that is the same
 * origin. Moving the origin moves where OverlayNG's floating noding rounds, which is what
 * gets it past its known wrong answers (JTS TestOverlayNGFailure #4, #5).
 */
export function alternativeOrigin(
  g: readonly (AreaGeometry | null)[],
  first: readonly [number, number],
  gridSize: number | undefined,
): [number, number] | undefined {
  const c = centre(g);
  if (!c) return undefined;
  const step = gridSize && gridSize >= 1 ? gridSize : 1;
  const o: [number, number] = [Math.round(c.cx / step) * step, Math.round(c.cy / step) * step];
  return o[0] === first[0] && o[1] === first[1] ? undefined : o;
}
