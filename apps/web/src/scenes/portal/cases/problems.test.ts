import { describe, expect, it } from 'vitest';
import type { CaseProblem } from '@guotu/contracts';
import {
  blockingCount,
  fieldProblems,
  materialProblems,
  mentionsLine,
  problemTarget,
  sortProblems,
} from './problems.ts';

const problem = (p: Partial<CaseProblem>): CaseProblem => ({
  code: 'X',
  message: 'm',
  path: '',
  severity: 'error',
  ...p,
});

describe('problemTarget', () => {
  it('names the form field or the material a problem is about', () => {
    expect(problemTarget({ path: 'form.totalArea' })).toEqual({ kind: 'field', name: 'totalArea' });
    expect(problemTarget({ path: '/form/projectName' })).toEqual({ kind: 'field', name: 'projectName' });
    expect(problemTarget({ path: 'body.form.batchType' })).toEqual({ kind: 'field', name: 'batchType' });
    expect(problemTarget({ path: 'materials.boundaryCoordinates' })).toEqual({
      kind: 'material',
      key: 'boundaryCoordinates',
    });
    expect(problemTarget({ path: 'form.totalArea', materialKey: 'boundaryCoordinates' })).toEqual({
      kind: 'material',
      key: 'boundaryCoordinates',
    });
    expect(problemTarget({ path: 'form' })).toEqual({ kind: 'case' });
    expect(problemTarget({ path: '' })).toEqual({ kind: 'case' });
  });
});

describe('problem lists', () => {
  const list = [
    problem({ code: 'W', path: 'materials.boundaryCoordinates', severity: 'warning', line: 10 }),
    problem({ code: 'E1', path: 'form.totalArea' }),
    problem({ code: 'E2', path: 'materials.reportLetter' }),
    problem({ code: 'E3', path: 'form.totalArea' }),
  ];

  it('puts errors (which block submission) before warnings and counts only errors', () => {
    expect(sortProblems(list).map((p) => p.code)).toEqual(['E1', 'E2', 'E3', 'W']);
    expect(blockingCount(list)).toBe(3);
    expect(blockingCount([list[0]!])).toBe(0);
  });

  it('groups problems by field and by material', () => {
    expect(
      fieldProblems(list)
        .get('totalArea')
        ?.map((p) => p.code),
    ).toEqual(['E1', 'E3']);
    expect([...materialProblems(list).keys()]).toEqual(['boundaryCoordinates', 'reportLetter']);
  });
});

describe('mentionsLine', () => {
  it('tells whether the message already names the line of the coordinate file', () => {
    expect(mentionsLine({ line: 70, message: '界址点坐标文件第70行：ring 1 ends at J63' })).toBe(true);
    expect(mentionsLine({ line: 7, message: '界址点坐标文件第70行：…' })).toBe(false);
    expect(mentionsLine({ line: 12, message: 'ring not closed' })).toBe(false);
    expect(mentionsLine({ message: '第1行' })).toBe(false);
  });
});
