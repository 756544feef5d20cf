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
 * restarts and concurrent processes (a racing pass loses on the key and inserts nothing); the
 * anti-join keeps a steady-state pass from re-trying a million conflicts. Returns how many were
 * raised by THIS call and the first `sample` of them.
 */
export async function raiseAlerts(
  db: Executor,
  now: Date,
  escalateAt: Date,
  sample = 1000,
): Promise<{ count: number; alerts: RaisedAlert[] }> {
  const result = await sql<{ total: number; id: string; clock_id: string; level: 'warning' | 'overdue'; due_at: Date }>`
    with candidates as (
      select c.id as clock_id, c.due_at,
        -- yellow only while not yet red: a clock found already overdue (after downtime) goes straight to red
        case when ${now}::timestamptz > c.due_at then 'overdue' else 'warning' end as level
      from clocks c
      where c.stopped_at is null and c.due_problem is null and c.due_at is not null and c.warn_at <= ${now}::timestamptz
    ), fresh as (
      select k.* from candidates k
      where not exists (select 1 from clock_alerts a where a.clock_id = k.clock_id and a.level = k.level and a.due_at = k.due_at)
    ), inserted as (
      insert into clock_alerts (clock_id, level, due_at, raised_at, escalate_at)
      select clock_id, level, due_at, ${now}::timestamptz, ${escalateAt}::timestamptz from fresh
      on conflict (clock_id, level, due_at) do nothing
      returning id, clock_id, level, due_at
    )
    select (count(*) over ())::int as total, id::text, clock_id::text, level, due_at from inserted limit ${sample}`.execute(
    db,
  );
  const count = result.rows[0]?.total ?? 0;
  return {
    count,
    alerts: result.rows.map((r) => ({
      id: String(r.id),
      clockId: String(r.clock_id),
      level: r.level,
      dueAt: r.due_at,
    })),
  };
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

/**
 * Drill-down by org: a step's clock belongs to its task's org subtree (org_path), an order's
 * clock to the org it was issued to.
 */
function inOrgSql(orgPath: string) {
  return sql<boolean>`(exists (select 1 from wf_tasks t where t.clock_id = c.id and t.org_path like ${orgPath + '%'})
    or exists (select 1 from supervision_orders so join org_units o on o.id = so.org_id
               where c.subject_type = 'supervision_order' and so.id::text = c.subject_id and o.path like ${orgPath + '%'}))`;
}

export async function orgPathOf(db: Executor, orgId: number): Promise<string | undefined> {
  return (await db.selectFrom('org_units').select('path').where('id', '=', orgId).executeTakeFirst())?.path;
}

export async function listClocks(
  db: Executor,
  now: Date,
  filter: { level?: SupervisionLevel; subjectType?: string; orgPath?: string; limit: number; offset: number },
) {
  let query = db
    .selectFrom('clocks as c')
    .select([
      'c.id',
      'c.subject_type',
      'c.subject_id',
      'c.purpose',
      'c.unit',
      'c.limit_value',
      'c.started_at',
      'c.due_at',
      'c.due_date',
      'c.warn_at',
      levelSql(now).as('level'),
    ])
    .where('c.stopped_at', 'is', null)
    .orderBy('c.due_at')
    .limit(filter.limit)
    .offset(filter.offset);
  if (filter.subjectType) query = query.where('c.subject_type', '=', filter.subjectType);
  if (filter.level) query = query.where(levelSql(now), '=', filter.level);
  if (filter.orgPath !== undefined) query = query.where(inOrgSql(filter.orgPath));
  return query.execute();
}

export async function listAlerts(db: Executor, filter: { open?: boolean; limit: number }) {
  let query = db
    .selectFrom('clock_alerts as a')
    .innerJoin('clocks as c', 'c.id', 'a.clock_id')
    .select([
      'a.id',
      'a.level',
      'a.due_at',
      'a.raised_at',
      'a.escalate_at',
      'a.escalated_at',
      'a.resolved_at',
      'c.subject_type',
      'c.subject_id',
      'c.purpose',
    ])
    .orderBy('a.raised_at', 'desc')
    .limit(filter.limit);
  if (filter.open) query = query.where('a.resolved_at', 'is', null);
  return query.execute();
}
