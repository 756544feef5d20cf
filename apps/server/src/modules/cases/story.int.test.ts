import { unzipSync } from 'fflate';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDetail, PublicProgress } from '@guotu/contracts';
import { createTestApp, engines, type TestApp } from '../../../test/harness.ts';
import { createLogger } from '../../platform/logger.ts';
import { multipartBody, pdfBytes } from '../blobs/test-files.ts';
import { registerNotificationWorkers, type NotificationWorkers } from '../notifications/jobs.ts';
import { smppTestConfig, startTestSmsc, TEST_SMPP, type TestSmsc } from '../notifications/test-support.ts';
import { verifyArchive } from './archive-zip.ts';
import { areaHa, coordinates, REQUIRED_PDFS, staffSessions } from './test-support.ts';

/**
 * Issue 6, done-when, through the API: an applicant applies online for 农用地转用和土地征收审批 with
 * a real coordinate file → the county window asks for a supplement → the applicant supplements →
 * accepted, with the SMS seen by a real SMSC on loopback → the county handles and submits up → the
 * city reviews and forwards → at the province two offices review in parallel, the lead office
 * consolidates, a leader approves → issued → archived; the public progress query shows each step;
 * the acceptance clock excludes the supplement time.
 */

const APPLICANT_PHONE = '13912340001';
const required = REQUIRED_PDFS;

describe.each(engines)('a land-conversion case from the portal to the archive on %s', (engine) => {
  let t: TestApp;
  let smsc: TestSmsc;
  let workers: NotificationWorkers;
  let applicant: { cookie: string; csrf: string };
  let caseId = 0;
  let caseNumber = '';
  let queryCode = '';
  // the form declares what the file computes, to four decimals of a hectare (1 m²)
  const declaredHa = areaHa;

  beforeAll(async () => {
    smsc = await startTestSmsc(TEST_SMPP);
    t = await createTestApp(engine, {
      jobs: true,
      config: smppTestConfig(smsc),
    });
    if (!t.ctx.jobs) throw new Error('jobs expected');
    workers = await registerNotificationWorkers(t.ctx.jobs, t.ctx, createLogger({ logLevel: 'silent' }));
  }, 180_000);
  afterAll(async () => {
    await workers.close();
    await t.close();
    await smsc.close();
  });

  const applicantCall = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({
      method,
      url: `/api/v1/public/applicant${url}`,
      headers: { cookie: applicant.cookie, 'x-csrf-token': applicant.csrf },
      ...(payload ? { payload } : {}),
    });
  const headersOf = staffSessions(() => t);
  const staffCall = async (user: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: await headersOf(user), ...(payload ? { payload } : {}) });
  const upload = async (materialKey: string, filename: string, data: Buffer) => {
    const body = multipartBody([{ name: 'file', filename, data }]);
    return t.app.inject({
      method: 'POST',
      url: `/api/v1/public/applicant/cases/${caseId}/materials?materialKey=${materialKey}`,
      headers: { ...body.headers, cookie: applicant.cookie, 'x-csrf-token': applicant.csrf },
      payload: body.payload,
    });
  };
  const detail = async () => (await applicantCall('GET', `/cases/${caseId}`)).json<CaseDetail>();
  const staffDetail = async (user: string) =>
    (await staffCall(user, 'GET', `/api/v1/cases/${caseId}`)).json<CaseDetail>();
  // the applicant's case messages, long texts joined from their parts (UDH 00 03 ref total seq);
  // the login code is not one of them
  const messagesTo = (phone: string) => {
    const out: Array<{ text: string }> = [];
    const parts = new Map<number, string[]>();
    for (const s of smsc.submits.filter((x) => x.destination === phone)) {
      if (s.udh === null) {
        out.push({ text: s.text });
        continue;
      }
      const [ref, total, seq] = [s.udh[2] ?? 0, s.udh[3] ?? 0, s.udh[4] ?? 0];
      const got = parts.get(ref) ?? [];
      got[seq - 1] = s.text;
      parts.set(ref, got);
      if (got.filter((x) => x !== undefined).length === total) out.push({ text: got.join('') });
    }
    return out.filter((m) => !m.text.includes('验证码'));
  };
  const waitForSms = async (phone: string, n: number) => {
    for (let i = 0; i < 300 && messagesTo(phone).length < n; i++) await new Promise((r) => setTimeout(r, 100));
    return messagesTo(phone);
  };
  /** Completes the one open task at `node` as `user`. */
  const complete = async (user: string, node: string, body: object = {}) => {
    const d = await staffDetail(user);
    const task = d.tasks.find((x) => x.node === node);
    expect(task, `open task ${node} in ${JSON.stringify(d.tasks)}`).toBeDefined();
    const r = await staffCall(user, 'POST', `/api/v1/workflow/tasks/${task?.id ?? ''}/complete`, body);
    expect(r.statusCode, r.body).toBe(200);
    return r;
  };

  it('the applicant signs in by SMS code and completes the profile', async () => {
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/public/applicant/code',
          payload: { phone: APPLICANT_PHONE },
        })
      ).statusCode,
    ).toBe(200);
    const outbox = await t.ctx.database.db
      .selectFrom('notification_outbox')
      .select('body')
      .where('event', '=', 'applicant.login_code')
      .where('address', '=', APPLICANT_PHONE)
      .executeTakeFirstOrThrow();
    const code = /(\d{6})/.exec(outbox.body)?.[1] ?? '';
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/public/applicant/login',
      payload: { phone: APPLICANT_PHONE, code },
    });
    expect(login.statusCode, login.body).toBe(200);
    applicant = {
      cookie: `guotu_applicant=${login.cookies.find((c) => c.name === 'guotu_applicant')?.value ?? ''}`,
      csrf: login.json<{ csrfToken: string }>().csrfToken,
    };
    // an application needs a complete profile
    expect(
      (await applicantCall('POST', '/cases', { matterCode: 'land-conversion-expropriation', divisionCode: '420106' }))
        .statusCode,
    ).toBe(400);
    const profile = await applicantCall('PUT', '/me', {
      kind: 'enterprise',
      name: '武汉某某置业有限公司',
      creditCode: '91350100M000100Y43',
    });
    expect(profile.statusCode, profile.body).toBe(200);
  });

  it('applies online: a draft at the 武昌区 bureau; every problem is listed before submission', async () => {
    const created = await applicantCall('POST', '/cases', {
      matterCode: 'land-conversion-expropriation',
      divisionCode: '420106',
      form: {
        projectName: '武昌区某某安置房项目',
        batchType: '单独选址建设项目',
        countyDivisionCode: '420106',
        totalArea: 2,
        agriculturalArea: 1,
        cultivatedArea: 0.5,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const draft = created.json<CaseDetail>();
    caseId = draft.id;
    expect(draft).toMatchObject({
      status: 'draft',
      channel: 'online',
      orgName: '武汉市武昌区自然资源和规划局',
      caseNumber: null,
    });
    const missing = draft.problems.filter((p) => p.code === 'MATERIAL_MISSING').map((p) => p.materialKey);
    expect(missing.sort()).toEqual([...required, 'boundaryCoordinates'].sort());
    // a file is judged by its content: a PNG is not accepted as the 呈报说明书
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const wrong = await upload('submissionStatement', 'statement.pdf', png);
    expect(wrong.statusCode, wrong.body).toBe(400);
    for (const key of required) expect((await upload(key, `${key}.pdf`, pdfBytes(key))).statusCode).toBe(201);
    expect((await upload('boundaryCoordinates', '界址点坐标.txt', coordinates)).statusCode).toBe(201);
    const withFile = await detail();
    expect(withFile.parcel?.parcels).toHaveLength(5);
    expect(withFile.parcel?.errors).toEqual([]);
    expect(withFile.analysis?.approvalAuthority).toBe('province');
    // the form says 2 ha, the file 1.6693 ha: one error on the form's area, nothing else
    expect(withFile.problems.map((p) => [p.code, p.path])).toEqual([['AREA_MISMATCH', 'form.totalArea']]);
    const refused = await applicantCall('POST', `/cases/${caseId}/submit`, { version: withFile.version });
    expect(refused.statusCode).toBe(400);
    expect(refused.json<{ details: Array<{ path: string }> }>().details.map((d) => d.path)).toEqual(['form.totalArea']);
    const fixed = await applicantCall('PUT', `/cases/${caseId}`, {
      version: withFile.version,
      form: { ...withFile.form, totalArea: declaredHa },
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json<CaseDetail>().problems).toEqual([]);
  });

  it('submits: received, the acceptance clock runs, the applicant gets the receipt SMS', async () => {
    const d = await detail();
    const submitted = await applicantCall('POST', `/cases/${caseId}/submit`, { version: d.version });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const c = submitted.json<{ case: CaseDetail }>().case;
    expect(c.status).toBe('submitted');
    expect(c.clocks.map((k) => [k.purpose, k.ruleKey, k.limit])).toEqual([['acceptance', 'licensing.acceptance', 5]]);
    const sms = await waitForSms(APPLICANT_PHONE, 1);
    expect(sms[0]?.text).toContain('收到');
    // the province's window does not see a county case in its queue as its own to accept
    const provinceView = await staffDetail('window');
    expect(provinceView.actions).not.toContain('accept');
  });

  it('the county window asks for a supplement: one list, a notice, the clock paused, an SMS', async () => {
    const d = await staffDetail('wuchang.window');
    expect(d.actions).toEqual(expect.arrayContaining(['accept', 'requestSupplement', 'refuse']));
    const r = await staffCall('wuchang.window', 'POST', `/api/v1/cases/${caseId}/request-supplement`, {
      version: d.version,
      items: [{ materialKey: 'surveyReport', message: '勘测定界图比例尺不清晰，请提供1:2000清晰图件' }],
    });
    expect(r.statusCode, r.body).toBe(200);
    const c = r.json<{ case: CaseDetail }>().case;
    expect(c.status).toBe('supplementRequested');
    expect(c.clocks.find((k) => k.purpose === 'acceptance')?.state).toBe('paused');
    expect(c.documents.map((x) => x.kind)).toEqual(['supplementNotice']);
    const sms = await waitForSms(APPLICANT_PHONE, 2);
    expect(sms[1]?.text).toContain('补正');
  });

  it('the applicant supplements into the same case and resubmits; the pause is closed', async () => {
    const d = await detail();
    expect(d.supplements[0]?.items).toEqual([
      { materialKey: 'surveyReport', message: '勘测定界图比例尺不清晰，请提供1:2000清晰图件' },
    ]);
    // five days pass while the applicant redraws the map: the pause covers them
    await t.ctx.database.db
      .updateTable('clocks')
      .set({
        pauses: sql`${JSON.stringify([
          {
            kind: 'supplement',
            from: new Date(Date.now() - 7 * 86_400_000).toISOString(),
            to: null,
            reason: '补正（第1次）',
          },
        ])}::jsonb`,
        started_at: new Date(Date.now() - 8 * 86_400_000),
      })
      .where('subject_type', '=', 'case')
      .where('purpose', '=', 'acceptance')
      .execute();
    expect((await upload('surveyReport', '勘测定界图-1比2000.pdf', pdfBytes('redrawn'))).statusCode).toBe(201);
    const again = await detail();
    expect(again.materials.find((m) => m.key === 'surveyReport')?.files.map((f) => f.round)).toEqual([0, 1]);
    const r = await applicantCall('POST', `/cases/${caseId}/submit`, { version: again.version });
    expect(r.statusCode, r.body).toBe(200);
    const c = r.json<{ case: CaseDetail }>().case;
    expect(c.status).toBe('submitted');
    const acceptance = c.clocks.find((k) => k.purpose === 'acceptance');
    expect(acceptance?.state).not.toBe('paused');
    // 8 days since receipt, 7 of them in the supplement: not overdue (without the pause it would be)
    expect(acceptance?.state).not.toBe('overdue');
    expect(acceptance?.pausedDays).toBeGreaterThanOrEqual(4);
  });

  it('the county window accepts: a gapless case number, a query code by SMS, 受理通知书, the process starts at the county', async () => {
    const d = await staffDetail('wuchang.window');
    const r = await staffCall('wuchang.window', 'POST', `/api/v1/cases/${caseId}/accept`, { version: d.version });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json<{ case: CaseDetail; queryCode: string }>();
    caseNumber = body.case.caseNumber ?? '';
    queryCode = body.queryCode;
    expect(caseNumber).toMatch(/^420106-\d{4}-000001$/);
    expect(queryCode).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
    expect(body.case).toMatchObject({
      status: 'inReview',
      tier: 'county',
      currentOrgName: '武汉市武昌区自然资源和规划局',
    });
    expect(body.case.tasks.map((x) => x.node)).toEqual(['countyReview']);
    expect(body.case.clocks.map((k) => k.purpose).sort()).toEqual(['acceptance', 'tier:county']);
    expect(body.case.documents.map((x) => x.kind)).toEqual(['supplementNotice', 'acceptanceNotice']);
    const sms = await waitForSms(APPLICANT_PHONE, 3);
    expect(sms[2]?.text).toContain(caseNumber);
    expect(sms[2]?.text).toContain(queryCode);
    // the notice is a PDF that the portal can verify
    const notice = body.case.documents[1];
    const pdf = await applicantCall('GET', `/cases/${caseId}/documents/${notice?.id ?? 0}`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const verified = await t.app.inject({
      method: 'GET',
      url: `/api/v1/public/documents/verify?code=${notice?.verificationCode ?? ''}`,
    });
    expect(verified.json()).toMatchObject({ valid: true, kind: 'acceptanceNotice', caseNumber });
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/public/documents/verify?code=ABCDEFGHJKMNPQRS' })).json(),
    ).toEqual({ valid: false });
  });

  it('the county submits up, the city returns once and then forwards; a clock per tier', async () => {
    await complete('wuchang.window', 'countyReview', { opinion: '经县局审查，材料齐全，同意上报' });
    let d = await staffDetail('wuhan.handler');
    expect(d).toMatchObject({ tier: 'city', currentOrgName: '武汉市自然资源和规划局' });
    expect(d.clocks.find((k) => k.purpose === 'tier:county')?.state).toBe('stopped');
    expect(d.clocks.find((k) => k.purpose === 'tier:city')?.limit).toBe(20);
    // 退回: back to the county, which opens its second tier clock
    const task = d.tasks.find((x) => x.node === 'cityReview');
    expect(
      (await staffCall('wuhan.handler', 'POST', `/api/v1/workflow/tasks/${task?.id ?? ''}/claim`)).statusCode,
    ).toBe(200);
    const returned = await staffCall('wuhan.handler', 'POST', `/api/v1/workflow/tasks/${task?.id ?? ''}/return`, {
      target: 'countyReview',
      opinion: '补充征地听证材料后重新上报',
    });
    expect(returned.statusCode, returned.body).toBe(200);
    d = await staffDetail('wuchang.window');
    expect(d.tier).toBe('county');
    expect(d.clocks.map((k) => k.purpose)).toContain('tier:county:2');
    await complete('wuchang.window', 'countyReview', { opinion: '已补充听证材料，重新上报' });
    await complete('wuhan.handler', 'cityReview', { opinion: '经市局审查，同意转报省厅' });
    d = await staffDetail('window');
    expect(d).toMatchObject({ tier: 'province', currentOrgName: '湖北省自然资源厅' });
    expect(d.clocks.find((k) => k.purpose === 'statutory')).toMatchObject({ ruleKey: 'licensing.decision', limit: 20 });
    expect(d.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['submittedUp', 'returned', 'returnedDown', 'forwarded']),
    );
  });

  it('at the province two offices review in parallel, the lead office consolidates, a rejection without reasons is refused, the leader approves', async () => {
    await complete('window', 'provinceAccept', { opinion: '省厅收件' });
    const d = await staffDetail('reviewer');
    expect(d.tasks.map((x) => x.node).sort()).toEqual(['reviewFarmland', 'reviewLandUse']);
    await complete('reviewer', 'reviewFarmland', { opinion: '不占用永久基本农田，耕地占补平衡已落实' });
    await complete('handler', 'reviewLandUse', { opinion: '符合国土空间规划和年度计划' });
    await complete('officehead', 'consolidate', { opinion: '综合耕保处、用地处意见，建议批准' });
    const approveTask = (await staffDetail('leader')).tasks.find((x) => x.node === 'approve');
    const noReason = await staffCall('leader', 'POST', `/api/v1/workflow/tasks/${approveTask?.id ?? ''}/complete`, {
      decision: 'reject',
    });
    expect(noReason.statusCode).toBe(400);
    expect((await staffDetail('leader')).status).toBe('inReview');
    await complete('leader', 'approve', { decision: 'approve', opinion: '同意' });
    const decided = await staffDetail('window');
    expect(decided).toMatchObject({ status: 'decided', decision: 'approved' });
    expect(decided.clocks.find((k) => k.purpose === 'statutory')?.state).toBe('stopped');
    expect(decided.clocks.find((k) => k.purpose === 'delivery')?.state).toBe('normal');
  });

  it('the window issues the reply with a document number; the applicant hears of decision and issuance', async () => {
    await complete('window', 'issue', { opinion: '已发文' });
    const d = await staffDetail('window');
    expect(d.status).toBe('issued');
    expect(d.documentNumber).toMatch(/^鄂自然资批〔\d{4}〕1号$/);
    expect(d.documents.map((x) => x.kind)).toContain('approvalReply');
    const sms = await waitForSms(APPLICANT_PHONE, 5);
    expect(sms.map((s) => s.text).join('|')).toContain(d.documentNumber ?? '-');
    expect(d.actions).toContain('archive');
  });

  it('archives: read-only, and the package holds every document, material and the history with their hashes', async () => {
    const d = await staffDetail('window');
    const r = await staffCall('window', 'POST', `/api/v1/cases/${caseId}/archive`, { version: d.version });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json<{ case: CaseDetail }>().case.status).toBe('archived');
    const zip = await staffCall('window', 'GET', `/api/v1/cases/${caseId}/archive.zip`);
    expect(zip.statusCode).toBe(200);
    const bytes = new Uint8Array(zip.rawPayload);
    expect(verifyArchive(bytes).ok).toBe(true);
    const names = Object.keys(unzipSync(bytes));
    expect(names).toEqual(
      expect.arrayContaining(['manifest.json', 'case.json', 'history.json', 'opinions.json', 'parcel.geojson']),
    );
    // 补正材料通知书, 受理通知书, 批复
    expect(names.filter((n) => n.startsWith('documents/'))).toHaveLength(3);
    expect(names.filter((n) => n.startsWith('materials/'))).toHaveLength(required.length + 2);
    // read-only: nothing more can be attached or submitted
    expect((await upload('planMap', 'late.pdf', pdfBytes('late'))).statusCode).toBe(409);
  });

  it('the public progress query shows every step; a wrong number and a wrong code get the same answer', async () => {
    const q = (caseNo: string, code: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/public/progress',
        payload: { caseNumber: caseNo, queryCode: code },
        remoteAddress: '10.9.9.9',
      });
    const ok = await q(caseNumber, queryCode.toLowerCase());
    expect(ok.statusCode, ok.body).toBe(200);
    const p = ok.json<PublicProgress>();
    expect(p.steps.map((s) => s.name)).toEqual([
      '收件',
      '补正告知',
      '补正材料已提交',
      '受理',
      '县局审查上报',
      '市局审查转报',
      '县局审查上报',
      '市局审查转报',
      '省厅窗口受理',
      '耕地保护处审查',
      '用地处审查',
      '用地处汇总意见',
      '厅领导审批',
      '窗口发文',
      '发文',
      '归档',
    ]);
    expect(p.steps.find((s) => s.name === '市局审查转报')?.orgName).toBe('武汉市自然资源和规划局');
    expect(p).toMatchObject({ status: 'archived', decision: 'approved' });
    const wrongCode = await q(caseNumber, 'AAAAAAAA');
    const wrongNumber = await q('420106-2026-999999', queryCode);
    expect(wrongCode.statusCode).toBe(404);
    expect(wrongNumber.statusCode).toBe(404);
    expect(wrongCode.json<{ message: string }>().message).toBe(wrongNumber.json<{ message: string }>().message);
    for (let i = 0; i < 10; i++) await q(caseNumber, 'BBBBBBBB');
    expect((await q(caseNumber, queryCode)).statusCode).toBe(429);
  });

  it('the provincial supervision feed carries the case events in order, with the case number', async () => {
    const feed = await staffCall('supervisor', 'GET', '/api/v1/feed?after=0&limit=500');
    expect(feed.statusCode, feed.body).toBe(200);
    const events = feed
      .json<{ events: Array<{ type: string; caseNumber?: string | null }> }>()
      .events.filter((e) => e.type.startsWith('case.') && e.type !== 'case.started' && e.type !== 'case.completed');
    expect(events.map((e) => e.type)).toEqual([
      'case.applied',
      'case.supplementRequested',
      'case.supplemented',
      'case.accepted',
      'case.submittedUp',
      'case.returnedDown',
      'case.submittedUp',
      'case.forwarded',
      'case.decided',
      'case.issued',
      'case.archived',
    ]);
    expect(events.slice(3).every((e) => e.caseNumber === caseNumber)).toBe(true);
  });
});
