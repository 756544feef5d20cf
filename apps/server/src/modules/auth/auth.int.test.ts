import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../test/harness.ts';

describe.each(engines)('authentication on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine, { config: { LOCKOUT_THRESHOLD: '3', LOGIN_RATE_LIMIT: '1000' } });
  });
  afterAll(async () => t.close());

  it('denies every API call without a session (401), by default', async () => {
    // (divisions are public: the portal's county picker reads them before sign-in)
    for (const url of ['/api/v1/users', '/api/v1/orgs', '/api/v1/auth/session', '/api/v1/roles', '/api/v1/cases']) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(401);
      expect(response.json()).toMatchObject({ code: 'UNAUTHENTICATED', requestId: expect.any(String) });
    }
  });

  it('signs in with the right password and presents the abilities; the cookie is httpOnly and SameSite', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password: 'Guotu@2026' },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ user: { username: string; permissions: string[] }; csrfToken: string }>();
    expect(body.user.username).toBe('admin');
    expect(body.user.permissions).toContain('user.manage');
    const cookie = response.cookies.find((c) => c.name === 'guotu_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    const session = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      headers: { cookie: `guotu_session=${cookie?.value ?? ''}` },
    });
    expect(session.json<{ csrfToken: string }>().csrfToken).toBe(body.csrfToken);
  });

  it('answers the same 401 for an unknown user and a wrong password', async () => {
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'nobody', password: 'whatever1' },
    });
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'reviewer', password: 'wrong-password1' },
    });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json<{ message: string }>().message).toBe(wrong.json<{ message: string }>().message);
  });

  it('locks the account after the configured number of failures, even for the right password', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'geohazard', password: 'bad-password1' },
      });
      expect(r.statusCode).toBe(401);
    }
    const third = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'geohazard', password: 'bad-password1' },
    });
    expect(third.statusCode).toBe(423);
    const right = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'geohazard', password: 'Guotu@2026' },
    });
    expect(right.statusCode).toBe(423);
    expect(right.json()).toMatchObject({ code: 'ACCOUNT_LOCKED' });
  });

  it('rejects a state change without the CSRF header, and with a token of another session', async () => {
    const admin = await t.login('admin');
    const other = await t.login('supervisor');
    const payload = { parentId: 1, kind: 'office', name: '测试处' };
    const none = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orgs',
      headers: { cookie: admin.cookie },
      payload,
    });
    expect(none.statusCode).toBe(403);
    expect(none.json()).toMatchObject({ code: 'CSRF_REJECTED' });
    const foreign = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orgs',
      headers: { cookie: admin.cookie, 'x-csrf-token': other.csrf },
      payload,
    });
    expect(foreign.statusCode).toBe(403);
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/orgs', headers: admin.headers, payload });
    expect(ok.statusCode).toBe(201);
  });

  it('logs out: the cookie no longer opens anything', async () => {
    const s = await t.login('handler');
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: s.headers });
    expect(out.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: s.headers });
    expect(after.statusCode).toBe(401);
  });

  it('changes the password: checks the current one and the policy, ends other sessions', async () => {
    const first = await t.login('officehead');
    const second = await t.login('officehead');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: first.headers,
      payload: { currentPassword: 'nope-12345', newPassword: 'NewPass2026' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ details: [{ path: 'body.currentPassword' }] });
    const weak = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: first.headers,
      payload: { currentPassword: 'Guotu@2026', newPassword: 'short' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({ details: [{ path: 'body.newPassword' }] });
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: first.headers,
      payload: { currentPassword: 'Guotu@2026', newPassword: 'NewPass2026' },
    });
    expect(ok.statusCode).toBe(204);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: second.headers })).statusCode,
    ).toBe(401);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: first.headers })).statusCode,
    ).toBe(200);
    await expect(t.login('officehead', 'NewPass2026')).resolves.toBeTruthy();
  });

  it('answers malformed login bodies with 400 naming the field, never 500', async () => {
    const cases = [
      { payload: '{"username":', contentType: 'application/json' },
      { payload: JSON.stringify({ username: 'admin' }), contentType: 'application/json' },
      { payload: JSON.stringify({ username: 'admin', password: 'x', extra: true }), contentType: 'application/json' },
      { payload: JSON.stringify({ username: ['admin'], password: 'x' }), contentType: 'application/json' },
      { payload: 'username=admin', contentType: 'text/plain' },
    ];
    for (const c of cases) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: c.payload,
        headers: { 'content-type': c.contentType },
      });
      expect([400, 415], c.payload).toContain(r.statusCode);
      expect(r.json<{ code: string }>().code).toBe('VALIDATION_FAILED');
    }
    const missing = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin' } });
    expect(missing.json()).toMatchObject({ details: [{ path: 'body.password' }] });
  });
});

describe('login rate limit', () => {
  it('answers 429 after too many attempts from one address', async () => {
    const t = await createTestApp('pglite', { config: { LOGIN_RATE_LIMIT: '3' } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: 'nobody', password: 'whatever1' },
        });
        codes.push(r.statusCode);
      }
      expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
      expect(codes[3]).toBe(429);
    } finally {
      await t.close();
    }
  });
});
