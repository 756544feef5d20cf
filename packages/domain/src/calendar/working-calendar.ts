/**
 * WorkingCalendar: which civil days are working days (工作日), for a contiguous range of
 * covered years. Built once from holiday data, then answered from typed arrays:
 *  - kinds[i]      what day firstDay+i is (weekday, weekend, holiday, makeup, regional rest)
 *  - prefix[i]     working days in [firstDay, firstDay+i)  — counts are one subtraction
 *  - workingDays[k] offset of the k-th working day          — "add N working days" is a lookup
 * A date outside the covered years is AppError('CALENDAR_NOT_COVERED'), never a guess:
 * a deadline computed without the year's notice may be wrong by a week (春节).
 */
import { AppError } from '../errors.ts';
import type { CivilDate } from './civil-date.ts';
import {
  dayNumberFromParts,
  formatDayNumber,
  parseCivilDate,
  tryParseCivilDate,
  weekdayOf,
  yearOf,
} from './civil-date.ts';
import type { HolidayYear } from './holiday-data.ts';

export type DayReason = 'weekday' | 'weekend' | 'holiday' | 'makeupWorkday' | 'regionalRestDay';

export interface DayClass {
  working: boolean;
  reason: DayReason;
  /** the holiday's or makeup day's festival, or the regional rest day's name */
  name?: string;
}

/** A rest day of one region layered over the national calendar (e.g. a minority-region festival). */
export interface RegionalRestDay {
  date: CivilDate;
  name: string;
  /** GB/T 2260 division code or free text; informational */
  region?: string;
}

export interface WorkingCalendarOptions {
  /** one entry per covered year; the years must be contiguous */
  years: readonly HolidayYear[];
  regionalRestDays?: readonly RegionalRestDay[];
}

const reasons: readonly DayReason[] = ['weekday', 'weekend', 'holiday', 'makeupWorkday', 'regionalRestDay'];
const WEEKDAY = 0;
const WEEKEND = 1;
const HOLIDAY = 2;
const MAKEUP = 3;
const REGIONAL = 4;

function invalid(message: string, path?: string): AppError {
  return new AppError('CALENDAR_INVALID', message, [{ message, ...(path === undefined ? {} : { path }) }]);
}

function checkYears(years: readonly HolidayYear[]): { firstYear: number; lastYear: number } {
  if (years.length === 0) throw invalid('a working calendar needs at least one year of holiday data', 'years');
  const sorted = years.map((y) => y.year).sort((a, b) => a - b);
  sorted.forEach((year, i) => {
    // Contiguous coverage keeps one prefix array valid across year boundaries.
    if (i > 0 && year !== (sorted[i - 1] ?? 0) + 1)
      throw invalid(`covered years must be contiguous and unique; got ${sorted.join(', ')}`, 'years');
  });
  return { firstYear: sorted[0] ?? 0, lastYear: sorted[sorted.length - 1] ?? 0 };
}

export class WorkingCalendar {
  readonly firstYear: number;
  readonly lastYear: number;
  /** day numbers (days since 1970-01-01) of 1 January of firstYear and 31 December of lastYear */
  readonly firstDay: number;
  readonly lastDay: number;
  readonly years: readonly HolidayYear[];
  readonly regionalRestDays: readonly RegionalRestDay[];
  private readonly kinds: Uint8Array;
  private readonly names = new Map<number, string>();
  private readonly prefix: Int32Array;
  private readonly workingDays: Int32Array;
  /** `YYYY-MM-DD` of every covered day: formatting is most of the cost of a string-in, string-out add */
  private readonly dateTexts: string[];

  constructor(options: WorkingCalendarOptions) {
    const { firstYear, lastYear } = checkYears(options.years);
    this.firstYear = firstYear;
    this.lastYear = lastYear;
    this.firstDay = dayNumberFromParts(firstYear, 1, 1);
    this.lastDay = dayNumberFromParts(lastYear, 12, 31);
    this.years = [...options.years].sort((a, b) => a.year - b.year);
    this.regionalRestDays = options.regionalRestDays ?? [];
    const length = this.lastDay - this.firstDay + 1;
    this.kinds = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      const w = weekdayOf(this.firstDay + i);
      this.kinds[i] = w === 0 || w === 6 ? WEEKEND : WEEKDAY;
    }
    for (const year of this.years) this.applyYear(year);
    this.regionalRestDays.forEach((r, i) => this.applyRegional(r, i));
    this.prefix = new Int32Array(length + 1);
    let count = 0;
    for (let i = 0; i < length; i++) {
      this.prefix[i] = count;
      const k = this.kinds[i];
      if (k === WEEKDAY || k === MAKEUP) count++;
    }
    this.prefix[length] = count;
    this.dateTexts = Array.from({ length }, (_, i) => formatDayNumber(this.firstDay + i));
    this.workingDays = new Int32Array(count);
    for (let i = 0, j = 0; i < length; i++) {
      const k = this.kinds[i];
      if (k === WEEKDAY || k === MAKEUP) this.workingDays[j++] = i;
    }
  }

  private mark(date: string, kind: number, name: string, path: string): void {
    const day = tryParseCivilDate(date);
    if (day === undefined) throw invalid(`not a date: ${date}`, path);
    if (day < this.firstDay || day > this.lastDay)
      throw invalid(`${date} is outside the covered years ${this.firstYear}–${this.lastYear}`, path);
    const i = day - this.firstDay;
    const before = this.kinds[i];
    if (before === HOLIDAY || before === MAKEUP)
      throw invalid(`${date} is listed twice (holiday and/or makeup workday)`, path);
    this.kinds[i] = kind;
    this.names.set(day, name);
  }

  private applyYear(year: HolidayYear): void {
    const check = (date: string, path: string): void => {
      const day = tryParseCivilDate(date);
      if (day !== undefined && yearOf(day) !== year.year) throw invalid(`${date} is not in year ${year.year}`, path);
    };
    year.holidays.forEach((h, i) => {
      check(h.date, `${year.year}.holidays[${i}]`);
      this.mark(h.date, HOLIDAY, h.name, `${year.year}.holidays[${i}]`);
    });
    year.makeupWorkdays.forEach((m, i) => {
      check(m.date, `${year.year}.makeupWorkdays[${i}]`);
      this.mark(m.date, MAKEUP, m.name, `${year.year}.makeupWorkdays[${i}]`);
    });
  }

  private applyRegional(rest: RegionalRestDay, index: number): void {
    const day = tryParseCivilDate(rest.date);
    const path = `regionalRestDays[${index}]`;
    if (day === undefined) throw invalid(`not a date: ${rest.date}`, path);
    if (day < this.firstDay || day > this.lastDay)
      throw invalid(`${rest.date} is outside the covered years ${this.firstYear}–${this.lastYear}`, path);
    const i = day - this.firstDay;
    // A national holiday stays a holiday; a regional rest day only takes away working days.
    if (this.kinds[i] === HOLIDAY || this.kinds[i] === WEEKEND) return;
    this.kinds[i] = REGIONAL;
    this.names.set(day, rest.name);
  }

  /** Throws CALENDAR_NOT_COVERED unless the day number is inside the covered years. */
  assertCovered(day: number): void {
    if (day < this.firstDay || day > this.lastDay || !Number.isInteger(day)) {
      const date = Number.isFinite(day) ? formatDayNumber(day) : String(day);
      const message = `${date} is outside the working calendar (covers ${this.firstYear}–${this.lastYear}); import that year's State Council notice first`;
      throw new AppError('CALENDAR_NOT_COVERED', message, [{ path: 'date', message }]);
    }
  }

  isCovered(day: number): boolean {
    return day >= this.firstDay && day <= this.lastDay;
  }

  isWorkingDayNumber(day: number): boolean {
    this.assertCovered(day);
    const k = this.kinds[day - this.firstDay];
    return k === WEEKDAY || k === MAKEUP;
  }

  classifyDayNumber(day: number): DayClass {
    this.assertCovered(day);
    const k = this.kinds[day - this.firstDay] ?? WEEKDAY;
    const reason = reasons[k] ?? 'weekday';
    const name = this.names.get(day);
    const working = k === WEEKDAY || k === MAKEUP;
    return name === undefined ? { working, reason } : { working, reason, name };
  }

  isWorkingDay(date: CivilDate): boolean {
    return this.isWorkingDayNumber(parseCivilDate(date));
  }

  classify(date: CivilDate): DayClass {
    return this.classifyDayNumber(parseCivilDate(date));
  }

  /** `YYYY-MM-DD` of a day number, from a table for covered days. */
  formatDay(day: number): CivilDate {
    return this.dateTexts[day - this.firstDay] ?? formatDayNumber(day);
  }

  /** Working days in [firstDay, day); day may be lastDay + 1. Caller checks coverage. */
  workingBefore(day: number): number {
    return this.prefix[day - this.firstDay] ?? 0;
  }

  /** Total working days covered. */
  get workingDayCount(): number {
    return this.workingDays.length;
  }

  /** Day number of the k-th (0-based) covered working day, or undefined past the coverage. */
  nthWorkingDay(k: number): number | undefined {
    const offset = this.workingDays[k];
    return offset === undefined || k < 0 ? undefined : offset + this.firstDay;
  }
}

export function createWorkingCalendar(options: WorkingCalendarOptions): WorkingCalendar {
  return new WorkingCalendar(options);
}
