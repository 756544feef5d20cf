import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../test/harness.ts';
import { classifyClocks } from './service.ts';
import { issueOrder, replyToOrder, type OrderKind } from './orders-service.ts';
import { actorOf as actorOfUser } from './test-support.ts';

interface OrderBody {
  id: string;
  number: string;
  status: string;
  version: number;
  dueAt: string | null;
  repliedOnTime: boolean | null;
  rounds: number;
  events?: Array<{ action: string }>;
  abilities?: Record<string, boolean>;
}

/**
 * 督办单 / 说明原因 / 限期整改 tracked to closure: the supervision office issues to an office,
 * that office's head answers, the supervision office sends it back or closes it. Each order is
 * on its own working-day clock, which the ordinary classification turns yellow and red.
 */
describe.each(engines)('supervision orders on %s', (engine) => {
  let t: TestApp;
  let officeOrgId = 0;
  let supervisor: Awaited<ReturnType<TestApp['login']>>;
  let officehead: Awaited<ReturnType<TestApp['login']>>;
  let handler: Awaited<ReturnType<TestApp['login']>>;
  const post = (who: { headers: Record<string, string> }, url: string, payload: object) =>
    t.app.inject({ method: 'POST', url, headers: who.headers, payload });
  const get = (who: { headers: Record<string, string> }, url: string) =>
    t.app.inject({ method: 'GET', url, headers: who.headers });

  beforeAll(async () => {
    t = await createTestApp(engine);
    const head = await t.ctx.database.db
      .selectFrom('users')
      .select(['org_id'])
      .where('username', '=', 'officehead')
      .executeTakeFirstOrThrow();
    officeOrgId = head.org_id;
    supervisor = await t.login('supervisor');
    officehead = await t.login('officehead');
    handler = await t.login('handler');
  });
  afterAll(async () => t.close());

  it('issues a 督办单 to an office with a reply clock, and tells the office head in-app and by SMS', async () => {
    const r = await post(supervisor, '/api/v1/supervision/orders', {
      kind: 'supervisionOrder',
      orgId: officeOrgId,
      reason: '鄂自然资2026-0001 审查超时',
      replyWorkingDays: 3,
      caseNumber: '鄂自然资2026-0001',
    });
    expect(r.statusCode, r.body).toBe(201);
    const order = r.json<OrderBody>();
    expect(order.number).toMatch(/^督-\d{4}-0001$/);
    expect(order.status).toBe('issued');
    expect(order.dueAt).not.toBeNull();
    const outbox = await t.ctx.database.db
      .selectFrom('notification_outbox')
      .select(['channel', 'body', 'subject'])
      .where('event', '=', 'supervision.order_issued')
      .execute();
    expect(outbox.map((o) => o.channel).sort()).toEqual(['inApp', 'sms']);
    expect(outbox.every((o) => `${o.subject ?? ''}${o.body}`.includes(order.number))).toBe(true);
    // drill-down by org: the order's reply clock is under the office, not under the supervision office
    const mine = (await get(supervisor, `/api/v1/supervision/clocks?orgId=${officeOrgId}`)).json<
      Array<{ subjectType: string; subjectId: string }>
    >();
    expect(mine).toContainEqual(expect.objectContaining({ subjectType: 'supervision_order', subjectId: order.id }));
    const sup = await t.ctx.database.db
      .selectFrom('users')
      .select('org_id')
      .where('username', '=', 'supervisor')
      .executeTakeFirstOrThrow();
    expect((await get(supervisor, `/api/v1/supervision/clocks?orgId=${sup.org_id}`)).json<unknown[]>()).toEqual([]);
  });

  it('lets the office head reply, the supervision office send it back, the office answer again and the office close it', async () => {
    const issued = (
      await post(supervisor, '/api/v1/supervision/orders', {
        kind: 'explanation',
        orgId: officeOrgId,
        reason: '请说明超时原因',
        replyWorkingDays: 2,
      })
    ).json<OrderBody>();
    const mine = await get(officehead, '/api/v1/supervision/orders?status=issued');
    expect(mine.json<OrderBody[]>().map((o) => o.id)).toContain(issued.id);
    const detail = (await get(officehead, `/api/v1/supervision/orders/${issued.id}`)).json<OrderBody>();
    expect(detail.abilities).toEqual({ reply: true, close: false, sendBack: false });

    const replied = await post(officehead, `/api/v1/supervision/orders/${issued.id}/reply`, {
      reply: '材料补正耗时',
      version: issued.version,
    });
    expect(replied.statusCode, replied.body).toBe(200);
    expect(replied.json<OrderBody>()).toMatchObject({ status: 'replied', repliedOnTime: true });
    expect(
      (await post(officehead, `/api/v1/supervision/orders/${issued.id}/reply`, { reply: 'again' })).statusCode,
    ).toBe(409);

    const back = await post(supervisor, `/api/v1/supervision/orders/${issued.id}/send-back`, { note: '说明不充分' });
    expect(back.json<OrderBody>()).toMatchObject({ status: 'issued', rounds: 2 });
    expect(back.json<OrderBody>().dueAt).not.toBeNull();
    // the send-back re-notifies the office head (SMS + in-app) with the reason, on the new deadline
    const resent = await t.ctx.database.db
      .selectFrom('notification_outbox')
      .select(['channel', 'body'])
      .where('event', '=', 'supervision.order_issued')
      .where('body', 'like', '%退回重办：说明不充分%')
      .execute();
    expect(resent.map((o) => o.channel).sort()).toEqual(['inApp', 'sms']);
    const afterBack = (await get(officehead, `/api/v1/supervision/orders/${issued.id}`)).json<OrderBody>();
    expect(afterBack.abilities).toEqual({ reply: true, close: false, sendBack: false });
    expect(
      (await post(officehead, `/api/v1/supervision/orders/${issued.id}/reply`, { reply: '补充说明：系统故障两天' }))
        .statusCode,
    ).toBe(200);
    const closed = await post(supervisor, `/api/v1/supervision/orders/${issued.id}/close`, { note: '同意' });
    expect(closed.json<OrderBody>().status).toBe('closed');
    const history = (await get(supervisor, `/api/v1/supervision/orders/${issued.id}`)).json<OrderBody>();
    expect(history.events?.map((e) => e.action)).toEqual(['issued', 'replied', 'sentBack', 'replied', 'closed']);
    const audit = await t.ctx.database.db
      .selectFrom('audit_log')
      .select(['action'])
      .where('entity_type', '=', 'supervision_order')
      .where('entity_id', '=', issued.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'supervision.order_issued',
      'supervision.order_replied',
      'supervision.order_sent_back',
      'supervision.order_replied',
      'supervision.order_closed',
    ]);
    const clocks = await t.ctx.database.db
      .selectFrom('clocks')
      .select(['purpose', 'stopped_at'])
      .where('subject_type', '=', 'supervision_order')
      .where('subject_id', '=', issued.id)
      .orderBy('id')
      .execute();
    expect(clocks.map((c) => [c.purpose, c.stopped_at !== null])).toEqual([
      ['reply:1', true],
      ['reply:2', true],
    ]);
  });

  it('refuses: issuing without supervision.act, answering from another office or as the supervisor, closing without supervision.act', async () => {
    expect(
      (
        await post(handler, '/api/v1/supervision/orders', {
          kind: 'supervisionOrder',
          orgId: officeOrgId,
          reason: 'x',
          replyWorkingDays: 1,
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await post(officehead, '/api/v1/supervision/orders', {
          kind: 'supervisionOrder',
          orgId: officeOrgId,
          reason: 'x',
          replyWorkingDays: 1,
        })
      ).statusCode,
    ).toBe(403);
    expect((await get(handler, '/api/v1/supervision/orders')).statusCode).toBe(403);
    expect((await get(officehead, '/api/v1/supervision/order-targets')).statusCode).toBe(403);
    const targets = (await get(supervisor, '/api/v1/supervision/order-targets')).json<Array<{ id: number }>>();
    expect(targets.map((o) => o.id)).toContain(officeOrgId); // beyond the supervisor's own office
    const issued = (
      await post(supervisor, '/api/v1/supervision/orders', {
        kind: 'rectification',
        orgId: officeOrgId,
        reason: '限期整改',
        replyWorkingDays: 5,
      })
    ).json<OrderBody>();
    expect(
      (await post(supervisor, `/api/v1/supervision/orders/${issued.id}/reply`, { reply: '自己答' })).statusCode,
    ).toBe(403);
    expect((await post(handler, `/api/v1/supervision/orders/${issued.id}/reply`, { reply: '我来答' })).statusCode).toBe(
      403,
    );
    expect(
      (await post(officehead, `/api/v1/supervision/orders/${issued.id}/reply`, { reply: '已整改' })).statusCode,
    ).toBe(200);
    expect((await post(officehead, `/api/v1/supervision/orders/${issued.id}/close`, {})).statusCode).toBe(403);
    expect(
      (await post(officehead, `/api/v1/supervision/orders/${issued.id}/send-back`, { note: 'x' })).statusCode,
    ).toBe(403);
    expect(
      (
        await post(supervisor, '/api/v1/supervision/orders', {
          kind: 'supervisionOrder',
          orgId: 999999,
          reason: 'x',
          replyWorkingDays: 1,
        })
      ).statusCode,
    ).toBe(400);
  });

  it('puts the order on a working-day clock: yellow on the last day, red the next working day, a late reply is recorded as late', async () => {
    const calendar = await t.ctx.calendar.get();
    const actorOf = (username: string) => actorOfUser(t, username);
    const deps = { db: t.ctx.database.db, jobs: null, config: t.ctx.config };
    // Issued Wed 2026-09-30 10:00 with 5 working days: 10-08, 10-09, 10-10 (补班), 10-12, 10-13 (due).
    const kind: OrderKind = 'supervisionOrder';
    const order = await issueOrder(
      deps,
      await actorOf('supervisor'),
      { kind, orgId: officeOrgId, reason: '国庆前后督办', replyWorkingDays: 5 },
      { calendar, now: new Date('2026-09-30T10:00:00+08:00') },
    );
    expect(order.dueAt).toBe('2026-10-13T15:59:59.999Z');
    const pass = (iso: string) =>
      classifyClocks(t.ctx.database.db, calendar, { now: new Date(iso), escalationWorkingDays: 2 });
    const mine = async (iso: string) =>
      (await pass(iso)).raised.filter((a) => a.clockId === order.clockId).map((a) => a.level);
    expect(await mine('2026-10-11T23:00:00+08:00')).toEqual([]);
    expect(await mine('2026-10-12T08:00:00+08:00')).toEqual(['warning']);
    expect(await mine('2026-10-13T23:00:00+08:00')).toEqual([]);
    expect(await mine('2026-10-14T00:00:01+08:00')).toEqual(['overdue']);
    const late = await replyToOrder(
      deps,
      await actorOf('officehead'),
      order.id,
      { reply: '已办结' },
      { calendar, now: new Date('2026-10-14T09:00:00+08:00') },
    );
    expect(late.repliedOnTime).toBe(false);
  });
});
