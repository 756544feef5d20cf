import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../test/harness.ts';
import { inTransaction } from '../../platform/db.ts';
import { changeClock, startClock } from '../clocks/service.ts';
import { classifyClocks } from './service.ts';

const at = (iso: string) => new Date(iso);

/**
 * A 5-working-day step accepted Wed 2026-09-30 10:00:
 *   counted days  10-08 #1, 10-09 #2, 10-10 #3 (补班), 10-12 #4, 10-13 #5 (due, 23:59:59.999)
 *   yellow from 00:00 of #4 (80 % of 5 = 4) → 2026-10-12; red after the end of 10-13.
 */
describe.each(engines)('supervision alerts on %s', (engine) => {
  let t: TestApp;
  let clockId = '';
  beforeAll(async () => {
    t = await createTestApp(engine);
    const calendar = await t.ctx.calendar.get();
    const row = await inTransaction(t.ctx.database.db, (tx) =>
      startClock(tx, calendar, {
        subjectType: 'task',
        subjectId: 'T-1',
        purpose: 'step',
        unit: 'workday',
        limit: 5,
        startedAt: at('2026-09-30T02:00:00Z'),
        now: at('2026-09-30T02:00:00Z'),
      }),
    );
    clockId = row.id;
  });
  afterAll(async () => t.close());

  const pass = async (now: string) =>
    classifyClocks(t.ctx.database.db, await t.ctx.calendar.get(), { now: at(now), escalationWorkingDays: 2 });

  it('raises nothing on the last green day (Saturday 10-10, a make-up workday)', async () => {
    expect((await pass('2026-10-10T15:00:00+08:00')).raised).toEqual([]);
  });

  it('turns yellow at 00:00 on Monday 10-12, exactly once', async () => {
    expect((await pass('2026-10-11T23:59:00+08:00')).raised).toEqual([]);
    const first = await pass('2026-10-12T00:00:10+08:00');
    expect(first.raised).toEqual([expect.objectContaining({ clockId, level: 'warning' })]);
    expect((await pass('2026-10-12T09:00:00+08:00')).raised).toEqual([]);
  });

  it('turns red after the end of the due day 10-13, exactly once, and not yellow again', async () => {
    expect((await pass('2026-10-13T23:59:00+08:00')).raised).toEqual([]);
    const red = await pass('2026-10-14T00:00:01+08:00');
    expect(red.raised).toEqual([expect.objectContaining({ clockId, level: 'overdue' })]);
    expect((await pass('2026-10-14T10:00:00+08:00')).raised).toEqual([]);
  });

  it('escalates the unresolved alerts two working days after they were raised, once', async () => {
    // yellow raised 10-12 → escalate end of 10-14; red raised 10-14 → end of 10-16
    const e1 = await pass('2026-10-15T08:00:00+08:00');
    expect(e1.escalated.map((a) => a.level)).toEqual(['warning']);
    expect((await pass('2026-10-15T09:00:00+08:00')).escalated).toEqual([]);
    const e2 = await pass('2026-10-17T08:00:00+08:00');
    expect(e2.escalated.map((a) => a.level)).toEqual(['overdue']);
  });

  it('raises again for a new deadline after an extension, and resolves when the step is done', async () => {
    const calendar = await t.ctx.calendar.get();
    await inTransaction(t.ctx.database.db, (tx) =>
      changeClock(
        tx,
        calendar,
        clockId,
        { kind: 'extend', amount: 10, approver: '分管厅领导', reason: '延期', at: at('2026-10-14T09:00:00+08:00') },
        'test',
      ),
    );
    // due now 10 more working days after 10-13: 10-14 … 10-27; warning at #12 of 15 → 10-22
    const yellow = await pass('2026-10-22T08:00:00+08:00');
    expect(yellow.raised).toEqual([expect.objectContaining({ level: 'warning' })]);
    await inTransaction(t.ctx.database.db, (tx) =>
      changeClock(tx, calendar, clockId, { kind: 'stop', at: at('2026-10-23T10:00:00+08:00') }, 'test'),
    );
    const done = await pass('2026-10-23T11:00:00+08:00');
    expect(done.resolved).toBeGreaterThanOrEqual(1);
    expect((await pass('2026-11-30T11:00:00+08:00')).raised).toEqual([]);
  });

  it('raises each alert once even when several processes classify at the same moment', async () => {
    const calendar = await t.ctx.calendar.get();
    await inTransaction(t.ctx.database.db, (tx) =>
      startClock(tx, calendar, {
        subjectType: 'task',
        subjectId: 'T-2',
        purpose: 'step',
        unit: 'workday',
        limit: 3,
        startedAt: at('2026-11-02T02:00:00Z'),
        now: at('2026-11-02T02:00:00Z'),
      }),
    );
    const results = await Promise.all([1, 2, 3, 4].map(() => pass('2026-11-20T10:00:00+08:00')));
    const raised = results.flatMap((r) => r.raised).filter((a) => a.level === 'overdue');
    expect(raised).toHaveLength(1);
  });

  it('shows the supervision office the clocks by state; others are refused', async () => {
    const s = await t.login('supervisor');
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/supervision/alerts', headers: s.headers });
    expect(r.statusCode).toBe(200);
    expect(r.json<unknown[]>().length).toBeGreaterThanOrEqual(3);
    const h = await t.login('handler');
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/supervision/overview', headers: h.headers })).statusCode,
    ).toBe(403);
  });
});
