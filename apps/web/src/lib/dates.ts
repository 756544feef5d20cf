import type { Dayjs } from 'dayjs';
import type { Locale } from '../i18n/types.ts';

// Civil dates ('YYYY-MM-DD') are Asia/Shanghai dates computed by the server. The UI only
// names them: weekday and month names come from Intl in the user's language, evaluated at
// UTC noon so the browser's own time zone can never shift the day.

function utcNoon(date: string): Date {
  return new Date(`${date}T12:00:00Z`);
}

/** 0 = Sunday … 6 = Saturday, of a civil date. */
export function weekdayOfDate(date: string): number {
  return utcNoon(date).getUTCDay();
}

const weekdayFormats = new Map<string, Intl.DateTimeFormat>();
/** "周三" / "Wed" for 0 = Sunday … 6 = Saturday. */
export function weekdayName(weekday: number, locale: Locale, style: 'short' | 'narrow' = 'short'): string {
  const key = `${locale}:${style}`;
  let format = weekdayFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { weekday: style, timeZone: 'UTC' });
    weekdayFormats.set(key, format);
  }
  // 2023-01-01 was a Sunday
  return format.format(new Date(Date.UTC(2023, 0, 1 + weekday, 12)));
}

/** "十月" / "October" for month 1…12. */
export function monthName(month: number, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2023, month - 1, 1, 12)),
  );
}

/** "2026-11-03 周二" */
export function dateWithWeekday(date: string, locale: Locale): string {
  return `${date} ${weekdayName(weekdayOfDate(date), locale)}`;
}

/** An ISO instant with offset shown as Shanghai wall-clock time "YYYY-MM-DD HH:mm". */
export function shanghaiMinute(instant: string): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return instant;
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** The pickers' format: minutes are enough for legal events. */
export const minuteFormat = 'YYYY-MM-DD HH:mm';

/**
 * A picked time as an ISO instant in Beijing time whatever the browser's zone: legal dates are
 * Asia/Shanghai (issue 3), so the wall-clock value is sent with +08:00.
 */
export const beijing = (value: Dayjs) => `${value.format('YYYY-MM-DDTHH:mm')}:00+08:00`;

const instantFormats = new Map<string, Intl.DateTimeFormat>();
/** An instant as Beijing date and time in the user's language ("2026年11月3日 23:59"). */
export function formatInstant(instant: string | null | undefined, locale: Locale): string {
  if (!instant) return '—';
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return instant;
  let format = instantFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' });
    instantFormats.set(locale, format);
  }
  return format.format(new Date(ms));
}
