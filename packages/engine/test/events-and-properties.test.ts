import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '@guotu/domain';
import { parseDefinition } from '../src/index.ts';
import { Sim, bpmn, chain, deploy, flow, ofType, timer, userTask } from './harness.ts';

const MSG =
  '<message id="m1" name="case.submitted"/><signal id="sg" name="policy.changed"/><interface id="if"><operation id="op" name="op"><inMessageRef>m1</inMessageRef></operation></interface>';

describe('message start and signals', () => {
  /*  (✉ case.submitted) → accept → end  */
  it('starts an instance from a message start event', () => {
    const def = deploy(
      `<startEvent id="byMail"><messageEventDefinition messageRef="m1"><operationRef>op</operationRef></messageEventDefinition></startEvent>${userTask('accept')}<endEvent id="end"/>${chain('byMail', 'accept', 'end')}`,
      { extra: MSG },
    );
    const sim = new Sim(def);
    sim.run({ type: 'start', instanceId: 'i', message: 'case.submitted' });
    expect(sim.openNodes()).toEqual(['accept']);
  });

  /*  start → review ──────────────▶ end
   *            └ ⚑ policy.changed (non-interrupting) ─▶ recheck → end2        */
  it('a signal from elsewhere wakes a non-interrupting signal boundary; a thrown signal is reported', () => {
    const def = deploy(
      `<startEvent id="start"/>${userTask('review')}<endEvent id="end"/><boundaryEvent id="b" attachedToRef="review" cancelActivity="false"><signalEventDefinition signalRef="sg"/></boundaryEvent>${userTask('recheck')}<endEvent id="end2"/>` +
        `<intermediateThrowEvent id="announce"><signalEventDefinition signalRef="sg"/></intermediateThrowEvent>` +
        chain('start', 'review', 'announce', 'end') +
        chain('b', 'recheck', 'end2'),
      { extra: MSG },
    );
    const sim = new Sim(def);
    sim.start();
    sim.run({ type: 'signal', name: 'policy.changed' });
    expect(sim.openNodes()).toEqual(['recheck', 'review']);
    const effects = sim.complete('review', 'u');
    expect(ofType(effects, 'signal.thrown')).toEqual([{ type: 'signal.thrown', name: 'policy.changed' }]);
  });
});

describe('timeCycle on a catch event', () => {
  /*  start → (⏰ R3/PT1H) → remind → end   — three reminders, each a token of its own  */
  it('sends a token on for every occurrence', () => {
    const def = deploy(
      `<startEvent id="start"/><intermediateCatchEvent id="tick">${timer('timeCycle', 'R3/PT1H')}</intermediateCatchEvent>${userTask('remind')}<endEvent id="end"/>${chain('start', 'tick', 'remind', 'end')}`,
    );
    const sim = new Sim(def);
    sim.start();
    for (let i = 0; i < 3; i++) sim.run({ type: 'fireTimer', timerId: Object.keys(sim.s.timers)[0] ?? '' });
    expect(sim.openNodes()).toEqual(['remind', 'remind', 'remind']);
    expect(Object.keys(sim.s.timers)).toHaveLength(0);
  });
});

describe('deployment', () => {
  it('refuses script/service tasks naming handlers that are not registered', () => {
    const xml = bpmn(
      `<startEvent id="s"/><serviceTask id="svc" guotu:handler="gis.overlay"/><endEvent id="e"/>${chain('s', 'svc', 'e')}`,
    );
    expect(() => parseDefinition(xml, { handlers: ['gis.overlay'] })).not.toThrow();
    expect(() => parseDefinition(xml, { handlers: ['sms.send'] })).toThrow(AppError);
  });

  it('hands out frozen definitions (versions are immutable once deployed)', () => {
    const def = deploy(`<startEvent id="s"/><endEvent id="e"/>${chain('s', 'e')}`);
    expect(Object.isFrozen(def.nodes.s)).toBe(true);
  });
});

describe('jump from one task', () => {
  /*  start → fork ─▶ a → join → z → end
   *               └▶ b ──┘                                  */
  it('moves only the given task and leaves the parallel branch alone', () => {
    const def = deploy(
      `<startEvent id="start"/><parallelGateway id="fork"/><parallelGateway id="join"/>${userTask('a')}${userTask('b')}${userTask('a2')}${userTask('z')}<endEvent id="end"/>` +
        chain('start', 'fork', 'a', 'a2', 'join', 'z', 'end') +
        chain('fork', 'b', 'join'),
    );
    const sim = new Sim(def);
    sim.start();
    sim.run({ type: 'jump', by: 'admin', target: 'a2', taskId: sim.task('a').id });
    expect(sim.openNodes()).toEqual(['a2', 'b']);
  });
});

describe('properties', () => {
  /*
   *  start → split(inclusive) ─(x)─▶ p ─┐
   *                           ─(y)─▶ q ─┼▶ merge(inclusive) → fork(parallel) ─▶ r ─┐
   *                           ─(def)▶ d ┘                                 └▶ s ─┴▶ join → end
   */
  const def = deploy(
    `<startEvent id="start"/><inclusiveGateway id="split" default="split_d"/><inclusiveGateway id="merge"/><parallelGateway id="fork"/><parallelGateway id="join"/>` +
      ['p', 'q', 'd', 'r', 's'].map((x) => userTask(x)).join('') +
      `<endEvent id="end"/>` +
      chain('start', 'split') +
      flow('split', 'p', 'x') +
      flow('split', 'q', 'y') +
      chain('split', 'd') +
      chain('p', 'merge') +
      chain('q', 'merge') +
      chain('d', 'merge') +
      chain('merge', 'fork', 'r', 'join', 'end') +
      chain('fork', 's', 'join'),
    { id: 'props' },
  );

  it('completing open tasks in any order always finishes with no tokens, tasks or timers left', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.array(fc.nat(), { minLength: 10, maxLength: 10 }), (x, y, picks) => {
        const sim = new Sim(def);
        sim.start({ x, y });
        for (const pick of picks) {
          const open = sim.tasks();
          if (open.length === 0) break;
          const t = open[pick % open.length]!;
          sim.run({ type: 'completeTask', taskId: t.id, by: 'u' });
        }
        expect(sim.s.status).toBe('completed');
        expect(Object.keys(sim.s.tokens)).toHaveLength(0);
        expect(Object.keys(sim.s.scopes)).toHaveLength(0);
        const completed = sim.s.history.filter((h) => h.type === 'task.completed').map((h) => h.node ?? '');
        expect(completed.filter((n) => n === 'p').length).toBe(x ? 1 : 0);
        expect(completed.filter((n) => n === 'd').length).toBe(x || y ? 0 : 1);
        expect(completed.filter((n) => n === 'r' || n === 's')).toHaveLength(2);
      }),
      { numRuns: 200 },
    );
  });
});

describe('endless loops', () => {
  /*  start → tick(script) → xg ─(true)─▶ tick …   (never waits)  */
  it('fails the instance instead of hanging when a model loops without waiting', () => {
    const def = deploy(
      `<startEvent id="start"/><scriptTask id="tick"><script>noop</script></scriptTask><exclusiveGateway id="xg"/><endEvent id="end"/>` +
        chain('start', 'tick', 'xg') +
        flow('xg', 'tick', 'true') +
        flow('xg', 'end', 'false'),
      { id: 'loop' },
    );
    const sim = new Sim(def, { handlers: { noop: () => undefined } });
    const effects = sim.start();
    expect(ofType(effects, 'instance.failed')[0]?.message).toMatch(/endless loop/);
  });
});
