import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError, isRoleKey, rolePermissions, type Actor, type Permission, type RoleKey } from '@guotu/domain';
import type { SessionUser } from '@guotu/contracts';
import { inTransaction, type Db } from '../../platform/db.ts';
import { appendAudit } from '../audit/repository.ts';
import { assertPasswordPolicy, dummyHashPromise, hashPassword, verifyPassword } from './password.ts';
import * as repo from './repository.ts';

export interface AuthDeps {
  db: Db;
  sessionSecret: string;
  sessionTtlHours: number;
  lockoutThreshold: number;
  lockoutMinutes: number;
  now: () => Date;
}

export interface Principal {
  actor: Omit<Actor, 'requestId'>;
  user: SessionUser;
  tokenHash: string;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** CSRF token bound to the session: HMAC(secret, session) — nothing extra to store. */
export function csrfTokenFor(deps: Pick<AuthDeps, 'sessionSecret'>, tokenHash: string): string {
  return createHmac('sha256', deps.sessionSecret).update(`csrf:${tokenHash}`).digest('base64url');
}

export function checkCsrf(
  deps: Pick<AuthDeps, 'sessionSecret'>,
  tokenHash: string,
  given: string | undefined,
): boolean {
  if (!given) return false;
  const expected = Buffer.from(csrfTokenFor(deps, tokenHash));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export function permissionsOf(roles: readonly string[]): Permission[] {
  const set = new Set<Permission>();
  for (const role of roles) if (isRoleKey(role)) for (const p of rolePermissions[role]) set.add(p);
  return [...set].sort();
}

export interface LoginInput {
  username: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}

export async function login(deps: AuthDeps, input: LoginInput): Promise<{ token: string; principal: Principal }> {
  const username = input.username.trim().toLowerCase();
  const user = await repo.findUserForLogin(deps.db, username);
  const now = deps.now();
  if (!user) {
    await verifyPassword(input.password, await dummyHashPromise); // same timing as a real check
    throw new AppError('INVALID_CREDENTIALS', 'wrong username or password');
  }
  if (user.locked_until && user.locked_until > now) {
    throw new AppError(
      'ACCOUNT_LOCKED',
      `account locked until ${user.locked_until.toISOString()} after repeated failed logins`,
    );
  }
  const ok = !user.disabled && (await verifyPassword(input.password, user.password_hash));
  if (!ok) {
    const locked = await recordFailure(deps, user.id, input);
    if (locked)
      throw new AppError(
        'ACCOUNT_LOCKED',
        `account locked for ${deps.lockoutMinutes} minutes after repeated failed logins`,
      );
    throw new AppError('INVALID_CREDENTIALS', 'wrong username or password');
  }
  const token = randomBytes(32).toString('base64url');
  const tokenHash = hashToken(token);
  await inTransaction(deps.db, async (tx) => {
    await repo.recordSuccessfulLogin(tx, user.id);
    const expiresAt = new Date(now.getTime() + deps.sessionTtlHours * 3_600_000);
    await repo.insertSession(tx, { tokenHash, userId: user.id, expiresAt, ip: input.ip, userAgent: input.userAgent });
    await appendAudit(tx, {
      actorId: user.id,
      actorName: user.username,
      ip: input.ip,
      requestId: input.requestId,
      action: 'auth.logged_in',
      entityType: 'user',
      entityId: user.id,
    });
  });
  const principal = await findPrincipal(deps, token);
  if (!principal) throw new AppError('INTERNAL', 'session vanished right after login');
  return { token, principal };
}

/** Counts a failure; returns true when this failure locked the account. */
async function recordFailure(deps: AuthDeps, userId: number, input: LoginInput): Promise<boolean> {
  return inTransaction(deps.db, async (tx) => {
    const row = await repo.lockUserRow(tx, userId);
    const attempts = (row?.failed_attempts ?? 0) + 1;
    const lock = attempts >= deps.lockoutThreshold;
    const lockedUntil = lock ? new Date(deps.now().getTime() + deps.lockoutMinutes * 60_000) : null;
    await repo.recordFailedLogin(tx, userId, lock ? 0 : attempts, lockedUntil);
    await appendAudit(tx, {
      actorId: null,
      actorName: input.username,
      ip: input.ip,
      requestId: input.requestId,
      action: lock ? 'auth.account_locked' : 'auth.login_failed',
      entityType: 'user',
      entityId: userId,
      after: { attempts },
    });
    return lock;
  });
}

export async function findPrincipal(deps: AuthDeps, token: string): Promise<Principal | undefined> {
  const tokenHash = hashToken(token);
  const row = await repo.findSessionPrincipal(deps.db, tokenHash, deps.now());
  if (!row) return undefined;
  const roles: RoleKey[] = row.roles.filter(isRoleKey);
  const permissions = permissionsOf(roles);
  const user: SessionUser = {
    id: row.userId,
    username: row.username,
    displayName: row.displayName,
    orgId: row.orgId,
    orgName: row.orgName,
    orgKind: row.orgKind,
    roles,
    permissions,
    mustChangePassword: row.mustChangePassword,
  };
  return {
    tokenHash,
    user,
    actor: { userId: row.userId, username: row.username, roles, permissions, orgId: row.orgId, orgPath: row.orgPath },
  };
}

export async function logout(deps: AuthDeps, actor: Actor, tokenHash: string): Promise<void> {
  await inTransaction(deps.db, async (tx) => {
    await repo.deleteSession(tx, tokenHash);
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      requestId: actor.requestId,
      action: 'auth.logged_out',
      entityType: 'user',
      entityId: actor.userId,
    });
  });
}

export async function changePassword(
  deps: AuthDeps,
  actor: Actor,
  input: { currentPassword: string; newPassword: string; tokenHash: string },
): Promise<void> {
  const row = await repo.findPasswordHash(deps.db, actor.userId);
  if (!row || !(await verifyPassword(input.currentPassword, row.password_hash))) {
    throw new AppError('VALIDATION_FAILED', 'current password is wrong', [
      { path: 'body.currentPassword', message: 'wrong password' },
    ]);
  }
  assertPasswordPolicy(input.newPassword, 'newPassword');
  const newHash = await hashPassword(input.newPassword);
  await inTransaction(deps.db, async (tx) => {
    await repo.updatePassword(tx, actor.userId, newHash);
    // Other sessions end: a changed password must lock out whoever knew the old one.
    await repo.deleteOtherSessions(tx, actor.userId, input.tokenHash);
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      requestId: actor.requestId,
      action: 'auth.password_changed',
      entityType: 'user',
      entityId: actor.userId,
    });
  });
}
