import {
  AppError,
  addWorkingDays,
  hasPermission,
  shanghaiEndOfDayMs,
  parseCivilDate,
  toShanghaiDate,
  type Actor,
  type WorkingCalendar,
} from '@guotu/domain';
import { inTransaction, type Db, type Tx } from '../../platform/db.ts';
import { appendAudit } from '../audit/repository.ts';
import * as repo from './repository.ts';
import type { RaisedAlert, SupervisionLevel } from './repository.ts';

export type { RaisedAlert, SupervisionLevel };

/**
 * Who hears about alerts: notifications are wired here (in the same transaction). `sample` holds
 * up to 1,000 of the alerts; a sink that must reach all of them selects `raised_at = raisedAt`.
 */
export interface AlertSink {
  alertsRaised(tx: Tx, sample: readonly RaisedAlert[], raisedAt: Date): Promise<void>;
  alertsEscalated(tx: Tx, alerts: readonly RaisedAlert[]): Promise<void>;
}

export const silentSink: AlertSink = { alertsRaised: async () => {}, alertsEscalated: async () => {} };

export interface ClassifyResult {
  /** alerts raised by this pass (all of them when fewer than 1,000; else the first 1,000) */
  raised: RaisedAlert[];
  raisedCount: number;
  escalated: RaisedAlert[];
  resolved: number;
}

/**
 * One supervision pass, one transaction: resolve alerts of stopped clocks, raise new yellow/red
 * alerts (exactly once per clock, level and deadline), give them an escalation time (`escalation
 * WorkingDays` working days later, end of that day), escalate those whose time came, and tell the
 * sink — whose notification jobs commit with the alerts or not at all.
 */
export async function classifyClocks(
  db: Db,
  calendar: WorkingCalendar,
  options: { now: Date; escalationWorkingDays: number; sink?: AlertSink },
): Promise<ClassifyResult> {
  const sink = options.sink ?? silentSink;
  return inTransaction(db, async (tx) => {
    const resolved = await repo.resolveStoppedAlerts(tx, options.now);
    // Every alert raised in this pass escalates at the same instant: N working days from now.
    const escalateAt = escalationInstant(calendar, options.now, options.escalationWorkingDays);
    const { count: raisedCount, alerts: raised } = await repo.raiseAlerts(tx, options.now, escalateAt);
    if (raisedCount > 0) await sink.alertsRaised(tx, raised, options.now);
    const escalated = await repo.escalateDue(tx, options.now);
    if (escalated.length > 0) await sink.alertsEscalated(tx, escalated);
    if (raisedCount + escalated.length > 0) {
      await appendAudit(tx, {
        actorId: null,
        actorName: 'supervision',
        action: 'supervision.alerts_changed',
        entityType: 'clock_alerts',
        after: {
          raised: raisedCount,
          escalated: escalated.length,
          resolved,
          firstIds: raised.slice(0, 20).map((a) => a.id),
        },
      });
    }
    return { raised, raisedCount, escalated, resolved };
  });
}

/** End of the N-th working day after `now` (Shanghai); a date beyond the calendar → none yet. */
function escalationInstant(calendar: WorkingCalendar, now: Date, workingDays: number): Date {
  const date = addWorkingDays(calendar, toShanghaiDate(now), workingDays);
  return new Date(shanghaiEndOfDayMs(parseCivilDate(date)));
}

export async function supervisionOverview(db: Db, actor: Actor, now: Date) {
  if (!hasPermission(actor, 'supervision.read'))
    throw new AppError('FORBIDDEN', 'requires permission supervision.read');
  const rows = await repo.countByLevel(db, now);
  const counts: Record<SupervisionLevel, number> = {
    normal: 0,
    warning: 0,
    overdue: 0,
    paused: 0,
    calendarNotCovered: 0,
  };
  for (const r of rows) counts[r.level] = r.n;
  return { asOf: now.toISOString(), counts };
}

export async function supervisionClocks(
  db: Db,
  actor: Actor,
  now: Date,
  filter: { level?: SupervisionLevel; orgId?: number; limit: number; offset: number },
) {
  if (!hasPermission(actor, 'supervision.read'))
    throw new AppError('FORBIDDEN', 'requires permission supervision.read');
  const { orgId, ...rest } = filter;
  let orgPath: string | undefined;
  if (orgId !== undefined) {
    orgPath = await repo.orgPathOf(db, orgId);
    if (orgPath === undefined)
      throw new AppError('VALIDATION_FAILED', `org ${orgId} does not exist`, [
        { path: 'querystring.orgId', message: 'unknown org' },
      ]);
  }
  const rows = await repo.listClocks(db, now, { ...rest, ...(orgPath !== undefined ? { orgPath } : {}) });
  return rows.map((r) => ({
    id: String(r.id),
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    purpose: r.purpose,
    unit: r.unit,
    limit: r.limit_value,
    startedAt: r.started_at.toISOString(),
    dueAt: r.due_at?.toISOString() ?? null,
    dueDate: r.due_date,
    warnAt: r.warn_at?.toISOString() ?? null,
    level: r.level,
  }));
}

export async function supervisionAlerts(db: Db, actor: Actor, filter: { open?: boolean; limit: number }) {
  if (!hasPermission(actor, 'supervision.read'))
    throw new AppError('FORBIDDEN', 'requires permission supervision.read');
  const rows = await repo.listAlerts(db, filter);
  return rows.map((r) => ({
    id: String(r.id),
    level: r.level,
    dueAt: r.due_at.toISOString(),
    raisedAt: r.raised_at.toISOString(),
    escalateAt: r.escalate_at?.toISOString() ?? null,
    escalatedAt: r.escalated_at?.toISOString() ?? null,
    resolvedAt: r.resolved_at?.toISOString() ?? null,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    purpose: r.purpose,
  }));
}
