import { parseNumber, type IssueLog } from './issues.ts';
import type { DeclaredArea, DeclaredAreaUnit, ParcelHeader } from './model.ts';

export interface AreaCheckOptions {
  /** relative tolerance between declared and computed area; default 1e-4 (0.01 %) */
  relativeTolerance?: number;
  /** force the unit of 地块面积 instead of taking the one that fits */
  declaredUnit?: DeclaredAreaUnit;
}

const factor: Record<DeclaredAreaUnit, number> = { m2: 1, ha: 10_000 };
const label = { m2: '平方米', ha: '公顷' } as const;

/** Half a unit in the last written decimal, in m²: "8.7423" ha is ±0.5 m². */
function roundingM2(text: string, unit: DeclaredAreaUnit): number {
  const decimals = text.includes('.') ? (text.split('.')[1] ?? '').length : 0;
  return 0.5 * 10 ** -decimals * factor[unit];
}

/**
 * Compares 地块面积 with the computed area under both units the files use (hectares in the
 * ministry's specification, square metres in many exports) and reports which one fits.
 * Tolerance: the larger of the relative tolerance and the rounding of the written value.
 */
export function compareDeclaredArea(
  header: ParcelHeader,
  computedM2: number,
  log: IssueLog | undefined,
  opts: AreaCheckOptions = {},
): DeclaredArea {
  const text = header.declaredAreaText.trim();
  const value = parseNumber(text);
  if (value === undefined) {
    log?.warn(
      header.line,
      'AREA_NOT_DECLARED',
      `parcel ${header.no || '?'}: 地块面积 is ${text === '' ? 'empty' : `"${text}"`}; nothing to compare the computed ${computedM2.toFixed(2)} m² with`,
    );
    return { value: null, unit: null, unitLabel: null, matched: false, differenceM2: null, toleranceM2: null };
  }
  const rel = opts.relativeTolerance ?? 1e-4;
  const units: DeclaredAreaUnit[] = opts.declaredUnit ? [opts.declaredUnit] : ['m2', 'ha'];
  const fits = units.map((unit) => {
    const declaredM2 = value * factor[unit];
    const toleranceM2 = Math.max(rel * computedM2, roundingM2(text, unit), 0.01);
    return {
      unit,
      differenceM2: declaredM2 - computedM2,
      toleranceM2,
      ratio: Math.abs(Math.log(declaredM2 / computedM2)),
    };
  });
  const best = [...fits].sort((a, b) => a.ratio - b.ratio)[0] ?? fits[0];
  if (!best) throw new RangeError('no area unit to compare');
  const matched = Math.abs(best.differenceM2) <= best.toleranceM2;
  if (!matched) {
    log?.warn(
      header.line,
      'AREA_MISMATCH',
      `parcel ${header.no || '?'}: declared ${text} ${label[best.unit]} = ${(value * factor[best.unit]).toFixed(2)} m², computed ${computedM2.toFixed(2)} m² (difference ${best.differenceM2.toFixed(2)} m², tolerance ${best.toleranceM2.toFixed(2)} m²)`,
    );
  }
  return {
    value,
    unit: best.unit,
    unitLabel: label[best.unit],
    matched,
    differenceM2: round(best.differenceM2),
    toleranceM2: round(best.toleranceM2),
  };
}

const round = (v: number): number => Math.round(v * 1e4) / 1e4;
