/**
 * Date arithmetic in working days and calendar days. Counting never includes the day of the
 * triggering event: 民法典 §201 ¶1 — a period counted in days starts the next day.
 *
 * The *DayNumber functions are the hot path (no Date objects, no strings): adding working days
 * is a lookup into the calendar's list of working days, counting is a prefix-sum subtraction.
 */
import { AppError } from '../errors.ts';
import type { CivilDate } from '../calendar/civil-date.ts';
import { formatDayNumber, parseCivilDate } from '../calendar/civil-date.ts';
import type { WorkingCalendar } from '../calendar/working-calendar.ts';

/** The units a statutory limit is expressed in. */
export type ClockUnit = 'workday' | 'day' | 'hour';
export type DayUnit = Exclude<ClockUnit, 'hour'>;

export function assertInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n))
    throw new AppError('CLOCK_INVALID', `${what} must be a whole number, got ${n}`, [
      { path: what, message: 'must be an integer' },
    ]);
}

function beyondCoverage(calendar: WorkingCalendar, from: number, n: number): AppError {
  const message = `adding ${n} working days to ${formatDayNumber(from)} leaves the working calendar (covers ${calendar.firstYear}–${calendar.lastYear})`;
  return new AppError('CALENDAR_NOT_COVERED', message, [{ path: 'date', message }]);
}

/**
 * The n-th working day after `day` (n > 0), before it (n < 0), or `day` itself (n = 0).
 * A start on a rest day is fine: the first working day after it is day 1.
 */
export function addWorkingDayNumbers(calendar: WorkingCalendar, day: number, n: number): number {
  calendar.assertCovered(day);
  if (n === 0) return day;
  // workingBefore(day + 1) = working days up to and including `day`; that index is the first one after it.
  const k = n > 0 ? calendar.workingBefore(day + 1) + n - 1 : calendar.workingBefore(day) + n;
  const result = calendar.nthWorkingDay(k);
  if (result === undefined) throw beyondCoverage(calendar, day, n);
  return result;
}

/** Working days in (from, to]: the inverse of addWorkingDayNumbers. Negative when to < from. */
export function countWorkingDayNumbers(calendar: WorkingCalendar, from: number, to: number): number {
  calendar.assertCovered(from);
  calendar.assertCovered(to);
  return calendar.workingBefore(to + 1) - calendar.workingBefore(from + 1);
}

/** `day` if it is a working day, else the first working day after it. */
export function firstWorkingDayOnOrAfter(calendar: WorkingCalendar, day: number): number {
  return calendar.isWorkingDayNumber(day) ? day : addWorkingDayNumbers(calendar, day, 1);
}

/**
 * End of a period of n calendar days after `day`. 民法典 §203 ¶1: when the last day is a
 * statutory rest day (法定休假日, which includes weekends that are not makeup workdays), the
 * period ends on the first day after the rest — here the first working day.
 */
export function calendarDayDeadlineNumber(calendar: WorkingCalendar, day: number, n: number): number {
  return firstWorkingDayOnOrAfter(calendar, day + n);
}

export function addWorkingDays(calendar: WorkingCalendar, date: CivilDate, n: number): CivilDate {
  assertInteger(n, 'n');
  return calendar.formatDay(addWorkingDayNumbers(calendar, parseCivilDate(date), n));
}

export function countWorkingDaysBetween(calendar: WorkingCalendar, from: CivilDate, to: CivilDate): number {
  return countWorkingDayNumbers(calendar, parseCivilDate(from), parseCivilDate(to));
}

/** Plain calendar arithmetic: no calendar needed, no rest-day rule. */
export function addCalendarDays(date: CivilDate, n: number): CivilDate {
  assertInteger(n, 'n');
  return formatDayNumber(parseCivilDate(date) + n);
}

/** n calendar days after `date`, moved off a rest day per 民法典 §203. */
export function calendarDayDeadline(calendar: WorkingCalendar, date: CivilDate, n: number): CivilDate {
  assertInteger(n, 'n');
  return formatDayNumber(calendarDayDeadlineNumber(calendar, parseCivilDate(date), n));
}

export function firstWorkingDayFrom(calendar: WorkingCalendar, date: CivilDate): CivilDate {
  return formatDayNumber(firstWorkingDayOnOrAfter(calendar, parseCivilDate(date)));
}

/** The deadline n units after `date`: working days, or calendar days with the §203 rule. */
export function addDays(calendar: WorkingCalendar, date: CivilDate, n: number, unit: DayUnit): CivilDate {
  return unit === 'workday' ? addWorkingDays(calendar, date, n) : calendarDayDeadline(calendar, date, n);
}
