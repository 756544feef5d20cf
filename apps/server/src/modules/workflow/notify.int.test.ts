import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../test/harness.ts';
import { createLogger } from '../../platform/logger.ts';
import { registerNotificationWorkers, type NotificationWorkers } from '../notifications/jobs.ts';
import { smppTestConfig, startTestSmsc, TEST_SMPP, type TestSmsc } from '../notifications/test-support.ts';
import { fixture, taskAt, workflowClient } from './test-support.ts';

/*
 * 催办 (urge) and 传阅 (circulate) write notification outbox rows in the command's transaction;
 * the SMS go to a real SMSC on loopback (notifications/test-support.ts). Demo phones:
 * window 13800000002, handler …03, reviewer …04, admin …01.
 */

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(engines)('workflow urge and circulate notify on %s', (engine) => {
  let t: TestApp;
  let smsc: TestSmsc;
  let workers: NotificationWorkers;
  let wf: ReturnType<typeof workflowClient>;

  const userId = async (username: string) =>
    (
      await t.ctx.database.db
        .selectFrom('users')
        .select('id')
        .where('username', '=', username)
        .executeTakeFirstOrThrow()
    ).id;
  const outbox = (event: string, instanceId: string) =>
    t.ctx.database.db
      .selectFrom('notification_outbox')
      .selectAll()
      .where('event', '=', event)
      .where('idempotency_key', 'like', `${event}:${instanceId}:%`)
      .orderBy('id')
      .execute();
  const mine = async (user: string) =>
    (
      await wf.call<{
        items: Array<{ id: number; event: string; title: string; body: string; readAt: string | null }>;
      }>(user, 'GET', '/api/v1/notifications/mine?limit=100')
    ).body.items;

  beforeAll(async () => {
    smsc = await startTestSmsc(TEST_SMPP);
    t = await createTestApp(engine, {
      jobs: true,
      config: smppTestConfig(smsc, { NOTIFY_RETRY_LIMIT: '2' }),
    });
    workers = await registerNotificationWorkers(t.ctx.jobs!, t.ctx, createLogger({ logLevel: 'silent' }));
    wf = workflowClient(t);
    expect((await wf.deploy('admin', fixture('approval.bpmn'))).status).toBe(201);
  });
  afterAll(async () => {
    await workers.close();
    await t.close();
    await smsc.close();
  });

  it('urges an unclaimed task to its candidates (not a county clerk of another bureau) by SMS and in-app', async () => {
    const started = await wf.start('window', { key: 'approval', businessKey: 'URGE-1', variables: { simple: true } });
    const accept = taskAt(started.body, 'accept');
    expect((await wf.op('admin', accept, 'urge', { message: '请今日内受理' })).status).toBe(200);

    const rows = await outbox('workflow.urged', started.body.instanceId);
    const window = await userId('window');
    expect(rows.map((r) => [r.user_id, r.channel]).sort()).toEqual([
      [window, 'inApp'],
      [window, 'sms'],
    ]);
    // wuchang.window holds the role but works in a county bureau below the department
    const county = await userId('wuchang.window');
    expect(rows.some((r) => r.user_id === county)).toBe(false);
    const sms = rows.find((r) => r.channel === 'sms')!;
    expect(sms).toMatchObject({ address: '13800000002', status: 'queued' });
    expect(sms.body).toContain('URGE-1');
    expect(sms.body).toContain('受理');
    expect(sms.body).toContain('请今日内受理');

    const submitted = await waitFor('the urge SMS at the SMSC', async () =>
      smsc.submits.find((s) => s.destination === '13800000002' && s.text.includes('URGE-1')),
    );
    expect(submitted.text).toBe(sms.body);
    expect(submitted.text).toContain('系统管理员'); // the urger, by display name
    await waitFor('delivery receipt', async () => {
      const row = await t.ctx.database.db
        .selectFrom('notification_outbox')
        .select('status')
        .where('id', '=', sms.id)
        .executeTakeFirstOrThrow();
      return row.status === 'delivered';
    });
    const inbox = await mine('window');
    expect(inbox.find((m) => m.event === 'workflow.urged' && m.body.includes('URGE-1'))).toMatchObject({
      title: '催办：受理',
      readAt: null,
    });
  });

  it('urges a claimed task to its assignee only; each urge is its own message', async () => {
    const started = await wf.start('window', { key: 'approval', businessKey: 'URGE-2', variables: { simple: true } });
    const accept = taskAt(started.body, 'accept');
    expect((await wf.op('window', accept, 'claim')).status).toBe(200);
    expect((await wf.op('leader', accept, 'urge')).status).toBe(200);
    expect((await wf.op('admin', accept, 'urge', { message: '再次催办' })).status).toBe(200);
    const rows = await outbox('workflow.urged', started.body.instanceId);
    const window = await userId('window');
    expect(rows).toHaveLength(4);
    expect(new Set(rows.map((r) => r.user_id))).toEqual(new Set([window]));
    expect(rows.filter((r) => r.channel === 'sms').map((r) => r.body)).toEqual([
      expect.stringContaining('分管厅领导催办'),
      expect.stringContaining('再次催办'),
    ]);
    await waitFor('both SMS at the SMSC', async () => {
      const texts = smsc.submits.filter((s) => s.text.includes('URGE-2')).map((s) => s.text);
      return texts.length === 2 && texts;
    });
  });

  it('circulates in-app to each recipient (SMS only when asked); read receipts still work', async () => {
    const started = await wf.start('window', { key: 'approval', businessKey: 'CC-1', variables: { simple: true } });
    const accept = taskAt(started.body, 'accept');
    expect((await wf.op('window', accept, 'claim')).status).toBe(200);
    const cc = await wf.op('window', accept, 'circulate', { recipients: ['reviewer', 'handler'], message: '请阅' });
    expect(cc.status).toBe(200);
    let rows = await outbox('workflow.circulated', started.body.instanceId);
    expect(rows.map((r) => r.channel)).toEqual(['inApp', 'inApp']);
    expect(new Set(rows.map((r) => r.user_id))).toEqual(new Set([await userId('reviewer'), await userId('handler')]));
    const message = (await mine('reviewer')).find((m) => m.event === 'workflow.circulated' && m.body.includes('CC-1'));
    expect(message).toMatchObject({ title: '传阅：受理', readAt: null });
    expect(message?.body).toContain('窗口收件员');
    expect(message?.body).toContain('请阅');

    // the circulation's read receipt (markRead) and the in-app message's read mark are separate and both work
    expect((await wf.task('reviewer', accept)).body.operations).toContain('markRead');
    expect((await wf.op('reviewer', accept, 'markRead')).status).toBe(200);
    const detail = await wf.task('reviewer', accept);
    expect(Object.keys(detail.body.circulations[0]?.readBy ?? {})).toEqual(['reviewer']);
    expect(detail.body.operations).not.toContain('markRead');
    const read = await t.app.inject({
      method: 'POST',
      url: `/api/v1/notifications/mine/${message!.id}/read`,
      headers: (await t.login('reviewer')).headers,
    });
    expect(read.statusCode).toBe(204);
    expect((await mine('reviewer')).find((m) => m.id === message!.id)?.readAt).not.toBeNull();

    // with sms: true each recipient also gets an SMS
    expect(
      (await wf.op('window', accept, 'circulate', { recipients: ['officehead'], message: '请阅批', sms: true })).status,
    ).toBe(200);
    rows = await outbox('workflow.circulated', started.body.instanceId);
    const officehead = await userId('officehead');
    expect(
      rows
        .filter((r) => r.user_id === officehead)
        .map((r) => r.channel)
        .sort(),
    ).toEqual(['inApp', 'sms']);
    await waitFor('the circulation SMS at the SMSC', async () =>
      smsc.submits.find((s) => s.destination === '13800000005' && s.text.includes('CC-1')),
    );
  });

  it('writes nothing when the command is refused: a circulation to an unknown user notifies no one', async () => {
    const started = await wf.start('window', { key: 'approval', businessKey: 'CC-2', variables: { simple: true } });
    const accept = taskAt(started.body, 'accept');
    const refused = await wf.op('window', accept, 'circulate', { recipients: ['reviewer', 'nobody.here'] });
    expect(refused.status).toBe(400);
    expect(await outbox('workflow.circulated', started.body.instanceId)).toEqual([]);
  });
});
