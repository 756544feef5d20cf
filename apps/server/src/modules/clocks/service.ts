import {
  AppError,
  evaluateClock,
  isAppError,
  warningInstantMs,
  explainClock,
  type Clock,
  type ClockEvaluation,
  type ClockExplanation,
  type ClockExtension,
  type ClockPause,
  type DueSoonOptions,
  type PauseKind,
  type WorkingCalendar,
} from '@guotu/domain';
import type { Executor, Tx } from '../../platform/db.ts';
import { appendAudit } from '../audit/repository.ts';
import { recordClockEvent } from '../feed/service.ts';
import * as repo from './repository.ts';
import type { ClockRow, DerivedDue } from './repository.ts';

/**
 * Persisted clocks. All date math is @guotu/domain's evaluateClock; this module only stores a
 * clock's definition and the due time derived from it, inside the caller's transaction.
 */
export function toDomainClock(row: ClockRow): Clock {
  return {
    unit: row.unit,
    start: row.startedAt,
    limit: row.limit,
    pauses: row.pauses,
    extensions: row.extensions,
    stoppedAt: row.stoppedAt,
  };
}

/**
 * The stored deadline of a clock. A deadline in a year the calendar does not cover yet is not
 * guessed: it stays null with the reason, and is filled in when that year's notice is imported.
 */
export function derivedDue(
  calendar: WorkingCalendar,
  clock: Clock,
  now: Date,
  thresholds: DueSoonOptions = {},
): DerivedDue & { evaluation: ClockEvaluation | null } {
  let evaluation: ClockEvaluation;
  let warnMs: number | null;
  try {
    evaluation = evaluateClock(calendar, clock, now, { dueSoon: thresholds });
    warnMs = warningInstantMs(calendar, clock, now, thresholds);
  } catch (error) {
    if (isAppError(error) && error.code === 'CALENDAR_NOT_COVERED')
      return { dueAt: null, dueDate: null, dueProblem: 'calendarNotCovered', warnAt: null, evaluation: null };
    throw error;
  }
  const due = evaluation.due ?? null;
  return {
    dueAt: due ? new Date(due.epochMs) : null,
    dueDate: due?.date ?? null,
    dueProblem: due ? null : 'paused',
    warnAt: warnMs === null ? null : new Date(warnMs),
    evaluation,
  };
}

const thresholdsOf = (row: Pick<ClockRow, 'warnFraction' | 'warnRemaining'>): DueSoonOptions => ({
  elapsedFraction: row.warnFraction,
  remaining: row.warnRemaining,
});

export interface ClockSubject {
  subjectType: string;
  subjectId: string;
  /** 'statutory', 'promised', 'tier:county', 'step:<taskId>' … */
  purpose: string;
}

export type StartClockInput = ClockSubject & {
  ruleKey?: string | null;
  unit: Clock['unit'];
  limit: number;
  startedAt: Date;
  now: Date;
  warnFraction?: number;
  warnRemaining?: number;
};

/** The row of a new clock with its derived due and warning instants (pure; `startClock` inserts it). */
export function newClock(calendar: WorkingCalendar, input: StartClockInput): repo.NewClockValues {
  const warnFraction = input.warnFraction ?? 0.8;
  const warnRemaining = input.warnRemaining ?? 1;
  const derived = derivedDue(calendar, { unit: input.unit, start: input.startedAt, limit: input.limit }, input.now, {
    elapsedFraction: warnFraction,
    remaining: warnRemaining,
  });
  return {
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    purpose: input.purpose,
    unit: input.unit,
    startedAt: input.startedAt,
    limit: input.limit,
    ruleKey: input.ruleKey ?? null,
    warnFraction,
    warnRemaining,
    dueAt: derived.dueAt,
    dueDate: derived.dueDate,
    dueProblem: derived.dueProblem,
    warnAt: derived.warnAt,
  };
}

export async function startClock(tx: Tx, calendar: WorkingCalendar, input: StartClockInput): Promise<ClockRow> {
  return repo.insertClock(tx, newClock(calendar, input));
}

export type ClockChange =
  | { kind: 'pause'; pauseKind: PauseKind; reason: string; at: Date }
  | { kind: 'resume'; at: Date }
  | { kind: 'extend'; amount: number; approver: string; reason: string; at: Date }
  | { kind: 'stop'; at: Date };

export interface AppliedClockChange {
  /** what to save (`saveClock`), with the version the change was computed from */
  patch: { pauses: ClockPause[]; extensions: ClockExtension[]; stoppedAt: Date | null } & DerivedDue;
  /** the audit record's action, before and after (`clock.<kind>`) */
  audit: { action: string; before: unknown; after: unknown };
}

/** One change applied to a clock row, its due re-derived (pure; `changeClock` locks, saves and audits). */
export function applyClockChange(calendar: WorkingCalendar, row: ClockRow, change: ClockChange): AppliedClockChange {
  const id = row.id;
  if (row.stoppedAt) throw new AppError('INVALID_STATE', `clock ${id} has stopped`);
  const pauses: ClockPause[] = [...row.pauses];
  const extensions: ClockExtension[] = [...row.extensions];
  let stoppedAt: Date | null = null;
  const open = pauses.findIndex((p) => p.to === null);
  switch (change.kind) {
    case 'pause':
      if (open >= 0) throw new AppError('INVALID_STATE', `clock ${id} is already paused`);
      pauses.push({ kind: change.pauseKind, from: change.at.toISOString(), to: null, reason: change.reason });
      break;
    case 'resume': {
      const current = pauses[open];
      if (!current) throw new AppError('INVALID_STATE', `clock ${id} is not paused`);
      pauses[open] = { ...current, to: change.at.toISOString() };
      break;
    }
    case 'extend':
      extensions.push({
        amount: change.amount,
        approver: change.approver,
        reason: change.reason,
        at: change.at.toISOString(),
      });
      break;
    case 'stop':
      stoppedAt = change.at;
      if (open >= 0) {
        const current = pauses[open];
        if (current) pauses[open] = { ...current, to: change.at.toISOString() };
      }
      break;
  }
  const clock: Clock = { unit: row.unit, start: row.startedAt, limit: row.limit, pauses, extensions, stoppedAt };
  const { dueAt, dueDate, dueProblem, warnAt } = derivedDue(calendar, clock, change.at, thresholdsOf(row));
  return {
    patch: { pauses, extensions, stoppedAt, dueAt, dueDate, dueProblem, warnAt },
    audit: {
      action: `clock.${change.kind}`,
      before: { dueAt: row.dueAt, pauses: row.pauses.length, extensions: row.extensions.length },
      after: { dueAt, change },
    },
  };
}

/** Applies one change under a row lock and re-derives the due time; audited by the caller's actor name. */
export async function changeClock(
  tx: Tx,
  calendar: WorkingCalendar,
  id: string,
  change: ClockChange,
  actorName: string,
): Promise<ClockRow> {
  const row = await repo.getClockForUpdate(tx, id);
  const { patch, audit } = applyClockChange(calendar, row, change);
  await repo.saveClock(tx, id, patch);
  // supplement / special-procedure start and end go to the supervision feed (docs/supervision.md § Feed)
  if (change.kind === 'pause' || change.kind === 'resume') {
    await recordClockEvent(tx, {
      kind: change.kind,
      clockId: id,
      subjectType: row.subjectType,
      subjectId: row.subjectId,
      purpose: row.purpose,
      at: change.at,
      ...(change.kind === 'pause' ? { pauseKind: change.pauseKind, reason: change.reason } : {}),
    });
  }
  await appendAudit(tx, {
    actorId: null,
    actorName,
    action: audit.action,
    entityType: 'clock',
    entityId: id,
    before: audit.before,
    after: audit.after,
  });
  return repo.getClockForUpdate(tx, id);
}

/** After a calendar change: every open clock re-derived, in pages, inside the caller's transaction. */
export async function recomputeOpenClocks(
  tx: Tx,
  calendar: WorkingCalendar,
  now: Date,
): Promise<{ total: number; changed: number }> {
  let after = '0';
  let total = 0;
  let changed = 0;
  for (;;) {
    const page = await repo.listOpenClocksForUpdate(tx, after, 1000);
    if (page.length === 0) break;
    const updates: Array<{ id: string } & DerivedDue> = [];
    for (const row of page) {
      const { dueAt, dueDate, dueProblem, warnAt } = derivedDue(calendar, toDomainClock(row), now, thresholdsOf(row));
      if (
        (dueAt?.getTime() ?? null) !== (row.dueAt?.getTime() ?? null) ||
        dueProblem !== row.dueProblem ||
        (warnAt?.getTime() ?? null) !== (row.warnAt?.getTime() ?? null)
      ) {
        updates.push({ id: row.id, dueAt, dueDate, dueProblem, warnAt });
      }
    }
    await repo.updateDueMany(tx, updates);
    total += page.length;
    changed += updates.length;
    after = page[page.length - 1]?.id ?? after;
  }
  return { total, changed };
}

/** Evaluation and day-by-day explanation of a stored clock, for the API and the UI. */
export async function describeClock(
  db: Executor,
  calendar: WorkingCalendar,
  subject: ClockSubject,
  now: Date,
): Promise<{ clock: ClockRow; explanation: ClockExplanation } | undefined> {
  const row = await repo.findClock(db, subject);
  if (!row) return undefined;
  return { clock: row, explanation: explainClock(calendar, toDomainClock(row), now) };
}

/** Stateless: compute a clock given in full (POST /api/v1/clocks/compute, the CLI). */
export function computeClock(calendar: WorkingCalendar, clock: Clock, now: Date): ClockExplanation {
  return explainClock(calendar, clock, now);
}
