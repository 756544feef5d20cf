import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../test/harness.ts';
import { createUser } from './service.ts';

describe.each(engines)('users and org scope on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t.close());

  it('lets the province see every unit, and a county user only its own county', async () => {
    const admin = await t.login('admin');
    const all = (await t.app.inject({ method: 'GET', url: '/api/v1/orgs', headers: admin.headers })).json<
      Array<{ divisionCode: string | null }>
    >();
    const county = await t.login('wuchang.window');
    const mine = (await t.app.inject({ method: 'GET', url: '/api/v1/orgs', headers: county.headers })).json<
      Array<{ divisionCode: string | null; name: string }>
    >();
    // 1 department + 10 offices + 17 city-level + 103 county-level bureaus (4 of which are the
    // city-level ones directly under the province) + 6 sections in 武昌区 + 1 made by the auth test? no: fresh db
    expect(all.filter((o) => o.divisionCode?.startsWith('42')).length).toBe(1 + 13 + 103);
    expect(mine[0]?.divisionCode).toBe('420106');
    expect(mine.every((o) => o.divisionCode === null || o.divisionCode === '420106')).toBe(true);
    expect(mine.length).toBe(1 + 6);
  });

  it('hides a unit outside the caller scope as not found, the same as a unit that does not exist', async () => {
    const county = await t.login('wuchang.window');
    const outside = await t.app.inject({ method: 'GET', url: '/api/v1/orgs/1', headers: county.headers });
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/orgs/999999', headers: county.headers });
    expect(outside.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
  });

  it('lets an admin create a user with roles, and refuses a duplicate username with 409 on the field', async () => {
    const admin = await t.login('admin');
    const payload = {
      username: 'zhang.san',
      displayName: '张三',
      password: 'Zhang2026x',
      orgId: 1,
      roles: ['handler', 'reviewer'],
    };
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: admin.headers, payload });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      username: 'zhang.san',
      roles: ['handler', 'reviewer'],
      orgName: '湖北省自然资源厅',
    });
    const dup = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: admin.headers, payload });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'CONFLICT', details: [{ path: 'body.username' }] });
    await expect(t.login('zhang.san', 'Zhang2026x')).resolves.toBeTruthy();
  });

  it('answers malformed user bodies with 400 and the field path, creating nothing', async () => {
    const admin = await t.login('admin');
    const before = (await t.app.inject({ method: 'GET', url: '/api/v1/users?limit=1', headers: admin.headers })).json<{
      total: number;
    }>().total;
    const bad = [
      [{ username: 'x', displayName: 'X', password: 'abc12345', orgId: 1, roles: ['handler'] }, 'body.username'],
      [{ username: 'li.si', displayName: 'X', password: 'abc12345', orgId: 1, roles: ['emperor'] }, 'body.roles.0'],
      [{ username: 'li.si', displayName: 'X', password: 'abc12345', orgId: 'one', roles: ['handler'] }, 'body.orgId'],
      [{ username: 'li.si', displayName: 'X', password: 'short', orgId: 1, roles: ['handler'] }, 'body.password'],
      [
        { username: 'li.si', displayName: 'X', password: 'abc12345', orgId: 1, roles: ['handler'], phone: 'call me' },
        'body.phone',
      ],
    ] as const;
    for (const [payload, path] of bad) {
      const r = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: admin.headers, payload });
      expect(r.statusCode, path).toBe(400);
      expect(r.json<{ details: Array<{ path: string }> }>().details.map((d) => d.path)).toContain(path);
    }
    const after = (await t.app.inject({ method: 'GET', url: '/api/v1/users?limit=1', headers: admin.headers })).json<{
      total: number;
    }>().total;
    expect(after).toBe(before);
  });

  it('disables a user, which ends their sessions', async () => {
    const admin = await t.login('admin');
    const victim = await t.login('handler');
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/users?q=handler', headers: admin.headers })).json<{
      items: Array<{ id: number; username: string }>;
    }>();
    const id = list.items.find((u) => u.username === 'handler')?.id;
    const r = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${id}`,
      headers: admin.headers,
      payload: { disabled: true },
    });
    expect(r.statusCode).toBe(200);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: victim.headers })).statusCode,
    ).toBe(401);
    await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${id}`,
      headers: admin.headers,
      payload: { disabled: false },
    });
  });

  it('records each change in the audit log inside the same transaction', async () => {
    const rows = await t.ctx.database.db
      .selectFrom('audit_log')
      .select(['action', 'entity_type'])
      .where('action', '=', 'user.created')
      .execute();
    expect(rows.length).toBeGreaterThanOrEqual(10);
  });
});

/**
 * One allowed and one denied call per permission-guarded route. The denied caller holds a
 * session (so this is 403, not 401) but not the permission.
 */
describe.each(engines)('permission table on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t.close());

  const table = [
    { permission: 'org.read', method: 'GET', url: '/api/v1/orgs', allowed: 'handler', denied: null },
    {
      permission: 'org.manage',
      method: 'POST',
      url: '/api/v1/orgs',
      body: { parentId: 1, kind: 'office', name: '新设处' },
      allowed: 'admin',
      denied: 'leader',
    },
    { permission: 'user.read', method: 'GET', url: '/api/v1/users', allowed: 'supervisor', denied: 'handler' },
    {
      permission: 'user.manage',
      method: 'POST',
      url: '/api/v1/users',
      body: { username: 'wang.wu', displayName: '王五', password: 'Wangwu2026', orgId: 1, roles: ['handler'] },
      allowed: 'admin',
      denied: 'officehead',
    },
    {
      permission: 'user.manage',
      method: 'PATCH',
      url: '/api/v1/users/3',
      body: { displayName: '改名' },
      allowed: 'admin',
      denied: 'supervisor',
    },
    {
      // public since the portal's county picker reads it before sign-in
      permission: 'nothing (public)',
      method: 'GET',
      url: '/api/v1/divisions?parent=420000',
      allowed: 'geohazard',
      denied: null,
    },
  ] as const;

  for (const row of table) {
    it(`${row.method} ${row.url} needs ${row.permission}: ${row.allowed} may${row.denied ? `, ${row.denied} may not` : ''}`, async () => {
      const ok = await t.login(row.allowed);
      const r = await t.app.inject({
        method: row.method,
        url: row.url,
        headers: ok.headers,
        ...('body' in row ? { payload: row.body } : {}),
      });
      expect(r.statusCode, r.body).toBeLessThan(300);
      if (row.denied) {
        const no = await t.login(row.denied);
        const d = await t.app.inject({
          method: row.method,
          url: row.url,
          headers: no.headers,
          ...('body' in row ? { payload: row.body } : {}),
        });
        expect(d.statusCode, d.body).toBe(403);
        expect(d.json()).toMatchObject({ code: 'FORBIDDEN' });
      }
    });
  }

  it('lets only an admin grant the admin role, even to a caller who may manage users', async () => {
    const manager = {
      userId: 2,
      username: 'window',
      roles: ['office_head'] as const,
      permissions: ['user.manage', 'user.read'] as const,
      orgId: 1,
      orgPath: '/1/',
      requestId: 'test',
    };
    const input = {
      username: 'sneaky.admin',
      displayName: '越权',
      password: 'Admin2026x',
      orgId: 1,
      roles: ['admin' as const],
    };
    await expect(
      createUser(
        t.ctx.database.db,
        { ...manager, roles: [...manager.roles], permissions: [...manager.permissions] },
        input,
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const admin = await t.login('admin');
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin.headers,
      payload: { ...input, username: 'second.admin' },
    });
    expect(r.statusCode).toBe(201);
  });

  it('lists the divisions of Hubei: 17 city-level units under the province', async () => {
    const s = await t.login('admin');
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/divisions?parent=420000', headers: s.headers });
    expect(r.json<unknown[]>().length).toBe(17);
  });
});
