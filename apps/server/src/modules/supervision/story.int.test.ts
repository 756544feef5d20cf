import { spawnSync } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countWorkingDaysBetween, toShanghaiDate } from '@guotu/domain';
import { createTestApp, engines, type TestApp } from '../../../test/harness.ts';
import { createLogger } from '../../platform/logger.ts';
import { chainAudit } from '../audit/service.ts';
import { registerNotificationWorkers, type NotificationWorkers } from '../notifications/jobs.ts';
import { smppTestConfig, startTestSmsc, TEST_SMPP, type TestSmsc } from '../notifications/test-support.ts';
import { taskAt, workflowClient } from '../workflow/test-support.ts';
import type { Bulletin } from './bulletin-service.ts';
import { classifyClocks } from './service.ts';
import { notificationSink } from './sink.ts';

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

const hasPdftotext = spawnSync('pdftotext', ['-v']).error === undefined;
const pdfTextTitle = hasPdftotext
  ? 'the bulletin PDF counts the order (text read back with pdftotext)'
  : 'SKIPPED: pdftotext is not installed (apt-get install poppler-utils) — the bulletin PDF text is not checked';

/**
 * The done-when story of issue 7, end to end: a step runs past its 3-working-day limit and
 * turns yellow, then red; the handler and the office head get one SMS per card; the supervision
 * office issues a 督办单 to the office, the office head explains, the order closes; the bulletin
 * (JSON and PDF) counts it; and editing one audit row by hand makes verification name that row.
 */
describe.each(engines)('the supervision story on %s', (engine) => {
  let t: TestApp;
  let smsc: TestSmsc;
  let workers: NotificationWorkers;
  let dueAt: Date;
  let warnAt: Date;
  let dueDate = '';
  let orderId = '';
  let orderNumber = '';
  const CASE = '鄂自然资2026-0042';

  beforeAll(async () => {
    smsc = await startTestSmsc(TEST_SMPP);
    t = await createTestApp(engine, {
      jobs: true,
      config: smppTestConfig(smsc),
    });
    if (!t.ctx.jobs) throw new Error('jobs expected');
    workers = await registerNotificationWorkers(t.ctx.jobs, t.ctx, createLogger({ logLevel: 'silent' }));
    const wf = workflowClient(t);
    expect((await wf.deploy('admin', processXml)).status).toBe(201);
    const started = await wf.start('admin', { key: 'oneStep', businessKey: CASE });
    expect((await wf.op('handler', taskAt(started.body, 'review'), 'claim')).status).toBe(200);
    const clock = await t.ctx.database.db
      .selectFrom('clocks')
      .select(['warn_at', 'due_at', 'due_date'])
      .where('subject_type', '=', 'task')
      .executeTakeFirstOrThrow();
    if (!clock.warn_at || !clock.due_at || !clock.due_date) throw new Error('the step clock has no deadline');
    warnAt = clock.warn_at;
    dueAt = clock.due_at;
    dueDate = String(clock.due_date);
  });
  afterAll(async () => {
    await workers.close();
    await t.close();
    await smsc.close();
  });

  const pass = async (now: Date) =>
    classifyClocks(t.ctx.database.db, await t.ctx.calendar.get(), {
      now,
      escalationWorkingDays: 3,
      sink: notificationSink(t.ctx),
    });
  const messages = () => smsc.submits.filter((s) => s.udh === null || s.udh[4] === 1);
  const waitForMessages = async (n: number) => {
    for (let i = 0; i < 200 && messages().length < n; i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1000)); // and nothing more arrives
    return messages();
  };

  it('turns yellow at the start of the last working day and red after its end, one SMS each to the handler and the office head', async () => {
    // 3 working days; yellow from 00:00 of the working day before the due day (⌈80 % × 3⌉ capped at 3 − 1 = day 2)
    const calendar = await t.ctx.calendar.get();
    expect(countWorkingDaysBetween(calendar, toShanghaiDate(warnAt), dueDate)).toBe(1);
    expect(toShanghaiDate(new Date(warnAt.getTime() - 1))).not.toBe(toShanghaiDate(warnAt)); // 00:00 sharp
    expect(toShanghaiDate(dueAt)).toBe(dueDate);
    expect((await pass(new Date(warnAt.getTime() - 1000))).raisedCount).toBe(0);
    expect((await pass(new Date(warnAt.getTime() + 1000))).raised.map((a) => a.level)).toEqual(['warning']);
    await pass(new Date(warnAt.getTime() + 3_600_000));
    expect((await waitForMessages(2)).map((s) => s.destination).sort()).toEqual(['13800000003', '13800000005']);
    expect((await pass(new Date(dueAt.getTime() - 1000))).raisedCount).toBe(0);
    expect((await pass(new Date(dueAt.getTime() + 1000))).raised.map((a) => a.level)).toEqual(['overdue']);
    await pass(new Date(dueAt.getTime() + 3_600_000));
    expect(
      (await waitForMessages(4))
        .slice(2)
        .map((s) => s.destination)
        .sort(),
    ).toEqual(['13800000003', '13800000005']);
  });

  it('the supervision office issues a 督办单, the office head explains, the order closes', async () => {
    const supervisor = await t.login('supervisor');
    const head = await t.login('officehead');
    const office = await t.ctx.database.db
      .selectFrom('users')
      .select('org_id')
      .where('username', '=', 'officehead')
      .executeTakeFirstOrThrow();
    const issued = await t.app.inject({
      method: 'POST',
      url: '/api/v1/supervision/orders',
      headers: supervisor.headers,
      payload: {
        kind: 'supervisionOrder',
        orgId: office.org_id,
        caseNumber: CASE,
        reason: `${CASE} 用地处审查超时`,
        replyWorkingDays: 2,
      },
    });
    expect(issued.statusCode, issued.body).toBe(201);
    ({ id: orderId, number: orderNumber } = issued.json<{ id: string; number: string }>());
    await waitForMessages(5); // the 督办单 SMS to the office head
    expect(messages().at(-1)?.destination).toBe('13800000005');
    const explained = await t.app.inject({
      method: 'POST',
      url: `/api/v1/supervision/orders/${orderId}/reply`,
      headers: head.headers,
      payload: { reply: '申请人补正材料延迟，已督促承办人当日办结' },
    });
    expect(explained.json<{ status: string }>().status).toBe('replied');
    const closed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/supervision/orders/${orderId}/close`,
      headers: supervisor.headers,
      payload: { note: '说明属实，予以销号' },
    });
    expect(closed.json<{ status: string; repliedOnTime: boolean }>()).toMatchObject({
      status: 'closed',
      repliedOnTime: true,
    });
  });

  it('the bulletin counts the order and the red card', async () => {
    const s = await t.login('supervisor');
    const now = await t.app.inject({
      method: 'GET',
      url: `/api/v1/supervision/bulletins?period=month&date=${toShanghaiDate(new Date())}`,
      headers: s.headers,
    });
    const b = now.json<Bulletin>();
    expect(b.totals).toMatchObject({ ordersIssued: 1, ordersClosed: 1 });
    expect(b.orders).toEqual([expect.objectContaining({ number: orderNumber, status: 'closed', caseNumber: CASE })]);
    const red = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/supervision/bulletins?period=month&date=${dueDate}`,
        headers: s.headers,
      })
    ).json<Bulletin>();
    expect(red.totals.overdue).toBe(1);
    expect(red.overdueList).toEqual([
      expect.objectContaining({ caseNumber: CASE, step: '用地处审查', handler: 'handler' }),
    ]);
    expect(red.byOffice.find((o) => o.orgName === '用地处')).toMatchObject({ warnings: 1, overdue: 1 });
  });

  it.skipIf(!hasPdftotext)(pdfTextTitle, async () => {
    const s = await t.login('supervisor');
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/v1/supervision/bulletins/pdf?period=month&date=${toShanghaiDate(new Date())}`,
      headers: s.headers,
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    const text = spawnSync('pdftotext', ['-layout', '-', '-'], { input: r.rawPayload, encoding: 'utf8' }).stdout;
    expect(text).toContain('电子监察通报');
    expect(text).toMatch(/下发督办\s*1\s*件，办结督办\s*1\s*件/);
    expect(text).toContain(orderNumber);
    expect(text).toContain('用地处');
  });

  it("editing the order's audit row by hand makes verification name that row", async () => {
    await chainAudit(t.ctx.database.db);
    const row = await t.ctx.database.db
      .selectFrom('audit_log')
      .select('seq')
      .where('entity_type', '=', 'supervision_order')
      .where('entity_id', '=', orderId)
      .where('action', '=', 'supervision.order_closed')
      .executeTakeFirstOrThrow();
    const s = await t.login('supervisor');
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/audit/verification', headers: s.headers })).json<{
        ok: boolean;
      }>().ok,
    ).toBe(true);
    await sql`update audit_log set after = jsonb_set(after, '{closeNote}', '"改过"') where seq = ${String(row.seq)}::bigint`.execute(
      t.ctx.database.db,
    );
    const v = (await t.app.inject({ method: 'GET', url: '/api/v1/audit/verification', headers: s.headers })).json<{
      ok: boolean;
      problems: Array<{ seq: string; kind: string }>;
    }>();
    expect(v.ok).toBe(false);
    expect(v.problems).toContainEqual(expect.objectContaining({ seq: String(row.seq), kind: 'edited' }));
  });
});
