import { AppError, type Actor, type RoleKey } from '@guotu/domain';
import type { CreateUserRequest, UpdateUserRequest, User, UserList } from '@guotu/contracts';
import { inTransaction, type Db } from '../../platform/db.ts';
import { appendAudit } from '../audit/repository.ts';
import { assertPasswordPolicy, hashPassword } from '../auth/password.ts';
import * as orgRepo from '../orgs/repository.ts';
import { requirePermission } from '../orgs/service.ts';
import * as repo from './repository.ts';

export async function listUsers(
  db: Db,
  actor: Actor,
  query: { orgId?: number; q?: string; limit?: number; offset?: number },
): Promise<UserList> {
  requirePermission(actor, 'user.read');
  return repo.listUsersInScope(db, {
    scopePath: actor.orgPath,
    limit: query.limit ?? 50,
    offset: query.offset ?? 0,
    ...(query.orgId !== undefined ? { orgId: query.orgId } : {}),
    ...(query.q ? { q: query.q } : {}),
  });
}

export async function getUser(db: Db, actor: Actor, id: number): Promise<User> {
  requirePermission(actor, 'user.read');
  const user = await repo.findUserInScope(db, id, actor.orgPath);
  if (!user) throw new AppError('NOT_FOUND', `user ${id} not found`);
  const { orgPath: _p, ...rest } = user;
  return rest;
}

/** Only an admin may grant admin: nobody raises a peer above themselves. */
function assertMayGrant(actor: Actor, roles: readonly RoleKey[]): void {
  if (roles.includes('admin') && !actor.roles.includes('admin')) {
    throw new AppError('FORBIDDEN', 'only an administrator may grant the admin role', [
      { path: 'body.roles', message: 'admin not grantable by you' },
    ]);
  }
}

export async function createUser(db: Db, actor: Actor, input: CreateUserRequest): Promise<User> {
  requirePermission(actor, 'user.manage');
  assertMayGrant(actor, input.roles);
  assertPasswordPolicy(input.password);
  const username = input.username.trim().toLowerCase();
  const passwordHash = await hashPassword(input.password);
  const id = await inTransaction(db, async (tx) => {
    const org = await orgRepo.findOrgInScope(tx, input.orgId, actor.orgPath);
    if (!org)
      throw new AppError('NOT_FOUND', `org unit ${input.orgId} not found`, [
        { path: 'body.orgId', message: 'no such unit in your scope' },
      ]);
    if (await repo.findUserByUsername(tx, username)) {
      throw new AppError('CONFLICT', `username ${username} is taken`, [
        { path: 'body.username', message: 'already taken' },
      ]);
    }
    const newId = await repo.insertUser(tx, {
      username,
      displayName: input.displayName.trim(),
      passwordHash,
      orgId: org.id,
      phone: input.phone ?? null,
      email: input.email ?? null,
      mustChangePassword: false,
    });
    await repo.replaceRoles(tx, newId, [...new Set(input.roles)]);
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      requestId: actor.requestId,
      action: 'user.created',
      entityType: 'user',
      entityId: newId,
      after: { username, displayName: input.displayName, orgId: org.id, roles: input.roles },
    });
    return newId;
  });
  return getUser(db, actor, id);
}

export async function updateUser(db: Db, actor: Actor, id: number, patch: UpdateUserRequest): Promise<User> {
  requirePermission(actor, 'user.manage');
  if (patch.roles) assertMayGrant(actor, patch.roles);
  if (
    id === actor.userId &&
    (patch.disabled === true || (patch.roles && !patch.roles.includes('admin') && actor.roles.includes('admin')))
  ) {
    throw new AppError('INVALID_STATE', 'you cannot disable yourself or drop your own admin role');
  }
  await inTransaction(db, async (tx) => {
    await repo.lockUser(tx, id);
    const before = await repo.findUserInScope(tx, id, actor.orgPath);
    if (!before) throw new AppError('NOT_FOUND', `user ${id} not found`);
    if (patch.orgId !== undefined && !(await orgRepo.findOrgInScope(tx, patch.orgId, actor.orgPath))) {
      throw new AppError('NOT_FOUND', `org unit ${patch.orgId} not found`, [
        { path: 'body.orgId', message: 'no such unit in your scope' },
      ]);
    }
    await repo.updateUserRow(tx, id, patch);
    if (patch.roles) await repo.replaceRoles(tx, id, [...new Set(patch.roles)]);
    if (patch.disabled === true) await repo.deleteSessionsOfUser(tx, id);
    const after = await repo.findUserInScope(tx, id, '/');
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      requestId: actor.requestId,
      action: 'user.updated',
      entityType: 'user',
      entityId: id,
      before,
      after,
    });
  });
  return getUser(db, actor, id);
}

/** For the CLI and the seed: create a user without an acting user (the system acts). */
export async function createUserAsSystem(
  db: Db,
  input: {
    username: string;
    displayName: string;
    password: string;
    orgId: number;
    roles: RoleKey[];
    mustChangePassword?: boolean;
    phone?: string;
  },
): Promise<number> {
  assertPasswordPolicy(input.password);
  const passwordHash = await hashPassword(input.password);
  return inTransaction(db, async (tx) => {
    if (await repo.findUserByUsername(tx, input.username))
      throw new AppError('CONFLICT', `username ${input.username} is taken`);
    const id = await repo.insertUser(tx, {
      username: input.username,
      displayName: input.displayName,
      passwordHash,
      orgId: input.orgId,
      phone: input.phone ?? null,
      email: null,
      mustChangePassword: input.mustChangePassword ?? false,
    });
    await repo.replaceRoles(tx, id, input.roles);
    await appendAudit(tx, {
      actorId: null,
      actorName: 'system',
      action: 'user.created',
      entityType: 'user',
      entityId: id,
      after: { username: input.username, orgId: input.orgId, roles: input.roles },
    });
    return id;
  });
}
