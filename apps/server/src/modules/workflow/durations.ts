import { addWorkingDays, parseCivilDate, shanghaiDayNumber, toShanghaiDate, type WorkingCalendar } from '@guotu/domain';
import type { TimerSpec } from '@guotu/engine';

/**
 * Time for the workflow host: a task's `guotu:timeLimit` becomes a statutory clock (unit + limit),
 * and a timer spec becomes a due instant — working days through the calendar of @guotu/domain,
 * natural time by plain arithmetic. Pure functions; the calendar is passed in.
 */

interface Parts {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export function parseIsoDuration(text: string): Parts | undefined {
  const m = DURATION.exec(text.trim());
  if (!m || text.trim() === 'P' || text.trim().endsWith('T')) return undefined;
  const n = (i: number): number => Number(m[i] ?? 0);
  return { years: n(1), months: n(2), weeks: n(3), days: n(4), hours: n(5), minutes: n(6), seconds: n(7) };
}

/** `P5D` + workday → 5 working days; `P10D` natural → 10 days; `PT4H` → 4 hours. */
export function clockOfTimeLimit(
  timeLimit: string,
  calendar: string | undefined,
): { unit: 'workday' | 'day' | 'hour'; limit: number } | undefined {
  const p = parseIsoDuration(timeLimit);
  if (!p || p.years > 0 || p.months > 0) return undefined;
  const days = p.weeks * 7 + p.days;
  const sub = p.hours * 3600 + p.minutes * 60 + p.seconds;
  if (sub === 0 && days > 0) return { unit: calendar === 'workday' ? 'workday' : 'day', limit: days };
  const hours = Math.ceil(days * 24 + sub / 3600);
  return hours > 0 ? { unit: 'hour', limit: hours } : undefined;
}

function addNatural(fromMs: number, p: Parts): number {
  const d = new Date(fromMs);
  if (p.years) d.setUTCFullYear(d.getUTCFullYear() + p.years);
  if (p.months) d.setUTCMonth(d.getUTCMonth() + p.months);
  return d.getTime() + (((p.weeks * 7 + p.days) * 24 + p.hours) * 60 + p.minutes) * 60_000 + p.seconds * 1000;
}

/**
 * Due instant of a timer (StepOptions.resolveDue). `guotu:calendar="workday"`: whole days count
 * as working days at the same Shanghai time of day (P3D on a Friday 10:00 → Wednesday 10:00,
 * skipping the weekend and holidays); the time part is natural. A deadline beyond the calendar's
 * years throws CALENDAR_NOT_COVERED — never a guess.
 */
export function resolveTimerDue(calendar: WorkingCalendar, spec: TimerSpec, now: string): string | undefined {
  const nowMs = Date.parse(now);
  if (spec.kind === 'date') {
    const at = Date.parse(spec.value);
    return Number.isNaN(at) ? undefined : new Date(at).toISOString();
  }
  const text = spec.kind === 'cycle' ? (spec.value.split('/').pop() ?? '') : spec.value;
  const p = parseIsoDuration(text);
  if (!p) return undefined;
  if (spec.calendar !== 'workday') return new Date(addNatural(nowMs, p)).toISOString();
  const workdays = p.weeks * 5 + p.days;
  const today = shanghaiDayNumber(nowMs);
  const target = workdays > 0 ? parseCivilDate(addWorkingDays(calendar, toShanghaiDate(nowMs), workdays)) : today;
  return new Date(addNatural(nowMs + (target - today) * 86_400_000, { ...p, weeks: 0, days: 0 })).toISOString();
}
