import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../test/harness.ts';
import type { TaskListItem } from '@guotu/contracts';
import { inTransaction } from '../../platform/db.ts';
import { recomputeOpenClocks } from '../clocks/service.ts';
import { fixture, taskAt, workflowClient } from './test-support.ts';

/*
 * The inbox shows each task's step clock: approval.bpmn's 受理 has five working days (normal),
 * a one-hour step is due soon from its start (at most one unit left = the warning threshold),
 * a clock past its due instant is overdue, a suspended instance's clocks are paused.
 */
const hourly = fixture('approval.bpmn')
  .replace('id="approval" name="建设用地审批"', 'id="urgentApproval" name="加急审批"')
  .replace('guotu:formKey="accept" guotu:timeLimit="P5D"', 'guotu:formKey="accept" guotu:timeLimit="PT1H"');

describe.each(engines)('task list clock state and due date on %s', (engine) => {
  let t: TestApp;
  let wf: ReturnType<typeof workflowClient>;
  const item = async (user: string, view: 'todo' | 'done' | 'org', id: string): Promise<TaskListItem> => {
    const list = await wf.call<{ items: TaskListItem[] }>(user, 'GET', `/api/v1/workflow/tasks?view=${view}&limit=200`);
    expect(list.status).toBe(200);
    const found = list.body.items.find((x) => x.id === id);
    if (!found) throw new Error(`task ${id} not in ${user}'s ${view} list`);
    return found;
  };
  /** Moves a task's clock start 30 days back and re-derives its instants (as a calendar import does). */
  const backdate = async (taskId: string) => {
    const db = t.ctx.database.db;
    const task = await db.selectFrom('wf_tasks').select('clock_id').where('id', '=', taskId).executeTakeFirstOrThrow();
    await db
      .updateTable('clocks')
      .set({ started_at: new Date(Date.now() - 30 * 86_400_000) })
      .where('id', '=', task.clock_id!)
      .execute();
    const calendar = await t.ctx.calendar.get();
    await inTransaction(db, (tx) => recomputeOpenClocks(tx, calendar, new Date()));
  };

  beforeAll(async () => {
    t = await createTestApp(engine, { jobs: true });
    wf = workflowClient(t);
    expect((await wf.deploy('admin', fixture('approval.bpmn'))).status).toBe(201);
    expect((await wf.deploy('admin', hourly)).status).toBe(201);
    expect((await wf.deploy('admin', fixture('countersign.bpmn'))).status).toBe(201);
  });
  afterAll(async () => t.close());

  it('gives a running five-day step normal with its civil due date, and the task detail the same', async () => {
    const started = await wf.start('window', { key: 'approval', businessKey: 'CLK-1', variables: { simple: true } });
    const accept = taskAt(started.body, 'accept');
    const listed = await item('window', 'todo', accept);
    expect(listed.clockState).toBe('normal');
    expect(listed.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // the civil date is the Shanghai date of the due instant
    const shanghai = new Date(Date.parse(listed.dueAt!) + 8 * 3_600_000).toISOString().slice(0, 10);
    expect(listed.dueDate).toBe(shanghai);
    const detail = await wf.task('window', accept);
    expect(detail.body).toMatchObject({ clockState: 'normal', dueDate: listed.dueDate });
    expect((await item('admin', 'org', accept)).clockState).toBe('normal');
  });

  it('marks a one-hour step due soon, a step past its due instant overdue, and a suspended one paused', async () => {
    const urgent = await wf.start('window', {
      key: 'urgentApproval',
      businessKey: 'CLK-2',
      variables: { simple: true },
    });
    const soon = taskAt(urgent.body, 'accept');
    expect(await item('window', 'todo', soon)).toMatchObject({ clockState: 'dueSoon' });

    const late = await wf.start('window', { key: 'approval', businessKey: 'CLK-3', variables: { simple: true } });
    const overdue = taskAt(late.body, 'accept');
    await backdate(overdue);
    const listed = await item('window', 'todo', overdue);
    expect(listed.clockState).toBe('overdue');
    expect(Date.parse(listed.dueAt!)).toBeLessThan(Date.now());
    expect(listed.dueDate! < new Date().toISOString().slice(0, 10)).toBe(true);

    const held = await wf.start('window', { key: 'approval', businessKey: 'CLK-4', variables: { simple: true } });
    const paused = taskAt(held.body, 'accept');
    expect((await wf.admin('admin', held.body.instanceId, 'suspend', { reason: '等待听证' })).status).toBe(200);
    expect(await item('window', 'todo', paused)).toMatchObject({ clockState: 'paused', dueDate: null });
    expect((await wf.admin('admin', held.body.instanceId, 'resume')).status).toBe(200);
    expect(await item('window', 'todo', paused)).toMatchObject({ clockState: 'normal' });
  });

  it('judges a completed step as of its completion: on time is normal, late stays overdue', async () => {
    const onTime = await wf.start('window', { key: 'approval', businessKey: 'CLK-5', variables: { simple: true } });
    const a = taskAt(onTime.body, 'accept');
    expect((await wf.op('window', a, 'complete', { decision: 'accept' })).status).toBe(200);
    expect((await item('window', 'done', a)).clockState).toBe('normal');

    const tooLate = await wf.start('window', { key: 'approval', businessKey: 'CLK-6', variables: { simple: true } });
    const b = taskAt(tooLate.body, 'accept');
    await backdate(b);
    expect((await wf.op('window', b, 'complete', { decision: 'accept' })).status).toBe(200);
    expect(await item('window', 'done', b)).toMatchObject({ clockState: 'overdue' });
  });

  it('gives a step without a time limit no clock state and no due date', async () => {
    const started = await wf.start('window', {
      key: 'countersign',
      businessKey: 'CLK-7',
      variables: { drafter: 'handler', signers: ['reviewer'] },
    });
    const draft = taskAt(started.body, 'draft');
    expect(await item('handler', 'todo', draft)).toMatchObject({ clockState: null, dueDate: null, dueAt: null });
  });
});
