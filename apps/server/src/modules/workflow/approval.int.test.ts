import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../test/harness.ts';
import { createUserAsSystem } from '../users/service.ts';
import { DEMO_PASSWORD } from '../../seed/demo.ts';
import { fixture, taskAt, workflowClient } from './test-support.ts';
import { inTransaction } from '../../platform/db.ts';
import { runCommandTx } from './host.ts';
import { loadInstance } from './repository.ts';

/*
 * The approval process (fixtures/approval.bpmn):
 *
 *   start → 受理 accept ─▶ ⊗ xg ─(simple)──────────────────────────────────▶ decide 审批 → end
 *           (window_clerk)   └─(default)─▶ ✚ fork ─▶ reviewA 耕保处 (reviewer) ─┐
 *                                               └─▶ reviewB 用地处 (handler)  ─┴▶ ✚ join → decide (leader)
 *
 * Every user task has a working-day time limit (P5D / P3D) → a persisted step clock.
 */
describe.each(engines)('workflow approval over HTTP on %s', (engine) => {
  let t: TestApp;
  let wf: ReturnType<typeof workflowClient>;
  beforeAll(async () => {
    t = await createTestApp(engine, { jobs: true });
    wf = workflowClient(t);
    const deployed = await wf.deploy('admin', fixture('approval.bpmn'));
    expect(deployed.status).toBe(201);
    // A second reviewer in 耕地保护处, so two candidates can race for one task.
    const reviewerOrg = await t.ctx.database.db
      .selectFrom('users')
      .select('org_id')
      .where('username', '=', 'reviewer')
      .executeTakeFirstOrThrow();
    await createUserAsSystem(t.ctx.database.db, {
      username: 'reviewer2',
      displayName: '耕保处审查人二',
      password: DEMO_PASSWORD,
      orgId: reviewerOrg.org_id,
      roles: ['reviewer'],
    });
  });
  afterAll(async () => t.close());

  it('runs a case end to end: accept, parallel review by two offices, leader decision; history and diagram follow', async () => {
    const started = await wf.start('window', {
      key: 'approval',
      businessKey: 'HB-2026-0001',
      variables: { simple: false, area: 12.5 },
    });
    expect(started.status).toBe(201);
    const accept = taskAt(started.body, 'accept');
    expect((await wf.todo('window')).map((x) => x.id)).toContain(accept);
    const detail = await wf.task('window', accept);
    expect(detail.body.operations).toEqual(expect.arrayContaining(['complete', 'claim', 'circulate']));
    expect(detail.body.dueAt).not.toBeNull();

    const afterAccept = await wf.op('window', accept, 'complete', {
      decision: 'accept',
      opinion: '材料齐全，予以受理',
    });
    expect(afterAccept.status).toBe(200);
    expect(afterAccept.body.tasks.map((x) => x.node).sort()).toEqual(['reviewA', 'reviewB']);
    const reviewA = taskAt(afterAccept.body, 'reviewA');
    const reviewB = taskAt(afterAccept.body, 'reviewB');
    // reviewA goes to 耕保处 reviewers, not to the handler of 用地处
    expect((await wf.todo('handler')).map((x) => x.id)).toEqual(expect.arrayContaining([reviewB]));
    expect((await wf.todo('handler')).map((x) => x.id)).not.toContain(reviewA);
    expect((await wf.task('handler', reviewA)).status).toBe(404);

    expect(
      (await wf.op('reviewer', reviewA, 'complete', { decision: 'approve', opinion: '不占用基本农田' })).status,
    ).toBe(200);
    const joined = await wf.op('handler', reviewB, 'complete', { decision: 'approve', opinion: '符合用地标准' });
    expect(joined.body.tasks.map((x) => x.node)).toEqual(['decide']);
    const decided = await wf.op('leader', taskAt(joined.body, 'decide'), 'complete', {
      decision: 'approve',
      opinion: '同意',
    });
    expect(decided.body.status).toBe('completed');

    const id = started.body.instanceId;
    const history = await wf.call<{ items: Array<{ type: string; by: string | null; opinion: string | null }> }>(
      'admin',
      'GET',
      `/api/v1/workflow/instances/${id}/history`,
    );
    const completions = history.body.items.filter((h) => h.type === 'task.completed');
    expect(completions.map((h) => h.by)).toEqual(['window', 'reviewer', 'handler', 'leader']);
    expect(completions[0]?.opinion).toBe('材料齐全，予以受理');
    const diagram = await wf.call<{
      activeNodeIds: string[];
      completedNodeIds: string[];
      takenFlowIds: string[];
      xml: string;
    }>('window', 'GET', `/api/v1/workflow/instances/${id}/diagram`);
    expect(diagram.body.activeNodeIds).toEqual([]);
    expect(diagram.body.completedNodeIds).toEqual(
      expect.arrayContaining(['accept', 'xg', 'fork', 'reviewA', 'reviewB', 'join', 'decide', 'end']),
    );
    expect(diagram.body.takenFlowIds).toContain('toFork');
    expect(diagram.body.takenFlowIds).not.toContain('simple');
    expect((await wf.done('reviewer')).map((x) => x.id)).toContain(reviewA);
    // the step clocks stopped with their tasks
    const open = await t.ctx.database.db
      .selectFrom('clocks')
      .select('id')
      .where('subject_type', '=', 'task')
      .where('stopped_at', 'is', null)
      .where('subject_id', 'like', `${id}:%`)
      .execute();
    expect(open).toEqual([]);
  });

  it('lets exactly one of two reviewers complete the same task at once; the other gets 409 and nothing is half-applied', async () => {
    const started = await wf.start('window', {
      key: 'approval',
      businessKey: 'HB-2026-0002',
      variables: { simple: false },
    });
    const afterAccept = await wf.op('window', taskAt(started.body, 'accept'), 'complete', { decision: 'accept' });
    const reviewA = taskAt(afterAccept.body, 'reviewA');
    const [a, b] = await Promise.all([
      wf.op('reviewer', reviewA, 'complete', { decision: 'approve', opinion: 'A' }),
      wf.op('reviewer2', reviewA, 'complete', { decision: 'approve', opinion: 'B' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect((a.status === 409 ? a : b).body.code).toBe('CONFLICT');
    const history = await wf.call<{ items: Array<{ type: string; node: string | null }> }>(
      'admin',
      'GET',
      `/api/v1/workflow/instances/${started.body.instanceId}/history`,
    );
    expect(history.body.items.filter((h) => h.type === 'task.completed' && h.node === 'reviewA')).toHaveLength(1);
    const inst = await wf.instance('admin', started.body.instanceId);
    expect(inst.body.tasks.map((x) => x.node)).toEqual(['reviewB']);
  });

  it('steps on the state a concurrent command committed while it waited for the instance lock (both parallel reviews complete, the join fires once)', async () => {
    const started = await wf.start('window', {
      key: 'approval',
      businessKey: 'HB-2026-0010',
      variables: { simple: false },
    });
    const afterAccept = await wf.op('window', taskAt(started.body, 'accept'), 'complete', { decision: 'accept' });
    const reviewA = taskAt(afterAccept.body, 'reviewA');
    const reviewBKey = (
      await t.ctx.database.db
        .selectFrom('wf_tasks')
        .select('task_key')
        .where('id', '=', taskAt(afterAccept.body, 'reviewB'))
        .executeTakeFirstOrThrow()
    ).task_key;
    const deps = { db: t.ctx.database.db, calendar: t.ctx.calendar, jobs: t.ctx.jobs };
    const meta = {
      actorId: null,
      actorName: 'handler',
      requestId: null,
      calendar: await t.ctx.calendar.get(),
      now: new Date(),
    };
    let pending: ReturnType<typeof wf.op> | undefined;
    await inTransaction(t.ctx.database.db, async (tx) => {
      const loaded = await loadInstance(tx, started.body.instanceId, { forUpdate: true });
      pending = wf.op('reviewer', reviewA, 'complete', { decision: 'approve' }); // waits for our lock (PostgreSQL) or the gate (PGlite)
      await new Promise((resolve) => setTimeout(resolve, 400));
      await runCommandTx(
        deps,
        tx,
        loaded!,
        { type: 'completeTask', taskId: reviewBKey, by: 'handler', decision: 'approve' },
        meta,
      );
    });
    const a = await pending!;
    expect(a.status).toBe(200);
    expect(a.body.tasks.map((x) => x.node)).toEqual(['decide']);
    const inst = await wf.instance('admin', started.body.instanceId);
    expect(inst.body.tokens.map((k) => k.node)).toEqual(['decide']);
  });

  it('returns (回退) from inside the parallel review to 受理, withdrawing the sibling branch; the task goes back to its completer', async () => {
    const started = await wf.start('window', {
      key: 'approval',
      businessKey: 'HB-2026-0003',
      variables: { simple: false },
    });
    const afterAccept = await wf.op('window', taskAt(started.body, 'accept'), 'complete', { decision: 'accept' });
    const reviewA = taskAt(afterAccept.body, 'reviewA');
    expect((await wf.task('reviewer', reviewA)).body.operations).not.toContain('return'); // not held yet
    await wf.op('reviewer', reviewA, 'claim');
    const held = await wf.task('reviewer', reviewA);
    expect(held.body.operations).toContain('return');
    expect(held.body.returnTargets).toEqual([{ node: 'accept', name: '受理' }]);
    const returned = await wf.op('reviewer', reviewA, 'return', { target: 'accept', opinion: '缺少勘测定界图' });
    expect(returned.status).toBe(200);
    expect(returned.body.tasks.map((x) => x.node)).toEqual(['accept']);
    expect(returned.body.tasks[0]?.assignee).toBe('window');
    const cancelled = await t.ctx.database.db
      .selectFrom('wf_tasks')
      .select(['node', 'status'])
      .where('instance_id', '=', started.body.instanceId)
      .where('status', '=', 'cancelled')
      .execute();
    expect(cancelled.map((c) => c.node).sort()).toEqual(['reviewA', 'reviewB']);
  });

  it('withdraws (撤回) a completion while the next step is untouched, and not after it was claimed', async () => {
    const started = await wf.start('window', {
      key: 'approval',
      businessKey: 'HB-2026-0004',
      variables: { simple: true },
    });
    const accept = taskAt(started.body, 'accept');
    const after = await wf.op('window', accept, 'complete', { decision: 'accept' });
    expect((await wf.task('window', accept)).body.operations).toContain('withdraw');
    const back = await wf.op('window', accept, 'withdraw');
    expect(back.status).toBe(200);
    expect(back.body.tasks.map((x) => x.node)).toEqual(['accept']);
    // again, and this time the leader claims first: withdraw is no longer offered nor accepted
    const again = await wf.op('window', taskAt(back.body, 'accept'), 'complete', { decision: 'accept' });
    await wf.op('leader', taskAt(again.body, 'decide'), 'claim');
    const acceptAgain = taskAt(back.body, 'accept');
    expect((await wf.task('window', acceptAgain)).body.operations).not.toContain('withdraw');
    expect((await wf.op('window', acceptAgain, 'withdraw')).status).toBe(409);
    expect(after.status).toBe(200);
  });

  it('transfers (转办) a held task to another user, who then completes it', async () => {
    const started = await wf.start('window', {
      key: 'approval',
      businessKey: 'HB-2026-0005',
      variables: { simple: true },
    });
    const accept = taskAt(started.body, 'accept');
    await wf.op('window', accept, 'claim');
    const moved = await wf.op('window', accept, 'transfer', { to: 'officehead', opinion: '请处长处理' });
    expect(moved.body.tasks[0]?.assignee).toBe('officehead');
    expect((await wf.op('window', accept, 'complete')).status).toBe(404);
    expect((await wf.todo('officehead')).map((x) => x.id)).toContain(accept);
    expect((await wf.op('officehead', accept, 'complete', { decision: 'accept' })).status).toBe(200);
    expect((await wf.op('window', accept, 'transfer', { to: 'nobody.here' })).status).toBe(409);
  });

  it('delegates (委托) a task and takes it back when the delegate resolves it', async () => {
    const started = await wf.start('window', {
      key: 'approval',
      businessKey: 'HB-2026-0006',
      variables: { simple: true },
    });
    const accept = taskAt(started.body, 'accept');
    await wf.op('window', accept, 'claim');
    const delegated = await wf.op('window', accept, 'delegate', { to: 'handler' });
    expect(delegated.body.tasks[0]?.assignee).toBe('handler');
    const asDelegate = await wf.task('handler', accept);
    expect(asDelegate.body.operations).toContain('resolve');
    expect(asDelegate.body.operations).not.toContain('complete');
    expect((await wf.op('handler', accept, 'complete')).status).toBe(409);
    const resolved = await wf.op('handler', accept, 'resolve', { opinion: '已核对材料' });
    expect(resolved.body.tasks[0]?.assignee).toBe('window');
    expect((await wf.op('window', accept, 'complete', { decision: 'accept' })).status).toBe(200);
  });

  it('circulates (传阅) a task with read receipts', async () => {
    const started = await wf.start('window', {
      key: 'approval',
      businessKey: 'HB-2026-0007',
      variables: { simple: true },
    });
    const accept = taskAt(started.body, 'accept');
    expect(
      (await wf.op('window', accept, 'circulate', { recipients: ['supervisor', 'leader'], message: '请阅' })).status,
    ).toBe(200);
    const seen = await wf.task('supervisor', accept);
    expect(seen.status).toBe(200);
    expect(seen.body.operations).toEqual(['urge', 'markRead']);
    expect((await wf.op('supervisor', accept, 'markRead')).status).toBe(200);
    const after = await wf.task('supervisor', accept);
    expect(after.body.operations).not.toContain('markRead');
    expect(after.body.circulations[0]?.readBy).toHaveProperty('supervisor');
    expect(after.body.circulations[0]?.readBy).not.toHaveProperty('leader');
    expect((await wf.op('supervisor', accept, 'markRead')).status).toBe(409);
  });

  it('suspends and resumes an instance (admin): the step clock pauses and nothing but resume moves it', async () => {
    const started = await wf.start('window', {
      key: 'approval',
      businessKey: 'HB-2026-0008',
      variables: { simple: true },
    });
    const id = started.body.instanceId;
    const accept = taskAt(started.body, 'accept');
    expect((await wf.admin('window', id, 'suspend')).status).toBe(403);
    expect((await wf.admin('admin', id, 'suspend', { reason: '听证' })).status).toBe(200);
    const clock = await t.ctx.database.db
      .selectFrom('clocks')
      .select(['pauses', 'due_problem'])
      .where(
        'subject_id',
        '=',
        `${id}:${(await t.ctx.database.db.selectFrom('wf_tasks').select('task_key').where('id', '=', accept).executeTakeFirstOrThrow()).task_key}`,
      )
      .executeTakeFirstOrThrow();
    expect(clock.due_problem).toBe('paused');
    expect((clock.pauses as Array<{ kind: string }>)[0]?.kind).toBe('suspension');
    expect((await wf.task('window', accept)).body.operations).not.toContain('complete');
    expect((await wf.op('window', accept, 'complete')).status).toBe(409);
    expect((await wf.admin('admin', id, 'resume')).status).toBe(200);
    expect((await wf.instance('window', id)).body.tasks[0]?.dueAt).not.toBeNull();
    expect((await wf.op('window', accept, 'complete', { decision: 'accept' })).status).toBe(200);
  });

  it('jumps (跳转) only for an administrator, and terminates', async () => {
    const started = await wf.start('window', {
      key: 'approval',
      businessKey: 'HB-2026-0009',
      variables: { simple: false },
    });
    const id = started.body.instanceId;
    expect((await wf.admin('leader', id, 'jump', { target: 'decide' })).status).toBe(403);
    const jumped = await wf.admin('admin', id, 'jump', { target: 'decide', reason: '特事特办' });
    expect(jumped.status).toBe(200);
    expect(jumped.body.tasks.map((x) => x.node)).toEqual(['decide']);
    const audit = await t.ctx.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_name'])
      .where('entity_id', '=', id)
      .where('action', '=', 'workflow.jump')
      .execute();
    expect(audit).toEqual([{ action: 'workflow.jump', actor_name: 'admin' }]);
    const ended = await wf.admin('admin', id, 'terminate', { reason: '申请人撤回申请' });
    expect(ended.body.status).toBe('terminated');
    expect(ended.body.tasks).toEqual([]);
  });
});
