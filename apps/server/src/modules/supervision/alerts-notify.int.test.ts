import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../test/harness.ts';
import { createLogger } from '../../platform/logger.ts';
import { registerNotificationWorkers, type NotificationWorkers } from '../notifications/jobs.ts';
import { smppTestConfig, startTestSmsc, TEST_SMPP, type TestSmsc } from '../notifications/test-support.ts';
import { taskAt, workflowClient } from '../workflow/test-support.ts';
import { issueOrder } from './orders-service.ts';
import { classifyClocks } from './service.ts';
import { notificationSink } from './sink.ts';
import { actorOf } from './test-support.ts';

// One step with a 3-working-day limit, for the handler role:
//   (start) → [用地处审查 P3D workday, candidates: handler] → (end)
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

/**
 * A step runs past its limit: it turns yellow, then red; the handler and the head of the
 * handler's office each get one SMS per card (seen by a real SMSC on loopback), however many
 * supervision passes run; on escalation the supervision office and the leaders hear of it.
 */
describe.each(engines)('alerts reach the handler and the office head by SMS on %s', (engine) => {
  let t: TestApp;
  let smsc: TestSmsc;
  let workers: NotificationWorkers;
  let warnAt: Date;
  let dueAt: Date;

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
    const started = await wf.start('admin', { key: 'oneStep', businessKey: '鄂自然资2026-0001' });
    expect(started.status, JSON.stringify(started.body)).toBeLessThan(300);
    const taskId = taskAt(started.body, 'review');
    expect((await wf.op('handler', taskId, 'claim')).status).toBe(200);
    const clock = await t.ctx.database.db
      .selectFrom('clocks')
      .select(['warn_at', 'due_at'])
      .where('subject_type', '=', 'task')
      .executeTakeFirstOrThrow();
    if (!clock.warn_at || !clock.due_at) throw new Error('the step clock has no deadline');
    warnAt = clock.warn_at;
    dueAt = clock.due_at;
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
  // Long Chinese texts arrive as concatenated parts; a message is its first part (UDH 00 03 ref total seq).
  const messages = () => smsc.submits.filter((s) => s.udh === null || s.udh[4] === 1);
  const waitForSubmits = async (n: number) => {
    for (let i = 0; i < 200 && messages().length < n; i++) await new Promise((r) => setTimeout(r, 100));
    return messages();
  };

  it('sends the yellow card once to the handler (13800000003) and the office head (13800000005)', async () => {
    expect((await pass(new Date(warnAt.getTime() - 1000))).raisedCount).toBe(0);
    expect((await pass(new Date(warnAt.getTime() + 1000))).raisedCount).toBe(1);
    await pass(new Date(warnAt.getTime() + 60_000));
    const submits = await waitForSubmits(2);
    await new Promise((r) => setTimeout(r, 1500)); // nothing more may arrive
    expect(
      messages()
        .map((s) => s.destination)
        .sort(),
    ).toEqual(['13800000003', '13800000005']);
    expect(submits.every((s) => s.udh !== null || s.text.includes('鄂自然资2026-0001'))).toBe(true);
  });

  it('sends the red card once each after the deadline passes', async () => {
    expect((await pass(new Date(dueAt.getTime() + 1000))).raisedCount).toBe(1);
    await pass(new Date(dueAt.getTime() + 120_000));
    await waitForSubmits(4);
    await new Promise((r) => setTimeout(r, 1500));
    const red = messages().slice(2);
    expect(red.map((s) => s.destination).sort()).toEqual(['13800000003', '13800000005']);
  });

  it('escalates unresolved cards to the supervision office and the leader', async () => {
    const later = await pass(new Date(dueAt.getTime() + 12 * 86_400_000));
    expect(later.escalated.length).toBeGreaterThanOrEqual(1);
    await waitForSubmits(8); // two cards × (leader, supervision office)
    const escalatedTo = new Set(
      messages()
        .slice(4)
        .map((s) => s.destination),
    );
    expect(escalatedTo).toEqual(new Set(['13800000006', '13800000007']));
  });
  it("sends the cards of a supervision order's reply clock to the head of the office it was issued to, and escalates them", async () => {
    const before = messages().length;
    const officeOrg = (await actorOf(t, 'officehead')).orgId;
    const order = await issueOrder(
      { db: t.ctx.database.db, jobs: t.ctx.jobs, config: t.ctx.config },
      await actorOf(t, 'supervisor'),
      {
        kind: 'explanation',
        orgId: officeOrg,
        reason: '请说明审查超时原因',
        replyWorkingDays: 2,
        caseNumber: '鄂自然资2026-0001',
      },
      { calendar: await t.ctx.calendar.get(), now: new Date() },
    );
    // the order itself is announced to the office head (one SMS)
    await waitForSubmits(before + 1);
    const clock = await t.ctx.database.db
      .selectFrom('clocks')
      .select(['warn_at', 'due_at'])
      .where('subject_type', '=', 'supervision_order')
      .where('subject_id', '=', order.id)
      .executeTakeFirstOrThrow();
    if (!clock.warn_at || !clock.due_at) throw new Error('the order clock has no deadline');
    const cardsOf = (r: Awaited<ReturnType<typeof pass>>) => r.raised.filter((a) => a.clockId === order.clockId);
    expect(cardsOf(await pass(new Date(clock.warn_at.getTime() + 1000))).map((a) => a.level)).toEqual(['warning']);
    expect(cardsOf(await pass(new Date(clock.due_at.getTime() + 1000))).map((a) => a.level)).toEqual(['overdue']);
    await pass(new Date(clock.due_at.getTime() + 60_000)); // nothing new
    await waitForSubmits(before + 3);
    await new Promise((r) => setTimeout(r, 1500));
    const cards = messages().slice(before + 1);
    expect(cards.map((s) => s.destination)).toEqual(['13800000005', '13800000005']);
    const inApp = await t.ctx.database.db
      .selectFrom('notification_outbox')
      .select(['event', 'body'])
      .where('channel', '=', 'inApp')
      .where('event', 'in', ['clock.warning', 'clock.overdue'])
      .where('body', 'like', `%${order.number}%`)
      .execute();
    expect(inApp.map((m) => m.event).sort()).toEqual(['clock.overdue', 'clock.warning']);

    const later = await pass(new Date(clock.due_at.getTime() + 12 * 86_400_000));
    expect(later.escalated.filter((a) => a.clockId === order.clockId)).toHaveLength(2);
    await waitForSubmits(before + 7); // two cards × (leader, supervision office)
    expect(
      new Set(
        messages()
          .slice(before + 3)
          .map((s) => s.destination),
      ),
    ).toEqual(new Set(['13800000006', '13800000007']));
  });
});
