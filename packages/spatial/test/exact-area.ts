import type { Position } from '../src/geometry.ts';

/**
 * Exact planar area of polygons with double coordinates, for the conformance proofs only.
 * Every finite double times 2^1074 is an integer, so the shoelace sum is evaluated in
 * BigInt without any rounding; only the final conversion to a number rounds (once).
 */
const SHIFT = 1074n;

function scaled(x: number): bigint {
  if (!Number.isFinite(x)) throw new Error(`not a finite coordinate: ${x}`);
  if (x === 0) return 0n;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const exponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  // x = ±mantissa · 2^(e − 1075) for normal numbers, ±fraction · 2^−1074 for subnormals
  const mantissa = exponent === 0 ? fraction : fraction | (1n << 52n);
  const e = exponent === 0 ? 1 : exponent;
  const value = mantissa << BigInt(e - 1); // = |x| · 2^1074
  return bits >> 63n ? -value : value;
}

/** Twice the signed area of a closed ring, times 2^2148, exactly. */
function ringArea2(ring: readonly Position[]): bigint {
  let sum = 0n;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x1, y1] = ring[i]!;
    const [x2, y2] = ring[i + 1]!;
    sum += scaled(x1) * scaled(y2) - scaled(x2) * scaled(y1);
  }
  return sum;
}

/** BigInt n · 2^−k as the nearest-ish double (one rounding of the leading 64 bits). */
function toNumber(n: bigint, k: bigint): number {
  if (n === 0n) return 0;
  const neg = n < 0n;
  const abs = neg ? -n : n;
  const drop = BigInt(Math.max(0, abs.toString(2).length - 64));
  const v = Number(abs >> drop) * 2 ** Number(drop - k);
  return neg ? -v : v;
}

/** Area of polygons (outer ring first, then holes), each ring counted by its absolute area. */
export function exactArea(polygons: readonly (readonly (readonly Position[])[])[]): number {
  let sum = 0n;
  for (const poly of polygons)
    poly.forEach((ring, i) => {
      const a = ringArea2(ring);
      const abs = a < 0n ? -a : a;
      sum += i === 0 ? abs : -abs;
    });
  return toNumber(sum, 2n * SHIFT + 1n);
}
