import type { HolidayYear, RegionalRestDay, TimeLimitRule } from '@guotu/domain';
import type { Executor } from '../../platform/db.ts';

export async function listCalendarYears(db: Executor) {
  const rows = await db
    .selectFrom('calendar_years')
    .select(['year', 'data', 'origin', 'imported_at'])
    .orderBy('year')
    .execute();
  return rows.map((r) => ({ year: r.year, data: r.data as HolidayYear, origin: r.origin, importedAt: r.imported_at }));
}

export async function findCalendarYear(db: Executor, year: number) {
  const row = await db
    .selectFrom('calendar_years')
    .select(['year', 'data', 'origin', 'imported_at'])
    .where('year', '=', year)
    .executeTakeFirst();
  return row
    ? { year: row.year, data: row.data as HolidayYear, origin: row.origin, importedAt: row.imported_at }
    : undefined;
}

export async function insertBundledYears(db: Executor, years: readonly HolidayYear[]): Promise<number> {
  if (years.length === 0) return 0;
  const result = await db
    .insertInto('calendar_years')
    .values(years.map((y) => ({ year: y.year, data: JSON.stringify(y), origin: 'bundled' as const })))
    .onConflict((oc) => oc.column('year').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

export async function upsertImportedYear(db: Executor, year: HolidayYear, userId: number | null): Promise<void> {
  await db
    .insertInto('calendar_years')
    .values({
      year: year.year,
      data: JSON.stringify(year),
      origin: 'imported',
      imported_by: userId,
      imported_at: new Date(),
    })
    .onConflict((oc) =>
      oc
        .column('year')
        .doUpdateSet({ data: JSON.stringify(year), origin: 'imported', imported_by: userId, imported_at: new Date() }),
    )
    .execute();
}

export async function listRegionalRestDays(db: Executor): Promise<RegionalRestDay[]> {
  const rows = await db.selectFrom('regional_rest_days').select(['date', 'name', 'region']).orderBy('date').execute();
  return rows.map((r) => ({ date: r.date, name: r.name, ...(r.region ? { region: r.region } : {}) }));
}

export async function insertRegionalRestDay(db: Executor, day: RegionalRestDay): Promise<void> {
  await db
    .insertInto('regional_rest_days')
    .values({ date: day.date, name: day.name, region: day.region ?? null })
    .execute();
}

export async function deleteRegionalRestDay(db: Executor, date: string, region: string | null): Promise<number> {
  let query = db.deleteFrom('regional_rest_days').where('date', '=', date);
  query = region === null ? query.where('region', 'is', null) : query.where('region', '=', region);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Stamp read by every node: when it changes, cached calendars are rebuilt. */
export async function calendarStamp(db: Executor): Promise<string> {
  const years = await db
    .selectFrom('calendar_years')
    .select((eb) => [eb.fn.max('imported_at').as('t'), eb.fn.countAll<number>().as('n')])
    .executeTakeFirst();
  const days = await db
    .selectFrom('regional_rest_days')
    .select((eb) => [eb.fn.max('created_at').as('t'), eb.fn.countAll<number>().as('n')])
    .executeTakeFirst();
  return JSON.stringify([years?.t ?? null, String(years?.n ?? 0), days?.t ?? null, String(days?.n ?? 0)]);
}

function presentRule(r: {
  key: string;
  name: string;
  unit: 'workday' | 'day' | 'hour';
  limit_value: number;
  extension: number | null;
  kind: 'statutoryLimit' | 'promisedLimit';
  law: string;
  article: string;
  notes: string | null;
}): TimeLimitRule {
  return {
    key: r.key,
    name: r.name,
    unit: r.unit,
    limit: r.limit_value,
    extension: r.extension,
    kind: r.kind,
    source: { law: r.law, article: r.article },
    ...(r.notes ? { notes: r.notes } : {}),
  };
}

export async function listTimeLimitRules(db: Executor): Promise<TimeLimitRule[]> {
  const rows = await db.selectFrom('time_limit_rules').selectAll().orderBy('key').execute();
  return rows.map(presentRule);
}

export async function findTimeLimitRule(db: Executor, key: string): Promise<TimeLimitRule | undefined> {
  const row = await db.selectFrom('time_limit_rules').selectAll().where('key', '=', key).executeTakeFirst();
  return row ? presentRule(row) : undefined;
}

export async function insertDefaultRules(db: Executor, rules: readonly TimeLimitRule[]): Promise<void> {
  if (rules.length === 0) return;
  await db
    .insertInto('time_limit_rules')
    .values(
      rules.map((r) => ({
        key: r.key,
        name: r.name,
        unit: r.unit,
        limit_value: r.limit,
        extension: r.extension,
        kind: r.kind,
        law: r.source.law,
        article: r.source.article,
        notes: r.notes ?? null,
      })),
    )
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

export async function updateTimeLimitRule(
  db: Executor,
  key: string,
  patch: { limit?: number; extension?: number | null; notes?: string | null },
  userId: number,
): Promise<void> {
  await db
    .updateTable('time_limit_rules')
    .set({
      ...(patch.limit !== undefined ? { limit_value: patch.limit } : {}),
      ...(patch.extension !== undefined ? { extension: patch.extension } : {}),
      ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
      updated_at: new Date(),
      updated_by: userId,
    })
    .where('key', '=', key)
    .execute();
}
