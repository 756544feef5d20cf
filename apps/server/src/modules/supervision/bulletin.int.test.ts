import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../test/harness.ts';
import { taskAt, workflowClient } from '../workflow/test-support.ts';
import type { Bulletin } from './bulletin-service.ts';

const processXml = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:guotu="http://guotu.org/schema/bpmn" id="d" targetNamespace="http://guotu.org/test">
  <process id="oneStep" name="单步审查" isExecutable="true">
    <startEvent id="start"/>
    <userTask id="review" name="用地处审查" guotu:candidateRoles="handler" guotu:timeLimit="P3D" guotu:calendar="workday"/>
    <endEvent id="end"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="review"/>
    <sequenceFlow id="f2" sourceRef="review" targetRef="end"/>
  </process>
</definitions>`;

describe.each(engines)('bulletins and efficiency weights on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    const wf = workflowClient(t);
    expect((await wf.deploy('admin', processXml)).status).toBe(201);
    const started = await wf.start('admin', { key: 'oneStep', businessKey: '鄂自然资2026-0100' });
    const task = taskAt(started.body, 'review');
    expect((await wf.op('handler', task, 'claim')).status).toBe(200);
    expect((await wf.op('handler', task, 'complete', { decision: 'approve', opinion: '同意' })).status).toBe(200);
  });
  afterAll(async () => t.close());

  it('counts a step finished on time the same day: 100 % on time, 0 working days, scored for office and person', async () => {
    const s = await t.login('supervisor');
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/v1/supervision/bulletins?period=week&date=${new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10)}`,
      headers: s.headers,
    });
    expect(r.statusCode, r.body).toBe(200);
    const b = r.json<Bulletin>();
    expect(b.period.kind).toBe('week');
    expect(b.totals).toMatchObject({ finishedSteps: 1, onTime: 1, onTimeRate: 100, averageWorkingDays: 0 });
    expect(b.byOffice).toEqual([
      expect.objectContaining({ orgName: '用地处', finishedSteps: 1, onTimeRate: 100, score: 100 }),
    ]);
    expect(b.people).toEqual([expect.objectContaining({ username: 'handler', score: 100 })]);
  });

  it('lets the supervision office change the weights (audited); refuses others and all-zero weights', async () => {
    const s = await t.login('supervisor');
    const head = await t.login('officehead');
    const h = await t.login('handler');
    const url = '/api/v1/supervision/settings/efficiency-weights';
    const weights = { onTime: 0.7, noWarning: 0.1, speed: 0.1, orders: 0.1 };
    expect((await t.app.inject({ method: 'PUT', url, headers: head.headers, payload: weights })).statusCode).toBe(403);
    expect(
      (
        await t.app.inject({
          method: 'PUT',
          url,
          headers: s.headers,
          payload: { onTime: 0, noWarning: 0, speed: 0, orders: 0 },
        })
      ).statusCode,
    ).toBe(400);
    expect((await t.app.inject({ method: 'PUT', url, headers: s.headers, payload: weights })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url, headers: head.headers })).json()).toEqual(weights);
    const audit = await t.ctx.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'supervision.weights_changed')
      .execute();
    expect(audit).toHaveLength(1);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/supervision/bulletins?period=month', headers: h.headers }))
        .statusCode,
    ).toBe(403);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/supervision/bulletins/pdf?period=month', headers: h.headers }))
        .statusCode,
    ).toBe(403);
  });
  it('does not count paused days in the average duration: 7 working days with a 3-day 补正 pause count 4', async () => {
    const wf = workflowClient(t);
    const started = await wf.start('admin', { key: 'oneStep', businessKey: '鄂自然资2026-0101' });
    const task = taskAt(started.body, 'review');
    expect((await wf.op('handler', task, 'claim')).status).toBe(200);
    expect((await wf.op('handler', task, 'complete', { decision: 'approve', opinion: '同意' })).status).toBe(200);
    // Back-date the step: created Mon 2026-03-02, paused for 补正 Tue 03-03 → Fri 03-06 (Wed, Thu,
    // Fri not counted), completed Wed 03-11. Working days in (03-02, 03-11]: 7; less the pause: 4.
    const db = t.ctx.database.db;
    const pauses = [
      { kind: 'supplement', from: '2026-03-03T02:00:00.000Z', to: '2026-03-06T02:00:00.000Z', reason: '补正材料' },
    ];
    await sql`update wf_tasks set created_at = '2026-03-02T01:00:00Z', completed_at = '2026-03-11T08:00:00Z' where id = ${task}::bigint`.execute(
      db,
    );
    await sql`update clocks set started_at = '2026-03-02T01:00:00Z', stopped_at = '2026-03-11T08:00:00Z', pauses = ${JSON.stringify(pauses)}::jsonb,
      due_at = '2026-03-10T15:59:59.999Z' where id = (select clock_id from wf_tasks where id = ${task}::bigint)`.execute(
      db,
    );
    const s = await t.login('supervisor');
    const r = await t.app.inject({
      method: 'GET',
      url: '/api/v1/supervision/bulletins?period=week&date=2026-03-11',
      headers: s.headers,
    });
    expect(r.statusCode, r.body).toBe(200);
    const b = r.json<Bulletin>();
    expect(b.period).toMatchObject({ from: '2026-03-09', to: '2026-03-15' });
    expect(b.totals).toMatchObject({ finishedSteps: 1, averageWorkingDays: 4 });
    expect(b.byOffice).toEqual([expect.objectContaining({ orgName: '用地处', averageWorkingDays: 4 })]);
    expect(b.people).toEqual([expect.objectContaining({ username: 'handler', averageWorkingDays: 4 })]);
  });
});
