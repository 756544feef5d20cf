/**
 * Civil dates and Shanghai instants without Date objects in the hot path.
 *
 * A civil date is a `YYYY-MM-DD` string (Asia/Shanghai). Internally a date is a *day number*:
 * days since 1970-01-01 (proleptic Gregorian), so date arithmetic is integer arithmetic.
 * China has observed no daylight-saving time since 1991, so Shanghai is UTC+8 for every date
 * we can cover (2004 onward): converting an instant is a fixed offset, independent of the
 * process time zone (GB/T 7408 / the State Council's 北京时间).
 */
import { AppError } from '../errors.ts';

/** `YYYY-MM-DD`, a civil date in Asia/Shanghai. */
export type CivilDate = string;
/** An instant: a Date, epoch milliseconds, or an ISO 8601 string that carries an offset. */
export type Instant = Date | number | string;

export const msPerDay = 86_400_000;
/** UTC+8, fixed: no DST in China since 1991. */
export const shanghaiOffsetMs = 8 * 3_600_000;

/** Days from 1970-01-01 to y-m-d (H. Hinnant's days_from_civil; exact for all Gregorian dates). */
export function dayNumberFromParts(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export interface CivilParts {
  year: number;
  month: number;
  day: number;
}

/** Inverse of dayNumberFromParts (civil_from_days). */
export function partsFromDayNumber(dayNumber: number): CivilParts {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    value = value * 10 + c;
  }
  return value;
}

/** Parses `YYYY-MM-DD` to a day number, or returns undefined when it is not a real date. */
export function tryParseCivilDate(text: string): number | undefined {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return dayNumberFromParts(year, month, day);
}

/** Parses `YYYY-MM-DD`; a malformed or impossible date (2025-02-29) is CLOCK_INVALID. */
export function parseCivilDate(text: string): number {
  const dayNumber = tryParseCivilDate(text);
  if (dayNumber === undefined) {
    throw new AppError('CLOCK_INVALID', `not a civil date (YYYY-MM-DD): ${JSON.stringify(text)}`, [
      { message: 'expected YYYY-MM-DD' },
    ]);
  }
  return dayNumber;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

export function formatDayNumber(dayNumber: number): CivilDate {
  const { year, month, day } = partsFromDayNumber(dayNumber);
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

export function isWeekend(dayNumber: number): boolean {
  const w = weekdayOf(dayNumber);
  return w === 0 || w === 6;
}

export function yearOf(dayNumber: number): number {
  return partsFromDayNumber(dayNumber).year;
}

// An offset is required: a bare local time would be read in the process time zone.
const isoWithOffset = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Epoch milliseconds of an instant; a string must be ISO 8601 with `Z` or an offset. */
export function toEpochMs(instant: Instant): number {
  let ms: number;
  if (typeof instant === 'number') ms = instant;
  else if (instant instanceof Date) ms = instant.getTime();
  else if (isoWithOffset.test(instant)) ms = Date.parse(instant);
  else ms = Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new AppError('CLOCK_INVALID', `not an instant with a time zone: ${String(instant)}`, [
      { message: 'expected a Date, epoch milliseconds or ISO 8601 with Z or +08:00' },
    ]);
  }
  return ms;
}

/** Day number of the Shanghai civil date containing the instant. */
export function shanghaiDayNumber(instant: Instant): number {
  return Math.floor((toEpochMs(instant) + shanghaiOffsetMs) / msPerDay);
}

export interface ShanghaiDateTime {
  date: CivilDate;
  /** `HH:mm:ss.SSS` wall-clock time in Shanghai */
  time: string;
  dayNumber: number;
  /** milliseconds since Shanghai midnight */
  msOfDay: number;
}

/** Shanghai civil date and wall time of an instant, whatever the process TZ is. */
export function toShanghai(instant: Instant): ShanghaiDateTime {
  const local = toEpochMs(instant) + shanghaiOffsetMs;
  const dayNumber = Math.floor(local / msPerDay);
  const msOfDay = local - dayNumber * msPerDay;
  const h = Math.floor(msOfDay / 3_600_000);
  const m = Math.floor(msOfDay / 60_000) % 60;
  const s = Math.floor(msOfDay / 1000) % 60;
  const ms = msOfDay % 1000;
  const time = `${pad2(h)}:${pad2(m)}:${pad2(s)}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}`;
  return { date: formatDayNumber(dayNumber), time, dayNumber, msOfDay };
}

export function toShanghaiDate(instant: Instant): CivilDate {
  return formatDayNumber(shanghaiDayNumber(instant));
}

/** Epoch ms of 00:00:00.000 Shanghai on the day. */
export function shanghaiStartOfDayMs(dayNumber: number): number {
  return dayNumber * msPerDay - shanghaiOffsetMs;
}

/** Epoch ms of 23:59:59.999 Shanghai on the day: a day-unit deadline ends then. */
export function shanghaiEndOfDayMs(dayNumber: number): number {
  return shanghaiStartOfDayMs(dayNumber + 1) - 1;
}

/** ISO 8601 in Shanghai wall time with an explicit +08:00 offset (what the API returns). */
export function formatShanghaiInstant(epochMs: number): string {
  const { date, time } = toShanghai(epochMs);
  return `${date}T${time}+08:00`;
}
