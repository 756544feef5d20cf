import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../test/harness.ts';
import { inTransaction } from '../../platform/db.ts';
import { changeClock, startClock } from '../clocks/service.ts';
import { findClock } from '../clocks/repository.ts';

const at = (iso: string) => new Date(iso);

// The 2027 notice is not out as of this writing; this is a made-up notice in the import format,
// used only to show that importing a year fills in deadlines that fall in it.
const notice2027 = `year: 2027
notice: 国办发明电〔2026〕99号（测试用）
published: 2026-11-20
holiday: 2027-01-01..2027-01-03 元旦
holiday: 2027-02-05..2027-02-11 春节
makeup: 2027-02-13 春节
`;

describe.each(engines)('calendar and clocks API on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t.close());

  it('shows every day of 2026 with its reason: National Day off, 10 October a makeup workday', async () => {
    const s = await t.login('handler');
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/calendar/2026', headers: s.headers });
    expect(r.statusCode).toBe(200);
    const body = r.json<{
      days: Array<{ date: string; working: boolean; reason: string; name?: string }>;
      workingDays: number;
      notice: string;
    }>();
    expect(body.days).toHaveLength(365);
    expect(body.days.find((d) => d.date === '2026-10-01')).toMatchObject({
      working: false,
      reason: 'holiday',
      name: '国庆节',
    });
    expect(body.days.find((d) => d.date === '2026-10-10')).toMatchObject({ working: true, reason: 'makeupWorkday' });
    expect(body.workingDays).toBe(248);
    expect(body.notice).toMatch(/国办发明电/);
  });

  it('answers CALENDAR_NOT_COVERED for a year without a notice', async () => {
    const s = await t.login('handler');
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/calendar/2027', headers: s.headers });
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ code: 'CALENDAR_NOT_COVERED' });
  });

  it('computes a clock: a supplement pause moves the deadline, and the explanation names the pause', async () => {
    const s = await t.login('handler');
    const base = { unit: 'workday', start: '2026-03-02T10:00:00+08:00', limit: 20, now: '2026-03-05T10:00:00+08:00' };
    const plain = await t.app.inject({
      method: 'POST',
      url: '/api/v1/clocks/compute',
      headers: s.headers,
      payload: base,
    });
    expect(plain.statusCode, plain.body).toBe(200);
    // 2026-03-02 (Mon) + 20 working days: 03-03 … 03-30 (no holidays in March 2026)
    expect(plain.json<{ evaluation: { due: { date: string } } }>().evaluation.due.date).toBe('2026-03-30');
    const paused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/clocks/compute',
      headers: s.headers,
      payload: {
        ...base,
        now: '2026-04-20T10:00:00+08:00',
        pauses: [
          {
            kind: 'supplement',
            from: '2026-03-04T09:00:00+08:00',
            to: '2026-03-10T17:00:00+08:00',
            reason: '补正：缺勘测定界报告',
          },
        ],
      },
    });
    const body = paused.json<{
      evaluation: { due: { date: string } };
      days: Array<{ date: string; reason: string; pauseReason?: string }>;
    }>();
    // Days after 03-04 up to and including 03-10 do not count: 03-05, 03-06, 03-09, 03-10 (4 working days)
    expect(body.evaluation.due.date).toBe('2026-04-03');
    expect(body.days.find((d) => d.date === '2026-03-09')).toMatchObject({
      reason: 'paused',
      pauseReason: '补正：缺勘测定界报告',
    });
  });

  it('refuses a malformed clock with 400 naming the field', async () => {
    const s = await t.login('handler');
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/clocks/compute',
      headers: s.headers,
      payload: { unit: 'fortnight', start: 'yesterday', limit: -1 },
    });
    expect(r.statusCode).toBe(400);
    const paths = r.json<{ details: Array<{ path: string }> }>().details.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.unit', 'body.start', 'body.limit']));
  });

  it('keeps a deadline that falls in an uncovered year open, and fills it in when the year is imported', async () => {
    const calendar = await t.ctx.calendar.get();
    const subject = { subjectType: 'test', subjectId: 'late-december', purpose: 'statutory' };
    await inTransaction(t.ctx.database.db, (tx) =>
      startClock(tx, calendar, {
        ...subject,
        unit: 'workday',
        limit: 20,
        startedAt: new Date('2026-12-10T02:00:00Z'),
        now: new Date('2026-12-10T02:00:00Z'),
      }),
    );
    const before = await findClock(t.ctx.database.db, subject);
    expect(before).toMatchObject({ dueAt: null, dueProblem: 'calendarNotCovered' });

    const handler = await t.login('handler');
    const denied = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/calendar/2027',
      headers: handler.headers,
      payload: { text: notice2027 },
    });
    expect(denied.statusCode).toBe(403);

    const admin = await t.login('admin');
    const r = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/calendar/2027',
      headers: admin.headers,
      payload: { text: notice2027 },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ year: 2027, changedClocks: 1 });
    const after = await findClock(t.ctx.database.db, subject);
    // 12-10 (Thu) + 20 working days: Dec 11 … Dec 31 = 15; Jan 1–3 off; Jan 4–8 = 5 → 2027-01-08
    expect(after).toMatchObject({ dueDate: '2027-01-08', dueProblem: null });
    const audit = await t.ctx.database.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id'])
      .where('action', '=', 'calendar.year_imported')
      .execute();
    expect(audit).toContainEqual({ action: 'calendar.year_imported', entity_id: '2027' });
    const year = await t.app.inject({ method: 'GET', url: '/api/v1/calendar/2027', headers: admin.headers });
    expect(year.json()).toMatchObject({ origin: 'imported' });
  });

  it('recomputes a running clock when a covered year is corrected, and leaves stopped clocks alone', async () => {
    const calendar = await t.ctx.calendar.get();
    const running = { subjectType: 'test', subjectId: 'running', purpose: 'statutory' };
    const stopped = { subjectType: 'test', subjectId: 'stopped', purpose: 'statutory' };
    await inTransaction(t.ctx.database.db, async (tx) => {
      await startClock(tx, calendar, {
        ...running,
        unit: 'workday',
        limit: 5,
        startedAt: new Date('2027-01-25T02:00:00Z'),
        now: new Date('2027-01-25T02:00:00Z'),
      });
      const s = await startClock(tx, calendar, {
        ...stopped,
        unit: 'workday',
        limit: 5,
        startedAt: new Date('2027-01-25T02:00:00Z'),
        now: new Date('2027-01-25T02:00:00Z'),
      });
      await changeClock(tx, calendar, s.id, { kind: 'stop', at: new Date('2027-01-26T02:00:00Z') }, 'test');
    });
    expect((await findClock(t.ctx.database.db, running))?.dueDate).toBe('2027-02-01');
    const admin = await t.login('admin');
    // Correction: 2027-01-28 made a regional-style day off in the national notice (hypothetical)
    const corrected = notice2027 + 'holiday: 2027-01-28 测试更正\n';
    const r = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/calendar/2027',
      headers: admin.headers,
      payload: { text: corrected },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect((await findClock(t.ctx.database.db, running))?.dueDate).toBe('2027-02-02');
    expect((await findClock(t.ctx.database.db, stopped))?.dueDate).toBe('2027-02-01');
  });

  it('rejects a bad notice with every problem and its line, changing nothing', async () => {
    const admin = await t.login('admin');
    const bad = 'year: 2028\nnotice: x\nholiday: 2028-13-01 坏日期\nmakeup: 2027-02-01 错年\n';
    const r = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/calendar/2028',
      headers: admin.headers,
      payload: { text: bad },
    });
    expect(r.statusCode).toBe(400);
    const details = r.json<{ code: string; details: Array<{ line?: number }> }>();
    expect(details.code).toBe('CALENDAR_INVALID');
    expect(details.details.map((d) => d.line)).toEqual(expect.arrayContaining([3, 4]));
    const year = await t.app.inject({ method: 'GET', url: '/api/v1/calendar/2028', headers: admin.headers });
    expect(year.statusCode).toBe(422);
  });

  it('lists the time-limit rules with their legal source; only calendar.manage may change one', async () => {
    const handler = await t.login('handler');
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/time-limit-rules', headers: handler.headers });
    const rules = list.json<Array<{ key: string; limit: number; extension: number | null; source: { law: string } }>>();
    expect(rules.find((r) => r.key === 'licensing.decision')).toMatchObject({
      limit: 20,
      extension: 10,
      source: { law: '中华人民共和国行政许可法' },
    });
    const denied = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/time-limit-rules/licensing.decision',
      headers: handler.headers,
      payload: { limit: 15 },
    });
    expect(denied.statusCode).toBe(403);
    const promised = rules.find((r) => r.key.includes('construction'));
    expect(promised).toBeDefined();
    const admin = await t.login('admin');
    const ok = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/time-limit-rules/${promised?.key ?? ''}`,
      headers: admin.headers,
      payload: { limit: 12 },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ limit: 12 });
  });
});

describe.each(engines)('regional rest days on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t.close());

  it('layers a regional rest day on the national calendar and moves open deadlines; only calendar.manage may', async () => {
    const calendar = await t.ctx.calendar.get();
    const subject = { subjectType: 'test', subjectId: 'regional', purpose: 'statutory' };
    // Mon 2026-06-01 + 5 working days: 06-02 … 06-08 (no national holiday) → 2026-06-08
    await inTransaction(t.ctx.database.db, (tx) =>
      startClock(tx, calendar, {
        ...subject,
        unit: 'workday',
        limit: 5,
        startedAt: at('2026-06-01T02:00:00Z'),
        now: at('2026-06-01T02:00:00Z'),
      }),
    );
    expect((await findClock(t.ctx.database.db, subject))?.dueDate).toBe('2026-06-08');
    const handler = await t.login('handler');
    const denied = await t.app.inject({
      method: 'POST',
      url: '/api/v1/calendar/regional-rest-days',
      headers: handler.headers,
      payload: { date: '2026-06-03', name: '民族节日（测试）', region: '422800' },
    });
    expect(denied.statusCode).toBe(403);
    const admin = await t.login('admin');
    const added = await t.app.inject({
      method: 'POST',
      url: '/api/v1/calendar/regional-rest-days',
      headers: admin.headers,
      payload: { date: '2026-06-03', name: '民族节日（测试）', region: '422800' },
    });
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json()).toMatchObject({ changedClocks: 1 });
    expect((await findClock(t.ctx.database.db, subject))?.dueDate).toBe('2026-06-09');
    const year = await t.app.inject({ method: 'GET', url: '/api/v1/calendar/2026', headers: admin.headers });
    expect(
      year.json<{ days: Array<{ date: string; reason: string }> }>().days.find((d) => d.date === '2026-06-03')?.reason,
    ).toBe('regionalRestDay');
    const removed = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/calendar/regional-rest-days?date=2026-06-03&region=422800',
      headers: admin.headers,
    });
    expect(removed.statusCode, removed.body).toBe(200);
    expect((await findClock(t.ctx.database.db, subject))?.dueDate).toBe('2026-06-08');
  });
});
