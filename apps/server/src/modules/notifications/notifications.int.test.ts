import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../test/harness.ts';
import { inTransaction } from '../../platform/db.ts';
import { createUserAsSystem } from '../users/service.ts';
import { createLogger } from '../../platform/logger.ts';
import { deliverSms } from './delivery-service.ts';
import { registerNotificationWorkers, type NotificationWorkers } from './jobs.ts';
import { notificationEvents, notify, type NotifyRequest } from './service.ts';
import { startTestSmsc, startTestSmtp, type TestSmsc, type TestSmtp } from './test-support.ts';

const SMPP = { systemId: 'guotu', password: 'Smpp2026' };
const SMTP = { user: 'guotu', password: 'mail-secret' };

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function outboxRow(t: TestApp, id: number) {
  return t.ctx.database.db.selectFrom('notification_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

function rowsByKey(t: TestApp, key: string) {
  return t.ctx.database.db
    .selectFrom('notification_outbox')
    .selectAll()
    .where('idempotency_key', 'like', `${key}|%`)
    .execute();
}

function send(t: TestApp, request: NotifyRequest) {
  return inTransaction(t.ctx.database.db, (tx) => notify(tx, request, t.ctx));
}

async function jobCount(t: TestApp, queue: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = ${queue}`.execute(
    t.ctx.database.db,
  );
  return r.rows[0]?.n ?? 0;
}

describe.each(engines)('notifications over a real SMSC and SMTP relay on %s', (engine) => {
  let t: TestApp;
  let smsc: TestSmsc;
  let smtp: TestSmtp;
  let workers: NotificationWorkers;

  beforeAll(async () => {
    smsc = await startTestSmsc(SMPP);
    smtp = await startTestSmtp(SMTP);
    t = await createTestApp(engine, {
      jobs: true,
      config: {
        SMS_MODE: 'smpp',
        SMPP_HOST: '127.0.0.1',
        SMPP_PORT: String(smsc.port),
        SMPP_SYSTEM_ID: SMPP.systemId,
        SMPP_PASSWORD: SMPP.password,
        SMPP_SOURCE_ADDR: '106900001234',
        MAIL_MODE: 'smtp',
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtp.port),
        SMTP_USER: SMTP.user,
        SMTP_PASSWORD: SMTP.password,
        MAIL_FROM: '省自然资源厅 <noreply@zrzyt.example.cn>',
        NOTIFY_RETRY_LIMIT: '4',
        NOTIFY_RETRY_DELAY_SECONDS: '1',
      },
    });
    if (!t.ctx.jobs) throw new Error('jobs expected');
    workers = await registerNotificationWorkers(t.ctx.jobs, t.ctx, createLogger({ logLevel: 'silent' }));
  });
  afterAll(async () => {
    await workers.close();
    await t.close();
    await smsc.close();
    await smtp.close();
  });

  it('sends an ASCII SMS as one data_coding 1 submit_sm asking for a receipt, and the receipt marks it delivered', async () => {
    const admin = await t.login('admin');
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/notifications/templates/clock.warning/sms',
      headers: admin.headers,
      payload: { body: 'Case {{caseNumber}} step {{stepName}} is due {{dueDate}} ({{remaining}} left)' },
    });
    expect(put.statusCode).toBe(200);
    const { created } = await send(t, {
      event: 'clock.warning',
      recipients: [{ phone: '13800000001' }],
      channels: ['sms'],
      variables: {
        recipientName: 'Li',
        caseNumber: 'HB-2026-7',
        stepName: 'review',
        dueDate: '2026-12-01',
        remaining: '1 day',
      },
      idempotencyKey: 'ascii-1',
    });
    const id = created[0]!;
    const row = await waitFor('delivered', async () =>
      (await outboxRow(t, id)).status === 'delivered' ? outboxRow(t, id) : null,
    );
    const submits = smsc.submits.filter((s) => s.destination === '13800000001');
    expect(submits).toHaveLength(1);
    expect(submits[0]).toMatchObject({
      systemId: 'guotu',
      sourceAddr: '106900001234',
      dataCoding: 1,
      esmClass: 0,
      registeredDelivery: 1,
      udh: null,
      text: 'Case HB-2026-7 step review is due 2026-12-01 (1 day left)',
    });
    expect(row).toMatchObject({
      transport: 'smpp',
      attempts: 1,
      provider_message_id: submits[0]!.messageId,
      sms_parts: 1,
      last_error: null,
    });
    expect(row.sent_at).not.toBeNull();
    expect(row.delivered_at).not.toBeNull();
    // the receipt is acknowledged after it is committed, so the ack follows the status change
    await waitFor('deliver_sm_resp', async () => smsc.receiptsAcked.includes(submits[0]!.messageId));
  });

  it('splits a long Chinese SMS into concatenated UCS-2 parts that reassemble into the text, delivered when every part is', async () => {
    const materials =
      '1.建设项目用地预审与选址意见书；2.勘测定界报告及界址点坐标文件；3.补充耕地方案及耕地占补平衡落实情况；4.征地补偿安置方案及社会稳定风险评估报告';
    const { created } = await send(t, {
      event: 'case.supplement_requested',
      recipients: [{ phone: '+8613800000002' }],
      channels: ['sms'],
      variables: {
        applicantName: '武汉市江夏区人民政府',
        matterName: '农用地转用和土地征收审批',
        caseRef: 'SJ-420115-2026-000123',
        missingMaterials: materials,
      },
      idempotencyKey: 'long-cn-1',
    });
    const id = created[0]!;
    const row = await waitFor('delivered', async () =>
      (await outboxRow(t, id)).status === 'delivered' ? outboxRow(t, id) : null,
    );
    const parts = smsc.submits.filter((s) => s.destination === '8613800000002');
    const expected = Math.ceil(row.body.length / 67);
    expect(expected).toBeGreaterThan(1);
    expect(parts).toHaveLength(expected);
    expect(row.sms_parts).toBe(expected);
    parts.forEach((p, i) => {
      expect(p.dataCoding).toBe(8);
      expect(p.esmClass & 0x40).toBe(0x40);
      expect([...(p.udh ?? [])]).toEqual([0x00, 0x03, id & 0xff, expected, i + 1]);
      expect(p.text.length).toBeLessThanOrEqual(67);
    });
    expect(parts.map((p) => p.text).join('')).toBe(row.body);
    expect(row.body).toContain(materials);
    const stored = await t.ctx.database.db
      .selectFrom('notification_sms_parts')
      .selectAll()
      .where('outbox_id', '=', id)
      .orderBy('part_no')
      .execute();
    expect(stored.map((p) => [p.part_no, p.smsc_message_id, p.receipt_state])).toEqual(
      parts.map((p, i) => [i + 1, p.messageId, 'DELIVRD']),
    );
    expect(row.provider_message_id).toBe(parts[0]!.messageId);
  });

  it('joins a receipt that arrives before the SMSC has even answered the submit', async () => {
    smsc.receiptFirst = true;
    try {
      const { created } = await send(t, {
        event: 'case.decided',
        recipients: [{ phone: '13800000012' }],
        channels: ['sms'],
        variables: { applicantName: '辛', matterName: '采矿权延续', caseNumber: 'HB-12', decision: '准予' },
        idempotencyKey: 'early-receipt',
      });
      const row = await waitFor('delivered', async () =>
        (await outboxRow(t, created[0]!)).status === 'delivered' ? outboxRow(t, created[0]!) : null,
      );
      const part = await t.ctx.database.db
        .selectFrom('notification_sms_parts')
        .selectAll()
        .where('outbox_id', '=', row.id)
        .executeTakeFirstOrThrow();
      expect(part.receipt_state).toBe('DELIVRD');
      expect(part.receipt_at!.getTime()).toBeLessThan(part.submitted_at!.getTime());
      expect(row.provider_message_id).toBe(part.smsc_message_id);
    } finally {
      smsc.receiptFirst = false;
    }
  });

  it('marks a message failed when its receipt says UNDELIV, and an admin resend sends it again', async () => {
    smsc.receiptState = 'UNDELIV';
    try {
      const { created } = await send(t, {
        event: 'case.decided',
        recipients: [{ phone: '13800000003' }],
        channels: ['sms'],
        variables: { applicantName: '甲', matterName: '采矿权延续', caseNumber: 'HB-1', decision: '准予' },
        idempotencyKey: 'undeliv-1',
      });
      const row = await waitFor('failed', async () =>
        (await outboxRow(t, created[0]!)).status === 'failed' ? outboxRow(t, created[0]!) : null,
      );
      expect(row.last_error).toContain('delivery receipt UNDELIV');
      expect(row.attempts).toBe(1);
    } finally {
      smsc.receiptState = 'DELIVRD';
    }
    // an admin resends it: the whole message goes again and is delivered this time
    const admin = await t.login('admin');
    const id = (await rowsByKey(t, 'undeliv-1'))[0]!.id;
    const retried = await t.app.inject({
      method: 'POST',
      url: `/api/v1/notifications/outbox/${id}/retry`,
      headers: admin.headers,
    });
    expect(retried.statusCode).toBe(200);
    const row = await waitFor('delivered after resend', async () =>
      (await outboxRow(t, id)).status === 'delivered' ? outboxRow(t, id) : null,
    );
    expect(smsc.submits.filter((s) => s.destination === '13800000003')).toHaveLength(2);
    expect(row.provider_message_id).toBe(smsc.submits.filter((s) => s.destination === '13800000003')[1]!.messageId);
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/notifications/outbox/${id}/retry`,
      headers: admin.headers,
    });
    expect(again.statusCode).toBe(409);
  });

  it('retries with backoff while the SMSC is down and sends once it is back', async () => {
    await smsc.stop();
    const { created } = await send(t, {
      event: 'case.decided',
      recipients: [{ phone: '13800000004' }],
      channels: ['sms'],
      variables: { applicantName: '乙', matterName: '探矿权新立', caseNumber: 'HB-2', decision: '准予' },
      idempotencyKey: 'down-1',
    });
    const id = created[0]!;
    const failedOnce = await waitFor('a failed attempt', async () => {
      const r = await outboxRow(t, id);
      return r.attempts >= 1 && r.status === 'queued' && r.last_error ? r : null;
    });
    expect(failedOnce.last_error).toMatch(/unreachable|ECONNREFUSED|did not bind|closed/);
    const job = await sql<{
      retry_limit: number;
      retry_backoff: boolean;
      retry_delay: number;
    }>`select retry_limit, retry_backoff, retry_delay from pgboss.job where id = ${failedOnce.job_id}`.execute(
      t.ctx.database.db,
    );
    expect(job.rows[0]).toMatchObject({ retry_limit: 4, retry_backoff: true, retry_delay: 1 });
    await smsc.start();
    const row = await waitFor(
      'delivered after the SMSC is back',
      async () => ((await outboxRow(t, id)).status === 'delivered' ? outboxRow(t, id) : null),
      45_000,
    );
    expect(row.attempts).toBeGreaterThanOrEqual(2);
    expect(smsc.submits.filter((s) => s.destination === '13800000004')).toHaveLength(1);
  });

  it('sends once for the same idempotency key, and a job that runs again sends nothing', async () => {
    const request: NotifyRequest = {
      event: 'case.issued',
      recipients: [{ phone: '13800000005' }],
      channels: ['sms'],
      variables: {
        applicantName: '丙',
        matterName: '采矿权变更',
        caseNumber: 'HB-3',
        documentNumber: '鄂自然资函〔2026〕12号',
      },
      idempotencyKey: 'idem-1',
    };
    const first = await send(t, request);
    const second = await send(t, request);
    expect(first.created).toHaveLength(1);
    expect(second).toEqual({ created: [], repeated: 1 });
    const id = first.created[0]!;
    await waitFor('delivered', async () => (await outboxRow(t, id)).status === 'delivered');
    expect(await deliverSms(workers.deps, id)).toBe('skipped');
    expect(smsc.submits.filter((s) => s.destination === '13800000005')).toHaveLength(1);
    expect(await rowsByKey(t, 'idem-1')).toHaveLength(1);
  });

  it('sends once when two runs of the send job race for the same row (row lock, status checked under it)', async () => {
    const noJobs = { jobs: null, config: t.ctx.config };
    const { created } = await inTransaction(t.ctx.database.db, (tx) =>
      notify(
        tx,
        {
          event: 'case.issued',
          recipients: [{ phone: '13800000011' }],
          channels: ['sms'],
          variables: {
            applicantName: '庚',
            matterName: '采矿权新立',
            caseNumber: 'HB-11',
            documentNumber: '鄂自然资函〔2026〕13号',
          },
          idempotencyKey: 'race-1',
        },
        noJobs,
      ),
    );
    const outcomes = await Promise.all([deliverSms(workers.deps, created[0]!), deliverSms(workers.deps, created[0]!)]);
    expect(outcomes.sort()).toEqual(['sent', 'skipped']);
    expect(smsc.submits.filter((s) => s.destination === '13800000011')).toHaveLength(1);
    expect((await outboxRow(t, created[0]!)).attempts).toBe(1);
  });

  it('leaves a row found in sending alone (it may have reached the SMSC) until an admin resends it after 15 minutes', async () => {
    const noJobs = { jobs: null, config: t.ctx.config };
    const { created } = await inTransaction(t.ctx.database.db, (tx) =>
      notify(
        tx,
        {
          event: 'case.issued',
          recipients: [{ phone: '13800000013' }],
          channels: ['sms'],
          variables: {
            applicantName: '壬',
            matterName: '采矿权变更',
            caseNumber: 'HB-13',
            documentNumber: '鄂自然资函〔2026〕14号',
          },
          idempotencyKey: 'stuck-1',
        },
        noJobs,
      ),
    );
    const id = created[0]!;
    await t.ctx.database.db
      .updateTable('notification_outbox')
      .set({ status: 'sending', attempts: 1, sending_at: new Date(Date.now() - 60_000) })
      .where('id', '=', id)
      .execute();
    expect(await deliverSms(workers.deps, id)).toBe('skipped');
    const admin = await t.login('admin');
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/v1/notifications/outbox/${id}/retry`, headers: admin.headers }))
        .statusCode,
    ).toBe(409);
    await t.ctx.database.db
      .updateTable('notification_outbox')
      .set({ sending_at: new Date(Date.now() - 16 * 60_000) })
      .where('id', '=', id)
      .execute();
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/v1/notifications/outbox/${id}/retry`, headers: admin.headers }))
        .statusCode,
    ).toBe(200);
    await waitFor('delivered after the resend', async () => (await outboxRow(t, id)).status === 'delivered');
    expect(smsc.submits.filter((s) => s.destination === '13800000013')).toHaveLength(1);
  });

  it('does not retry a permanent error: the SMSC refuses the number, or the number is malformed', async () => {
    smsc.rejectDestinations.add('13800000006');
    const { created } = await send(t, {
      event: 'case.refused',
      recipients: [{ phone: '13800000006' }, { phone: 'call-me' }],
      channels: ['sms'],
      variables: { applicantName: '丁', matterName: '用地预审', caseRef: 'SJ-9', reason: '不属于本机关职权范围' },
      idempotencyKey: 'perm-1',
    });
    const refused = await waitFor('failed', async () =>
      (await outboxRow(t, created[0]!)).status === 'failed' ? outboxRow(t, created[0]!) : null,
    );
    expect(refused.last_error).toContain('ESME_RINVDSTADR');
    const malformed = await outboxRow(t, created[1]!);
    expect(malformed).toMatchObject({ status: 'failed', attempts: 0, job_id: null });
    expect(malformed.last_error).toContain('invalid phone number');
    await new Promise((r) => setTimeout(r, 2_500)); // longer than a backoff step
    expect((await outboxRow(t, created[0]!)).attempts).toBe(1);
  });

  it('hands email to the SMTP relay with the Chinese subject and body intact', async () => {
    const { created } = await send(t, {
      event: 'case.accepted',
      recipients: [{ email: 'applicant@example.cn' }],
      channels: ['email'],
      variables: {
        applicantName: '武汉市江夏区人民政府',
        matterName: '农用地转用和土地征收审批',
        caseNumber: 'HB-420000-2026-000045',
        queryCode: 'K7Q2M9',
        dueDate: '2026年12月18日',
      },
      idempotencyKey: 'mail-1',
    });
    const row = await waitFor('sent', async () =>
      (await outboxRow(t, created[0]!)).status === 'sent' ? outboxRow(t, created[0]!) : null,
    );
    const mail = smtp.messages.find((m) => m.to.includes('applicant@example.cn'));
    expect(mail).toBeDefined();
    expect(mail!.subject).toBe('【受理通知】农用地转用和土地征收审批（HB-420000-2026-000045）');
    expect(mail!.subject).toBe(row.subject);
    expect(mail!.text.replace(/\r\n/g, '\n').trim()).toBe(row.body);
    expect(mail!.user).toBe(SMTP.user);
    expect(mail!.from).toBe('noreply@zrzyt.example.cn');
    expect(mail!.messageId).toBe(`<notification-${row.id}@zrzyt.example.cn>`);
    expect(row).toMatchObject({
      transport: 'smtp',
      attempts: 1,
      provider_message_id: `<notification-${row.id}@zrzyt.example.cn>`,
    });
  });

  it('marks an email failed without retrying when the relay answers 550', async () => {
    smtp.rejectRecipients.add('nobody@example.cn');
    const { created } = await send(t, {
      event: 'case.accepted',
      recipients: [{ email: 'nobody@example.cn' }],
      channels: ['email'],
      variables: { applicantName: '甲', matterName: '乙', caseNumber: 'C', queryCode: 'Q', dueDate: 'D' },
      idempotencyKey: 'mail-550',
    });
    const row = await waitFor('failed', async () =>
      (await outboxRow(t, created[0]!)).status === 'failed' ? outboxRow(t, created[0]!) : null,
    );
    expect(row.attempts).toBe(1);
    expect(row.last_error).toMatch(/550|rejected|mailbox/);
  });

  it('leaves no outbox row and no job when the caller rolls back', async () => {
    const jobsBefore = await jobCount(t, 'notify.sms.send');
    await expect(
      inTransaction(t.ctx.database.db, async (tx) => {
        await notify(
          tx,
          {
            event: 'case.received',
            recipients: [{ phone: '13800000008' }],
            channels: ['sms', 'inApp'],
            variables: { applicantName: '戊', matterName: '己', caseRef: 'SJ-8', receivedDate: '2026-11-21' },
            idempotencyKey: 'rollback-1',
          },
          t.ctx,
        );
        throw new Error('the case change failed after notify');
      }),
    ).rejects.toThrow('the case change failed');
    expect(await rowsByKey(t, 'rollback-1')).toHaveLength(0);
    expect(await jobCount(t, 'notify.sms.send')).toBe(jobsBefore);
  });

  it('refuses a missing template variable and writes nothing', async () => {
    await expect(
      send(t, {
        event: 'case.accepted',
        recipients: [{ phone: '13800000009' }],
        channels: ['sms'],
        variables: { applicantName: '甲', matterName: '乙', caseNumber: 'C', dueDate: 'D' },
        idempotencyKey: 'missing-var',
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'variables.queryCode' }] });
    expect(await rowsByKey(t, 'missing-var')).toHaveLength(0);
  });

  it('puts in-app messages in the user inbox; the user marks them read, another user cannot', async () => {
    // a user of our own without a phone number (the demo users' contacts may change)
    const adminId = await createUserAsSystem(t.ctx.database.db, {
      username: 'inbox.reader',
      displayName: '收件人',
      password: 'Reader2026x',
      orgId: 1,
      roles: ['handler'],
    });
    const admin = await t.login('inbox.reader', 'Reader2026x');
    const other = await t.login('wuchang.window');
    const { created } = await send(t, {
      event: 'clock.overdue',
      recipients: [{ userId: adminId }],
      channels: ['inApp', 'sms'],
      variables: {
        recipientName: '管理员',
        caseNumber: 'HB-9',
        stepName: '审查',
        dueDate: '2026-11-20',
        overdue: '1个工作日',
      },
      idempotencyKey: 'inapp-1',
    });
    const mine = (
      await t.app.inject({ method: 'GET', url: '/api/v1/notifications/mine', headers: admin.headers })
    ).json<{ items: Array<{ id: number; title: string; readAt: string | null }>; unread: number }>();
    const item = mine.items.find((i) => created.includes(i.id));
    expect(item).toMatchObject({ title: '超时：HB-9 审查', readAt: null });
    expect(mine.unread).toBeGreaterThanOrEqual(1);
    const sms = (await rowsByKey(t, 'inapp-1')).find((r) => r.channel === 'sms');
    expect(sms).toMatchObject({ status: 'failed', last_error: 'recipient has no phone number' });
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/notifications/mine/${item!.id}/read`,
          headers: other.headers,
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/notifications/mine/${item!.id}/read`,
          headers: admin.headers,
        })
      ).statusCode,
    ).toBe(204);
    const after = (
      await t.app.inject({ method: 'GET', url: '/api/v1/notifications/mine?unread=true', headers: admin.headers })
    ).json<{ items: Array<{ id: number }> }>();
    expect(after.items.map((i) => i.id)).not.toContain(item!.id);
  });

  it('lists the outbox by channel and status for admins only, and validates template edits', async () => {
    const admin = await t.login('admin');
    const window = await t.login('wuchang.window');
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/notifications/outbox?channel=sms&status=delivered',
      headers: admin.headers,
    });
    expect(list.statusCode).toBe(200);
    const body = list.json<{ items: Array<{ channel: string; status: string }>; total: number }>();
    expect(body.total).toBeGreaterThanOrEqual(1);
    expect(body.items.every((i) => i.channel === 'sms' && i.status === 'delivered')).toBe(true);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/notifications/outbox', headers: window.headers })).statusCode,
    ).toBe(403);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/notifications/templates', headers: window.headers }))
        .statusCode,
    ).toBe(403);
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/notifications/templates/case.accepted/sms',
      headers: admin.headers,
      payload: { body: '{{caseNumber}} {{password}}' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ details: Array<{ path: string; message: string }> }>().details[0]?.message).toContain(
      '{{password}}',
    );
    const templates = (
      await t.app.inject({ method: 'GET', url: '/api/v1/notifications/templates', headers: admin.headers })
    ).json<{ events: unknown[]; templates: unknown[] }>();
    expect(templates.events).toHaveLength(Object.keys(notificationEvents).length);
    expect(templates.templates).toHaveLength(3 * Object.keys(notificationEvents).length);
  });
});

describe.each(engines)('notifications in store mode on %s', (engine) => {
  let t: TestApp;
  let workers: NotificationWorkers;
  beforeAll(async () => {
    t = await createTestApp(engine, { jobs: true });
    workers = await registerNotificationWorkers(t.ctx.jobs!, t.ctx, createLogger({ logLevel: 'silent' }));
  });
  afterAll(async () => {
    await workers.close();
    await t.close();
  });

  it('sends nothing and lists the messages in the outbox as stored', async () => {
    expect(t.ctx.config.notifications.sms.mode).toBe('store');
    const { created } = await send(t, {
      event: 'case.received',
      recipients: [{ phone: '13800000010', email: 'a@example.cn' }],
      channels: ['sms', 'email'],
      variables: { applicantName: '甲', matterName: '乙', caseRef: 'SJ-1', receivedDate: '2026-11-21' },
      idempotencyKey: 'store-1',
    });
    expect(created).toHaveLength(2);
    for (const id of created) await waitFor('stored', async () => (await outboxRow(t, id)).status === 'sent');
    const admin = await t.login('admin');
    const list = (
      await t.app.inject({ method: 'GET', url: '/api/v1/notifications/outbox?status=sent', headers: admin.headers })
    ).json<{ items: Array<{ id: number; transport: string; address: string; body: string }> }>();
    const mine = list.items.filter((i) => created.includes(i.id));
    expect(mine.map((i) => i.transport)).toEqual(['store', 'store']);
    expect(mine.map((i) => i.address).sort()).toEqual(['13800000010', 'a@example.cn']);
    expect(mine.every((i) => i.body.includes('SJ-1'))).toBe(true);
    expect(workers.deps.sms).toBeNull();
    expect(workers.deps.mail).toBeNull();
  });
});
