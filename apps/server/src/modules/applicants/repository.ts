import { sql } from 'kysely';
import type { Executor, Tx } from '../../platform/db.ts';

/** All SQL of applicant accounts, login codes and sessions. */

export async function countCodesSince(db: Executor, by: { phone?: string; ip?: string }, since: Date): Promise<number> {
  let query = db
    .selectFrom('applicant_login_codes')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('created_at', '>=', since);
  if (by.phone !== undefined) query = query.where('phone', '=', by.phone);
  if (by.ip !== undefined) query = query.where('ip', '=', by.ip);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

export async function lastCodeAt(db: Executor, phone: string): Promise<Date | undefined> {
  const row = await db
    .selectFrom('applicant_login_codes')
    .select('created_at')
    .where('phone', '=', phone)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.created_at;
}

export async function insertCode(
  tx: Tx,
  row: { phone: string; codeHash: string; expiresAt: Date; ip: string | null },
): Promise<number> {
  // A new code replaces the earlier ones: only the newest may be used.
  await tx
    .updateTable('applicant_login_codes')
    .set({ consumed_at: new Date() })
    .where('phone', '=', row.phone)
    .where('consumed_at', 'is', null)
    .execute();
  const inserted = await tx
    .insertInto('applicant_login_codes')
    .values({ phone: row.phone, code_hash: row.codeHash, expires_at: row.expiresAt, ip: row.ip })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/** The phone's live code, locked: concurrent guesses serialise, so the try limit holds. */
export async function lockLiveCode(tx: Tx, phone: string, now: Date) {
  return tx
    .selectFrom('applicant_login_codes')
    .select(['id', 'code_hash', 'attempts'])
    .where('phone', '=', phone)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('id', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

export async function recordWrongTry(tx: Tx, id: number, exhausted: boolean): Promise<void> {
  await tx
    .updateTable('applicant_login_codes')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), ...(exhausted ? { consumed_at: new Date() } : {}) }))
    .where('id', '=', id)
    .execute();
}

export async function consumeCode(tx: Tx, id: number, now: Date): Promise<void> {
  await tx.updateTable('applicant_login_codes').set({ consumed_at: now }).where('id', '=', id).execute();
}

export async function upsertApplicantByPhone(
  tx: Tx,
  phone: string,
  now: Date,
): Promise<{ id: number; created: boolean }> {
  const inserted = await tx
    .insertInto('applicants')
    .values({ phone, last_login_at: now })
    .onConflict((oc) => oc.column('phone').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const row = await tx
    .updateTable('applicants')
    .set({ last_login_at: now })
    .where('phone', '=', phone)
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, created: false };
}

export async function insertSession(
  tx: Tx,
  row: { tokenHash: string; applicantId: number; expiresAt: Date; ip: string | null; userAgent: string | null },
): Promise<void> {
  await tx
    .insertInto('applicant_sessions')
    .values({
      token_hash: row.tokenHash,
      applicant_id: row.applicantId,
      expires_at: row.expiresAt,
      ip: row.ip,
      user_agent: row.userAgent,
    })
    .execute();
}

export async function deleteSession(tx: Tx, tokenHash: string): Promise<void> {
  await tx.deleteFrom('applicant_sessions').where('token_hash', '=', tokenHash).execute();
}

export async function findSessionApplicant(db: Executor, tokenHash: string, now: Date) {
  return db
    .selectFrom('applicant_sessions as s')
    .innerJoin('applicants as a', 'a.id', 's.applicant_id')
    .selectAll('a')
    .where('s.token_hash', '=', tokenHash)
    .where('s.expires_at', '>', now)
    .executeTakeFirst();
}

export async function findApplicant(db: Executor, id: number) {
  return db.selectFrom('applicants').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateProfile(
  tx: Tx,
  id: number,
  profile: {
    kind: 'enterprise' | 'government' | 'citizen';
    name: string;
    creditCode: string | null;
    idNumber: string | null;
    contactName: string | null;
    email: string | null;
  },
): Promise<void> {
  await tx
    .updateTable('applicants')
    .set({
      kind: profile.kind,
      name: profile.name,
      credit_code: profile.creditCode,
      id_number: profile.idNumber,
      contact_name: profile.contactName,
      email: profile.email,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .execute();
}
