import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../test/harness.ts';
import { multipartBody, pdfBytes } from '../blobs/test-files.ts';

interface Session {
  cookie: string;
  csrf: string;
  id: number;
}

describe.each(engines)('applicant accounts on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  }, 120_000);
  afterAll(async () => t.close());

  // each phone from its own address, so the per-IP limit is exercised only where a test means to
  const ipOf = (payload: object) => `10.0.0.${Number(String((payload as { phone?: string }).phone ?? '0').slice(-2))}`;
  const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/public/applicant${url}`,
      payload,
      headers,
      remoteAddress: ipOf(payload),
    });
  /** The code as the SMS carried it: read from the outbox (SMS_MODE=store). */
  const smsCode = async (phone: string) => {
    const row = await t.ctx.database.db
      .selectFrom('notification_outbox')
      .select(['body', 'channel'])
      .where('event', '=', 'applicant.login_code')
      .where('address', '=', phone)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(row.channel).toBe('sms');
    return /(\d{6})/.exec(row.body)?.[1] ?? '';
  };
  const signIn = async (phone: string): Promise<Session> => {
    expect((await post('/code', { phone })).statusCode).toBe(200);
    const response = await post('/login', { phone, code: await smsCode(phone) });
    expect(response.statusCode, response.body).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'guotu_applicant');
    const body = response.json<{ csrfToken: string; applicant: { id: number } }>();
    return { cookie: `guotu_applicant=${cookie?.value ?? ''}`, csrf: body.csrfToken, id: body.applicant.id };
  };

  it('signs in with the SMS code from the outbox; the first sign-in creates the account, the next finds it', async () => {
    const first = await signIn('13900000001');
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/public/applicant/me',
      headers: { cookie: first.cookie },
    });
    expect(me.json()).toMatchObject({
      applicant: { id: first.id, phone: '13900000001', kind: null, profileComplete: false },
    });
    const stored = await t.ctx.database.db
      .selectFrom('applicant_login_codes')
      .select(['code_hash', 'consumed_at'])
      .where('phone', '=', '13900000001')
      .executeTakeFirstOrThrow();
    expect(stored.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.consumed_at).not.toBeNull();
    // a used code does not work twice
    expect((await post('/login', { phone: '13900000001', code: await smsCode('13900000001') })).statusCode).toBe(401);
  });

  it('answers the same for a known and an unknown number, and limits codes per phone', async () => {
    // the known number asked a minute ago: move its earlier code back so the one-a-minute limit does not apply
    await t.ctx.database.db
      .updateTable('applicant_login_codes')
      .set({ created_at: new Date(Date.now() - 120_000) })
      .where('phone', '=', '13900000001')
      .execute();
    const known = await post('/code', { phone: '13900000001' });
    const unknown = await post('/code', { phone: '13900000099' });
    expect(known.statusCode).toBe(200);
    expect(unknown.statusCode).toBe(200);
    expect(known.json()).toEqual(unknown.json());
    const again = await post('/code', { phone: '13900000099' });
    expect(again.statusCode).toBe(429);
    expect(again.json<{ code: string }>().code).toBe('RATE_LIMITED');
    expect((await post('/code', { phone: '12345' })).statusCode).toBe(400);
  });

  it('kills a code after five wrong tries: the right code then fails too, with the same answer', async () => {
    const phone = '13900000002';
    expect((await post('/code', { phone })).statusCode).toBe(200);
    const code = await smsCode(phone);
    const wrong = code === '000000' ? '111111' : '000000';
    const answers = [];
    for (let i = 0; i < 5; i += 1) answers.push(await post('/login', { phone, code: wrong }));
    expect(answers.map((a) => a.statusCode)).toEqual([401, 401, 401, 401, 401]);
    const right = await post('/login', { phone, code });
    expect(right.statusCode).toBe(401);
    expect(right.json<{ message: string }>().message).toBe(answers[0]?.json<{ message: string }>().message);
    const never = await post('/login', { phone: '13900000077', code: '123456' });
    expect(never.json<{ code: string; message: string }>()).toMatchObject({
      code: 'INVALID_CREDENTIALS',
      message: right.json<{ message: string }>().message,
    });
  });

  it('refuses an expired code', async () => {
    const phone = '13900000003';
    expect((await post('/code', { phone })).statusCode).toBe(200);
    await t.ctx.database.db
      .updateTable('applicant_login_codes')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('phone', '=', phone)
      .execute();
    expect((await post('/login', { phone, code: await smsCode(phone) })).statusCode).toBe(401);
  });

  it('sets the profile with CSRF, checking the credit code and ID number check characters', async () => {
    const s = await signIn('13900000004');
    const put = (payload: object, csrf = s.csrf) =>
      t.app.inject({
        method: 'PUT',
        url: '/api/v1/public/applicant/me',
        headers: { cookie: s.cookie, 'x-csrf-token': csrf },
        payload,
      });
    expect(
      (await put({ kind: 'enterprise', name: '某某矿业有限公司', creditCode: '91350100M000100Y43' }, 'nope'))
        .statusCode,
    ).toBe(403);
    const bad = await put({ kind: 'enterprise', name: '某某矿业有限公司', creditCode: '91350100M000100Y44' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ details: Array<{ path: string }> }>().details[0]?.path).toBe('body.creditCode');
    const ok = await put({
      kind: 'enterprise',
      name: '某某矿业有限公司',
      creditCode: '91350100m000100y43',
      contactName: '张三',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ kind: 'enterprise', creditCode: '91350100M000100Y43', profileComplete: true });
    expect((await put({ kind: 'citizen', name: '张三', idNumber: '110105194912310021' })).statusCode).toBe(400);
    expect((await put({ kind: 'citizen', name: '张三', idNumber: '11010519491231002X' })).json()).toMatchObject({
      kind: 'citizen',
      idNumber: '11010519491231002X',
      creditCode: null,
    });
  });

  it('keeps applicant attachments to their uploader; staff sessions are not applicant sessions', async () => {
    const a = await signIn('13900000005');
    const b = await signIn('13900000006');
    const body = multipartBody([{ name: 'file', filename: '申请书.pdf', data: pdfBytes('applicant') }]);
    const sent = await t.app.inject({
      method: 'POST',
      url: '/api/v1/public/applicant/blobs',
      headers: { cookie: a.cookie, 'x-csrf-token': a.csrf, ...body.headers },
      payload: body.payload,
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const id = sent.json<{ id: number }>().id;
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1/public/applicant/blobs/${id}`,
          headers: { cookie: a.cookie },
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1/public/applicant/blobs/${id}`,
          headers: { cookie: b.cookie },
        })
      ).statusCode,
    ).toBe(404);
    const staff = await t.login('geohazard');
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/public/applicant/blobs/${id}`, headers: staff.headers }))
        .statusCode,
    ).toBe(401);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/public/applicant/blobs',
          headers: { cookie: a.cookie, ...body.headers },
          payload: body.payload,
        })
      ).statusCode,
    ).toBe(403);
  });

  it('limits code requests per IP address (429 after 10 a minute)', async () => {
    const statuses = [];
    for (let i = 10; i < 21; i += 1)
      statuses.push(
        (
          await t.app.inject({
            method: 'POST',
            url: '/api/v1/public/applicant/code',
            payload: { phone: `139000001${i}` },
            remoteAddress: '10.9.9.9',
          })
        ).statusCode,
      );
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it('ends the session at logout', async () => {
    const s = await signIn('13900000007');
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/public/applicant/logout',
          headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
        })
      ).statusCode,
    ).toBe(204);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/public/applicant/me', headers: { cookie: s.cookie } }))
        .statusCode,
    ).toBe(401);
  });
});
