import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { AppError, type AppErrorDetail } from '@guotu/domain';
import { inTransaction, type Db } from '../../platform/db.ts';
import { appendAudit } from '../audit/repository.ts';
import { notify, type NotifyDeps } from '../notifications/service.ts';
import { isValidCreditCode, isValidIdNumber, MOBILE } from './identifiers.ts';
import * as repo from './repository.ts';

/**
 * Applicant accounts (申请人) on the public side: phone number + SMS code, no password. The first
 * successful login creates the account, so asking for a code says nothing about whether a phone
 * is known (nothing enumerable). docs/matters.md §Applicants.
 */

/** A code lives 5 minutes and allows 5 tries; a phone gets one code a minute and 5 an hour; an IP 20 an hour. */
export const CODE_TTL_MINUTES = 5;
export const CODE_MAX_TRIES = 5;
export const CODE_MIN_INTERVAL_SECONDS = 60;
export const CODES_PER_PHONE_PER_HOUR = 5;
export const CODES_PER_IP_PER_HOUR = 20;

export interface ApplicantDeps {
  db: Db;
  sessionSecret: string;
  sessionTtlHours: number;
  now: () => Date;
  notify: NotifyDeps;
}

export type ApplicantKind = 'enterprise' | 'government' | 'citizen';

export interface Applicant {
  id: number;
  phone: string;
  kind: ApplicantKind | null;
  name: string | null;
  creditCode: string | null;
  idNumber: string | null;
  contactName: string | null;
  email: string | null;
  profileComplete: boolean;
}

export interface ApplicantPrincipal {
  applicant: Applicant;
  tokenHash: string;
}

type ApplicantRow = NonNullable<Awaited<ReturnType<typeof repo.findApplicant>>>;

function present(row: ApplicantRow): Applicant {
  return {
    id: row.id,
    phone: row.phone,
    kind: row.kind,
    name: row.name,
    creditCode: row.credit_code,
    idNumber: row.id_number,
    contactName: row.contact_name,
    email: row.email,
    profileComplete: row.kind !== null && row.name !== null,
  };
}

function codeHash(deps: Pick<ApplicantDeps, 'sessionSecret'>, phone: string, code: string): string {
  return createHmac('sha256', deps.sessionSecret).update(`applicant-code:${phone}:${code}`).digest('hex');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function applicantCsrfToken(deps: Pick<ApplicantDeps, 'sessionSecret'>, tokenHash: string): string {
  return createHmac('sha256', deps.sessionSecret).update(`applicant-csrf:${tokenHash}`).digest('base64url');
}

export function checkApplicantCsrf(
  deps: Pick<ApplicantDeps, 'sessionSecret'>,
  tokenHash: string,
  given: string | undefined,
): boolean {
  if (!given) return false;
  const expected = Buffer.from(applicantCsrfToken(deps, tokenHash));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function assertPhone(phone: string): void {
  if (!MOBILE.test(phone))
    throw new AppError('VALIDATION_FAILED', 'a mainland mobile number has 11 digits starting 13–19', [
      { path: 'body.phone', message: 'not a mobile number' },
    ]);
}

/**
 * Sends a 6-digit code by SMS (through the outbox, in the same transaction as the code row). The
 * answer is the same for every valid phone number; limits are per phone and per IP.
 */
export async function requestLoginCode(
  deps: ApplicantDeps,
  input: { phone: string; ip: string | null; requestId: string },
): Promise<{ expiresInSeconds: number; resendAfterSeconds: number }> {
  assertPhone(input.phone);
  const now = deps.now();
  const hourAgo = new Date(now.getTime() - 3_600_000);
  const last = await repo.lastCodeAt(deps.db, input.phone);
  if (last && now.getTime() - last.getTime() < CODE_MIN_INTERVAL_SECONDS * 1000)
    throw new AppError(
      'RATE_LIMITED',
      `one code a minute; try again in ${CODE_MIN_INTERVAL_SECONDS - Math.floor((now.getTime() - last.getTime()) / 1000)} s`,
    );
  if ((await repo.countCodesSince(deps.db, { phone: input.phone }, hourAgo)) >= CODES_PER_PHONE_PER_HOUR)
    throw new AppError('RATE_LIMITED', 'too many codes for this number; try again later');
  if (input.ip && (await repo.countCodesSince(deps.db, { ip: input.ip }, hourAgo)) >= CODES_PER_IP_PER_HOUR)
    throw new AppError('RATE_LIMITED', 'too many codes from this address; try again later');
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await inTransaction(deps.db, async (tx) => {
    const id = await repo.insertCode(tx, {
      phone: input.phone,
      codeHash: codeHash(deps, input.phone, code),
      expiresAt: new Date(now.getTime() + CODE_TTL_MINUTES * 60_000),
      ip: input.ip,
    });
    await notify(
      tx,
      {
        event: 'applicant.login_code',
        recipients: [{ phone: input.phone }],
        channels: ['sms'],
        variables: { code, minutes: CODE_TTL_MINUTES },
        idempotencyKey: `applicant.login_code:${id}`,
      },
      deps.notify,
    );
  });
  return { expiresInSeconds: CODE_TTL_MINUTES * 60, resendAfterSeconds: CODE_MIN_INTERVAL_SECONDS };
}

/**
 * Phone + code → a session. Wrong, expired, used-up and never-sent codes get the same answer.
 * The fifth wrong try kills the code; a new one must be requested (limited per hour above), so a
 * guesser gets at most 25 tries an hour against a million codes.
 */
export async function loginWithCode(
  deps: ApplicantDeps,
  input: { phone: string; code: string; ip: string | null; userAgent: string | null; requestId: string },
): Promise<{ token: string; principal: ApplicantPrincipal }> {
  assertPhone(input.phone);
  const now = deps.now();
  const wrong = new AppError('INVALID_CREDENTIALS', 'wrong or expired code; request a new one if needed');
  const outcome = await inTransaction(deps.db, async (tx) => {
    const live = await repo.lockLiveCode(tx, input.phone, now);
    if (!live) return null;
    const expected = Buffer.from(live.code_hash, 'hex');
    const given = Buffer.from(codeHash(deps, input.phone, input.code), 'hex');
    if (!timingSafeEqual(expected, given)) {
      await repo.recordWrongTry(tx, live.id, live.attempts + 1 >= CODE_MAX_TRIES);
      return null;
    }
    await repo.consumeCode(tx, live.id, now);
    const applicant = await repo.upsertApplicantByPhone(tx, input.phone, now);
    const token = randomBytes(32).toString('base64url');
    await repo.insertSession(tx, {
      tokenHash: hashToken(token),
      applicantId: applicant.id,
      expiresAt: new Date(now.getTime() + deps.sessionTtlHours * 3_600_000),
      ip: input.ip,
      userAgent: input.userAgent,
    });
    await appendAudit(tx, {
      actorId: null,
      actorName: `applicant:${applicant.id}`,
      ip: input.ip,
      requestId: input.requestId,
      action: applicant.created ? 'applicant.registered' : 'applicant.logged_in',
      entityType: 'applicant',
      entityId: applicant.id,
    });
    return token;
  });
  if (outcome === null) throw wrong;
  const principal = await findApplicantPrincipal(deps, outcome);
  if (!principal) throw new AppError('INTERNAL', 'applicant session vanished right after login');
  return { token: outcome, principal };
}

export async function findApplicantPrincipal(
  deps: Pick<ApplicantDeps, 'db' | 'now'>,
  token: string,
): Promise<ApplicantPrincipal | undefined> {
  const tokenHash = hashToken(token);
  const row = await repo.findSessionApplicant(deps.db, tokenHash, deps.now());
  return row ? { applicant: present(row), tokenHash } : undefined;
}

export async function logoutApplicant(
  deps: ApplicantDeps,
  principal: ApplicantPrincipal,
  requestId: string,
): Promise<void> {
  await inTransaction(deps.db, async (tx) => {
    await repo.deleteSession(tx, principal.tokenHash);
    await appendAudit(tx, {
      actorId: null,
      actorName: `applicant:${principal.applicant.id}`,
      requestId,
      action: 'applicant.logged_out',
      entityType: 'applicant',
      entityId: principal.applicant.id,
    });
  });
}

export interface ProfileInput {
  kind: ApplicantKind;
  name: string;
  creditCode?: string | null;
  idNumber?: string | null;
  contactName?: string | null;
  email?: string | null;
}

/** Enterprises and government organs give a 统一社会信用代码, citizens an ID number; check digits verified. */
export async function updateApplicantProfile(
  deps: ApplicantDeps,
  principal: ApplicantPrincipal,
  input: ProfileInput,
  requestId: string,
): Promise<Applicant> {
  const problems: AppErrorDetail[] = [];
  const creditCode = input.creditCode?.trim().toUpperCase() || null;
  const idNumber = input.idNumber?.trim().toUpperCase() || null;
  if (input.kind === 'citizen') {
    if (!idNumber) problems.push({ path: 'body.idNumber', message: 'a citizen gives the ID card number' });
    else if (!isValidIdNumber(idNumber))
      problems.push({ path: 'body.idNumber', message: 'not a valid ID card number (GB 11643-1999 check digit)' });
  } else if (!creditCode)
    problems.push({
      path: 'body.creditCode',
      message: 'an enterprise or government organ gives its unified social credit code',
    });
  if (creditCode && !isValidCreditCode(creditCode))
    problems.push({
      path: 'body.creditCode',
      message: 'not a valid unified social credit code (GB 32100-2015 check character)',
    });
  if (input.email && !/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(input.email))
    problems.push({ path: 'body.email', message: 'not an email address' });
  if (problems.length > 0) throw new AppError('VALIDATION_FAILED', 'the profile has problems', problems);
  const profile = {
    kind: input.kind,
    name: input.name.trim(),
    creditCode: input.kind === 'citizen' ? null : creditCode,
    idNumber: input.kind === 'citizen' ? idNumber : null,
    contactName: input.contactName?.trim() || null,
    email: input.email?.trim() || null,
  };
  await inTransaction(deps.db, async (tx) => {
    await repo.updateProfile(tx, principal.applicant.id, profile);
    await appendAudit(tx, {
      actorId: null,
      actorName: `applicant:${principal.applicant.id}`,
      requestId,
      action: 'applicant.profile_updated',
      entityType: 'applicant',
      entityId: principal.applicant.id,
      after: { kind: profile.kind, name: profile.name },
    });
  });
  return getApplicant(deps.db, principal.applicant.id);
}

/** For the case module: an applicant by id (NOT_FOUND if none). */
export async function getApplicant(db: Db, id: number): Promise<Applicant> {
  const row = await repo.findApplicant(db, id);
  if (!row) throw new AppError('NOT_FOUND', `no applicant ${id}`);
  return present(row);
}
