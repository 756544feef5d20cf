import {
  AppError,
  cnHolidayDataset,
  createChinaWorkingCalendar,
  hasPermission,
  parseHolidayNotice,
  timeLimitRules,
  type Actor,
  type DayClass,
  type HolidayYear,
  type TimeLimitRule,
  type WorkingCalendar,
} from '@guotu/domain';
import { inTransaction, type Db, type Executor } from '../../platform/db.ts';
import { appendAudit } from '../audit/repository.ts';
import { recomputeOpenClocks } from '../clocks/service.ts';
import * as repo from './repository.ts';

/** Bundled notices and default rules into an empty (or older) database; idempotent. */
export async function ensureCalendarData(db: Db): Promise<void> {
  await repo.insertBundledYears(db, cnHolidayDataset.years);
  await repo.insertDefaultRules(db, timeLimitRules);
}

/**
 * The working calendar as the database defines it (bundled + imported years + regional rest
 * days), cached per process. Every node re-reads a cheap stamp at most every `recheckMs`, so an
 * import on one node reaches the others within that time; the importing node sees it at once.
 */
export class CalendarProvider {
  private cached: { stamp: string; calendar: WorkingCalendar; checkedAt: number } | null = null;

  constructor(
    private readonly db: Db,
    private readonly recheckMs = 2_000,
  ) {}

  async get(executor: Executor = this.db): Promise<WorkingCalendar> {
    const now = Date.now();
    if (this.cached && executor === this.db && now - this.cached.checkedAt < this.recheckMs)
      return this.cached.calendar;
    const stamp = await repo.calendarStamp(executor);
    if (this.cached && this.cached.stamp === stamp) {
      this.cached.checkedAt = now;
      return this.cached.calendar;
    }
    const calendar = await buildCalendar(executor);
    if (executor === this.db) this.cached = { stamp, calendar, checkedAt: now };
    return calendar;
  }

  invalidate(): void {
    this.cached = null;
  }
}

export async function buildCalendar(db: Executor): Promise<WorkingCalendar> {
  const years = await repo.listCalendarYears(db);
  const regionalRestDays = await repo.listRegionalRestDays(db);
  return createChinaWorkingCalendar({ importedYears: years.map((y) => y.data), regionalRestDays });
}

export interface CalendarYearView {
  year: number;
  origin: 'bundled' | 'imported';
  notice: HolidayYear['notice'];
  published: HolidayYear['published'];
  url: HolidayYear['url'];
  checked: HolidayYear['checked'] | null;
  workingDays: number;
  days: Array<{ date: string } & DayClass>;
}

export async function getCalendarYear(
  provider: CalendarProvider,
  db: Db,
  actor: Actor,
  year: number,
): Promise<CalendarYearView> {
  if (!hasPermission(actor, 'calendar.read')) throw new AppError('FORBIDDEN', 'requires permission calendar.read');
  const row = await repo.findCalendarYear(db, year);
  if (!row)
    throw new AppError(
      'CALENDAR_NOT_COVERED',
      `the calendar does not cover ${year}; import the State Council notice for that year`,
    );
  const calendar = await provider.get();
  const days: CalendarYearView['days'] = [];
  for (let d = new Date(Date.UTC(year, 0, 1)); d.getUTCFullYear() === year; d.setUTCDate(d.getUTCDate() + 1)) {
    const date = d.toISOString().slice(0, 10);
    days.push({ date, ...calendar.classify(date) });
  }
  return {
    year,
    origin: row.origin,
    notice: row.data.notice,
    published: row.data.published,
    url: row.data.url,
    checked: row.data.checked ?? null,
    workingDays: days.filter((d) => d.working).length,
    days,
  };
}

export async function listCoveredYears(db: Db) {
  const years = await repo.listCalendarYears(db);
  return years.map((y) => ({
    year: y.year,
    origin: y.origin,
    notice: y.data.notice,
    importedAt: y.importedAt.toISOString(),
  }));
}

/**
 * Imports a year's notice (JSON or the text form). One transaction: the year, the audit record
 * with before/after, and every open clock recomputed against the new calendar.
 */
export async function importCalendarYear(
  provider: CalendarProvider,
  db: Db,
  actor: Actor | null,
  input: { text: string; expectedYear?: number },
): Promise<{ year: number; recomputedClocks: number; changedClocks: number }> {
  if (actor && !hasPermission(actor, 'calendar.manage'))
    throw new AppError('FORBIDDEN', 'requires permission calendar.manage');
  const parsed = parseHolidayNotice(input.text);
  if (input.expectedYear !== undefined && parsed.year !== input.expectedYear) {
    throw new AppError('CALENDAR_INVALID', `the notice is for ${parsed.year}, not ${input.expectedYear}`, [
      { path: 'body.text', message: `year ${parsed.year} ≠ ${input.expectedYear}` },
    ]);
  }
  const result = await inTransaction(db, async (tx) => {
    const before = await repo.findCalendarYear(tx, parsed.year);
    await repo.upsertImportedYear(tx, parsed, actor?.userId ?? null);
    const calendar = await buildCalendar(tx);
    const recomputed = await recomputeOpenClocks(tx, calendar, new Date());
    await appendAudit(tx, {
      actorId: actor?.userId ?? null,
      actorName: actor?.username ?? 'cli',
      requestId: actor?.requestId ?? null,
      action: 'calendar.year_imported',
      entityType: 'calendar_year',
      entityId: parsed.year,
      before: before?.data ?? null,
      after: { ...parsed, recomputedClocks: recomputed.total, changedClocks: recomputed.changed },
    });
    return { year: parsed.year, recomputedClocks: recomputed.total, changedClocks: recomputed.changed };
  });
  provider.invalidate();
  return result;
}

export async function listRules(db: Db, actor: Actor): Promise<TimeLimitRule[]> {
  if (!hasPermission(actor, 'calendar.read')) throw new AppError('FORBIDDEN', 'requires permission calendar.read');
  return repo.listTimeLimitRules(db);
}

export async function updateRule(
  db: Db,
  actor: Actor,
  key: string,
  patch: { limit?: number; extension?: number | null; notes?: string | null },
): Promise<TimeLimitRule> {
  if (!hasPermission(actor, 'calendar.manage')) throw new AppError('FORBIDDEN', 'requires permission calendar.manage');
  return inTransaction(db, async (tx) => {
    const before = await repo.findTimeLimitRule(tx, key);
    if (!before) throw new AppError('NOT_FOUND', `no time-limit rule ${key}`);
    await repo.updateTimeLimitRule(tx, key, patch, actor.userId);
    const after = await repo.findTimeLimitRule(tx, key);
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      requestId: actor.requestId,
      action: 'time_limit_rule.updated',
      entityType: 'time_limit_rule',
      entityId: key,
      before,
      after,
    });
    if (!after) throw new AppError('INTERNAL', 'rule vanished during update');
    return after;
  });
}

export async function listRegionalRestDays(db: Db, actor: Actor) {
  if (!hasPermission(actor, 'calendar.read')) throw new AppError('FORBIDDEN', 'requires permission calendar.read');
  return repo.listRegionalRestDays(db);
}

/**
 * Adds or removes a regional rest day (a local holiday layered on the national calendar, e.g.
 * a minority-region festival). One transaction: the day, every open clock recomputed, the audit.
 */
export async function changeRegionalRestDay(
  provider: CalendarProvider,
  db: Db,
  actor: Actor,
  change: { op: 'add' | 'remove'; date: string; name?: string; region?: string | null },
): Promise<{ recomputedClocks: number; changedClocks: number }> {
  if (!hasPermission(actor, 'calendar.manage')) throw new AppError('FORBIDDEN', 'requires permission calendar.manage');
  const result = await inTransaction(db, async (tx) => {
    if (change.op === 'add') {
      const existing = (await repo.listRegionalRestDays(tx)).find(
        (d) => d.date === change.date && (d.region ?? null) === (change.region ?? null),
      );
      if (existing)
        throw new AppError('CONFLICT', `${change.date} is already a rest day there`, [
          { path: 'body.date', message: 'already a regional rest day' },
        ]);
      await repo.insertRegionalRestDay(tx, {
        date: change.date,
        name: change.name ?? '',
        ...(change.region ? { region: change.region } : {}),
      });
    } else if ((await repo.deleteRegionalRestDay(tx, change.date, change.region ?? null)) === 0) {
      throw new AppError('NOT_FOUND', `no regional rest day on ${change.date}`);
    }
    const calendar = await buildCalendar(tx);
    const recomputed = await recomputeOpenClocks(tx, calendar, new Date());
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      requestId: actor.requestId,
      action: `calendar.regional_rest_day_${change.op === 'add' ? 'added' : 'removed'}`,
      entityType: 'regional_rest_day',
      entityId: change.date,
      after: { ...change, recomputedClocks: recomputed.total },
    });
    return { recomputedClocks: recomputed.total, changedClocks: recomputed.changed };
  });
  provider.invalidate();
  return result;
}
