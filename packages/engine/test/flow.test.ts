import { describe, expect, it } from 'vitest';
import { step } from '../src/index.ts';
import type { Definition } from '../src/index.ts';
import { Sim, chain, deploy, flow, ofType, timer, userTask } from './harness.ts';

describe('inclusive gateway', () => {
  /*
   *  start → split(inclusive) ─(a)─▶ ta ─────────┐
   *                            ─(b)─▶ tb → tb2 ──┴▶ merge(inclusive) → done → end
   */
  const def = deploy(
    `<startEvent id="start"/><inclusiveGateway id="split"/><inclusiveGateway id="merge"/>` +
      userTask('ta') +
      userTask('tb') +
      userTask('tb2') +
      userTask('done') +
      `<endEvent id="end"/>` +
      chain('start', 'split') +
      flow('split', 'ta', 'a') +
      flow('split', 'tb', 'b') +
      chain('ta', 'merge') +
      chain('tb', 'tb2', 'merge') +
      chain('merge', 'done', 'end'),
  );

  it('join waits for every token that can still arrive', () => {
    const sim = new Sim(def);
    sim.start({ a: true, b: true });
    sim.complete('ta', 'u');
    expect(sim.openNodes()).toEqual(['tb']);
    sim.complete('tb', 'u');
    expect(sim.openNodes()).toEqual(['tb2']);
    sim.complete('tb2', 'u');
    expect(sim.openNodes()).toEqual(['done']);
  });

  it('join fires at once when the other branch was never taken', () => {
    const sim = new Sim(def);
    sim.start({ a: true, b: false });
    sim.complete('ta', 'u');
    expect(sim.openNodes()).toEqual(['done']);
  });

  it('fails the instance with a runtime incident when no branch matches and there is no default', () => {
    const sim = new Sim(def);
    const effects = sim.start({ a: false, b: false });
    expect(ofType(effects, 'instance.failed')).toHaveLength(1);
    expect(sim.s.error).toMatchObject({ kind: 'runtime', node: 'split' });
  });
});

describe('timers', () => {
  /*
   *  start → review ─────────────────────▶ end
   *            ├ ⏰ R3/PT1H (non-interrupting) ─▶ remind (sendTask) → end2
   *            └ ⏰ P5D workday (interrupting) ─▶ escalate → end3
   */
  const def = deploy(
    `<startEvent id="start"/>` +
      userTask('review', 'guotu:assignee="u" guotu:timeLimit="P5D" guotu:calendar="workday"') +
      `<endEvent id="end"/>` +
      `<boundaryEvent id="remindTimer" attachedToRef="review" cancelActivity="false">${timer('timeCycle', 'R3/PT1H')}</boundaryEvent>` +
      `<sendTask id="remind" messageRef="m"/><endEvent id="end2"/>` +
      `<boundaryEvent id="limit" attachedToRef="review" guotu:calendar="workday">${timer('timeDuration', 'P5D')}</boundaryEvent>` +
      userTask('escalate') +
      `<endEvent id="end3"/>` +
      chain('start', 'review', 'end') +
      chain('remindTimer', 'remind', 'end2') +
      chain('limit', 'escalate', 'end3'),
    { extra: '<message id="m" name="reminder"/>' },
  );

  it('schedules natural-time timers with dueAt and leaves calendar timers to the host', () => {
    const sim = new Sim(def);
    const schedules = ofType(sim.start(), 'timer.schedule');
    const cycle = schedules.find((s) => s.spec.kind === 'cycle');
    const limit = schedules.find((s) => s.spec.kind === 'duration');
    expect(cycle?.dueAt).toBe('2026-03-02T02:01:00.000Z');
    expect(limit).toMatchObject({ spec: { value: 'P5D', calendar: 'workday' } });
    expect(limit?.dueAt).toBeUndefined();
    expect(sim.task('review')).toMatchObject({ timeLimit: 'P5D', calendar: 'workday' });
  });

  it('uses the host resolveDue for working-day timers', () => {
    const sim = new Sim(def, {
      resolveDue: (spec, now) => (spec.calendar === 'workday' ? '2026-03-09T01:01:00.000Z' : now),
    });
    const limit = ofType(sim.start(), 'timer.schedule').find((s) => s.spec.kind === 'duration');
    expect(limit?.dueAt).toBe('2026-03-09T01:01:00.000Z');
  });

  it('a non-interrupting cycle reminds three times and the task stays open', () => {
    const sim = new Sim(def);
    sim.start();
    let reminders = 0;
    for (let i = 0; i < 3; i++) {
      const t = Object.values(sim.s.timers).find((x) => x.node === 'remindTimer');
      expect(t).toBeDefined();
      reminders += ofType(sim.run({ type: 'fireTimer', timerId: t?.id ?? '' }), 'message.send').length;
    }
    expect(reminders).toBe(3);
    expect(Object.values(sim.s.timers).some((x) => x.node === 'remindTimer')).toBe(false);
    expect(sim.openNodes()).toEqual(['review']);
  });

  it('an interrupting time-limit timer cancels the task and escalates', () => {
    const sim = new Sim(def);
    sim.start();
    const limit = Object.values(sim.s.timers).find((x) => x.node === 'limit');
    const effects = sim.run({ type: 'fireTimer', timerId: limit?.id ?? '' });
    expect(ofType(effects, 'task.cancelled')).toHaveLength(1);
    expect(ofType(effects, 'timer.cancel')).toHaveLength(1);
    expect(sim.openNodes()).toEqual(['escalate']);
  });

  it('completing the task cancels its boundary timers', () => {
    const sim = new Sim(def);
    sim.start();
    const effects = sim.complete('review', 'u');
    expect(ofType(effects, 'timer.cancel')).toHaveLength(2);
    expect(sim.s.status).toBe('completed');
  });
});

describe('service tasks and errors', () => {
  /*
   *  start → check(serviceTask, retries=1) → ok → end
   *            └ ⚡ INVALID ─▶ fix → end2
   */
  const def = deploy(
    `<startEvent id="start"/><serviceTask id="check" guotu:handler="land.check" guotu:retries="1"/>` +
      userTask('ok') +
      userTask('fix') +
      `<boundaryEvent id="invalid" attachedToRef="check"><errorEventDefinition errorRef="e1"/></boundaryEvent><endEvent id="end"/><endEvent id="end2"/>` +
      chain('start', 'check', 'ok', 'end') +
      chain('invalid', 'fix', 'end2'),
    { extra: '<error id="e1" errorCode="INVALID"/>' },
  );

  it('asks the host to run an unregistered handler and continues on completeService', () => {
    const sim = new Sim(def);
    const invoke = ofType(sim.start({ parcel: 'P-1' }), 'service.invoke')[0];
    expect(invoke).toMatchObject({ handler: 'land.check', node: 'check', attempt: 1, variables: { parcel: 'P-1' } });
    sim.run({ type: 'completeService', jobId: invoke?.jobId ?? '', variables: { area: 12.5 } });
    expect(sim.openNodes()).toEqual(['ok']);
    expect(sim.s.scopes[sim.s.rootScope]?.vars.area).toBe(12.5);
  });

  it('retries a failed call once, then fails the instance', () => {
    const sim = new Sim(def);
    const first = ofType(sim.start(), 'service.invoke')[0];
    const retry = ofType(
      sim.run({ type: 'failService', jobId: first?.jobId ?? '', message: 'timeout' }),
      'service.invoke',
    )[0];
    expect(retry?.attempt).toBe(2);
    const effects = sim.run({ type: 'failService', jobId: retry?.jobId ?? '', message: 'timeout' });
    expect(ofType(effects, 'instance.failed')).toHaveLength(1);
  });

  it('routes a BPMN error from the service to its error boundary', () => {
    const sim = new Sim(def);
    const first = ofType(sim.start(), 'service.invoke')[0];
    sim.run({ type: 'failService', jobId: first?.jobId ?? '', errorCode: 'INVALID' });
    expect(sim.openNodes()).toEqual(['fix']);
  });

  it('runs a synchronous registered handler inside the step', () => {
    const sim = new Sim(def, {
      handlers: { 'land.check': (ctx) => ({ variables: { checked: ctx.variables.parcel ?? null } }) },
    });
    sim.start({ parcel: 'P-2' });
    expect(sim.openNodes()).toEqual(['ok']);
    expect(sim.s.scopes[sim.s.rootScope]?.vars.checked).toBe('P-2');
  });

  /*  start → sub[ s0 → work → errEnd(E2) ] → after → end
   *            └ ⚡ E2 ─▶ handle → end2                                  */
  it('an error end event inside a subprocess is caught by the boundary on the subprocess', () => {
    const d = deploy(
      `<startEvent id="start"/><subProcess id="sub"><startEvent id="s0"/>${userTask('work')}<endEvent id="errEnd"><errorEventDefinition errorRef="e2"/></endEvent>${chain('s0', 'work', 'errEnd')}</subProcess>` +
        userTask('after') +
        userTask('handle') +
        `<boundaryEvent id="b" attachedToRef="sub"><errorEventDefinition errorRef="e2"/></boundaryEvent><endEvent id="end"/><endEvent id="end2"/>` +
        chain('start', 'sub', 'after', 'end') +
        chain('b', 'handle', 'end2'),
      { extra: '<error id="e2" errorCode="E2"/>' },
    );
    const sim = new Sim(d);
    sim.start();
    sim.complete('work', 'u');
    expect(sim.openNodes()).toEqual(['handle']);
  });
});

describe('messages and event-based gateway', () => {
  /*
   *  start → egw ─▶ (✉ supplement) → review → end
   *             └─▶ (⏰ P15D) → refuse → end2
   */
  const def = deploy(
    `<startEvent id="start"/><eventBasedGateway id="egw"/>` +
      `<intermediateCatchEvent id="supplement"><messageEventDefinition messageRef="msg"><operationRef>op</operationRef></messageEventDefinition></intermediateCatchEvent>` +
      `<intermediateCatchEvent id="wait">${timer('timeDuration', 'P15D')}</intermediateCatchEvent>` +
      userTask('review') +
      userTask('refuse') +
      `<endEvent id="end"/><endEvent id="end2"/>` +
      chain('start', 'egw', 'supplement', 'review', 'end') +
      chain('egw', 'wait', 'refuse', 'end2'),
    {
      extra:
        '<message id="msg" name="supplement.received"/><interface id="if"><operation id="op" name="op"><inMessageRef>msg</inMessageRef></operation></interface>',
    },
  );

  it('a correlated message wins the race and cancels the timer', () => {
    const sim = new Sim(def);
    sim.start();
    const effects = sim.run({ type: 'correlateMessage', name: 'supplement.received', variables: { pages: 3 } });
    expect(ofType(effects, 'timer.cancel')).toHaveLength(1);
    expect(sim.openNodes()).toEqual(['review']);
    expect(Object.keys(sim.s.subscriptions)).toHaveLength(0);
  });

  it('the timer wins when it fires first and the message is no longer awaited', () => {
    const sim = new Sim(def);
    sim.start();
    sim.run({ type: 'fireTimer', timerId: Object.keys(sim.s.timers)[0] ?? '' });
    expect(sim.openNodes()).toEqual(['refuse']);
    expect(() => sim.run({ type: 'correlateMessage', name: 'supplement.received' })).toThrow(/nothing waits/);
  });
});

describe('call activity', () => {
  const child = (version: number): Definition =>
    deploy(`<startEvent id="cs"/>${userTask('measure')}<endEvent id="ce"/>${chain('cs', 'measure', 'ce')}`, {
      id: 'survey',
      version,
    });
  /*  start → call(survey, in parcel→p, out area→area) → decide → end  */
  const parent = (binding: string): Definition =>
    deploy(
      `<startEvent id="start"/><callActivity id="call" calledElement="survey" guotu:versionBinding="${binding}" guotu:version="1"><extensionElements><guotu:in source="parcel" target="p"/><guotu:out source="area" target="area"/></extensionElements></callActivity>` +
        userTask('decide') +
        `<endEvent id="end"/>` +
        chain('start', 'call', 'decide', 'end'),
    );

  it('maps variables in and out and binds the requested version', () => {
    const asked: unknown[] = [];
    const sim = new Sim(parent('version'), {
      loadDefinition: (key, binding) => {
        asked.push({ key, ...binding });
        return binding.version === 1 ? child(1) : child(2);
      },
    });
    sim.start({ parcel: 'P-9', secret: 'x' });
    expect(asked[0]).toMatchObject({ key: 'survey', kind: 'version', version: 1 });
    const callScope = Object.values(sim.s.scopes).find((s) => s.kind === 'callActivity');
    expect(callScope?.vars).toEqual({ p: 'P-9' });
    sim.complete('measure', 'u', { variables: { area: 3.2, noise: 1 } });
    expect(sim.openNodes()).toEqual(['decide']);
    const vars = sim.s.scopes[sim.s.rootScope]?.vars;
    expect(vars?.area).toBe(3.2);
    expect(vars?.noise).toBeUndefined();
  });
});

describe('purity', () => {
  const def = deploy(
    `<startEvent id="start"/>${userTask('a', 'guotu:assignee="u"')}<endEvent id="end"/>${chain('start', 'a', 'end')}`,
  );

  it('is deterministic, does not mutate its input and keeps state JSON-serialisable', () => {
    const s1 = step(def, undefined, { type: 'start', instanceId: 'x' }, '2026-01-01T00:00:00Z');
    const frozen = JSON.stringify(s1.state);
    const taskId = Object.keys(s1.state.tasks)[0] ?? '';
    const a = step(def, s1.state, { type: 'completeTask', taskId, by: 'u' }, '2026-01-01T01:00:00Z');
    const b = step(
      def,
      JSON.parse(frozen) as typeof s1.state,
      { type: 'completeTask', taskId, by: 'u' },
      '2026-01-01T01:00:00Z',
    );
    expect(JSON.stringify(s1.state)).toBe(frozen);
    expect(a).toEqual(b);
    expect(JSON.parse(JSON.stringify(a.state))).toEqual(a.state);
  });
});
