import type { ClockPause } from '@guotu/domain';
import { sql } from 'kysely';
import type { Executor, Tx } from '../../platform/db.ts';

/**
 * Steps (workflow tasks with a clock) finished in [from, to]. A step belongs to the office of the
 * person who did it (an unassigned step to the task's org), as alerts go to that office's head.
 */
export interface FinishedStep {
  org_id: number;
  org_name: string;
  completed_by: string | null;
  person_name: string | null;
  created_at: Date;
  completed_at: Date;
  due_at: Date | null;
  unit: 'workday' | 'day' | 'hour';
  limit_value: number;
  /** the clock's pauses (jsonb {kind, from, to, reason}); their days are not counted as used */
  pauses: ClockPause[];
  had_alert: boolean;
}

export async function finishedSteps(db: Executor, from: Date, to: Date): Promise<FinishedStep[]> {
  const r =
    await sql<FinishedStep>`select o.id as org_id, o.name as org_name, t.completed_by, u.display_name as person_name, t.created_at, t.completed_at,
      c.due_at, c.unit, c.limit_value, c.pauses, exists (select 1 from clock_alerts a where a.clock_id = c.id) as had_alert
    from wf_tasks t join clocks c on c.id = t.clock_id left join users u on u.username = t.completed_by join org_units o on o.id = coalesce(u.org_id, t.org_id)
    where t.status = 'completed' and t.completed_at between ${from}::timestamptz and ${to}::timestamptz`.execute(db);
  return r.rows;
}

/** Red cards on steps raised in the period, with where the step stands now. */
export async function overdueSteps(db: Executor, from: Date, to: Date) {
  const r = await sql<{
    case_number: string | null;
    step: string | null;
    org_id: number;
    org_name: string;
    assignee: string | null;
    due_at: Date;
    raised_at: Date;
    completed_at: Date | null;
  }>`
    select i.business_key as case_number, coalesce(t.name, t.node) as step, o.id as org_id, o.name as org_name, coalesce(t.completed_by, t.assignee) as assignee,
      a.due_at, a.raised_at, t.completed_at
    from clock_alerts a join wf_tasks t on t.clock_id = a.clock_id join wf_instances i on i.id = t.instance_id
    left join users u on u.username = coalesce(t.completed_by, t.assignee) join org_units o on o.id = coalesce(u.org_id, t.org_id)
    where a.level = 'overdue' and a.raised_at between ${from}::timestamptz and ${to}::timestamptz
    order by a.due_at, i.business_key`.execute(db);
  return r.rows;
}

/** Yellow and red cards raised in the period, by the office of the step (or of the order). */
export async function alertsByOffice(db: Executor, from: Date, to: Date) {
  const r = await sql<{ org_id: number; org_name: string; warnings: number; overdue: number }>`
    select o.id as org_id, o.name as org_name, count(*) filter (where a.level = 'warning')::int as warnings, count(*) filter (where a.level = 'overdue')::int as overdue
    from clock_alerts a join clocks c on c.id = a.clock_id
    left join wf_tasks t on c.subject_type = 'task' and t.clock_id = c.id
    left join users u on u.username = coalesce(t.completed_by, t.assignee)
    left join supervision_orders so on c.subject_type = 'supervision_order' and so.id::text = c.subject_id
    join org_units o on o.id = coalesce(u.org_id, t.org_id, so.org_id)
    where a.raised_at between ${from}::timestamptz and ${to}::timestamptz
    group by o.id, o.name order by o.name`.execute(db);
  return r.rows;
}

/** Orders issued in the period, or closed in it. */
export async function ordersInPeriod(db: Executor, from: Date, to: Date) {
  const r = await sql<{
    number: string;
    kind: string;
    org_id: number;
    org_name: string;
    case_number: string | null;
    status: string;
    issued_at: Date;
    closed_at: Date | null;
    replied_on_time: boolean | null;
  }>`
    select so.number, so.kind, so.org_id, o.name as org_name, so.case_number, so.status, so.issued_at, so.closed_at, so.replied_on_time
    from supervision_orders so join org_units o on o.id = so.org_id
    where so.issued_at between ${from}::timestamptz and ${to}::timestamptz or so.closed_at between ${from}::timestamptz and ${to}::timestamptz
    order by so.issued_at, so.id`.execute(db);
  return r.rows;
}

export async function findSetting(db: Executor, key: string): Promise<unknown> {
  const r = await sql<{ value: unknown }>`select value from supervision_settings where key = ${key}`.execute(db);
  return r.rows[0]?.value;
}

export async function saveSetting(tx: Tx, key: string, value: unknown, userId: number): Promise<void> {
  await sql`insert into supervision_settings (key, value, updated_at, updated_by) values (${key}, ${JSON.stringify(value)}::jsonb, now(), ${userId})
    on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`.execute(
    tx,
  );
}
