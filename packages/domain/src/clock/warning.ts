/**
 * When a clock turns yellow (预警/黄牌): the first instant at which evaluateClock would say
 * `dueSoon` — so supervision can store it and classify millions of clocks with a plain
 * comparison in SQL instead of re-doing date arithmetic (DESIGN §Clocks: supervision reads the
 * clocks, it never re-implements date math).
 *
 * Day units: dueSoon holds from 00:00 (Shanghai) of the day on which the k-th counted unit
 * falls, k = min(ceil(fraction × total), total − remaining), at least 1 — the same test
 * evaluateClock applies (elapsed ≥ fraction × total, or remaining ≤ the threshold; elapsed
 * counts the current day). Hours: after k = min(fraction × total, total − remaining) un-paused hours.
 * A clock frozen by an open pause, or stopped, has no warning instant.
 */
import { shanghaiEndOfDayMs } from '../calendar/civil-date.ts';
import type { Instant } from '../calendar/civil-date.ts';
import type { WorkingCalendar } from '../calendar/working-calendar.ts';
import type { Clock, DueSoonOptions } from './clock-types.ts';
import { normalizeClock } from './clock-normalize.ts';
import { dueDayNumber, dueMsForHours } from './evaluate-clock.ts';

const defaultFraction = 0.8;
const defaultRemaining = 1;

export function warningInstantMs(
  calendar: WorkingCalendar,
  clock: Clock,
  now: Instant,
  options: DueSoonOptions = {},
): number | null {
  const c = normalizeClock(clock, now);
  if (c.stopped) return null;
  const total = c.limit + c.extended;
  const fraction = options.elapsedFraction ?? defaultFraction;
  const remaining = options.remaining ?? defaultRemaining;
  if (c.unit === 'hour') {
    const hours = Math.max(0, Math.min(fraction * total, total - remaining));
    return dueMsForHours(c, hours);
  }
  const k = Math.max(1, Math.min(Math.ceil(fraction * total - 1e-9), total - remaining));
  const day = dueDayNumber(calendar, c, k);
  if (day === null) return null;
  // 00:00 Shanghai of that day = the end of the previous day + 1 ms
  return shanghaiEndOfDayMs(day - 1) + 1;
}
