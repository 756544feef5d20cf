import { spawnSync } from 'node:child_process';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDetail, CaseList } from '@guotu/contracts';
import { createTestApp, engines, type TestApp } from '../../../test/harness.ts';
import { multipartBody, pdfBytes } from '../blobs/test-files.ts';
import { getCurrentMatterVersion } from '../matters/service.ts';
import { acceptCase, acceptOverdueSubmissions } from './acceptance-service.ts';
import { submitCase } from './intake-service.ts';
import { coordinates, landConversionForm, REQUIRED_PDFS, staffParty, staffSessions } from './test-support.ts';
import { caseDepsOf } from './wiring.ts';

const hasPdftotext = spawnSync('pdftotext', ['-v']).error === undefined;

/**
 * The window's side of cases and the rules around acceptance: window intake with a ZIP package,
 * refusal, the applicant's SMS under the case's bureau, acceptance with a deadline beyond the
 * calendar, gapless case numbers under concurrency, acceptance by the law's default, 特事特办,
 * the caller's scope.
 */

const form = landConversionForm('窗口代办测试项目');
const required = REQUIRED_PDFS;

describe.each(engines)('cases at the window on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  }, 120_000);
  afterAll(async () => t.close());

  const headersOf = staffSessions(() => t);
  const call = async (user: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: await headersOf(user), ...(payload ? { payload } : {}) });
  const detail = async (user: string, id: number) =>
    (await call(user, 'GET', `/api/v1/cases/${id}`)).json<CaseDetail>();

  /** A complete window intake at 武昌区 from one ZIP package; returns the submitted case. */
  const submittedCase = async (title: string): Promise<CaseDetail> => {
    const created = await call('wuchang.window', 'POST', '/api/v1/cases', {
      matterCode: 'land-conversion-expropriation',
      divisionCode: '420106',
      applicant: { name: '武昌区某街道办事处', phone: '13912340099' },
      form: { ...form, projectName: title },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<CaseDetail>().id;
    const zip = zipSync({
      ...Object.fromEntries(required.map((k) => [`${k}/${k}.pdf`, new Uint8Array(pdfBytes(k))])),
      // placed by content, whatever its name
      'data/jzd.txt': new Uint8Array(coordinates),
      'readme.txt': new TextEncoder().encode('说明'),
    });
    const body = multipartBody([{ name: 'file', filename: 'package.zip', data: Buffer.from(zip) }]);
    const pkg = await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${id}/package`,
      headers: { ...(await headersOf('wuchang.window')), ...body.headers },
      payload: body.payload,
    });
    expect(pkg.statusCode, pkg.body).toBe(201);
    const report = pkg.json<{
      case: CaseDetail;
      placed: Array<{ materialKey: string }>;
      unplaced: Array<{ entry: string }>;
    }>();
    expect(report.placed.map((p) => p.materialKey).sort()).toEqual([...required, 'boundaryCoordinates'].sort());
    expect(report.unplaced.map((u) => u.entry)).toEqual(['readme.txt']);
    expect(report.case.problems).toEqual([]);
    const submitted = await call('wuchang.window', 'POST', `/api/v1/cases/${id}/submit`, {
      version: report.case.version,
    });
    expect(submitted.statusCode, submitted.body).toBe(200);
    return submitted.json<{ case: CaseDetail }>().case;
  };

  it('takes in an application on an applicant’s behalf from one ZIP package', async () => {
    const c = await submittedCase('窗口代办一');
    expect(c).toMatchObject({ status: 'submitted', channel: 'window', applicantName: '武昌区某街道办事处' });
    expect(c.parcel?.parcels).toHaveLength(5);
  });

  it('refuses with reasons only, and issues a 不予受理决定书', async () => {
    const c = await submittedCase('不予受理');
    const noReason = await call('wuchang.window', 'POST', `/api/v1/cases/${c.id}/refuse`, {
      version: c.version,
      reason: ' ',
    });
    expect(noReason.statusCode).toBe(400);
    expect((await detail('wuchang.window', c.id)).status).toBe('submitted');
    const r = await call('wuchang.window', 'POST', `/api/v1/cases/${c.id}/refuse`, {
      version: c.version,
      reason: '拟用地位于生态保护红线内，不属于本机关受理范围',
    });
    expect(r.statusCode, r.body).toBe(200);
    const refused = r.json<{ case: CaseDetail }>().case;
    expect(refused.status).toBe('refused');
    expect(refused.documents.map((d) => d.kind)).toEqual(['refusalDecision']);
    expect(refused.clocks.find((k) => k.purpose === 'acceptance')?.state).toBe('stopped');
    // a stale version is a conflict, not a second refusal
    expect(
      (await call('wuchang.window', 'POST', `/api/v1/cases/${c.id}/accept`, { version: c.version })).statusCode,
    ).toBe(409);
  });

  it('records the applicant’s SMS under the county bureau the case was applied to (the outbox is org-scoped)', async () => {
    const c = await submittedCase('短信归属');
    const r = await call('wuchang.window', 'POST', `/api/v1/cases/${c.id}/refuse`, {
      version: c.version,
      reason: '申请材料不属于本机关受理范围',
    });
    expect(r.statusCode, r.body).toBe(200);
    const db = t.ctx.database.db;
    const wuchang = await db
      .selectFrom('org_units')
      .select('id')
      .where('division_code', '=', '420106')
      .executeTakeFirstOrThrow();
    const rows = await db
      .selectFrom('notification_outbox')
      .select(['event', 'channel', 'address', 'org_id'])
      .where((eb) =>
        eb.or([
          eb('idempotency_key', 'like', `case.received:${c.id}|%`),
          eb('idempotency_key', 'like', `case.refused:${c.id}|%`),
        ]),
      )
      .orderBy('id')
      .execute();
    // a phone-only recipient has no unit: without the case's, only the province admin saw these
    expect(rows).toEqual([
      { event: 'case.received', channel: 'sms', address: '13912340099', org_id: wuchang.id },
      { event: 'case.refused', channel: 'sms', address: '13912340099', org_id: wuchang.id },
    ]);
  });

  it('accepts a case whose deadline falls in a year without a holiday notice: no date on the notice, 待定 in the SMS', async () => {
    // late November of the last year with a State Council notice (a fixed clock, whatever today
    // is): 40 working days (采矿权登记) run into the next year, whose working days are not known yet
    const db = t.ctx.database.db;
    const { last } = await db
      .selectFrom('calendar_years')
      .select((eb) => eb.fn.max('year').as('last'))
      .executeTakeFirstOrThrow();
    const at = new Date(`${last}-11-25T02:00:00Z`); // 10:00 in Shanghai
    const deps = { ...caseDepsOf(t.ctx), now: () => at };
    const created = await call('window', 'POST', '/api/v1/cases', {
      matterCode: 'mining-licence-new',
      applicant: { name: '大冶市某矿业有限公司', phone: '13912340097' },
      form: { mineName: '大冶市某石灰石矿', mineral: '水泥用灰岩', method: '露天开采', area: 0.42, scale: 30 },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<CaseDetail>().id;
    const { spec } = await getCurrentMatterVersion(db, 'mining-licence-new');
    const keys = spec.materials.filter((m) => m.required).map((m) => m.key);
    const zip = zipSync(Object.fromEntries(keys.map((k) => [`${k}/${k}.pdf`, new Uint8Array(pdfBytes(k))])));
    const body = multipartBody([{ name: 'file', filename: 'package.zip', data: Buffer.from(zip) }]);
    const pkg = await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${id}/package`,
      headers: { ...(await headersOf('window')), ...body.headers },
      payload: body.payload,
    });
    expect(pkg.statusCode, pkg.body).toBe(201);
    const clerk = await staffParty(t, 'window');
    await submitCase(deps, clerk, id, (await detail('window', id)).version);
    await acceptCase(deps, clerk, id, { version: (await detail('window', id)).version });

    const accepted = await detail('window', id);
    expect(accepted.status).toBe('inReview');
    const statutory = await db
      .selectFrom('clocks')
      .select(['limit_value', 'due_date', 'due_problem'])
      .where('subject_type', '=', 'case')
      .where('subject_id', '=', String(id))
      .where('purpose', '=', 'statutory')
      .executeTakeFirstOrThrow();
    expect(statutory).toEqual({ limit_value: 40, due_date: null, due_problem: 'calendarNotCovered' });
    const notice = accepted.documents.find((d) => d.kind === 'acceptanceNotice');
    expect(notice).toBeDefined();
    if (hasPdftotext && notice) {
      const pdf = await call('window', 'GET', `/api/v1/cases/${id}/documents/${notice.id}`);
      expect(pdf.statusCode).toBe(200);
      const text = spawnSync('pdftotext', ['-', '-'], { input: pdf.rawPayload, encoding: 'utf8' }).stdout;
      expect(text.replace(/\s+/g, '')).toContain(accepted.caseNumber ?? '?');
      expect(text).not.toContain('预计办结');
    }
    const sms = await db
      .selectFrom('notification_outbox')
      .select('body')
      .where('idempotency_key', 'like', `case.accepted:${id}|sms|%`)
      .executeTakeFirstOrThrow();
    expect(sms.body).toContain('预计待定前办结');
  });

  it('numbers cases without gaps or duplicates when two windows accept at once', async () => {
    const a = await submittedCase('并发一');
    const b = await submittedCase('并发二');
    const before = (await call('wuchang.window', 'GET', '/api/v1/cases?q=420106-')).json<CaseList>().total;
    const [ra, rb] = await Promise.all([
      call('wuchang.window', 'POST', `/api/v1/cases/${a.id}/accept`, { version: a.version }),
      call('wuchang.window', 'POST', `/api/v1/cases/${b.id}/accept`, { version: b.version }),
    ]);
    expect([ra.statusCode, rb.statusCode]).toEqual([200, 200]);
    const numbers = [ra, rb].map((r) => r.json<{ case: CaseDetail }>().case.caseNumber ?? '');
    const seqs = numbers.map((n) => Number(n.slice(-6))).sort((x, y) => x - y);
    expect(seqs).toEqual([before + 1, before + 2]);
    // a failed acceptance (wrong version) gives its number back: the next one follows on
    const c = await submittedCase('并发三');
    expect(
      (await call('wuchang.window', 'POST', `/api/v1/cases/${c.id}/accept`, { version: c.version + 5 })).statusCode,
    ).toBe(409);
    const ok = await call('wuchang.window', 'POST', `/api/v1/cases/${c.id}/accept`, { version: c.version });
    expect(Number(ok.json<{ case: CaseDetail }>().case.caseNumber?.slice(-6))).toBe(before + 3);
  });

  it('accepts by the law’s default when nobody decided within the acceptance limit (行政许可法 §32)', async () => {
    const c = await submittedCase('逾期未受理');
    // received ten days ago: the 5-working-day acceptance limit has run out
    const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);
    await t.ctx.database.db.updateTable('cases').set({ received_at: tenDaysAgo }).where('id', '=', c.id).execute();
    await t.ctx.database.db
      .updateTable('clocks')
      .set({ started_at: tenDaysAgo, due_at: new Date(Date.now() - 86_400_000) })
      .where('subject_type', '=', 'case')
      .where('subject_id', '=', String(c.id))
      .where('purpose', '=', 'acceptance')
      .execute();
    expect(await acceptOverdueSubmissions(caseDepsOf(t.ctx))).toBe(1);
    expect(await acceptOverdueSubmissions(caseDepsOf(t.ctx))).toBe(0);
    const d = await detail('wuchang.window', c.id);
    expect(d).toMatchObject({ status: 'inReview', acceptedByDefault: true });
    expect(d.acceptedAt).toBe(tenDaysAgo.toISOString());
    expect(d.events.map((e) => e.type)).toContain('acceptedByDefault');
    expect(d.tasks.map((x) => x.node)).toEqual(['countyReview']);
    // the list flags it
    const list = (
      await call('wuchang.window', 'GET', `/api/v1/cases?q=${encodeURIComponent('逾期未受理')}`)
    ).json<CaseList>();
    expect(list.items[0]?.acceptedByDefault).toBe(true);
  });

  it('特事特办: a named tracker and the 7-working-day promised limit, visible in the list', async () => {
    const c = await submittedCase('重点项目');
    // the county window picks the tracker among its own staff and the department's offices
    const candidates = (await call('wuchang.window', 'GET', '/api/v1/cases/trackers?q=处长')).json<{
      items: Array<{ username: string }>;
    }>();
    expect(candidates.items.map((u) => u.username)).toEqual(['officehead']);
    const mine = (await call('wuchang.window', 'GET', '/api/v1/cases/trackers')).json<{
      items: Array<{ username: string }>;
    }>();
    expect(mine.items.map((u) => u.username)).toContain('wuchang.window');
    expect(mine.items.map((u) => u.username)).not.toContain('wuhan.handler');
    expect((await call('reviewer', 'GET', '/api/v1/cases/trackers')).statusCode).toBe(403);
    const tracker = await t.ctx.database.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'officehead')
      .executeTakeFirstOrThrow();
    const r = await call('wuchang.window', 'POST', `/api/v1/cases/${c.id}/accept`, {
      version: c.version,
      expediteTrackerId: tracker.id,
    });
    expect(r.statusCode, r.body).toBe(200);
    const d = r.json<{ case: CaseDetail }>().case;
    expect(d).toMatchObject({ expedite: true, expediteTracker: '用地处处长' });
    expect(d.clocks.find((k) => k.purpose === 'expedite')).toMatchObject({ ruleKey: 'promised.keyProject', limit: 7 });
    const list = (await call('window', 'GET', '/api/v1/cases?expedite=true')).json<CaseList>();
    expect(list.items.map((i) => i.id)).toContain(c.id);
  });

  it('keeps cases inside the caller’s bureau: another county does not see them, the city and province do', async () => {
    const c = await submittedCase('范围');
    // a clerk of another county (汉阳区 420105)
    const hanyang = await t.ctx.database.db
      .selectFrom('org_units')
      .select('id')
      .where('division_code', '=', '420105')
      .executeTakeFirstOrThrow();
    const add = await call('admin', 'POST', '/api/v1/users', {
      username: 'hanyang.window',
      displayName: '汉阳区窗口',
      password: 'Hanyang@2026x',
      orgId: hanyang.id,
      roles: ['window_clerk'],
    });
    expect(add.statusCode, add.body).toBeLessThan(300);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1/cases/${c.id}`,
          headers: (await t.login('hanyang.window', 'Hanyang@2026x')).headers,
        })
      ).statusCode,
    ).toBe(404);
    expect((await call('wuhan.handler', 'GET', `/api/v1/cases/${c.id}`)).statusCode).toBe(200);
    expect((await call('supervisor', 'GET', `/api/v1/cases/${c.id}`)).statusCode).toBe(200);
    // the province window sees it but cannot accept a county's application
    const asProvince = await call('window', 'POST', `/api/v1/cases/${c.id}/accept`, { version: c.version });
    expect(asProvince.statusCode).toBe(403);
  });

  it('refuses bad input with the field named and changes nothing', async () => {
    const noCounty = await call('wuchang.window', 'POST', '/api/v1/cases', {
      matterCode: 'land-conversion-expropriation',
      applicant: { name: '某', phone: '13912340098' },
    });
    expect(noCounty.statusCode).toBe(400);
    expect(noCounty.json<{ details: Array<{ path: string }> }>().details[0]?.path).toBe('body.divisionCode');
    const unknown = await call('wuchang.window', 'POST', '/api/v1/cases', {
      matterCode: 'no-such-matter',
      applicant: { name: '某', phone: '13912340098' },
    });
    expect(unknown.json<{ details: Array<{ path: string }> }>().details[0]?.path).toBe('body.matterCode');
    const c = await submittedCase('补正为空');
    const empty = await call('wuchang.window', 'POST', `/api/v1/cases/${c.id}/request-supplement`, {
      version: c.version,
      items: [],
    });
    expect(empty.statusCode).toBe(400);
    const badKey = await call('wuchang.window', 'POST', `/api/v1/cases/${c.id}/request-supplement`, {
      version: c.version,
      items: [{ materialKey: 'nope', message: '缺' }],
    });
    expect(badKey.json<{ details: Array<{ path: string }> }>().details[0]?.path).toBe('body.items.0.materialKey');
    const after = await detail('wuchang.window', c.id);
    expect(after.status).toBe('submitted');
    expect(after.supplements).toEqual([]);
    expect(after.documents).toEqual([]);
  });
});
