import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toShanghaiDate } from '@guotu/domain';
import { parseCoordinateFile } from '@guotu/spatial';
import type { CaseDetail, CaseList } from '@guotu/contracts';
import { createTestApp, engines, type TestApp } from '../../test/harness.ts';
import { testdataDir } from '../../../../packages/spatial/test/testdata.ts';
import { verifyArchive } from '../modules/cases/archive-zip.ts';
import { listCases } from '../modules/cases/query-service.ts';
import { caseDepsOf } from '../modules/cases/wiring.ts';
import { staffSessions } from '../modules/cases/test-support.ts';
import {
  DEMO_APPLICANT_PHONE,
  demoCoordinates,
  demoTestdataDir,
  seedDemoCases,
  type DemoCasesResult,
} from './demo-cases.ts';

/**
 * The demo cases of a fresh `npm start` (README "Try a case"): made by the real services, so each
 * has its state, tier, clocks, documents, SMS and audit records; a second run adds nothing.
 */

const LAND = 'land-conversion-expropriation';

describe.each(engines)('demo cases on %s', (engine) => {
  let t: TestApp;
  let seeded: DemoCasesResult;
  let seedMs = 0;
  beforeAll(async () => {
    t = await createTestApp(engine);
    const started = performance.now();
    seeded = await seedDemoCases(t.ctx, { testdataDir });
    seedMs = performance.now() - started;
  }, 180_000);
  afterAll(async () => t.close());

  const headersOf = staffSessions(() => t);
  const get = async <T>(user: string, url: string): Promise<T> => {
    const r = await t.app.inject({ method: 'GET', url, headers: await headersOf(user) });
    expect(r.statusCode, r.body).toBe(200);
    return r.json<T>();
  };
  const byTitle = (title: string) => {
    const c = seeded.cases.find((x) => x.title === title);
    if (!c) throw new Error(`no demo case ${title}`);
    return c;
  };
  const detail = (user: string, title: string) => get<CaseDetail>(user, `/api/v1/cases/${byTitle(title).id}`);

  it('creates one case in each state, in seconds', () => {
    expect(seeded.skipped).toBe(false);
    expect(seeded.cases.map((c) => c.status)).toEqual([
      'draft',
      'submitted',
      'supplementRequested',
      'refused',
      'inReview',
      'inReview',
      'inReview',
      'decided',
      'issued',
      'archived',
    ]);
    // accepted cases have gapless numbers per accepting bureau
    expect(seeded.cases.filter((c) => c.caseNumber?.startsWith('420106-')).map((c) => c.caseNumber?.slice(-6))).toEqual(
      ['000001', '000002', '000003', '000004'],
    );
    console.log(`demo cases on ${engine}: ${Math.round(seedMs)} ms`);
    // the seed holds up the first start: a guard against a pathological slowdown, not a benchmark
    expect(seedMs).toBeLessThan(60_000);
  });

  it('the draft lists what is still missing; the parcel is read from the coordinate file', async () => {
    const d = await get<CaseDetail>('admin', `/api/v1/cases/${seeded.cases[0]?.id ?? 0}`);
    expect(d).toMatchObject({ status: 'draft', channel: 'online', applicantName: '武汉江城建设开发有限公司' });
    expect(d.problems.length).toBeGreaterThan(0);
    expect(d.problems.every((p) => p.code === 'MATERIAL_MISSING')).toBe(true);
    expect(d.parcel?.parcels).toHaveLength(5);
    expect(d.parcel?.errors).toEqual([]);
  });

  it('the county window has one to accept and one in 补正 with its paused clock and notice', async () => {
    const submitted = await detail('wuchang.window', '武昌区杨园街道社区卫生服务中心建设项目');
    expect(submitted.actions).toEqual(expect.arrayContaining(['accept', 'requestSupplement', 'refuse']));
    expect(submitted.clocks.map((k) => [k.purpose, k.state])).toEqual([['acceptance', 'normal']]);
    const supplement = await detail('wuchang.window', '武昌区南湖片区九年一贯制学校扩建项目');
    expect(supplement.status).toBe('supplementRequested');
    expect(supplement.clocks.find((k) => k.purpose === 'acceptance')?.state).toBe('paused');
    expect(supplement.documents.map((x) => x.kind)).toEqual(['supplementNotice']);
    expect(supplement.supplements[0]?.items.map((i) => i.materialKey)).toEqual(['surveyReport', 'preExpropriation']);
  });

  it('the provincial window refused the gas exploration with its reasons and 不予受理决定书', async () => {
    const d = await detail('window', '湖北省潜江凹陷东部天然气勘查');
    expect(d).toMatchObject({ status: 'refused', channel: 'window', caseNumber: null });
    expect(d.decisionReason).toContain('自然资源部');
    expect(d.documents.map((x) => x.kind)).toEqual(['refusalDecision']);
  });

  it('accepted cases sit at the county, the city (上报) and the province (特事特办), each with its open task', async () => {
    const county = await detail('wuchang.window', '武昌区东湖绿道驿站及配套设施项目');
    expect(county).toMatchObject({ status: 'inReview', tier: 'county', expedite: false });
    expect(county.tasks.map((x) => x.node)).toEqual(['countyReview']);
    expect(county.documents.map((x) => x.kind)).toEqual(['acceptanceNotice']);
    const city = await detail(
      'wuhan.handler',
      `武昌区${toShanghaiDate(new Date().toISOString()).slice(0, 4)}年度第3批次城市建设用地`,
    );
    expect(city).toMatchObject({ status: 'inReview', tier: 'city', currentOrgName: '武汉市自然资源和规划局' });
    expect(city.tasks.map((x) => x.node)).toEqual(['cityReview']);
    expect(city.events.map((e) => e.type)).toContain('submittedUp');
    expect(city.clocks.find((k) => k.purpose === 'tier:city')?.state).toBe('normal');
    const expedited = await detail('window', '武汉地铁12号线武昌段车辆段及综合基地项目');
    expect(expedited).toMatchObject({ status: 'inReview', tier: 'province', expedite: true });
    expect(expedited.expediteTracker).toBe('用地处承办人');
    expect(expedited.tasks.map((x) => x.node)).toEqual(['provinceAccept']);
    expect(expedited.clocks.map((k) => k.purpose)).toEqual(expect.arrayContaining(['expedite', 'statutory']));
    expect(expedited.events.map((e) => e.type)).toEqual(expect.arrayContaining(['expedited', 'forwarded']));
  });

  it('the decided, issued and archived cases carry their decision, 文号, documents and archive', async () => {
    const decided = await detail('window', '大冶市还地桥镇石灰石矿采矿权新立');
    expect(decided).toMatchObject({ status: 'decided', decision: 'approved' });
    expect(decided.tasks.map((x) => x.node)).toEqual(['issue']);
    const issued = await detail('window', '武昌区中北路综合管廊配套工程项目');
    expect(issued).toMatchObject({ status: 'issued', decision: 'approved', channel: 'online' });
    expect(issued.documentNumber).toMatch(/^鄂自然资批〔\d{4}〕\d+号$/);
    expect(issued.documents.map((x) => x.kind)).toEqual(['acceptanceNotice', 'approvalReply']);
    expect(issued.actions).toContain('archive');
    const archived = await detail('window', '阳新县富池石灰岩矿采矿权延续');
    expect(archived.status).toBe('archived');
    expect(archived.documents.map((x) => x.kind)).toEqual(['acceptanceNotice', 'approvalReply']);
    const zip = await t.app.inject({
      method: 'GET',
      url: `/api/v1/cases/${archived.id}/archive.zip`,
      headers: await headersOf('window'),
    });
    expect(zip.statusCode).toBe(200);
    expect(verifyArchive(new Uint8Array(zip.rawPayload)).ok).toBe(true);
  });

  it('each demo user sees their part: the county its own cases, the city what came up, the province all', async () => {
    const all = await get<CaseList>('window', '/api/v1/cases?limit=50');
    expect(all.total).toBe(10);
    const county = await get<CaseList>('wuchang.window', '/api/v1/cases?limit=50');
    expect(county.items.every((c) => c.matterCode === LAND)).toBe(true);
    expect(county.total).toBe(7);
    // the demo applicant's portal list: the online applications
    const deps = caseDepsOf(t.ctx);
    const mine = await listCases(
      deps,
      {
        kind: 'applicant',
        applicantId: (
          await deps.db
            .selectFrom('applicants')
            .select('id')
            .where('phone', '=', DEMO_APPLICANT_PHONE)
            .executeTakeFirstOrThrow()
        ).id,
        name: '',
        phone: DEMO_APPLICANT_PHONE,
        requestId: 'test',
      },
      {},
    );
    expect(mine.items.map((c) => c.status).sort()).toEqual(
      ['draft', 'submitted', 'supplementRequested', 'inReview', 'issued'].sort(),
    );
  });

  it('every step left its SMS in the outbox and its audit record', async () => {
    const db = t.ctx.database.db;
    const sms = await db
      .selectFrom('notification_outbox')
      .select(['event'])
      .where('address', '=', DEMO_APPLICANT_PHONE)
      .where('channel', '=', 'sms')
      .execute();
    expect(new Set(sms.map((m) => m.event))).toEqual(
      new Set([
        'applicant.login_code',
        'case.received',
        'case.supplement_requested',
        'case.accepted',
        'case.decided',
        'case.issued',
      ]),
    );
    const audit = await db
      .selectFrom('audit_log')
      .select(['action'])
      .where('entity_type', '=', 'case')
      .where('action', 'in', ['case.created', 'case.accepted', 'case.refused', 'case.archived'])
      .execute();
    expect(audit.filter((a) => a.action === 'case.created')).toHaveLength(10);
    expect(audit.filter((a) => a.action === 'case.accepted')).toHaveLength(6);
    expect(audit.filter((a) => a.action === 'case.refused')).toHaveLength(1);
    expect(audit.filter((a) => a.action === 'case.archived')).toHaveLength(1);
  });

  it('a second run adds nothing', async () => {
    const count = async (table: 'cases' | 'audit_log' | 'notification_outbox') =>
      Number(
        (
          await t.ctx.database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = [await count('cases'), await count('audit_log'), await count('notification_outbox')];
    expect(await seedDemoCases(t.ctx, { testdataDir })).toEqual({ skipped: true, cases: [] });
    expect([await count('cases'), await count('audit_log'), await count('notification_outbox')]).toEqual(before);
  });
});

describe('the demo coordinate file', () => {
  it('is the shared test file where the test data is found', () => {
    expect(demoTestdataDir()).toBe(testdataDir);
    expect(parseCoordinateFile(demoCoordinates(testdataDir)).parcels).toHaveLength(5);
  });

  it('is built in code, clean and 3 ha, where it is not', () => {
    const parsed = parseCoordinateFile(demoCoordinates('/nonexistent/testdata'));
    expect(parsed.errors).toEqual([]);
    expect(parsed.warnings).toEqual([]);
    expect(parsed.crs.epsg).toBe(4526);
    expect(parsed.parcels.map((p) => Math.round(p.areaM2))).toEqual([30_000]);
  });
});
