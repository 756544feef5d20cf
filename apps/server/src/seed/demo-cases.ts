import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { AppError, toShanghaiDate } from '@guotu/domain';
import { parseCoordinateFile } from '@guotu/spatial';
import type { CaseStatus, TaskOperationRequest } from '@guotu/contracts';
import type { AppContext } from '../http/context.ts';
import {
  loginWithCode,
  logoutApplicant,
  requestLoginCode,
  updateApplicantProfile,
  type ApplicantDeps,
  type ProfileInput,
} from '../modules/applicants/service.ts';
import { permissionsOf } from '../modules/auth/service.ts';
import { acceptCase, expediteCase, refuseCase, requestSupplement } from '../modules/cases/acceptance-service.ts';
import { archiveCase } from '../modules/cases/archive-service.ts';
import type { CaseDeps, CaseParty } from '../modules/cases/context.ts';
import { createCase, importPackage, submitCase } from '../modules/cases/intake-service.ts';
import * as caseRepo from '../modules/cases/repository.ts';
import { caseDepsOf } from '../modules/cases/wiring.ts';
import { getCurrentMatterVersion } from '../modules/matters/service.ts';
import { listOutbox } from '../modules/notifications/admin-service.ts';
import { findUserByUsername, findUserInScope } from '../modules/users/repository.ts';
import { operateTask } from '../modules/workflow/service.ts';

/**
 * Demo cases for a fresh embedded database (README "Try a case"): ten applications in the states
 * a case goes through, each made by the real services in the order people would — the demo
 * applicant signs in with an SMS code and applies online, the windows take in, accept, ask for
 * supplements and refuse, the workflow's tasks are completed by the demo users — so every case has
 * its clocks, events, documents (PDF), SMS in the outbox and audit records. Dated now: the clocks
 * run from the day of the first start. Never run on a database that already has a case.
 */

const REQUEST_ID = 'demo-cases-seed';

/** The portal's demo applicant (README): sign in with this number, the code is in the outbox. */
export const DEMO_APPLICANT_PHONE = '13800000020';
const demoApplicantProfile: ProfileInput = {
  kind: 'enterprise',
  name: '武汉江城建设开发有限公司',
  creditCode: '91420106MA4KXR7D6C',
  contactName: '张建华',
};

const LAND = 'land-conversion-expropriation';
const WUCHANG = '420106';

/** Who files: the demo applicant online, or a window clerk on an applicant's behalf. */
type Filer = { online: true } | { online: false; clerk: string; applicant: { name: string; phone: string } };

/** A workflow step: its node, who completes it, with what. */
type Step = [node: string, username: string, body: TaskOperationRequest];

// 农用地转用和土地征收审批: county → city → province (docs/cases.md § Remote submission)
const landSteps: Step[] = [
  ['countyReview', 'wuchang.window', { opinion: '经县局审查，用地符合国土空间规划，材料齐全，同意上报' }],
  ['cityReview', 'wuhan.handler', { opinion: '经市局审查，同意转报省厅' }],
  ['provinceAccept', 'window', { opinion: '省厅收件，材料齐全' }],
  ['reviewFarmland', 'reviewer', { opinion: '不占用永久基本农田，耕地占补平衡已落实' }],
  ['reviewLandUse', 'handler', { opinion: '符合国土空间规划和年度土地利用计划，用地规模符合标准' }],
  ['consolidate', 'officehead', { opinion: '综合耕地保护处、用地处意见，建议批准' }],
  [
    'approve',
    'leader',
    {
      decision: 'approve',
      opinion: '经审查，该项目用地符合国土空间规划和年度土地利用计划，补充耕地已落实，同意农用地转用和土地征收。',
    },
  ],
  ['issue', 'window', { opinion: '已发文' }],
];

// 矿业权登记: 矿业权管理处审查 → 处长审核 → 厅领导审批 → 窗口发证, all at the department
const mineralSteps: Step[] = [
  ['review', 'handler', { opinion: '矿区范围无争议，开发利用方案符合要求' }],
  ['check', 'officehead', { opinion: '同意审查意见' }],
  ['approve', 'leader', { decision: 'approve', opinion: '经审查，同意登记，有效期按申请核定。' }],
  ['issue', 'window', { opinion: '已发证' }],
];

type Stage =
  | { to: 'draft' }
  | { to: 'submitted' }
  | { to: 'supplementRequested'; items: Array<{ materialKey: string; message: string }> }
  | { to: 'refused'; reason: string }
  | { to: 'review'; steps: Step[]; expedite?: { tracker: string; reason: string } }
  | { to: 'archived'; steps: Step[] };

interface DemoCase {
  matterCode: string;
  /** default: the form's project name */
  title?: string;
  divisionCode?: string;
  form: Record<string, unknown>;
  filer: Filer;
  stage: Stage;
  /** who accepts, requests the supplement or refuses (the receiving bureau's window) */
  window: string;
}

function landForm(projectName: string, areaHa: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    projectName,
    batchType: '单独选址建设项目',
    countyDivisionCode: WUCHANG,
    totalArea: areaHa,
    agriculturalArea: Number((areaHa * 0.6).toFixed(4)),
    cultivatedArea: Number((areaHa * 0.3).toFixed(4)),
    landUse: '公共管理与公共服务用地',
    ...extra,
  };
}

function demoCases(areaHa: number, year: string): DemoCase[] {
  const online: Filer = { online: true };
  const byWuchang = (name: string, phone: string): Filer => ({
    online: false,
    clerk: 'wuchang.window',
    applicant: { name, phone },
  });
  const byProvince = (name: string, phone: string): Filer => ({
    online: false,
    clerk: 'window',
    applicant: { name, phone },
  });
  const land = (projectName: string, filer: Filer, stage: Stage, extra: Record<string, unknown> = {}): DemoCase => ({
    matterCode: LAND,
    divisionCode: WUCHANG,
    form: landForm(projectName, areaHa, extra),
    filer,
    stage,
    window: 'wuchang.window',
  });
  return [
    land('武昌区白沙洲农产品物流园配套道路项目', online, { to: 'draft' }),
    land('武昌区杨园街道社区卫生服务中心建设项目', online, { to: 'submitted' }),
    land('武昌区南湖片区九年一贯制学校扩建项目', online, {
      to: 'supplementRequested',
      items: [
        { materialKey: 'surveyReport', message: '勘测定界图比例尺不清晰，请提供1:2000清晰图件' },
        { materialKey: 'preExpropriation', message: '缺少征地补偿安置听证笔录' },
      ],
    }),
    {
      matterCode: 'exploration-right-new',
      form: { projectName: '湖北省潜江凹陷东部天然气勘查', mineral: '天然气', area: 46.5, stage: '普查' },
      filer: byProvince('湖北荆楚能源勘查有限公司', '13800000021'),
      stage: {
        to: 'refused',
        reason:
          '申请勘查的矿种为天然气，依照《矿产资源勘查区块登记管理办法》第四条及其附录由国务院自然资源主管部门审批登记，不属于本机关受理范围；请向自然资源部提出申请。',
      },
      window: 'window',
    },
    land('武昌区东湖绿道驿站及配套设施项目', online, { to: 'review', steps: [] }),
    land(
      `武昌区${year}年度第3批次城市建设用地`,
      byWuchang('武汉市武昌区土地整理储备中心', '13800000022'),
      { to: 'review', steps: landSteps.slice(0, 1) },
      { batchType: '城市批次建设用地', landUse: '城镇住宅用地' },
    ),
    land(
      '武汉地铁12号线武昌段车辆段及综合基地项目',
      byWuchang('武汉地铁集团有限公司', '13800000023'),
      {
        to: 'review',
        steps: landSteps.slice(0, 2),
        expedite: { tracker: 'handler', reason: '省市重点建设项目，列入年度重大项目清单，省市县联动特事特办' },
      },
      { keyProject: true, landUse: '交通运输用地' },
    ),
    {
      matterCode: 'mining-licence-new',
      title: '大冶市还地桥镇石灰石矿采矿权新立',
      form: { mineName: '大冶市还地桥镇石灰石矿', mineral: '水泥用灰岩', method: '露天开采', area: 0.42, scale: 30 },
      filer: byProvince('大冶市华新建材矿业有限公司', '13800000024'),
      stage: { to: 'review', steps: mineralSteps.slice(0, 3) },
      window: 'window',
    },
    land('武昌区中北路综合管廊配套工程项目', online, { to: 'review', steps: landSteps }),
    {
      matterCode: 'mining-licence-renewal',
      title: '阳新县富池石灰岩矿采矿权延续',
      form: { licenceNumber: 'C4200002011037130110456', years: 5 },
      filer: byProvince('阳新县富池建材有限公司', '13800000025'),
      stage: { to: 'archived', steps: mineralSteps },
      window: 'window',
    },
  ];
}

// ---- the parties ------------------------------------------------------------------------------

type StaffParty = CaseParty & { kind: 'staff' };
type ApplicantParty = CaseParty & { kind: 'applicant' };

/** A demo user as the auth hook would present them (roles → permissions, unit and its path). */
function staffOf(ctx: AppContext): (username: string) => Promise<StaffParty> {
  const known = new Map<string, StaffParty>();
  return async (username) => {
    const cached = known.get(username);
    if (cached) return cached;
    const ref = await findUserByUsername(ctx.database.db, username);
    const user = ref ? await findUserInScope(ctx.database.db, ref.id, '/') : undefined;
    if (!user)
      throw new AppError('INVALID_STATE', `demo user ${username} is missing: seed the demo organisation first`);
    const party: StaffParty = {
      kind: 'staff',
      actor: {
        userId: user.id,
        username: user.username,
        roles: user.roles,
        permissions: permissionsOf(user.roles),
        orgId: user.orgId,
        orgPath: user.orgPath,
        requestId: REQUEST_ID,
      },
    };
    known.set(username, party);
    return party;
  };
}

/**
 * The demo applicant signs in as anyone does on the portal: a code by SMS (read from the outbox,
 * as README tells a person to), the profile, sign-out. The account is what the portal shows later.
 */
async function demoApplicant(ctx: AppContext, admin: StaffParty): Promise<ApplicantParty> {
  const deps: ApplicantDeps = {
    db: ctx.database.db,
    sessionSecret: ctx.config.sessionSecret,
    sessionTtlHours: ctx.config.sessionTtlHours,
    now: () => new Date(),
    notify: ctx,
  };
  const phone = DEMO_APPLICANT_PHONE;
  await requestLoginCode(deps, { phone, ip: null, requestId: REQUEST_ID });
  const outbox = await listOutbox(ctx.database.db, admin.actor, { channel: 'sms', event: 'applicant.login_code' });
  const code = /\d{6}/.exec(outbox.items.find((m) => m.address === phone)?.body ?? '')?.[0];
  if (!code) throw new AppError('INTERNAL', 'the demo applicant’s login code is not in the outbox');
  const login = await loginWithCode(deps, {
    phone,
    code,
    ip: null,
    userAgent: 'guotu demo seed',
    requestId: REQUEST_ID,
  });
  const applicant = await updateApplicantProfile(deps, login.principal, demoApplicantProfile, REQUEST_ID);
  await logoutApplicant(deps, login.principal, REQUEST_ID);
  return { kind: 'applicant', applicantId: applicant.id, name: applicant.name ?? phone, phone, requestId: REQUEST_ID };
}

// ---- the files ---------------------------------------------------------------------------------

/** ../shared/testdata, found as packages/spatial/test/testdata.ts finds it (GUOTU_TESTDATA overrides). */
export function demoTestdataDir(): string {
  const explicit = process.env['GUOTU_TESTDATA'];
  if (explicit) return explicit;
  const beside = path.resolve(import.meta.dirname, '../../../../../shared/testdata');
  const workspace = '/work/shared/testdata';
  return existsSync(beside) || !existsSync(workspace) ? beside : workspace;
}

/** A real boundary coordinate file (5 parcels, 1.6693 ha, CGCS2000 zone 37; no warnings). */
const COORDINATE_FILE = 'coordfiles/01_Windr07_Txt-ShpConverter_SampleData.txt';

/**
 * Without the shared test data: one rectangle of 200 m × 150 m (3 ha) in CGCS2000 3° zone 38,
 * inside the synthetic demo map layers (modules/spatial/demo.ts), written in the exchange format.
 */
function builtCoordinates(): Uint8Array {
  const [e0, n0, e1, n1] = [38_378_300, 2_585_600, 38_378_500, 2_585_750];
  const corners: Array<[number, number]> = [
    [n0, e0],
    [n0, e1],
    [n1, e1],
    [n1, e0],
    [n0, e0],
  ];
  const lines = [
    '[属性描述]',
    '格式版本号=1.01版本',
    '数据产生单位=国土演示数据',
    '数据产生日期=2026-01-01',
    '坐标系=2000国家大地坐标系',
    '几度分带=3',
    '投影类型=高斯克吕格',
    '计量单位=米',
    '带号=38',
    '精度=0.001',
    '转换参数=,,,,,,',
    '[地块坐标]',
    '5,3.0000,1,演示地块,面,,,,@',
    ...corners.map(([x, y], i) => `J${i === 4 ? 1 : i + 1},1,${x.toFixed(3)},${y.toFixed(3)}`),
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}

export function demoCoordinates(testdataDir: string): Uint8Array {
  const file = path.join(testdataDir, COORDINATE_FILE);
  return existsSync(file) ? readFileSync(file) : builtCoordinates();
}

/** The parcels' area in hectares to four decimals (1 m²), as the form declares it. */
function areaOf(coordinates: Uint8Array): number {
  const parsed = parseCoordinateFile(coordinates);
  return Number((parsed.parcels.reduce((sum, p) => sum + p.areaM2, 0) / 10_000).toFixed(4));
}

/** A one-page PDF standing in for a material (the seed writes no real plans or maps). */
function demoPdf(text: string): Uint8Array {
  const content = `BT /F1 11 Tf 24 60 Td (${text.replace(/[()\\]/g, ' ')}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 120] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/**
 * The electronic package (电子报盘) of a case: the coordinate file where the matter takes one
 * (a material accepting only coordinates), a PDF for every other required material — or, for a
 * draft, the coordinate file and the first three PDFs, so the draft lists what is still missing.
 */
function packageOf(
  materials: ReadonlyArray<{ key: string; required: boolean; formats: readonly string[] }>,
  coordinates: Uint8Array,
  ref: string,
  draft: boolean,
): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  let pdfs = 0;
  for (const m of materials.filter((x) => x.required)) {
    if (m.formats.length === 1 && m.formats[0] === 'coordinates') entries[`${m.key}-界址点坐标.txt`] = coordinates;
    else if (!draft || pdfs < 3) {
      entries[`${m.key}.pdf`] = demoPdf(`Guotu demo material - ${m.key} - ${ref}`);
      pdfs += 1;
    }
  }
  return zipSync(entries, { level: 0 });
}

// ---- the flow ----------------------------------------------------------------------------------

interface Seeder {
  deps: CaseDeps;
  staff: (username: string) => Promise<StaffParty>;
  applicant: ApplicantParty;
  coordinates: Uint8Array;
}

async function caseRow(deps: CaseDeps, id: number): Promise<caseRepo.CaseRow> {
  const row = await caseRepo.findCase(deps.db, id);
  if (!row) throw new AppError('INTERNAL', `demo case ${id} vanished`);
  return row;
}

const versionOf = async (deps: CaseDeps, id: number) => (await caseRow(deps, id)).version;

/** Completes each step's open task through the workflow service, as the step's user. */
async function completeSteps(s: Seeder, id: number, steps: readonly Step[]): Promise<void> {
  for (const [node, username, body] of steps) {
    const instanceId = (await caseRow(s.deps, id)).workflowInstanceId;
    const tasks = instanceId ? await caseRepo.listOpenTasks(s.deps.db, instanceId) : [];
    const task = tasks.find((t) => t.node === node);
    if (!task) throw new AppError('INTERNAL', `demo case ${id}: no open task ${node}`);
    await operateTask(s.deps.workflow, (await s.staff(username)).actor, String(task.id), 'complete', body);
  }
}

/** From acceptance on: accept (and expedite), the workflow's steps, the archive. */
async function review(s: Seeder, id: number, c: DemoCase, stage: Stage & { to: 'review' | 'archived' }) {
  const clerk = await s.staff(c.window);
  await acceptCase(s.deps, clerk, id, { version: await versionOf(s.deps, id) });
  if (stage.to === 'review' && stage.expedite) {
    const tracker = await findUserByUsername(s.deps.db, stage.expedite.tracker);
    if (!tracker) throw new AppError('INVALID_STATE', `demo user ${stage.expedite.tracker} is missing`);
    await expediteCase(s.deps, clerk, id, {
      version: await versionOf(s.deps, id),
      trackerId: tracker.id,
      reason: stage.expedite.reason,
    });
  }
  await completeSteps(s, id, stage.steps);
  if (stage.to === 'archived') await archiveCase(s.deps, clerk, id, await versionOf(s.deps, id));
}

async function seedCase(s: Seeder, c: DemoCase): Promise<number> {
  const filer = c.filer.online ? s.applicant : await s.staff(c.filer.clerk);
  const id = await createCase(s.deps, filer, {
    matterCode: c.matterCode,
    ...(c.divisionCode ? { divisionCode: c.divisionCode } : {}),
    ...(c.title ? { title: c.title } : {}),
    form: c.form,
    ...(c.filer.online ? {} : { applicant: c.filer.applicant }),
  });
  const { spec } = await getCurrentMatterVersion(s.deps.db, c.matterCode);
  const zip = packageOf(spec.materials, s.coordinates, `S${String(id).padStart(6, '0')}`, c.stage.to === 'draft');
  await importPackage(s.deps, filer, id, zip);
  if (c.stage.to === 'draft') return id;
  await submitCase(s.deps, filer, id, await versionOf(s.deps, id));
  const stage = c.stage;
  switch (stage.to) {
    case 'submitted':
      return id;
    case 'supplementRequested':
      await requestSupplement(s.deps, await s.staff(c.window), id, {
        version: await versionOf(s.deps, id),
        items: stage.items,
        note: '请在补正后重新提交，受理期限自补正材料提交之日起继续计算',
      });
      return id;
    case 'refused':
      await refuseCase(s.deps, await s.staff(c.window), id, {
        version: await versionOf(s.deps, id),
        reason: stage.reason,
      });
      return id;
    case 'review':
    case 'archived':
      await review(s, id, c, stage);
      return id;
  }
}

export interface DemoCasesResult {
  /** true when the database already had a case: nothing was added */
  skipped: boolean;
  cases: Array<{ id: number; title: string; status: CaseStatus; caseNumber: string | null }>;
}

/**
 * Seeds the demo cases into a database that has the demo organisation, users and matters
 * (`seedDemo`) and no case yet; a database with any case is left alone (idempotent). The demo
 * applicant is {@link DEMO_APPLICANT_PHONE}; window applicants get 13800000021… — all reach only
 * the outbox in the embedded default (the caller runs this only with SMS_MODE=store).
 */
export async function seedDemoCases(ctx: AppContext, options: { testdataDir?: string } = {}): Promise<DemoCasesResult> {
  const deps = caseDepsOf(ctx);
  if ((await caseRepo.listCases(deps.db, { limit: 1, offset: 0 })).total > 0) return { skipped: true, cases: [] };
  const staff = staffOf(ctx);
  const coordinates = demoCoordinates(options.testdataDir ?? demoTestdataDir());
  const s: Seeder = { deps, staff, applicant: await demoApplicant(ctx, await staff('admin')), coordinates };
  const areaHa = areaOf(coordinates);
  const cases: DemoCasesResult['cases'] = [];
  for (const c of demoCases(areaHa, toShanghaiDate(new Date().toISOString()).slice(0, 4))) {
    const row = await caseRow(deps, await seedCase(s, c));
    cases.push({ id: row.id, title: row.title, status: row.status, caseNumber: row.caseNumber });
  }
  return { skipped: false, cases };
}
