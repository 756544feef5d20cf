import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isEmptyGeometry, type AreaGeometry } from '../src/geometry.ts';
import type { GeometryEngine, OverlayOp } from '../src/geos-engine.ts';
import { testdataDir } from './testdata.ts';

/** One polygon/polygon case of geometry/jts_aa.json or geos_aa.json. */
export interface OverlayCase {
  /**
   * The XML op had `arg1="B" arg2="A"` (e.g. `differenceNG` B − A). The JSON stores `a`, `b`
   * already in operation order (`a` is the XML's B), so the op is always `a op b`:
   * overlay-expectations.test.ts checks that on every swapped case.
   */
  swap: boolean;
  file: string;
  case: number;
  desc: string;
  op: 'intersection' | 'union' | 'difference' | 'symdifference' | 'overlayareatest';
  opName: string;
  fixedPrec: number | null;
  a: AreaGeometry | null;
  b: AreaGeometry | null;
  expArea: number | null;
  areaA: number;
  areaB: number;
}

export function loadCases(name: string): OverlayCase[] {
  return JSON.parse(readFileSync(path.join(testdataDir, 'geometry', name), 'utf8')) as OverlayCase[];
}

export const caseId = (c: OverlayCase): string => `${c.file}#${c.case} ${c.op} (${c.desc})`;

export const hasEmptyInput = (c: OverlayCase): boolean => isEmptyGeometry(c.a) || isEmptyGeometry(c.b);

const opOf = (op: OverlayCase['op']): OverlayOp => (op === 'symdifference' ? 'symDifference' : (op as OverlayOp));

const REL = 1e-6;

/**
 * JTS `intersectionSR`, `unionSR`, … are OverlayNG with snap-rounding; TestNGOverlayAPrec.xml
 * passes the scale as the op's third argument (`arg3="1"`), which the JSON dropped, so we
 * apply grid 1 to them. GEOS' lower-case `differencesr` (TestOverlay-misc-5.xml) has no
 * argument; GEOS' xmltester then uses `PrecisionModel(1.0)` — snap-rounding to grid 1 too.
 */
export const snapRoundingGrid = (c: OverlayCase): number | undefined => (/sr$/i.test(c.opName) ? 1 : undefined);

/**
 * Within 1e-6 of the expected area; an expected 0 (relative error undefined) is held to
 * 1e-6 of the larger input instead, and to exactly 0 when both inputs are empty.
 */
function close(got: number, exp: number, scale: number): boolean {
  const tol = exp === 0 ? REL * scale : REL * Math.abs(exp);
  return Math.abs(got - exp) <= tol;
}

/**
 * Runs one case; returns undefined when it passes, or why it failed.
 * `overlayareatest` has no expected area: like GEOS xmltester it checks that the five
 * overlay areas are consistent (A = A−B + A∩B, B = B−A + A∩B, A△B = A−B + B−A,
 * A∪B = A∩B + A−B + B−A) within 1e-6 of the larger input area.
 */
export function runCase(engine: GeometryEngine, c: OverlayCase, grid?: number): string | undefined {
  const gridSize = grid ?? snapRoundingGrid(c);
  const opts = gridSize === undefined ? {} : { gridSize };
  const scale = Math.max(c.areaA, c.areaB);
  try {
    if (c.op !== 'overlayareatest') {
      const got = engine.overlayArea(opOf(c.op), c.a, c.b, opts);
      return close(got, c.expArea ?? 0, scale) ? undefined : `area ${got} expected ${c.expArea}`;
    }
    const area = (op: OverlayOp, x: AreaGeometry | null, y: AreaGeometry | null): number =>
      engine.overlayArea(op, x, y, opts);
    const i = area('intersection', c.a, c.b);
    const dab = area('difference', c.a, c.b);
    const dba = area('difference', c.b, c.a);
    const sym = area('symDifference', c.a, c.b);
    const u = area('union', c.a, c.b);
    const diffs = [c.areaA - dab - i, c.areaB - dba - i, sym - dab - dba, u - i - dab - dba];
    const worst = Math.max(...diffs.map(Math.abs)) / Math.max(scale, 1e-300);
    return worst <= REL ? undefined : `inconsistent overlay areas: relative difference ${worst}`;
  } catch (e) {
    return `threw ${e instanceof Error ? e.message : String(e)}`;
  }
}
