import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../test/harness.ts';
import { inTransaction } from '../../platform/db.ts';
import { createUserAsSystem } from '../users/service.ts';
import { notify, type NotifyRequest } from './service.ts';

/**
 * The admin outbox is scoped like every other read: an admin sees (and may resend) the messages
 * caused in their unit and below it by materialised path; another unit's message answers 404, as
 * a missing one does. Messages with no unit recorded are for top-level admins only.
 */

interface OutboxList {
  items: Array<{ id: number; orgId: number | null; orgName: string | null; status: string }>;
  total: number;
}

const PASSWORD = 'Outbox2026x';

describe.each(engines)('the admin outbox by org scope on %s', (engine) => {
  let t: TestApp;
  const orgs = { wuhan: 0, wuchang: 0, huangshi: 0 };
  const users = { wuchangClerk: 0 };
  const ids = { wuhan: 0, wuchang: 0, huangshi: 0, unassigned: 0, recipientUnit: 0 };

  const send = async (key: string, request: Partial<NotifyRequest>): Promise<number> => {
    const { created } = await inTransaction(t.ctx.database.db, (tx) =>
      notify(
        tx,
        {
          event: 'case.refused',
          // a malformed number: the row is `failed` with its address, so an admin may resend it
          recipients: [{ phone: '13912x' }],
          channels: ['sms'],
          variables: { applicantName: '甲', matterName: '乙', caseRef: key, reason: '材料不全' },
          idempotencyKey: `scope:${key}`,
          ...request,
        },
        t.ctx,
      ),
    );
    const id = created[0];
    if (id === undefined) throw new Error(`no outbox row for ${key}`);
    return id;
  };
  const headersOf = async (username: string) =>
    (await t.login(username, username === 'admin' ? undefined : PASSWORD)).headers;
  const outboxOf = async (username: string): Promise<OutboxList> => {
    const r = await t.app.inject({
      method: 'GET',
      url: '/api/v1/notifications/outbox?limit=200',
      headers: await headersOf(username),
    });
    expect(r.statusCode, r.body).toBe(200);
    return r.json<OutboxList>();
  };
  const resend = async (username: string, id: number) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/notifications/outbox/${id}/retry`,
      headers: await headersOf(username),
    });

  beforeAll(async () => {
    t = await createTestApp(engine);
    const db = t.ctx.database.db;
    const byCode = async (code: string) =>
      (await db.selectFrom('org_units').select('id').where('division_code', '=', code).executeTakeFirstOrThrow()).id;
    orgs.wuhan = await byCode('420100');
    orgs.wuchang = await byCode('420106');
    orgs.huangshi = await byCode('420200');
    const admin = (username: string, orgId: number) =>
      createUserAsSystem(db, { username, displayName: username, password: PASSWORD, orgId, roles: ['admin'] });
    await admin('wuhan.admin', orgs.wuhan);
    await admin('huangshi.admin', orgs.huangshi);
    users.wuchangClerk = await createUserAsSystem(db, {
      username: 'wuchang.clerk2',
      displayName: '武昌区收件员',
      password: PASSWORD,
      orgId: orgs.wuchang,
      roles: ['window_clerk'],
    });
    ids.wuhan = await send('wuhan', { orgId: orgs.wuhan });
    ids.wuchang = await send('wuchang', { orgId: orgs.wuchang });
    ids.huangshi = await send('huangshi', { orgId: orgs.huangshi });
    ids.unassigned = await send('unassigned', {});
    // no orgId given: the row takes its user recipient's unit
    ids.recipientUnit = await send('recipient', { recipients: [{ userId: users.wuchangClerk, phone: '13912x' }] });
  }, 120_000);
  afterAll(async () => t.close());

  it('records the unit a message was caused in: the caller’s orgId, else the user recipient’s unit, else none', async () => {
    const rows = await t.ctx.database.db
      .selectFrom('notification_outbox')
      .select(['id', 'org_id'])
      .where('id', 'in', Object.values(ids))
      .execute();
    const orgOf = new Map(rows.map((r) => [r.id, r.org_id]));
    expect(orgOf.get(ids.wuhan)).toBe(orgs.wuhan);
    expect(orgOf.get(ids.wuchang)).toBe(orgs.wuchang);
    expect(orgOf.get(ids.recipientUnit)).toBe(orgs.wuchang);
    expect(orgOf.get(ids.unassigned)).toBeNull();
  });

  it('shows a city admin the messages of the city and its counties only; the province admin sees all', async () => {
    const wuhan = await outboxOf('wuhan.admin');
    expect(wuhan.items.map((i) => i.id).sort((a, b) => a - b)).toEqual(
      [ids.wuhan, ids.wuchang, ids.recipientUnit].sort((a, b) => a - b),
    );
    expect(wuhan.total).toBe(3);
    expect(wuhan.items.find((i) => i.id === ids.wuchang)?.orgName).toBe('武汉市武昌区自然资源和规划局');
    const huangshi = await outboxOf('huangshi.admin');
    expect(huangshi.items.map((i) => i.id)).toEqual([ids.huangshi]);
    const province = await outboxOf('admin');
    expect(province.items.map((i) => i.id)).toEqual(expect.arrayContaining(Object.values(ids)));
    expect(province.items.find((i) => i.id === ids.unassigned)).toMatchObject({ orgId: null, orgName: null });
  });

  it('answers 404 to a resend of another city’s message or one without a unit, and resends one of its own', async () => {
    for (const id of [ids.wuhan, ids.wuchang, ids.unassigned]) {
      const r = await resend('huangshi.admin', id);
      expect(r.statusCode, r.body).toBe(404);
      expect(r.json<{ code: string }>().code).toBe('NOT_FOUND');
    }
    expect((await resend('wuhan.admin', ids.unassigned)).statusCode).toBe(404);
    const untouched = await t.ctx.database.db
      .selectFrom('notification_outbox')
      .select(['status', 'attempts'])
      .where('id', '=', ids.wuchang)
      .executeTakeFirstOrThrow();
    expect(untouched.status).toBe('failed');
    const own = await resend('wuhan.admin', ids.wuchang);
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json<{ id: number; status: string; orgId: number }>()).toMatchObject({
      id: ids.wuchang,
      status: 'queued',
      orgId: orgs.wuchang,
    });
    // the province admin may resend a message without a unit
    expect((await resend('admin', ids.unassigned)).statusCode).toBe(200);
  });
});
