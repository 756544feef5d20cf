import { rolePermissions, type Actor, type Permission, type RoleKey } from '@guotu/domain';
import type { TestApp } from '../../../test/harness.ts';

/** The Actor of a demo user, for calling services directly with a fake clock. */
export async function actorOf(t: TestApp, username: string): Promise<Actor> {
  const db = t.ctx.database.db;
  const u = await db
    .selectFrom('users')
    .innerJoin('org_units', 'org_units.id', 'users.org_id')
    .select(['users.id', 'users.org_id', 'org_units.path'])
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  const roles = (await db.selectFrom('user_roles').select('role_key').where('user_id', '=', u.id).execute()).map(
    (r) => r.role_key as RoleKey,
  );
  const permissions = [...new Set(roles.flatMap((r): readonly Permission[] => rolePermissions[r]))];
  return { userId: u.id, username, roles, permissions, orgId: u.org_id, orgPath: u.path, requestId: 'test' };
}
