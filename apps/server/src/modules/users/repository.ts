import { sql } from 'kysely';
import type { User } from '@guotu/contracts';
import { isRoleKey, type RoleKey } from '@guotu/domain';
import type { Executor } from '../../platform/db.ts';

function baseQuery(db: Executor) {
  return db
    .selectFrom('users')
    .innerJoin('org_units', 'org_units.id', 'users.org_id')
    .select([
      'users.id',
      'users.username',
      'users.display_name',
      'users.org_id',
      'org_units.name as org_name',
      'org_units.path as org_path',
      'users.disabled',
      'users.phone',
      'users.email',
      'users.created_at',
      sql<
        string[]
      >`coalesce((select array_agg(role_key order by role_key) from user_roles r where r.user_id = users.id), '{}')`.as(
        'roles',
      ),
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

function present(row: Row): User & { orgPath: string } {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    orgId: row.org_id,
    orgName: row.org_name,
    orgPath: row.org_path,
    roles: row.roles.filter(isRoleKey),
    disabled: row.disabled,
    phone: row.phone,
    email: row.email,
    createdAt: row.created_at.toISOString(),
  };
}

export async function listUsersInScope(
  db: Executor,
  options: { scopePath: string; orgId?: number; q?: string; limit: number; offset: number },
): Promise<{ items: User[]; total: number }> {
  let query = baseQuery(db).where('org_units.path', 'like', `${options.scopePath}%`);
  if (options.orgId !== undefined) query = query.where('users.org_id', '=', options.orgId);
  if (options.q) {
    const pattern = `%${options.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([eb('users.username', 'ilike', pattern), eb('users.display_name', 'ilike', pattern)]),
    );
  }
  const total = await query
    .clearSelect()
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  const rows = await query.orderBy('users.id').limit(options.limit).offset(options.offset).execute();
  return { items: rows.map((r) => strip(present(r))), total: total.n };
}

function strip(user: User & { orgPath: string }): User {
  const { orgPath: _orgPath, ...rest } = user;
  return rest;
}

export async function findUserInScope(db: Executor, id: number, scopePath: string) {
  const row = await baseQuery(db)
    .where('users.id', '=', id)
    .where('org_units.path', 'like', `${scopePath}%`)
    .executeTakeFirst();
  return row ? present(row) : undefined;
}

export async function findUserByUsername(db: Executor, username: string) {
  return db.selectFrom('users').select(['id']).where('username', '=', username).executeTakeFirst();
}

export async function insertUser(
  db: Executor,
  user: {
    username: string;
    displayName: string;
    passwordHash: string;
    orgId: number;
    phone: string | null;
    email: string | null;
    mustChangePassword: boolean;
  },
): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({
      username: user.username,
      display_name: user.displayName,
      password_hash: user.passwordHash,
      org_id: user.orgId,
      phone: user.phone,
      email: user.email,
      must_change_password: user.mustChangePassword,
      updated_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function replaceRoles(db: Executor, userId: number, roles: readonly RoleKey[]): Promise<void> {
  await db.deleteFrom('user_roles').where('user_id', '=', userId).execute();
  if (roles.length > 0)
    await db
      .insertInto('user_roles')
      .values(roles.map((role_key) => ({ user_id: userId, role_key })))
      .execute();
}

export async function updateUserRow(
  db: Executor,
  id: number,
  patch: { displayName?: string; orgId?: number; disabled?: boolean; phone?: string | null; email?: string | null },
): Promise<void> {
  await db
    .updateTable('users')
    .set({
      ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
      ...(patch.orgId !== undefined ? { org_id: patch.orgId } : {}),
      ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
      ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
      ...(patch.email !== undefined ? { email: patch.email } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

export async function lockUser(db: Executor, id: number): Promise<void> {
  await db.selectFrom('users').select('id').where('id', '=', id).forUpdate().execute();
}

export async function deleteSessionsOfUser(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', id).execute();
}
