import type { RoleKey } from '@guotu/domain';
import type { Db } from '../platform/db.ts';
import { inTransaction } from '../platform/db.ts';
import { appendAudit } from '../modules/audit/repository.ts';
import { loadShippedDivisions, shippedDivisions } from '../modules/divisions/service.ts';
import * as orgRepo from '../modules/orgs/repository.ts';
import { createUserAsSystem } from '../modules/users/service.ts';
import { findUserByUsername } from '../modules/users/repository.ts';
import { seedSpatialDemo } from '../modules/spatial/demo.ts';
import { seedMatters } from '../modules/matters/seed.ts';

/** Documented in README: every demo user has this password. Change it before real use. */
export const DEMO_PASSWORD = 'Guotu@2026';

// Offices of a provincial department (处室), as named in the seeds and GLOSSARY.
const provincialOffices = [
  '办公室',
  '政策法规处',
  '耕地保护处',
  '用地处',
  '规划处',
  '矿业权管理处',
  '地质环境处',
  '执法监察处',
  '纪检监察室',
  '政务服务中心（窗口）',
];
const bureauOffices = ['办公室', '耕地保护科', '用地科', '矿产资源科', '地质环境科', '窗口'];

// Demo phone numbers (13800000xxx) only ever reach the embedded outbox unless SMS_MODE=smpp.
export const demoUsers: Array<{
  username: string;
  displayName: string;
  roles: RoleKey[];
  office: string | null;
  phone: string;
}> = [
  { username: 'admin', displayName: '系统管理员', roles: ['admin'], office: null, phone: '13800000001' },
  {
    username: 'window',
    displayName: '窗口收件员',
    roles: ['window_clerk'],
    office: '政务服务中心（窗口）',
    phone: '13800000002',
  },
  { username: 'handler', displayName: '用地处承办人', roles: ['handler'], office: '用地处', phone: '13800000003' },
  {
    username: 'reviewer',
    displayName: '耕保处审查人',
    roles: ['reviewer'],
    office: '耕地保护处',
    phone: '13800000004',
  },
  { username: 'officehead', displayName: '用地处处长', roles: ['office_head'], office: '用地处', phone: '13800000005' },
  { username: 'leader', displayName: '分管厅领导', roles: ['leader'], office: null, phone: '13800000006' },
  {
    username: 'supervisor',
    displayName: '监察室监察员',
    roles: ['supervisor'],
    office: '纪检监察室',
    phone: '13800000007',
  },
  {
    username: 'geohazard',
    displayName: '地灾值班员',
    roles: ['geohazard_officer'],
    office: '地质环境处',
    phone: '13800000008',
  },
];

async function ensureOrg(
  db: Db,
  parent: { id: number; path: string } | null,
  org: { kind: 'province' | 'office' | 'city' | 'county'; name: string; divisionCode: string | null },
) {
  const existing = org.divisionCode
    ? await orgRepo.findOrgByDivision(db, org.divisionCode)
    : await orgRepo.findOrgByName(db, parent?.id ?? null, org.name);
  if (existing) return existing;
  return inTransaction(db, async (tx) => {
    const created = await orgRepo.insertOrg(tx, {
      parentId: parent?.id ?? null,
      parentPath: parent?.path ?? '/',
      kind: org.kind,
      name: org.name,
      divisionCode: org.divisionCode,
    });
    await appendAudit(tx, {
      actorId: null,
      actorName: 'system',
      action: 'org.created',
      entityType: 'org',
      entityId: created.id,
      after: created,
    });
    return created;
  });
}

/**
 * Idempotent demo data: divisions of Hubei and Hunan; the Hubei department with its offices;
 * every Hubei city and county bureau with a few sections; one user per role.
 */
export async function seedDemo(
  db: Db,
  options: { spatial?: boolean } = {},
): Promise<{ orgs: number; usersCreated: string[]; layersCreated: string[] }> {
  await loadShippedDivisions(db);
  const divisions = shippedDivisions().filter((d) => d.code.startsWith('42'));
  const department = await ensureOrg(db, null, { kind: 'province', name: '湖北省自然资源厅', divisionCode: '420000' });
  const offices = new Map<string, { id: number; path: string }>();
  for (const name of provincialOffices)
    offices.set(name, await ensureOrg(db, department, { kind: 'office', name, divisionCode: null }));
  for (const city of divisions.filter((d) => d.parentCode === '420000')) {
    const kind = city.level === 'city' ? 'city' : 'county';
    const suffix = city.name.endsWith('林区') ? '自然资源局' : '自然资源和规划局';
    const bureau = await ensureOrg(db, department, { kind, name: `${city.name}${suffix}`, divisionCode: city.code });
    for (const county of divisions.filter((d) => d.parentCode === city.code)) {
      const countyBureau = await ensureOrg(db, bureau, {
        kind: 'county',
        name: `${city.name}${county.name}自然资源和规划局`,
        divisionCode: county.code,
      });
      if (county.code === '420106')
        for (const office of bureauOffices)
          await ensureOrg(db, countyBureau, { kind: 'office', name: office, divisionCode: null });
    }
  }
  const usersCreated: string[] = [];
  for (const demo of demoUsers) {
    if (await findUserByUsername(db, demo.username)) continue;
    const org = demo.office ? (offices.get(demo.office) ?? department) : department;
    await createUserAsSystem(db, {
      username: demo.username,
      displayName: demo.displayName,
      password: DEMO_PASSWORD,
      orgId: 'id' in org ? org.id : department.id,
      roles: demo.roles,
      phone: demo.phone,
    });
    usersCreated.push(demo.username);
  }
  // A county-level window clerk, to show org scope: 武汉市武昌区 sees only its county.
  const wuchang = await orgRepo.findOrgByDivision(db, '420106');
  if (wuchang && !(await findUserByUsername(db, 'wuchang.window'))) {
    await createUserAsSystem(db, {
      username: 'wuchang.window',
      displayName: '武昌区窗口收件员',
      password: DEMO_PASSWORD,
      orgId: wuchang.id,
      roles: ['window_clerk', 'handler'],
    });
    usersCreated.push('wuchang.window');
  }
  // A city-level handler: the 武汉市 bureau reviews and forwards what 武昌区 submits up (远程报批).
  const wuhan = await orgRepo.findOrgByDivision(db, '420100');
  if (wuhan && !(await findUserByUsername(db, 'wuhan.handler'))) {
    await createUserAsSystem(db, {
      username: 'wuhan.handler',
      displayName: '武汉市局承办人',
      password: DEMO_PASSWORD,
      orgId: wuhan.id,
      roles: ['handler'],
      phone: '13800000010',
    });
    usersCreated.push('wuhan.handler');
  }
  // The matter catalog (事项) with its processes, deployed and published under the admin's name.
  const admin = await findUserByUsername(db, 'admin');
  if (admin) await seedMatters(db, { userId: admin.id, username: 'admin' });
  // Two small synthetic map layers around a real test parcel, so the map has something to show.
  const layersCreated = options.spatial === false ? [] : (await seedSpatialDemo(db)).created;
  return { orgs: await orgRepo.countOrgs(db), usersCreated, layersCreated };
}
