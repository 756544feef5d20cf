import type { Executor } from '../../platform/db.ts';

export async function findUserForLogin(db: Executor, username: string) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'password_hash', 'disabled', 'failed_attempts', 'locked_until'])
    .where('username', '=', username)
    .executeTakeFirst();
}

export async function lockUserRow(db: Executor, userId: number) {
  return db
    .selectFrom('users')
    .select(['id', 'failed_attempts', 'locked_until'])
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
}

export async function recordFailedLogin(
  db: Executor,
  userId: number,
  attempts: number,
  lockedUntil: Date | null,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ failed_attempts: attempts, locked_until: lockedUntil })
    .where('id', '=', userId)
    .execute();
}

export async function recordSuccessfulLogin(db: Executor, userId: number): Promise<void> {
  await db.updateTable('users').set({ failed_attempts: 0, locked_until: null }).where('id', '=', userId).execute();
}

export async function insertSession(
  db: Executor,
  session: { tokenHash: string; userId: number; expiresAt: Date; ip: string | null; userAgent: string | null },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      token_hash: session.tokenHash,
      user_id: session.userId,
      expires_at: session.expiresAt,
      ip: session.ip,
      user_agent: session.userAgent,
    })
    .execute();
}

export async function deleteSession(db: Executor, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

export async function deleteOtherSessions(db: Executor, userId: number, keepTokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).where('token_hash', '!=', keepTokenHash).execute();
}

/** The session with its user, org and roles, if unexpired and the user enabled. */
export async function findSessionPrincipal(db: Executor, tokenHash: string, now: Date) {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .innerJoin('org_units', 'org_units.id', 'users.org_id')
    .select([
      'sessions.token_hash',
      'sessions.expires_at',
      'users.id as userId',
      'users.username',
      'users.display_name as displayName',
      'users.must_change_password as mustChangePassword',
      'users.disabled',
      'org_units.id as orgId',
      'org_units.name as orgName',
      'org_units.kind as orgKind',
      'org_units.path as orgPath',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', now)
    .executeTakeFirst();
  if (!row || row.disabled) return undefined;
  const roles = await db.selectFrom('user_roles').select('role_key').where('user_id', '=', row.userId).execute();
  return { ...row, roles: roles.map((r) => r.role_key) };
}

export async function findPasswordHash(db: Executor, userId: number) {
  return db.selectFrom('users').select(['password_hash']).where('id', '=', userId).executeTakeFirst();
}

export async function updatePassword(db: Executor, userId: number, passwordHash: string): Promise<void> {
  await db
    .updateTable('users')
    .set({
      password_hash: passwordHash,
      password_changed_at: new Date(),
      must_change_password: false,
      updated_at: new Date(),
    })
    .where('id', '=', userId)
    .execute();
}

export async function deleteExpiredSessions(db: Executor, now: Date): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
