import { AppError, hasPermission, isWithinScope, type Actor, type OrgKind } from '@guotu/domain';
import type { CreateOrgRequest, OrgUnit } from '@guotu/contracts';
import { inTransaction, type Db } from '../../platform/db.ts';
import { appendAudit } from '../audit/repository.ts';
import { findDivision } from '../divisions/repository.ts';
import * as repo from './repository.ts';

// Which kinds of unit may sit under which: offices sit inside any bureau; bureaus follow the tiers.
const allowedChildren: Record<OrgKind, readonly OrgKind[]> = {
  province: ['office', 'city', 'county'],
  city: ['office', 'county'],
  county: ['office', 'township'],
  office: [],
  township: [],
};

export async function listOrgs(db: Db, actor: Actor): Promise<OrgUnit[]> {
  requirePermission(actor, 'org.read');
  return repo.listOrgsInScope(db, actor.orgPath);
}

export async function getOrg(db: Db, actor: Actor, id: number): Promise<OrgUnit> {
  requirePermission(actor, 'org.read');
  const org = await repo.findOrgInScope(db, id, actor.orgPath);
  if (!org) throw new AppError('NOT_FOUND', `org unit ${id} not found`);
  return org;
}

export async function createOrg(db: Db, actor: Actor, input: CreateOrgRequest): Promise<OrgUnit> {
  requirePermission(actor, 'org.manage');
  return inTransaction(db, async (tx) => {
    const parent = await repo.findOrgInScope(tx, input.parentId, actor.orgPath);
    if (!parent)
      throw new AppError('NOT_FOUND', `org unit ${input.parentId} not found`, [
        { path: 'body.parentId', message: 'no such unit in your scope' },
      ]);
    if (!allowedChildren[parent.kind].includes(input.kind)) {
      throw new AppError('VALIDATION_FAILED', `a ${input.kind} cannot sit under a ${parent.kind}`, [
        {
          path: 'body.kind',
          message: `allowed under ${parent.kind}: ${allowedChildren[parent.kind].join(', ') || 'nothing'}`,
        },
      ]);
    }
    const divisionCode = input.divisionCode ?? null;
    if (divisionCode !== null && !(await findDivision(tx, divisionCode))) {
      throw new AppError('VALIDATION_FAILED', `unknown division code ${divisionCode}`, [
        { path: 'body.divisionCode', message: 'not a GB/T 2260 code we know' },
      ]);
    }
    if (await repo.findOrgByName(tx, parent.id, input.name)) {
      throw new AppError('CONFLICT', `"${input.name}" already exists under ${parent.name}`, [
        { path: 'body.name', message: 'already exists here' },
      ]);
    }
    const org = await repo.insertOrg(tx, {
      parentId: parent.id,
      parentPath: parent.path,
      kind: input.kind,
      name: input.name.trim(),
      divisionCode,
    });
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      requestId: actor.requestId,
      action: 'org.created',
      entityType: 'org',
      entityId: org.id,
      after: org,
    });
    return org;
  });
}

export function requirePermission(actor: Actor, permission: Parameters<typeof hasPermission>[1]): void {
  if (!hasPermission(actor, permission)) throw new AppError('FORBIDDEN', `requires permission ${permission}`);
}

export function assertInScope(actor: Actor, org: OrgUnit): void {
  if (!isWithinScope(actor.orgPath, org.path)) throw new AppError('NOT_FOUND', `org unit ${org.id} not found`);
}
