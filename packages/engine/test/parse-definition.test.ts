import { describe, expect, it } from 'vitest';
import { AppError } from '@guotu/domain';
import { evaluate, parseDefinition, parseExpression } from '../src/index.ts';
import { bpmn, chain, userTask } from './harness.ts';

function refusal(xml: string): { path: string; message: string }[] {
  try {
    parseDefinition(xml);
  } catch (e) {
    if (e instanceof AppError && e.code === 'DEFINITION_INVALID')
      return e.details.map((d) => ({ path: d.path ?? '', message: d.message }));
    throw e;
  }
  throw new Error('accepted');
}

describe('parseDefinition', () => {
  it('compiles a valid process with guotu extension attributes', () => {
    const { definition } = parseDefinition(
      bpmn(
        `<startEvent id="s"/>${userTask('review', 'guotu:candidateRoles="reviewer, chief" guotu:orgScope="city" guotu:formKey="land-review" guotu:timeLimit="P5D" guotu:calendar="workday"')}<endEvent id="e"/>${chain('s', 'review', 'e')}`,
      ),
      { key: 'land-approval', version: 3 },
    );
    expect(definition).toMatchObject({ key: 'land-approval', version: 3, mainProcess: 'p' });
    expect(definition.nodes.review?.user).toEqual({
      candidateRoles: ['reviewer', 'chief'],
      orgScope: 'city',
      formKey: 'land-review',
      timeLimit: 'P5D',
      calendar: 'workday',
    });
  });

  it('lists every problem with the element id', () => {
    const problems = refusal(
      bpmn(
        `<startEvent id="s"/><task id="t"/><task id="t"/><endEvent id="e"/>${chain('s', 't')}<sequenceFlow id="bad" sourceRef="t" targetRef="nowhere"/><sequenceFlow id="back" sourceRef="e" targetRef="s"/>`,
      ),
    );
    const paths = problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['t', 'bad', 's', 'e']));
    expect(problems.find((p) => p.path === 'bad')?.message).toMatch(/does not exist/);
    expect(problems.find((p) => p.path === 's')?.message).toMatch(/incoming/);
  });

  it('refuses a script body that is code rather than a handler name', () => {
    const problems = refusal(
      bpmn(
        `<startEvent id="s"/><scriptTask id="x"><script>execution.setVariable("a", 1)</script></scriptTask><endEvent id="e"/>${chain('s', 'x', 'e')}`,
      ),
    );
    expect(problems).toEqual([{ path: 'x', message: expect.stringMatching(/never evaluated/) }]);
  });

  it('refuses elements outside the executable subset, naming them', () => {
    const problems = refusal(bpmn(`<startEvent id="s"/><complexGateway id="cg"/><endEvent id="e"/>${chain('s', 'e')}`));
    expect(problems[0]).toEqual({ path: 'cg', message: 'complexGateway is not in the executable subset' });
  });

  it('refuses an unknown countersign mode', () => {
    const problems = refusal(
      bpmn(
        `<startEvent id="s"/><userTask id="u" guotu:countersign="most"><multiInstanceLoopCharacteristics><loopCardinality>2</loopCardinality></multiInstanceLoopCharacteristics></userTask><endEvent id="e"/>${chain('s', 'u', 'e')}`,
      ),
    );
    expect(problems[0]?.message).toMatch(/countersign/);
  });
});

describe('condition expressions', () => {
  const vars: Record<string, unknown> = { test: 'ab', n: 2, applicant: { type: 'company' }, missing: null };
  const run = (src: string): unknown => evaluate(parseExpression(src), (k) => vars[k]);

  it.each([
    ['${test.contains("a")}', true],
    ['test.contains("c")', false],
    ['${n < 3 && n >= 2}', true],
    ['${!(n == 2) || applicant.type == "company"}', true],
    ['${missing == null}', true],
    ['${nothing == null}', true],
    ['${n > "1"}', false],
    ['true', true],
    ['false', false],
  ])('%s evaluates to %s', (src, expected) => {
    expect(run(src)).toBe(expected);
  });

  it.each(['${a +}', '${foo.bar()}', '${"unterminated}', ''])('refuses %s without evaluating it', (src) => {
    expect(() => parseExpression(src)).toThrow();
  });
});
