import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { AppError, type Actor } from '@guotu/domain';
import type { CommandResponse } from '@guotu/contracts';
import { createTestApp, engines, type TestApp } from '../../../test/harness.ts';
import { actorOf } from '../supervision/test-support.ts';
import { groupCommitStats } from './group-commit.ts';
import { deployDefinition, operateTask, startInstance, type WorkflowDeps, type WorkflowListener } from './service.ts';
import { fixture, taskAt } from './test-support.ts';

/*
 * Group commit (group-commit.ts): commands that arrive while a transaction runs share the next one.
 *
 *   start → 受理 accept ─▶ ⊗ ─▶ ✚ ─▶ reviewA 耕保处 ─┐
 *                              └─▶ reviewB 用地处 ─┴▶ ✚ → decide 审批 → end
 *
 * Each command must stay all-or-nothing and isolated inside its group: refused alone, a second
 * command on the same instance stepped on the first one's state, a failed group rerun one by one.
 */
describe.each(engines)('workflow group commit on %s', (engine) => {
  let t: TestApp;
  let deps: WorkflowDeps;
  let who: Record<'window' | 'reviewer' | 'handler' | 'leader' | 'admin', Actor>;
  /** business keys whose next command the test listener refuses (after the group's write) */
  const refuse = new Set<string>();
  /** business keys whose completions the test listener holds until the gate opens */
  const held = new Map<string, Promise<void>>();
  const listener: WorkflowListener = async (_tx, change) => {
    const key = change.instance.businessKey;
    if (key && refuse.has(key) && change.command.type === 'completeTask')
      throw new AppError('VALIDATION_FAILED', `listener refuses ${key}`);
    if (key && change.command.type === 'completeTask') await held.get(key);
  };

  beforeAll(async () => {
    t = await createTestApp(engine, { jobs: true });
    who = {
      window: await actorOf(t, 'window'),
      reviewer: await actorOf(t, 'reviewer'),
      handler: await actorOf(t, 'handler'),
      leader: await actorOf(t, 'leader'),
      admin: await actorOf(t, 'admin'),
    };
    // Deps of this test only: its own group-commit queue and the refusing listener.
    deps = { db: t.ctx.database.db, calendar: t.ctx.calendar, jobs: t.ctx.jobs, listeners: [listener] };
    await deployDefinition(deps.db, who.admin, { xml: fixture('approval.bpmn'), key: 'gcApproval' });
  });
  afterAll(async () => t.close());

  const start = (businessKey: string) =>
    startInstance(deps, who.window, { key: 'gcApproval', businessKey, variables: { simple: false } });
  const settle = <T>(promises: Array<Promise<T>>) => Promise.allSettled(promises);
  const errorCode = (r: PromiseSettledResult<unknown>) =>
    r.status === 'rejected' && r.reason instanceof AppError ? r.reason.code : r.status;

  it('writes concurrent starts and completions in shared transactions, each command with its own history and audit record', async () => {
    const before = groupCommitStats(deps);
    const started = await Promise.all(Array.from({ length: 12 }, (_, i) => start(`GC-A-${i}`)));
    const accepted = await Promise.all(
      started.map((s) => operateTask(deps, who.window, taskAt(s, 'accept'), 'complete', { opinion: '受理' })),
    );
    const stats = groupCommitStats(deps);
    expect(stats.commands - before.commands).toBe(24);
    // 24 commands, at most a few transactions: the first of each burst runs alone, the rest queue behind it
    expect(stats.transactions - before.transactions).toBeLessThanOrEqual(6);
    for (const a of accepted) expect(a.tasks.map((x) => x.node).sort()).toEqual(['reviewA', 'reviewB']);
    const ids = started.map((s) => s.instanceId);
    const db = t.ctx.database.db;
    const history = await db
      .selectFrom('wf_history')
      .select(['instance_id', 'type', 'by_user'])
      .where('instance_id', 'in', ids)
      .where('type', '=', 'task.completed')
      .execute();
    expect(history).toHaveLength(12);
    expect(new Set(history.map((h) => h.instance_id)).size).toBe(12);
    const audits = await db
      .selectFrom('audit_log')
      .select(['entity_id', 'action'])
      .where('entity_type', '=', 'workflow_instance')
      .where('entity_id', 'in', ids)
      .execute();
    expect(audits.filter((a) => a.action === 'workflow.start')).toHaveLength(12);
    expect(audits.filter((a) => a.action === 'workflow.completeTask')).toHaveLength(12);
    const open = await db
      .selectFrom('wf_tasks')
      .select(['instance_id', 'node'])
      .where('instance_id', 'in', ids)
      .where('status', '=', 'open')
      .execute();
    expect(open).toHaveLength(24);
  });

  it('steps a second command on the same instance on the state the first left (both reviews, the join fires once)', async () => {
    const s = await start('GC-B');
    const a = await operateTask(deps, who.window, taskAt(s, 'accept'), 'complete', {});
    const [ra, rb] = await Promise.all([
      operateTask(deps, who.reviewer, taskAt(a, 'reviewA'), 'complete', { decision: 'approve' }),
      operateTask(deps, who.handler, taskAt(a, 'reviewB'), 'complete', { decision: 'approve' }),
    ]);
    // whichever ran second saw the first one's completion and passed the join
    const last = [ra, rb].find((r) => r.tasks.some((x) => x.node === 'decide'));
    expect(last).toBeDefined();
    const decideRows = await t.ctx.database.db
      .selectFrom('wf_tasks')
      .select('id')
      .where('instance_id', '=', s.instanceId)
      .where('node', '=', 'decide')
      .execute();
    expect(decideRows).toHaveLength(1);
  });

  it('lets exactly one of two completions of the same task in one burst succeed; the other gets CONFLICT', async () => {
    const s = await start('GC-C');
    const task = taskAt(s, 'accept');
    const results = await settle([
      operateTask(deps, who.window, task, 'complete', {}),
      operateTask(deps, who.window, task, 'complete', {}),
    ]);
    expect(results.map(errorCode).sort()).toEqual(['CONFLICT', 'fulfilled']);
  });

  it('refuses a command the rules refuse alone, and commits the others of its group', async () => {
    const s = await start('GC-D');
    const other = await start('GC-D2');
    const results = await settle<CommandResponse>([
      operateTask(deps, who.window, taskAt(s, 'accept'), 'complete', {}),
      operateTask(deps, who.window, '999999999', 'complete', {}),
      operateTask(deps, who.leader, taskAt(other, 'accept'), 'complete', {}), // a leader holds no 受理 role
      operateTask(deps, who.window, taskAt(other, 'accept'), 'return', {}), // 受理 has nothing to return to
    ]);
    expect(results.map(errorCode)).toEqual([
      'fulfilled',
      'NOT_FOUND',
      'OPERATION_NOT_ALLOWED',
      'OPERATION_NOT_ALLOWED',
    ]);
    const done = await t.ctx.database.db
      .selectFrom('wf_tasks')
      .select(['instance_id', 'status'])
      .where('node', '=', 'accept')
      .where('instance_id', 'in', [s.instanceId, other.instanceId])
      .execute();
    expect(Object.fromEntries(done.map((d) => [d.instance_id, d.status]))).toEqual({
      [s.instanceId]: 'completed',
      [other.instanceId]: 'open',
    });
  });

  it('reruns a failed group one command at a time: the one a listener refuses fails alone, nothing of it is written', async () => {
    const started = await Promise.all(['GC-E-0', 'GC-E-1', 'GC-E-2', 'GC-E-3'].map(start));
    refuse.add('GC-E-2');
    try {
      const before = groupCommitStats(deps);
      const results = await settle(
        started.map((s) => operateTask(deps, who.window, taskAt(s, 'accept'), 'complete', {})),
      );
      expect(results.map(errorCode)).toEqual(['fulfilled', 'fulfilled', 'VALIDATION_FAILED', 'fulfilled']);
      expect(groupCommitStats(deps).reruns).toBeGreaterThan(before.reruns);
    } finally {
      refuse.delete('GC-E-2');
    }
    const db = t.ctx.database.db;
    const refused = started[2]!.instanceId;
    const rows = await db
      .selectFrom('wf_tasks')
      .select(['instance_id', 'node', 'status'])
      .where(
        'instance_id',
        'in',
        started.map((s) => s.instanceId),
      )
      .where('node', '=', 'accept')
      .execute();
    expect(rows.filter((r) => r.status === 'completed')).toHaveLength(3);
    expect(rows.find((r) => r.instance_id === refused)?.status).toBe('open');
    const audits = await db.selectFrom('audit_log').select('action').where('entity_id', '=', refused).execute();
    expect(audits.map((a) => a.action)).toEqual(['workflow.start']);
    const feed = await sql<{
      type: string;
    }>`select type from feed_events where payload->>'instanceId' = ${refused}`.execute(db);
    expect(feed.rows.map((f) => f.type).sort()).toEqual(['case.started', 'step.started']);
  });

  it('asks for a feed push after the commit of groups that recorded events: at most one request per 200 ms, not one per group', async () => {
    const db = t.ctx.database.db;
    const pushes = async () =>
      Number(
        (await sql<{ n: string }>`select count(*)::text as n from pgboss.job where name = 'feed.push'`.execute(db))
          .rows[0]?.n,
      );
    const before = await pushes();
    const g0 = groupCommitStats(deps).transactions;
    const t0 = performance.now();
    const started = await Promise.all(Array.from({ length: 6 }, (_, i) => start(`GC-P-${i}`)));
    // one after the other: a group transaction each, every one with feed events (step started, completed)
    for (const s of started) await operateTask(deps, who.window, taskAt(s, 'accept'), 'complete', {});
    const elapsed = performance.now() - t0;
    const groups = groupCommitStats(deps).transactions - g0;
    expect(groups).toBeGreaterThanOrEqual(7);
    // the last request follows the last commit by at most the interval
    await new Promise((resolve) => setTimeout(resolve, 400));
    const requests = (await pushes()) - before;
    expect(requests).toBeGreaterThanOrEqual(1);
    expect(requests).toBeLessThanOrEqual(Math.ceil(elapsed / 200) + 1);
    expect(requests).toBeLessThan(groups);
  });

  it('runs what arrives while a group is held up in a second lane (PostgreSQL; PGlite has one backend, so it waits)', async () => {
    const slow = await start('GC-F-slow');
    const fast = await start('GC-F-fast');
    let open = () => {};
    held.set('GC-F-slow', new Promise<void>((resolve) => (open = resolve)));
    const order: string[] = [];
    try {
      const slowDone = operateTask(deps, who.window, taskAt(slow, 'accept'), 'complete', {}).then(() => {
        order.push('slow');
      });
      await new Promise((resolve) => setTimeout(resolve, 50)); // the slow group is running, held
      const fastDone = operateTask(deps, who.window, taskAt(fast, 'accept'), 'complete', {}).then(() => {
        order.push('fast');
      });
      if (engine === 'postgres') {
        await fastDone;
        expect(order).toEqual(['fast']);
        open();
        await slowDone;
      } else {
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(order).toEqual([]);
        open();
        await Promise.all([slowDone, fastDone]);
      }
    } finally {
      open();
      held.delete('GC-F-slow');
    }
    expect(order).toEqual(engine === 'postgres' ? ['fast', 'slow'] : ['slow', 'fast']);
  });
});
