import { describe, expect, it } from 'vitest';
import { legalReturnTargets } from '../src/index.ts';
import { Sim, chain, deploy, userTask } from './harness.ts';

/*
 *  start → draft → sign ×N (multi-instance over ${signers}, guotu:countersign=MODE) → after → end
 */
function countersign(mode: string, sequential: boolean, completion = ''): Sim {
  const def = deploy(
    `<startEvent id="start"/>` +
      userTask('draft', 'guotu:assignee="drafter"') +
      `<userTask id="sign" guotu:assignee="\${signer}" guotu:countersign="${mode}">
         <multiInstanceLoopCharacteristics isSequential="${String(sequential)}" guotu:collection="signers" guotu:elementVariable="signer">
           ${completion ? `<completionCondition xsi:type="tFormalExpression">${completion}</completionCondition>` : ''}
         </multiInstanceLoopCharacteristics>
       </userTask>` +
      userTask('after', 'guotu:assignee="drafter"') +
      `<endEvent id="end"/>` +
      chain('start', 'draft', 'sign', 'after', 'end'),
  );
  const sim = new Sim(def);
  sim.start({ signers: ['s1', 's2', 's3', 's4'] });
  sim.complete('draft', 'drafter');
  return sim;
}

const signers = (sim: Sim): string[] =>
  sim
    .tasks('sign')
    .map((t) => t.assignee ?? '')
    .sort();

describe('countersign (会签) modes', () => {
  it('all: the step completes only when every signer has signed', () => {
    const sim = countersign('all', false);
    expect(signers(sim)).toEqual(['s1', 's2', 's3', 's4']);
    for (const s of ['s1', 's2', 's3']) sim.complete('sign', s, { assignee: s, decision: 'approve' });
    expect(sim.openNodes()).toEqual(['sign']);
    sim.complete('sign', 's4', { assignee: 's4', decision: 'approve' });
    expect(sim.openNodes()).toEqual(['after']);
    expect(sim.s.scopes[sim.s.rootScope]?.vars.decision).toBe('approve');
  });

  it('any (或签): the first signature completes the step and cancels the others', () => {
    const sim = countersign('any', false);
    sim.complete('sign', 's3', { assignee: 's3', decision: 'approve' });
    expect(sim.openNodes()).toEqual(['after']);
  });

  it('ratio:0.5: completes as approved once half of the signers approve', () => {
    const sim = countersign('ratio:0.5', false);
    sim.complete('sign', 's1', { assignee: 's1', decision: 'approve' });
    expect(sim.openNodes()).toEqual(['sign', 'sign', 'sign']);
    sim.complete('sign', 's2', { assignee: 's2', decision: 'approve' });
    expect(sim.openNodes()).toEqual(['after']);
    expect(sim.s.scopes[sim.s.rootScope]?.vars.decision).toBe('approve');
  });

  it('veto: one rejection ends the countersign as rejected', () => {
    const sim = countersign('veto', false);
    sim.complete('sign', 's1', { assignee: 's1', decision: 'approve' });
    sim.complete('sign', 's2', { assignee: 's2', decision: 'reject' });
    expect(sim.openNodes()).toEqual(['after']);
    expect(sim.s.scopes[sim.s.rootScope]?.vars.decision).toBe('reject');
  });

  it('completionCondition over nrOfCompletedInstances/nrOfActiveInstances ends the body early', () => {
    const sim = countersign('all', false, '${nrOfCompletedInstances >= 3 &amp;&amp; nrOfActiveInstances > 0}');
    for (const s of ['s1', 's2']) sim.complete('sign', s, { assignee: s });
    expect(sim.openNodes()).toHaveLength(2);
    sim.complete('sign', 's4', { assignee: 's4' });
    expect(sim.openNodes()).toEqual(['after']);
  });

  it('sequential: signers sign one after another in collection order', () => {
    const sim = countersign('all', true);
    expect(signers(sim)).toEqual(['s1']);
    sim.complete('sign', 's1', { assignee: 's1' });
    expect(signers(sim)).toEqual(['s2']);
  });
});

describe('addSigner / removeSigner (加签/减签)', () => {
  it('adds a signer to a sequential countersign: the new signer signs after the current queue', () => {
    const sim = countersign('all', true);
    sim.run({ type: 'addSigner', taskId: sim.task('sign').id, by: 's1', signer: 'x9' });
    for (const s of ['s1', 's2', 's3', 's4']) sim.complete('sign', s, { assignee: s });
    expect(signers(sim)).toEqual(['x9']);
    sim.complete('sign', 'x9', { assignee: 'x9' });
    expect(sim.openNodes()).toEqual(['after']);
  });

  it('adds a signer to a parallel countersign immediately and counts them in nrOfInstances', () => {
    const sim = countersign('all', false);
    sim.run({ type: 'addSigner', taskId: sim.task('sign', 's1').id, by: 's1', signer: 'x9' });
    expect(signers(sim)).toEqual(['s1', 's2', 's3', 's4', 'x9']);
    const body = Object.values(sim.s.scopes).find((s) => s.kind === 'multiInstance');
    expect(body?.vars.nrOfInstances).toBe(5);
  });

  it('removes a pending signer so the countersign can finish without them', () => {
    const sim = countersign('all', false);
    sim.run({ type: 'removeSigner', taskId: sim.task('sign', 's1').id, by: 'drafter', signer: 's4' });
    for (const s of ['s1', 's2', 's3']) sim.complete('sign', s, { assignee: s });
    expect(sim.openNodes()).toEqual(['after']);
  });

  it('removes a not-yet-started signer from a sequential countersign', () => {
    const sim = countersign('all', true);
    sim.run({ type: 'removeSigner', taskId: sim.task('sign').id, by: 'drafter', signer: 's2' });
    sim.complete('sign', 's1', { assignee: 's1' });
    expect(signers(sim)).toEqual(['s3']);
  });
});

describe('return from a countersign', () => {
  it('returns the whole countersign step to the drafter', () => {
    const sim = countersign('all', false);
    sim.complete('sign', 's1', { assignee: 's1' });
    const t = sim.task('sign', 's2');
    expect(legalReturnTargets(sim.def, sim.s, t.id).map((x) => x.node)).toEqual(['draft']);
    sim.run({ type: 'return', taskId: t.id, by: 's2', target: 'draft', opinion: '材料不全' });
    expect(sim.openNodes()).toEqual(['draft']);
    expect(Object.values(sim.s.scopes).some((s) => s.kind === 'multiInstance')).toBe(false);
  });
});
