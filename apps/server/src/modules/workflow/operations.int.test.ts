import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../test/harness.ts';
import { fixture, taskAt, workflowClient } from './test-support.ts';
import { handleServiceInvoke } from './jobs.ts';

describe.each(engines)('workflow countersign, deployment and permissions on %s', (engine) => {
  let t: TestApp;
  let wf: ReturnType<typeof workflowClient>;
  beforeAll(async () => {
    t = await createTestApp(engine, { jobs: true });
    wf = workflowClient(t);
    expect((await wf.deploy('admin', fixture('countersign.bpmn'))).status).toBe(201);
    expect((await wf.deploy('admin', fixture('approval.bpmn'))).status).toBe(201);
  });
  afterAll(async () => t.close());

  /*
   *   start → draft 拟稿 (${drafter}) → sign 会签 ≡ sequential over ${signers}, all must sign → issue 签发 (leader) → end
   *
   * signers = [reviewer, officehead]; reviewer adds supervisor (加签): the queue becomes
   * reviewer → officehead → supervisor, and 签发 waits for all three.
   */
  it('adds a signer to a running sequential countersign; the step completes only after the added signer signs', async () => {
    const started = await wf.start('window', {
      key: 'countersign',
      businessKey: 'DOC-1',
      variables: { drafter: 'handler', signers: ['reviewer', 'officehead'] },
    });
    const signing = await wf.op('handler', taskAt(started.body, 'draft'), 'complete', { opinion: '初稿' });
    const first = taskAt(signing.body, 'sign');
    expect(signing.body.tasks[0]?.assignee).toBe('reviewer');
    expect((await wf.task('reviewer', first)).body.operations).toEqual(
      expect.arrayContaining(['addSigner', 'removeSigner']),
    );
    expect((await wf.op('reviewer', first, 'addSigner', { signer: 'supervisor' })).status).toBe(200);
    const second = await wf.op('reviewer', first, 'complete', { decision: 'approve' });
    expect(second.body.tasks.map((x) => x.assignee)).toEqual(['officehead']);
    const third = await wf.op('officehead', taskAt(second.body, 'sign'), 'complete', { decision: 'approve' });
    expect(third.body.tasks.map((x) => x.assignee)).toEqual(['supervisor']);
    const issue = await wf.op('supervisor', taskAt(third.body, 'sign'), 'complete', { decision: 'approve' });
    expect(issue.body.tasks.map((x) => x.node)).toEqual(['issue']);
    expect((await wf.instance('leader', issue.body.instanceId)).body.variables.decision).toBe('approve');
  });

  it('removes a queued signer (减签) and lets a holder unclaim and a colleague urge (催办), which enqueues a notification', async () => {
    const started = await wf.start('window', {
      key: 'countersign',
      businessKey: 'DOC-2',
      variables: { drafter: 'handler', signers: ['reviewer', 'officehead', 'supervisor'] },
    });
    const signing = await wf.op('handler', taskAt(started.body, 'draft'), 'complete');
    const first = taskAt(signing.body, 'sign');
    expect((await wf.op('reviewer', first, 'removeSigner', { signer: 'officehead' })).status).toBe(200);
    const next = await wf.op('reviewer', first, 'complete', { decision: 'approve' });
    expect(next.body.tasks.map((x) => x.assignee)).toEqual(['supervisor']);

    const approval = await wf.start('window', { key: 'approval', variables: { simple: true } });
    const accept = taskAt(approval.body, 'accept');
    await wf.op('window', accept, 'claim');
    expect((await wf.task('window', accept)).body.operations).toContain('unclaim');
    expect((await wf.op('window', accept, 'unclaim')).body.tasks[0]?.assignee).toBeNull();
    const urged = await wf.op('admin', accept, 'urge', { message: '请尽快受理' });
    expect(urged.status).toBe(200);
    const jobs = await t.ctx.jobs!.boss.fetch('workflow.notify', { batchSize: 50 });
    expect((jobs ?? []).map((j) => j.data)).toContainEqual(
      expect.objectContaining({ kind: 'urge', message: '请尽快受理' }),
    );
  });

  /*
   *   start → call [service: fail, 1 retry] ──▶ next → end2
   *               ⚡ GIS_DOWN ─▶ fix 人工处理 → end1
   */
  it('runs service tasks through jobs: a BPMN error goes to its boundary, a plain failure is retried once then fails the instance', async () => {
    expect((await wf.deploy('admin', fixture('service.bpmn'))).status).toBe(201);
    const deps = { db: t.ctx.database.db, calendar: t.ctx.calendar, jobs: t.ctx.jobs };
    const nextJob = async (instanceId: string) => {
      const jobs = (await t.ctx.jobs!.boss.fetch('workflow.service.invoke', { batchSize: 50 })) ?? [];
      const job = jobs
        .map((j) => j.data as Parameters<typeof handleServiceInvoke>[1])
        .find((d) => d.instanceId === instanceId);
      if (!job) throw new Error(`no service job for ${instanceId}`);
      return job;
    };
    const caught = await wf.start('admin', { key: 'service', variables: { failWith: 'GIS_DOWN' } });
    const job = await nextJob(caught.body.instanceId);
    expect(await handleServiceInvoke(deps, job)).toBe('applied');
    expect(await handleServiceInvoke(deps, job)).toBe('skipped'); // a duplicate delivery changes nothing
    expect((await wf.instance('admin', caught.body.instanceId)).body.tasks.map((x) => x.node)).toEqual(['fix']);

    const failing = await wf.start('admin', { key: 'service' });
    expect(await handleServiceInvoke(deps, await nextJob(failing.body.instanceId))).toBe('applied');
    const retry = await nextJob(failing.body.instanceId);
    expect(retry.attempt).toBe(2);
    expect(await handleServiceInvoke(deps, retry)).toBe('applied');
    expect((await wf.instance('admin', failing.body.instanceId)).body.status).toBe('failed');
  });

  it('lists the open tasks of units in my scope (view=org) for workflow.read holders', async () => {
    const started = await wf.start('window', { key: 'approval', variables: { simple: true } });
    const accept = taskAt(started.body, 'accept');
    const org = await wf.call<{ items: Array<{ id: string }> }>(
      'admin',
      'GET',
      '/api/v1/workflow/tasks?view=org&limit=200',
    );
    expect(org.body.items.map((x) => x.id)).toContain(accept);
    const office = await wf.call<{ items: Array<{ id: string }> }>(
      'reviewer',
      'GET',
      '/api/v1/workflow/tasks?view=org&limit=200',
    );
    expect(office.body.items.map((x) => x.id)).not.toContain(accept);
  });

  it('refuses an invalid definition with 400 DEFINITION_INVALID naming the element ids, and deploys nothing', async () => {
    const bad = fixture('approval.bpmn')
      .replace('targetRef="reviewB"', 'targetRef="nowhere"')
      .replace('<parallelGateway id="join"/>', '<complexGateway id="join"/>');
    const refused = await wf.deploy('admin', bad, 'badApproval');
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('DEFINITION_INVALID');
    const paths = (refused.body.details ?? []).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['f4', 'join']));
    const list = await wf.call<{ items: Array<{ key: string }> }>('admin', 'GET', '/api/v1/workflow/definitions');
    expect(list.body.items.map((i) => i.key)).not.toContain('badApproval');
  });

  it('versions a changed definition and keeps the same XML at its version', async () => {
    const again = await wf.deploy('admin', fixture('approval.bpmn'));
    expect(again.body).toMatchObject({ key: 'approval', version: 1, deployed: false });
    const changed = await wf.deploy('admin', fixture('approval.bpmn').replace('name="受理"', 'name="收件受理"'));
    expect(changed.body).toMatchObject({ key: 'approval', version: 2, deployed: true });
    const v1 = await wf.call<{ xml: string }>('handler', 'GET', '/api/v1/workflow/definitions/approval/1');
    expect(v1.body.xml).toContain('name="受理"');
  });

  it('denies each permission: workflow.read (list), workflow.deploy (deploy), workflow.admin (suspend), case.receive (start)', async () => {
    expect((await wf.call('geohazard', 'GET', '/api/v1/workflow/tasks?view=todo')).status).toBe(403);
    expect((await wf.call('geohazard', 'GET', '/api/v1/workflow/definitions')).status).toBe(403);
    expect((await wf.deploy('handler', fixture('approval.bpmn'))).status).toBe(403);
    expect((await wf.start('handler', { key: 'approval' })).status).toBe(403);
    const started = await wf.start('window', { key: 'approval', variables: { simple: true } });
    expect(started.status).toBe(201);
    for (const op of ['suspend', 'terminate', 'jump'])
      expect((await wf.admin('officehead', started.body.instanceId, op, { target: 'decide' })).status).toBe(403);
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/workflow/tasks' });
    expect(anonymous.statusCode).toBe(401);
    // every workflow route is in the OpenAPI document with a summary
    const openapi = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, { summary?: string }>>;
    }>();
    const ops = Object.entries(openapi.paths)
      .filter(([p]) => p.startsWith('/api/v1/workflow'))
      .flatMap(([, methods]) => Object.values(methods));
    expect(ops.length).toBe(11);
    expect(ops.every((o) => typeof o.summary === 'string' && o.summary.length > 0)).toBe(true);
  });

  it('hides a task and an instance outside the caller scope as not found', async () => {
    const started = await wf.start('window', { key: 'approval', variables: { simple: true } });
    const accept = taskAt(started.body, 'accept');
    // 武昌区 window clerk holds the candidate role, but the task belongs to the department
    const outside = await wf.task('wuchang.window', accept);
    const missing = await wf.task('wuchang.window', '999999999');
    expect(outside.status).toBe(404);
    expect(missing.status).toBe(404);
    expect((await wf.op('wuchang.window', accept, 'complete')).status).toBe(404);
    expect((await wf.instance('wuchang.window', started.body.instanceId)).status).toBe(404);
    expect((await wf.todo('wuchang.window')).map((x) => x.id)).not.toContain(accept);
    // …and a case the county receives stays in the county
    const county = await wf.start('wuchang.window', { key: 'approval', variables: { simple: true } });
    expect((await wf.todo('window')).map((x) => x.id)).not.toContain(taskAt(county.body, 'accept'));
    expect((await wf.todo('wuchang.window')).map((x) => x.id)).toContain(taskAt(county.body, 'accept'));
  });
});
