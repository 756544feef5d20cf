import { sql } from 'kysely';
import type { ClockExtension, ClockPause } from '@guotu/domain';
import type { Executor } from '../../platform/db.ts';

export interface ClockRow {
  id: string;
  subjectType: string;
  subjectId: string;
  purpose: string;
  ruleKey: string | null;
  unit: 'workday' | 'day' | 'hour';
  startedAt: Date;
  limit: number;
  pauses: ClockPause[];
  extensions: ClockExtension[];
  stoppedAt: Date | null;
  dueAt: Date | null;
  dueDate: string | null;
  dueProblem: 'paused' | 'calendarNotCovered' | null;
  warnAt: Date | null;
  warnFraction: number;
  warnRemaining: number;
  version: number;
}

export interface DerivedDue {
  dueAt: Date | null;
  dueDate: string | null;
  dueProblem: ClockRow['dueProblem'];
  /** when the clock turns yellow (null: frozen, stopped, or the calendar does not cover it) */
  warnAt: Date | null;
}

function baseSelect(db: Executor) {
  return db
    .selectFrom('clocks')
    .select([
      'id',
      'subject_type',
      'subject_id',
      'purpose',
      'rule_key',
      'unit',
      'started_at',
      'limit_value',
      'pauses',
      'extensions',
      'stopped_at',
      'due_at',
      'due_date',
      'due_problem',
      'warn_at',
      'warn_fraction',
      'warn_remaining',
      'version',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof baseSelect>['executeTakeFirstOrThrow']>>;

function present(r: Row): ClockRow {
  return {
    id: String(r.id),
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    purpose: r.purpose,
    ruleKey: r.rule_key,
    unit: r.unit,
    startedAt: r.started_at,
    limit: r.limit_value,
    pauses: r.pauses as ClockPause[],
    extensions: r.extensions as ClockExtension[],
    stoppedAt: r.stopped_at,
    dueAt: r.due_at,
    dueDate: r.due_date,
    dueProblem: r.due_problem,
    warnAt: r.warn_at,
    warnFraction: r.warn_fraction,
    warnRemaining: r.warn_remaining,
    version: r.version,
  };
}

export async function insertClock(
  db: Executor,
  clock: {
    subjectType: string;
    subjectId: string;
    purpose: string;
    ruleKey: string | null;
    unit: ClockRow['unit'];
    startedAt: Date;
    limit: number;
    warnFraction: number;
    warnRemaining: number;
  } & DerivedDue,
): Promise<ClockRow> {
  const row = await db
    .insertInto('clocks')
    .values({
      subject_type: clock.subjectType,
      subject_id: clock.subjectId,
      purpose: clock.purpose,
      rule_key: clock.ruleKey,
      unit: clock.unit,
      started_at: clock.startedAt,
      limit_value: clock.limit,
      due_at: clock.dueAt,
      due_date: clock.dueDate,
      due_problem: clock.dueProblem,
      warn_at: clock.warnAt,
      warn_fraction: clock.warnFraction,
      warn_remaining: clock.warnRemaining,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return getClockForUpdate(db, String(row.id));
}

/** Locks the row: concurrent pause/resume/extend on one clock serialise. */
export async function getClockForUpdate(db: Executor, id: string): Promise<ClockRow> {
  return present(await baseSelect(db).where('id', '=', id).forUpdate().executeTakeFirstOrThrow());
}

export async function findClock(
  db: Executor,
  subject: { subjectType: string; subjectId: string; purpose: string },
): Promise<ClockRow | undefined> {
  const row = await baseSelect(db)
    .where('subject_type', '=', subject.subjectType)
    .where('subject_id', '=', subject.subjectId)
    .where('purpose', '=', subject.purpose)
    .executeTakeFirst();
  return row ? present(row) : undefined;
}

export async function listClocksOfSubject(db: Executor, subjectType: string, subjectId: string): Promise<ClockRow[]> {
  const rows = await baseSelect(db)
    .where('subject_type', '=', subjectType)
    .where('subject_id', '=', subjectId)
    .orderBy('id')
    .execute();
  return rows.map(present);
}

/** The clocks of many subjects of one type in one query, grouped by subject id. */
export async function listClocksOfSubjects(
  db: Executor,
  subjectType: string,
  subjectIds: readonly string[],
): Promise<Map<string, ClockRow[]>> {
  const bySubject = new Map<string, ClockRow[]>();
  if (subjectIds.length === 0) return bySubject;
  const rows = await baseSelect(db)
    .where('subject_type', '=', subjectType)
    .where('subject_id', 'in', [...subjectIds])
    .orderBy('id')
    .execute();
  for (const row of rows.map(present)) {
    const list = bySubject.get(row.subjectId) ?? [];
    list.push(row);
    bySubject.set(row.subjectId, list);
  }
  return bySubject;
}

export async function saveClock(
  db: Executor,
  id: string,
  patch: { pauses: ClockPause[]; extensions: ClockExtension[]; stoppedAt: Date | null } & DerivedDue,
): Promise<void> {
  await db
    .updateTable('clocks')
    .set({
      pauses: JSON.stringify(patch.pauses),
      extensions: JSON.stringify(patch.extensions),
      stopped_at: patch.stoppedAt,
      due_at: patch.dueAt,
      due_date: patch.dueDate,
      due_problem: patch.dueProblem,
      warn_at: patch.warnAt,
      computed_at: new Date(),
      version: sql<number>`version + 1`,
    })
    .where('id', '=', id)
    .execute();
}

/** Open clocks in id order, a page at a time, locked for the recomputation. */
export async function listOpenClocksForUpdate(db: Executor, afterId: string, limit: number): Promise<ClockRow[]> {
  const rows = await baseSelect(db)
    .where('stopped_at', 'is', null)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .execute();
  return rows.map(present);
}

/** Writes recomputed deadlines for many clocks in one statement. */
export async function updateDueMany(db: Executor, updates: ReadonlyArray<{ id: string } & DerivedDue>): Promise<void> {
  if (updates.length === 0) return;
  const values = sql.join(
    updates.map(
      (u) =>
        sql`(${u.id}::bigint, ${u.dueAt}::timestamptz, ${u.dueDate}::date, ${u.dueProblem}::text, ${u.warnAt}::timestamptz)`,
    ),
  );
  await sql`update clocks c set due_at = v.due_at, due_date = v.due_date, due_problem = v.due_problem, warn_at = v.warn_at, computed_at = now(), version = c.version + 1
    from (values ${values}) as v(id, due_at, due_date, due_problem, warn_at) where c.id = v.id`.execute(db);
}

/** A clock row read as JSON (`wf_load_instance` carries an open task's clock so). */
export function clockRowFromJson(
  id: string | number,
  j: Omit<ClockRow, 'id' | 'startedAt' | 'stoppedAt' | 'dueAt' | 'warnAt'> & {
    startedAt: string;
    stoppedAt: string | null;
    dueAt: string | null;
    warnAt: string | null;
  },
): ClockRow {
  const at = (v: string | null): Date | null => (v === null ? null : new Date(v));
  return {
    ...j,
    id: String(id),
    startedAt: new Date(j.startedAt),
    stoppedAt: at(j.stoppedAt),
    dueAt: at(j.dueAt),
    warnAt: at(j.warnAt),
  };
}

/** The values of a new clock row (what `insertClock` writes). */
export type NewClockValues = Parameters<typeof insertClock>[1];

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

/**
 * Batched writes for a caller that composes one statement of data-modifying CTEs (the workflow
 * host): the bodies below insert clocks and apply changes. Each is a single statement by itself.
 *
 * `insertClocksSql`: `returning id, subject_id`.
 */
export function insertClocksSql(clocks: readonly NewClockValues[]) {
  const rows = clocks.map((c) => ({
    st: c.subjectType,
    si: c.subjectId,
    p: c.purpose,
    rk: c.ruleKey,
    u: c.unit,
    sa: c.startedAt.toISOString(),
    l: c.limit,
    da: iso(c.dueAt),
    dd: c.dueDate,
    dp: c.dueProblem,
    wa: iso(c.warnAt),
    wf: c.warnFraction,
    wr: c.warnRemaining,
  }));
  return sql`insert into clocks (subject_type, subject_id, purpose, rule_key, unit, started_at, limit_value, due_at, due_date, due_problem, warn_at, warn_fraction, warn_remaining)
    select x.st, x.si, x.p, x.rk, x.u, x.sa, x.l, x.da, x.dd, x.dp, x.wa, x.wf, x.wr
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as x(st text, si text, p text, rk text, u text, sa timestamptz, l integer, da timestamptz, dd date, dp text, wa timestamptz, wf real, wr real)
    returning id, subject_id`;
}

/**
 * Saves changed clocks (what `saveClock` writes) only where the row is still the version the
 * change was computed from: `returning id` — a clock changed meanwhile is left alone, and the
 * caller applies its change again on the current row (`changeClock`).
 */
export function saveClocksIfVersionSql(
  patches: ReadonlyArray<
    {
      id: string;
      version: number;
      pauses: ClockPause[];
      extensions: ClockExtension[];
      stoppedAt: Date | null;
    } & DerivedDue
  >,
) {
  const rows = patches.map((c) => ({
    id: c.id,
    v: c.version,
    pa: c.pauses,
    ex: c.extensions,
    sa: iso(c.stoppedAt),
    da: iso(c.dueAt),
    dd: c.dueDate,
    dp: c.dueProblem,
    wa: iso(c.warnAt),
  }));
  return sql`update clocks c set pauses = x.pa, extensions = x.ex, stopped_at = x.sa, due_at = x.da, due_date = x.dd, due_problem = x.dp, warn_at = x.wa,
      computed_at = now(), version = c.version + 1
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as x(id bigint, v integer, pa jsonb, ex jsonb, sa timestamptz, da timestamptz, dd date, dp text, wa timestamptz)
    where c.id = any(${patches.map((c) => c.id)}::bigint[]) and c.id = x.id and c.version = x.v
    returning c.id`;
}
