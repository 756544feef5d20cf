import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../test/harness.ts';
import { taskAt, workflowClient } from '../workflow/test-support.ts';

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

interface Anomaly {
  rule: string;
  instanceId: string;
  caseNumber: string | null;
  detail: string;
  byUser: string | null;
}

describe.each(engines)('anomalies beyond time on %s', (engine) => {
  let t: TestApp;
  let bad = '';
  let good = '';
  beforeAll(async () => {
    t = await createTestApp(engine);
    const wf = workflowClient(t);
    expect((await wf.deploy('admin', processXml)).status).toBe(201);
    const run = async (businessKey: string, body: object) => {
      const started = await wf.start('admin', { key: 'oneStep', businessKey });
      const taskId = taskAt(started.body, 'review');
      expect((await wf.op('handler', taskId, 'claim')).status).toBe(200);
      const done = await wf.op('handler', taskId, 'complete', body);
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      return started.body.instanceId;
    };
    bad = await run('鄂自然资2026-0666', { decision: 'reject' });
    good = await run('鄂自然资2026-0001', { decision: 'approve', opinion: '符合规划' });
    const db = t.ctx.database.db;
    // what the rules look for, written the way a tampering or outside-the-system case would leave it
    await sql`update wf_instances set started_by = (select id from users where username = 'handler'), started_at = started_at - interval '3 days' where id = ${bad}`.execute(
      db,
    );
    await sql`insert into wf_history (instance_id, at, type, node, task_key, by_user) select ${bad}, now() - interval '10 days', 'task.completed', 'review', 'x1', 'handler'`.execute(
      db,
    );
    for (let i = 0; i < 3; i++)
      await sql`insert into wf_history (instance_id, at, type, node, by_user) values (${bad}, now() + interval '1 minute', 'task.returned', 'review', 'officehead')`.execute(
        db,
      );
  });
  afterAll(async () => t.close());

  it('names each anomaly of the bad case with the rule that fired, and none for the clean case', async () => {
    const s = await t.login('supervisor');
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/supervision/anomalies', headers: s.headers });
    expect(r.statusCode, r.body).toBe(200);
    const list = r.json<Anomaly[]>();
    expect(list.filter((a) => a.instanceId === good)).toEqual([]);
    const rules = new Set(list.filter((a) => a.instanceId === bad).map((a) => a.rule));
    expect(rules).toEqual(
      new Set(['refusalWithoutReason', 'repeatedReturns', 'outOfOrder', 'backDated', 'selfDealing']),
    );
    expect(list.find((a) => a.rule === 'selfDealing')).toMatchObject({
      caseNumber: '鄂自然资2026-0666',
      byUser: 'handler',
    });
    expect(list.find((a) => a.rule === 'repeatedReturns')?.detail).toBe('3 returns');
  });

  it('filters by rule and respects the threshold of returns', async () => {
    const s = await t.login('supervisor');
    const four = await t.app.inject({
      method: 'GET',
      url: '/api/v1/supervision/anomalies?rule=repeatedReturns&minReturns=4',
      headers: s.headers,
    });
    expect(four.json<Anomaly[]>()).toEqual([]);
    const refusals = await t.app.inject({
      method: 'GET',
      url: '/api/v1/supervision/anomalies?rule=refusalWithoutReason',
      headers: s.headers,
    });
    expect(refusals.json<Anomaly[]>().map((a) => a.rule)).toEqual(['refusalWithoutReason']);
    // fees are a rule too (cases/fees.int.test.ts records them); no case here took any money
    const fees = await t.app.inject({
      method: 'GET',
      url: '/api/v1/supervision/anomalies?rule=feeOutsideRules',
      headers: s.headers,
    });
    expect(fees.statusCode, fees.body).toBe(200);
    expect(fees.json<Anomaly[]>()).toEqual([]);
  });

  it('refuses a user without supervision.read', async () => {
    const h = await t.login('handler');
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/supervision/anomalies', headers: h.headers })).statusCode,
    ).toBe(403);
  });
});
