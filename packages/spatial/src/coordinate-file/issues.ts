import type { CoordinateIssue, CoordinateIssueCode } from './model.ts';

/** Collects findings in file order; nothing here throws. */
export class IssueLog {
  readonly warnings: CoordinateIssue[] = [];
  readonly errors: CoordinateIssue[] = [];

  warn(line: number, code: CoordinateIssueCode, message: string): void {
    this.warnings.push({ line, code, message });
  }

  error(line: number, code: CoordinateIssueCode, message: string): void {
    this.errors.push({ line, code, message });
  }

  sorted(): { warnings: CoordinateIssue[]; errors: CoordinateIssue[] } {
    const byLine = (a: CoordinateIssue, b: CoordinateIssue): number => a.line - b.line;
    return { warnings: [...this.warnings].sort(byLine), errors: [...this.errors].sort(byLine) };
  }
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A decimal number as written in these files, or undefined (no thousands separators). */
export function parseNumber(text: string | undefined): number | undefined {
  const t = (text ?? '').trim();
  if (!NUMBER.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}
