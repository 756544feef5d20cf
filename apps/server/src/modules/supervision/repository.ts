import { sql } from 'kysely';
import type { Executor } from '../../platform/db.ts';

export type SupervisionLevel = 'normal' | 'warning' | 'overdue' | 'paused' | 'calendarNotCovered';

/**
 * The state of every open clock as of `now`, by comparison with the stored instants only —
 * the date arithmetic was done by @guotu/domain when the clock was written.
 */
function levelSql(now: Date) {
  return sql<SupervisionLevel>`case
    when c.due_problem = 'paused' then 'paused'
    when c.due_problem = 'calendarNotCovered' then 'calendarNotCovered'
    when c.due_at is not null and ${now}::timestamptz > c.due_at then 'overdue'
    when c.warn_at is not null and ${now}::timestamptz >= c.warn_at then 'warning'
    else 'normal' end`;
}

export interface RaisedAlert {
  id: string;
  clockId: string;
  level: 'warning' | 'overdue';
  dueAt: Date;
}

/**
 * One statement: every open clock past its warning or due instant gets its alert row, unless
 * that (clock, level, deadline) already has one. The unique key makes this exactly-once across
 * restarts and concurrent processes; the rows returned are the alerts raised by THIS call.
 */
export async function raiseAlerts(db: Executor, now: Date): Promise<RaisedAlert[]> {
  const result = await sql<{ id: string; clock_id: string; level: 'warning' | 'overdue'; due_at: Date }>`
    insert into clock_alerts (clock_id, level, due_at, raised_at)
    select c.id, l.level, c.due_at, ${now}::timestamptz
    from clocks c
    cross join lateral (values
      (case when c.due_at is not null and ${now}::timestamptz > c.due_at then 'overdue' end),
      -- yellow only while not yet red: a clock found already overdue (say, after downtime) goes straight to red
      (case when c.warn_at is not null and ${now}::timestamptz >= c.warn_at and c.due_at is not null and ${now}::timestamptz <= c.due_at then 'warning' end)
    ) as l(level)
    where c.stopped_at is null and c.due_problem is null and l.level is not null
      and (c.warn_at <= ${now}::timestamptz or c.due_at < ${now}::timestamptz)
    on conflict (clock_id, level, due_at) do nothing
    returning id::text, clock_id::text, level, due_at`.execute(db);
  return result.rows.map((r) => ({ id: String(r.id), clockId: String(r.clock_id), level: r.level, dueAt: r.due_at }));
}

export async function setEscalateAt(db: Executor, updates: ReadonlyArray<{ id: string; escalateAt: Date }>): Promise<void> {
  if (updates.length === 0) return;
  const values = sql.join(updates.map((u) => sql`(${u.id}::bigint, ${u.escalateAt}::timestamptz)`));
  await sql`update clock_alerts a set escalate_at = v.at from (values ${values}) as v(id, at) where a.id = v.id`.execute(db);
}

/** Alerts whose escalation time has come and that nobody resolved: marked escalated, returned once. */
export async function escalateDue(db: Executor, now: Date): Promise<RaisedAlert[]> {
  const result = await sql<{ id: string; clock_id: string; level: 'warning' | 'overdue'; due_at: Date }>`
    update clock_alerts set escalated_at = ${now}::timestamptz
    where resolved_at is null and escalated_at is null and escalate_at <= ${now}::timestamptz
    returning id::text, clock_id::text, level, due_at`.execute(db);
  return result.rows.map((r) => ({ id: String(r.id), clockId: String(r.clock_id), level: r.level, dueAt: r.due_at }));
}

/** Alerts of clocks that stopped (the step was done) are resolved. */
export async function resolveStoppedAlerts(db: Executor, now: Date): Promise<number> {
  const result = await sql`update clock_alerts a set resolved_at = ${now}::timestamptz
    from clocks c where c.id = a.clock_id and a.resolved_at is null and c.stopped_at is not null`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export async function countByLevel(db: Executor, now: Date, filter: { subjectType?: string } = {}) {
  let query = db
    .selectFrom('clocks as c')
    .select([levelSql(now).as('level'), sql<number>`count(*)::int`.as('n')])
    .where('c.stopped_at', 'is', null)
    .groupBy(sql`1`);
  if (filter.subjectType) query = query.where('c.subject_type', '=', filter.subjectType);
  return query.execute();
}

export async function listClocks(db: Executor, now: Date, filter: { level?: SupervisionLevel; subjectType?: string; limit: number; offset: number }) {
  let query = db
    .selectFrom('clocks as c')
    .select(['c.id', 'c.subject_type', 'c.subject_id', 'c.purpose', 'c.unit', 'c.limit_value', 'c.started_at', 'c.due_at', 'c.due_date', 'c.warn_at', levelSql(now).as('level')])
    .where('c.stopped_at', 'is', null)
    .orderBy('c.due_at')
    .limit(filter.limit)
    .offset(filter.offset);
  if (filter.subjectType) query = query.where('c.subject_type', '=', filter.subjectType);
  if (filter.level) query = query.where(levelSql(now), '=', filter.level);
  return query.execute();
}

export async function listAlerts(db: Executor, filter: { open?: boolean; limit: number }) {
  let query = db
    .selectFrom('clock_alerts as a')
    .innerJoin('clocks as c', 'c.id', 'a.clock_id')
    .select(['a.id', 'a.level', 'a.due_at', 'a.raised_at', 'a.escalate_at', 'a.escalated_at', 'a.resolved_at', 'c.subject_type', 'c.subject_id', 'c.purpose'])
    .orderBy('a.raised_at', 'desc')
    .limit(filter.limit);
  if (filter.open) query = query.where('a.resolved_at', 'is', null);
  return query.execute();
}
