import { randomInt, createHmac } from 'node:crypto';
import {
  AppError,
  hasPermission,
  toShanghaiDate,
  type Actor,
  type Permission,
  type WorkingCalendar,
} from '@guotu/domain';
import type { Db, Executor, Tx } from '../../platform/db.ts';
import type { Jobs } from '../../platform/jobs.ts';
import type { NotificationSettings } from '../../platform/config.ts';
import { appendAudit } from '../audit/repository.ts';
import { recordCaseEvent } from '../feed/service.ts';
import type { CalendarProvider } from '../calendar/service.ts';
import { findTimeLimitRule } from '../calendar/repository.ts';
import { changeClock, startClock } from '../clocks/service.ts';
import { findClock } from '../clocks/repository.ts';
import { bureauOf } from '../workflow/org-scope.ts';
import type { WorkflowDeps } from '../workflow/service.ts';
import * as repo from './repository.ts';
import type { CaseRow, CaseTier } from './repository.ts';

/**
 * What every case service shares: its dependencies, the parties (staff or applicant), access,
 * events with their audit record, clocks and numbers. docs/cases.md.
 */

export interface CaseDeps {
  db: Db;
  calendar: CalendarProvider;
  jobs: Jobs | null;
  config: {
    sessionSecret: string;
    dataDir: string;
    blobMaxBytes: number;
    notifications: Pick<NotificationSettings, 'retryLimit' | 'retryDelaySeconds'>;
    /** printed on documents for the verification link */
    publicBaseUrl: string;
  };
  workflow: WorkflowDeps;
  now: () => Date;
}

export type CaseParty =
  | { kind: 'staff'; actor: Actor }
  | { kind: 'applicant'; applicantId: number; name: string; phone: string; requestId: string };

export function partyName(p: CaseParty): string {
  return p.kind === 'staff' ? p.actor.username : `applicant:${p.applicantId}`;
}

export function partyActorId(p: CaseParty): number | null {
  return p.kind === 'staff' ? p.actor.userId : null;
}

export function partyRequestId(p: CaseParty): string | null {
  return p.kind === 'staff' ? p.actor.requestId : p.requestId;
}

/** The bureau path the caller's case scope starts at (an office sees what its bureau sees). */
export async function scopePathOf(db: Executor, actor: Actor): Promise<string> {
  return (await bureauOf(db, actor)).path;
}

/**
 * Loads a case the party may see (NOT_FOUND otherwise: no probing of other people's cases).
 * Staff: `case.read` and the case's bureau inside the caller's bureau. Applicant: their own.
 */
export async function loadCase(
  db: Executor,
  party: CaseParty,
  id: number,
  opts: { forUpdate?: boolean } = {},
): Promise<CaseRow> {
  const row = Number.isSafeInteger(id) && id > 0 ? await repo.findCase(db, id, opts) : undefined;
  if (!row) throw new AppError('NOT_FOUND', `case ${id} not found`);
  if (party.kind === 'applicant') {
    if (row.applicantId !== party.applicantId) throw new AppError('NOT_FOUND', `case ${id} not found`);
    return row;
  }
  if (!hasPermission(party.actor, 'case.read')) throw new AppError('FORBIDDEN', 'requires permission case.read');
  const scope = await scopePathOf(db, party.actor);
  if (!row.orgPath.startsWith(scope)) throw new AppError('NOT_FOUND', `case ${id} not found`);
  return row;
}

export function requirePermission(party: CaseParty, ...any: Permission[]): Actor {
  if (party.kind !== 'staff') throw new AppError('FORBIDDEN', 'staff only');
  if (!any.some((p) => hasPermission(party.actor, p)))
    throw new AppError('FORBIDDEN', `requires permission ${any.join(' or ')}`);
  return party.actor;
}

export function checkVersion(row: CaseRow, version: number): void {
  if (row.version !== version)
    throw new AppError(
      'CONFLICT',
      `case ${row.id} changed meanwhile (version ${row.version}, you sent ${version}); reload it`,
    );
}

export function requireStatus(row: CaseRow, ...allowed: CaseRow['status'][]): void {
  if (!allowed.includes(row.status))
    throw new AppError('INVALID_STATE', `case ${row.id} is ${row.status}; this needs ${allowed.join(' or ')}`);
}

/**
 * A case event, its audit record and — for the events the provincial supervision system takes —
 * its feed event, in the caller's transaction.
 */
export async function recordEvent(
  tx: Tx,
  row: Pick<CaseRow, 'id' | 'tier' | 'currentOrgId' | 'orgId' | 'caseNumber'>,
  party: CaseParty | 'system',
  type: string,
  at: Date,
  data: Record<string, unknown> = {},
  where: { tier?: CaseTier | null; orgId?: number | null } = {},
): Promise<void> {
  const actorKind = party === 'system' ? 'system' : party.kind;
  const actorName =
    party === 'system' ? 'system' : party.kind === 'staff' ? party.actor.username : `applicant:${party.applicantId}`;
  const actorId = party === 'system' ? null : party.kind === 'staff' ? party.actor.userId : party.applicantId;
  await repo.insertEvent(tx, {
    caseId: row.id,
    at,
    type,
    tier: where.tier !== undefined ? where.tier : row.tier,
    orgId: where.orgId !== undefined ? where.orgId : (row.currentOrgId ?? row.orgId),
    actorKind,
    actorId,
    actorName,
    data,
  });
  // pushed by the feed's next push job or its sweep (FEED sweep, seconds)
  await recordCaseEvent(tx, null, {
    type,
    caseId: row.id,
    caseNumber: row.caseNumber,
    receiptRef: receiptRef(row),
    orgId: where.orgId !== undefined ? where.orgId : (row.currentOrgId ?? row.orgId),
    tier: where.tier !== undefined ? where.tier : row.tier,
    at,
    actor: actorName,
    data,
  });
  await appendAudit(tx, {
    actorId: party === 'system' || party.kind !== 'staff' ? null : party.actor.userId,
    actorName,
    requestId: party === 'system' ? null : partyRequestId(party),
    action: `case.${type}`,
    entityType: 'case',
    entityId: String(row.id),
    before: null,
    after: data,
  });
}

// ---- clocks ---------------------------------------------------------------------------------

export async function startCaseClock(
  tx: Tx,
  calendar: WorkingCalendar,
  caseId: number,
  purpose: string,
  ruleKey: string,
  at: Date,
  now: Date,
): Promise<void> {
  const rule = await findTimeLimitRule(tx, ruleKey);
  if (!rule) throw new AppError('INVALID_STATE', `time-limit rule ${ruleKey} is missing`);
  await startClock(tx, calendar, {
    subjectType: 'case',
    subjectId: String(caseId),
    purpose,
    ruleKey,
    unit: rule.unit,
    limit: rule.limit,
    startedAt: at,
    now,
  });
}

/** Applies a change to an open case clock; a missing or stopped clock is left alone. */
export async function changeCaseClock(
  tx: Tx,
  calendar: WorkingCalendar,
  caseId: number,
  purpose: string,
  change: Parameters<typeof changeClock>[3],
  actorName: string,
): Promise<boolean> {
  const clock = await findClock(tx, { subjectType: 'case', subjectId: String(caseId), purpose });
  if (!clock || clock.stoppedAt) return false;
  await changeClock(tx, calendar, clock.id, change, actorName);
  return true;
}

// ---- codes ---------------------------------------------------------------------------------

/** No 0/O, 1/I/L: read aloud and typed from paper without mistakes. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

export function randomCode(length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return s;
}

export function queryCodeHash(secret: string, caseNumber: string, code: string): string {
  return createHmac('sha256', secret).update(`query:${caseNumber}:${code.toUpperCase()}`).digest('hex');
}

export function shanghaiYear(at: Date): number {
  return Number(toShanghaiDate(at.toISOString()).slice(0, 4));
}

/** `420106-2026-000001`: the accepting bureau's division code, the year, a gapless sequence. */
export async function nextCaseNumber(
  tx: Tx,
  org: { id: number; divisionCode: string | null },
  at: Date,
): Promise<string> {
  const year = shanghaiYear(at);
  const n = await repo.nextCounter(tx, org.id, year, 'case');
  return `${org.divisionCode ?? String(org.id).padStart(6, '0')}-${year}-${String(n).padStart(6, '0')}`;
}

/** 收件编号 before a case number exists: `S` + the case id, e.g. S000042. */
export function receiptRef(row: Pick<CaseRow, 'id'>): string {
  return `S${String(row.id).padStart(6, '0')}`;
}
