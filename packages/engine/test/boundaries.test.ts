import { describe, expect, it } from 'vitest';
import { Sim, chain, deploy, ofType, timer, userTask } from './harness.ts';

const MSG =
  '<message id="wd" name="application.withdrawn"/><error id="err" errorCode="SURVEY_FAILED"/>' +
  '<interface id="if"><operation id="op" name="op"><inMessageRef>wd</inMessageRef></operation></interface>';

describe('boundary and catch events', () => {
  /*
   *  start → review ──────────────────────────▶ end
   *            └ ✉ application.withdrawn (interrupting) ─▶ close → end2
   */
  it('an interrupting message boundary cancels the task when the message is correlated', () => {
    const def = deploy(
      `<startEvent id="start"/>${userTask('review')}<endEvent id="end"/>` +
        `<boundaryEvent id="withdrawn" attachedToRef="review"><messageEventDefinition messageRef="wd"><operationRef>op</operationRef></messageEventDefinition></boundaryEvent>` +
        userTask('close') +
        `<endEvent id="end2"/>` +
        chain('start', 'review', 'end') +
        chain('withdrawn', 'close', 'end2'),
      { extra: MSG },
    );
    const sim = new Sim(def);
    sim.start();
    const effects = sim.run({
      type: 'correlateMessage',
      name: 'application.withdrawn',
      variables: { reason: '撤回申请' },
    });
    expect(ofType(effects, 'task.cancelled')).toHaveLength(1);
    expect(sim.openNodes()).toEqual(['close']);
    expect(sim.s.scopes[sim.s.rootScope]?.vars.reason).toBe('撤回申请');
  });

  /*  start → (⏰ timeDate 2026-04-01T00:00:00Z) → publish → end  */
  it('a timeDate timer is due at that instant', () => {
    const def = deploy(
      `<startEvent id="start"/><intermediateCatchEvent id="on">${timer('timeDate', '2026-04-01T00:00:00Z')}</intermediateCatchEvent>${userTask('publish')}<endEvent id="end"/>` +
        chain('start', 'on', 'publish', 'end'),
    );
    const sim = new Sim(def);
    const schedule = ofType(sim.start(), 'timer.schedule')[0];
    expect(schedule).toMatchObject({ dueAt: '2026-04-01T00:00:00.000Z', spec: { kind: 'date' } });
    sim.run({ type: 'fireTimer', timerId: schedule?.timerId ?? '' });
    expect(sim.openNodes()).toEqual(['publish']);
  });

  /*
   *  start → call(survey) ─────────────▶ decide → end
   *            └ ⚡ SURVEY_FAILED ─▶ redo → end2
   *  survey:  cs → measure → errEnd(SURVEY_FAILED)
   */
  it('an error end event in a called process is caught by the boundary on the call activity', () => {
    const parent = deploy(
      `<startEvent id="start"/><callActivity id="call" calledElement="survey"/>${userTask('decide')}${userTask('redo')}<endEvent id="end"/><endEvent id="end2"/>` +
        `<boundaryEvent id="failed" attachedToRef="call"><errorEventDefinition errorRef="err"/></boundaryEvent>` +
        chain('start', 'call', 'decide', 'end') +
        chain('failed', 'redo', 'end2'),
      { extra: MSG },
    );
    const child = deploy(
      `<startEvent id="cs"/>${userTask('measure')}<endEvent id="errEnd"><errorEventDefinition errorRef="err"/></endEvent>${chain('cs', 'measure', 'errEnd')}`,
      { id: 'survey', extra: MSG },
    );
    const sim = new Sim(parent, { loadDefinition: (key) => (key === 'survey' ? child : undefined) });
    sim.start();
    sim.complete('measure', 'surveyor');
    expect(sim.openNodes()).toEqual(['redo']);
    expect(Object.values(sim.s.scopes).some((s) => s.kind === 'callActivity')).toBe(false);
  });

  it('an uncaught BPMN error fails the instance and says which error', () => {
    const def = deploy(
      `<startEvent id="start"/>${userTask('measure')}<endEvent id="errEnd"><errorEventDefinition errorRef="err"/></endEvent>${chain('start', 'measure', 'errEnd')}`,
      { extra: MSG },
    );
    const sim = new Sim(def);
    sim.start();
    const effects = sim.complete('measure', 'u');
    expect(ofType(effects, 'instance.failed')).toEqual([
      { type: 'instance.failed', errorCode: 'SURVEY_FAILED', message: "error end event 'errEnd'" },
    ]);
    expect(sim.s.status).toBe('failed');
  });
});
