import { describe, expect, it } from 'vitest';
import { isAppError } from '@guotu/domain';
import { legalReturnTargets } from '../src/index.ts';
import { Sim, chain, deploy, flow, ofType, userTask } from './harness.ts';

/*
 *  start → accept ─▶ xg ──(kind == "simple")──────────────────▶ decide → end
 *                     └─(default)─▶ fork ─▶ reviewA1 → reviewA2 ─┐
 *                                       └─▶ reviewB ─────────────┴▶ join ─▶ decide
 */
const approval = deploy(
  `<startEvent id="start"/>` +
    userTask('accept', 'guotu:candidateRoles="window"') +
    `<exclusiveGateway id="xg" default="xg_fork"/><parallelGateway id="fork"/><parallelGateway id="join"/>` +
    userTask('reviewA1', 'guotu:assignee="alice"') +
    userTask('reviewA2', 'guotu:assignee="amy"') +
    userTask('reviewB', 'guotu:assignee="bob"') +
    userTask('decide', 'guotu:assignee="${leader}"') +
    `<endEvent id="end"/>` +
    chain('start', 'accept', 'xg') +
    flow('xg', 'decide', 'kind == "simple"') +
    chain('xg', 'fork', 'reviewA1', 'reviewA2', 'join', 'decide', 'end') +
    chain('fork', 'reviewB', 'join'),
);

function started(): Sim {
  const sim = new Sim(approval);
  sim.start({ leader: 'lee' });
  sim.run({ type: 'claim', taskId: sim.task('accept').id, by: 'wendy', roles: ['window'] });
  return sim;
}

const notAllowed = (fn: () => unknown): void => {
  expect(fn).toThrow();
  try {
    fn();
  } catch (e) {
    expect(isAppError(e) && ['OPERATION_NOT_ALLOWED', 'NOT_FOUND'].includes(e.code)).toBe(true);
  }
};

describe('claim and complete', () => {
  it('lets a candidate claim an unassigned task and refuses a claim without the role', () => {
    const sim = new Sim(approval);
    sim.start();
    const t = sim.task('accept');
    notAllowed(() => sim.run({ type: 'claim', taskId: t.id, by: 'x', roles: ['surveyor'] }));
    sim.run({ type: 'claim', taskId: t.id, by: 'wendy', roles: ['window'] });
    expect(sim.task('accept').assignee).toBe('wendy');
    sim.run({ type: 'unclaim', taskId: t.id, by: 'wendy' });
    expect(sim.task('accept').assignee).toBeUndefined();
  });

  it('refuses completion by someone other than the assignee', () => {
    const sim = started();
    notAllowed(() => sim.complete('accept', 'mallory'));
  });

  it('routes a simple case straight to the decision and resolves the assignee expression', () => {
    const sim = started();
    sim.complete('accept', 'wendy', { variables: { kind: 'simple' } });
    expect(sim.openNodes()).toEqual(['decide']);
    expect(sim.task('decide').assignee).toBe('lee');
  });

  it('waits at the parallel join until both offices have reviewed', () => {
    const sim = started();
    sim.complete('accept', 'wendy');
    expect(sim.openNodes()).toEqual(['reviewA1', 'reviewB']);
    sim.complete('reviewB', 'bob');
    expect(sim.openNodes()).toEqual(['reviewA1']);
    sim.complete('reviewA1', 'alice');
    sim.complete('reviewA2', 'amy');
    expect(sim.openNodes()).toEqual(['decide']);
    const effects = sim.complete('decide', 'lee', { decision: 'approve', opinion: '同意' });
    expect(ofType(effects, 'instance.completed')).toHaveLength(1);
    expect(sim.s.status).toBe('completed');
    expect(sim.s.history.find((h) => h.type === 'task.completed' && h.node === 'decide')).toMatchObject({
      by: 'lee',
      decision: 'approve',
      opinion: '同意',
    });
  });
});

describe('return (回退)', () => {
  it('offers only completed upstream user tasks as return targets', () => {
    const sim = started();
    sim.complete('accept', 'wendy');
    sim.complete('reviewA1', 'alice');
    expect(legalReturnTargets(approval, sim.s, sim.task('reviewA2').id).map((x) => x.node)).toEqual([
      'reviewA1',
      'accept',
    ]);
    expect(legalReturnTargets(approval, sim.s, sim.task('reviewB').id).map((x) => x.node)).toEqual(['accept']);
  });

  it('returns inside a parallel branch without touching the other branch', () => {
    const sim = started();
    sim.complete('accept', 'wendy');
    sim.complete('reviewA1', 'alice');
    sim.run({ type: 'return', taskId: sim.task('reviewA2').id, by: 'amy', target: 'reviewA1', opinion: '补充意见' });
    expect(sim.openNodes()).toEqual(['reviewA1', 'reviewB']);
    expect(sim.task('reviewA1').assignee).toBe('alice');
  });

  it('returning from a parallel review to the step before the split withdraws every branch', () => {
    const sim = started();
    sim.complete('accept', 'wendy');
    sim.complete('reviewB', 'bob');
    const effects = sim.run({ type: 'return', taskId: sim.task('reviewA1').id, by: 'alice', target: 'accept' });
    expect(sim.openNodes()).toEqual(['accept']);
    expect(sim.task('accept').assignee).toBe('wendy');
    expect(ofType(effects, 'task.cancelled').map((e) => e.reason)).toEqual(['returned']);
    expect(Object.values(sim.s.tokens).filter((t) => t.wait === 'join')).toHaveLength(0);
  });

  it('refuses a return to a step that is not upstream', () => {
    const sim = started();
    sim.complete('accept', 'wendy');
    notAllowed(() => sim.run({ type: 'return', taskId: sim.task('reviewB').id, by: 'bob', target: 'reviewA1' }));
  });
});

describe('withdraw (撤回)', () => {
  it('takes back a completed step while the next step has not acted', () => {
    const sim = started();
    const accept = sim.task('accept');
    sim.complete('accept', 'wendy');
    const effects = sim.run({ type: 'withdraw', taskId: accept.id, by: 'wendy' });
    expect(ofType(effects, 'task.cancelled')).toHaveLength(2);
    expect(sim.openNodes()).toEqual(['accept']);
    expect(sim.task('accept').assignee).toBe('wendy');
  });

  it('refuses to withdraw once the next step has acted', () => {
    const sim = started();
    const accept = sim.task('accept');
    sim.complete('accept', 'wendy');
    sim.complete('reviewB', 'bob');
    notAllowed(() => sim.run({ type: 'withdraw', taskId: accept.id, by: 'wendy' }));
  });

  it('refuses a withdraw by someone who did not complete the step', () => {
    const sim = started();
    const accept = sim.task('accept');
    sim.complete('accept', 'wendy');
    notAllowed(() => sim.run({ type: 'withdraw', taskId: accept.id, by: 'alice' }));
  });
});

describe('transfer, delegate, urge, circulate', () => {
  it('transfers (转办) a task to another handler who then completes it', () => {
    const sim = started();
    sim.complete('accept', 'wendy');
    sim.run({ type: 'transfer', taskId: sim.task('reviewB').id, by: 'bob', to: 'betty' });
    notAllowed(() => sim.complete('reviewB', 'bob'));
    sim.complete('reviewB', 'betty');
    expect(sim.openNodes()).toEqual(['reviewA1']);
  });

  it('delegates (委托): the delegate resolves and the task comes back to the owner', () => {
    const sim = started();
    sim.complete('accept', 'wendy');
    const id = sim.task('reviewB').id;
    sim.run({ type: 'delegate', taskId: id, by: 'bob', to: 'dan' });
    expect(sim.task('reviewB')).toMatchObject({ assignee: 'dan', owner: 'bob', delegation: 'pending' });
    notAllowed(() => sim.complete('reviewB', 'dan'));
    sim.run({ type: 'resolve', taskId: id, by: 'dan', opinion: '已核实' });
    expect(sim.task('reviewB')).toMatchObject({ assignee: 'bob', delegation: 'resolved' });
    sim.complete('reviewB', 'bob');
  });

  it('urges (催办) the current handler with a notify effect only', () => {
    const sim = started();
    const before = JSON.stringify(sim.s.tasks);
    const effects = sim.run({ type: 'urge', taskId: sim.task('accept').id, by: 'chief', message: '请尽快办理' });
    expect(ofType(effects, 'notify')).toEqual([
      { type: 'notify', kind: 'urge', to: ['wendy'], taskId: sim.task('accept').id, message: '请尽快办理' },
    ]);
    expect(JSON.stringify(sim.s.tasks)).toBe(before);
  });

  it('circulates (传阅) to readers and records each read receipt once', () => {
    const sim = started();
    const effects = sim.run({ type: 'circulate', by: 'wendy', to: ['r1', 'r2'], taskId: sim.task('accept').id });
    const cc = ofType(effects, 'notify')[0];
    expect(cc?.kind).toBe('cc');
    const id = cc?.circulationId ?? '';
    sim.run({ type: 'markRead', circulationId: id, by: 'r1' });
    sim.run({ type: 'markRead', circulationId: id, by: 'r1' });
    notAllowed(() => sim.run({ type: 'markRead', circulationId: id, by: 'stranger' }));
    expect(Object.keys(sim.s.circulations[id]?.readBy ?? {})).toEqual(['r1']);
  });
});

describe('suspend, resume, jump, terminate', () => {
  it('suspends (挂起): clocks stop via effects and task commands are refused until resumed', () => {
    const sim = started();
    expect(ofType(sim.run({ type: 'suspend', by: 'chief', reason: '补正' }), 'instance.suspended')).toHaveLength(1);
    notAllowed(() => sim.complete('accept', 'wendy'));
    expect(ofType(sim.run({ type: 'resume', by: 'chief' }), 'instance.resumed')).toHaveLength(1);
    sim.complete('accept', 'wendy');
  });

  it('jumps (跳转, admin) the whole case to another step', () => {
    const sim = started();
    sim.complete('accept', 'wendy');
    sim.run({ type: 'jump', by: 'admin', target: 'decide', reason: '特事特办' });
    expect(sim.openNodes()).toEqual(['decide']);
    expect(Object.keys(sim.s.tokens)).toHaveLength(1);
  });

  it('terminates a case, cancelling every open task', () => {
    const sim = started();
    sim.complete('accept', 'wendy');
    const review = sim.task('reviewB').id;
    const effects = sim.run({ type: 'terminate', by: 'admin', reason: '申请人撤回申请' });
    expect(ofType(effects, 'task.cancelled')).toHaveLength(2);
    expect(ofType(effects, 'instance.terminated')).toHaveLength(1);
    expect(sim.s.status).toBe('terminated');
    notAllowed(() => sim.run({ type: 'completeTask', taskId: review, by: 'bob' }));
  });
});
