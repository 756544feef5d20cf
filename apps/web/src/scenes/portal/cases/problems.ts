import type { CaseProblem } from '@guotu/contracts';

/** What a problem is about: a form field, a material slot, or the case as a whole. */
export type ProblemTarget = { kind: 'field'; name: string } | { kind: 'material'; key: string } | { kind: 'case' };

/**
 * `form.totalArea` → field totalArea; `materials.boundaryCoordinates` (or a `materialKey`) →
 * that material; anything else is about the case. Pure; problems.test.ts.
 */
export function problemTarget(problem: Pick<CaseProblem, 'path' | 'materialKey'>): ProblemTarget {
  if (problem.materialKey) return { kind: 'material', key: problem.materialKey };
  const parts = problem.path
    .replace(/^\//, '')
    .split(/[./[\]]+/)
    .filter(Boolean);
  const [head, name] = parts;
  if ((head === 'form' || head === 'body') && name === 'form' && parts[2]) return { kind: 'field', name: parts[2] };
  if (head === 'form' && name) return { kind: 'field', name };
  if ((head === 'materials' || head === 'material') && name) return { kind: 'material', key: name };
  return { kind: 'case' };
}

/** Errors first (they block submission), then warnings; the server's order within each. */
export function sortProblems(problems: readonly CaseProblem[]): CaseProblem[] {
  return [...problems.filter((p) => p.severity === 'error'), ...problems.filter((p) => p.severity !== 'error')];
}

export function blockingCount(problems: readonly CaseProblem[]): number {
  return problems.filter((p) => p.severity === 'error').length;
}

/** Element ids the problem list scrolls to. */
export const fieldAnchor = (name: string) => `case-field-${name}`;
export const materialAnchor = (key: string) => `case-material-${key}`;

/** Problems per form field, for the messages under the fields. */
export function fieldProblems(problems: readonly CaseProblem[]): Map<string, CaseProblem[]> {
  const out = new Map<string, CaseProblem[]>();
  for (const problem of problems) {
    const target = problemTarget(problem);
    if (target.kind === 'field') out.set(target.name, [...(out.get(target.name) ?? []), problem]);
  }
  return out;
}

/** Problems per material key, shown on the material's card. */
export function materialProblems(problems: readonly CaseProblem[]): Map<string, CaseProblem[]> {
  const out = new Map<string, CaseProblem[]>();
  for (const problem of problems) {
    const target = problemTarget(problem);
    if (target.kind === 'material') out.set(target.key, [...(out.get(target.key) ?? []), problem]);
  }
  return out;
}

/** The server's coordinate-file messages already say "第N行"; otherwise the line is shown apart. */
export function mentionsLine(problem: Pick<CaseProblem, 'line' | 'message'>): boolean {
  return problem.line !== undefined && new RegExp(`第\\s*${problem.line}\\s*行`).test(problem.message);
}
