/**
 * evaluateClock: due date, elapsed, remaining and state of a clock at an instant.
 *
 * Day units (workday, day): counting starts the day after the start (民法典 §201 ¶1); days in
 * a pause are skipped (行政许可法 §45); the deadline ends 23:59:59.999 Shanghai on the due day.
 * A calendar-day period ending on a rest day moves to the next working day (民法典 §203 ¶1).
 * Hours: real elapsed hours from the start instant (民法典 §201 ¶2), minus paused time.
 */
import type { Instant } from '../calendar/civil-date.ts';
import { formatDayNumber, formatShanghaiInstant, shanghaiEndOfDayMs, toShanghaiDate } from '../calendar/civil-date.ts';
import type { WorkingCalendar } from '../calendar/working-calendar.ts';
import type { Clock, ClockEvaluation, ClockState, DueMoment, EvaluateOptions } from './clock-types.ts';
import type { NormalizedClock, Range } from './clock-normalize.ts';
import { normalizeClock } from './clock-normalize.ts';
import type { DayUnit } from './day-arithmetic.ts';
import { addWorkingDayNumbers, countWorkingDayNumbers, firstWorkingDayOnOrAfter } from './day-arithmetic.ts';

const msPerHour = 3_600_000;
// Default warning threshold (黄牌): 80 % of the limit used, or one unit left, whichever first.
const defaultElapsedFraction = 0.8;
const defaultRemaining = 1;

/** Counted units in (from, to], before pauses. */
function countUnits(calendar: WorkingCalendar, unit: DayUnit, from: number, to: number): number {
  return unit === 'workday' ? countWorkingDayNumbers(calendar, from, to) : to - from;
}

/** Counted units in (from, to] minus the days inside skip ranges. */
export function countCountedDays(
  calendar: WorkingCalendar,
  unit: DayUnit,
  span: Range,
  skips: readonly Range[],
): number {
  const { a: from, b: to } = span;
  if (to <= from) return 0;
  let counted = countUnits(calendar, unit, from, to);
  for (const s of skips) {
    const lo = Math.max(s.a - 1, from);
    const hi = Math.min(s.b, to);
    if (hi > lo) counted -= countUnits(calendar, unit, lo, hi);
  }
  return counted;
}

/**
 * The day on which the `total`-th counted unit after startDay falls, or null when an open
 * pause (skip range to Infinity) freezes the clock first. O(number of pauses).
 */
export function dueDayNumber(
  calendar: WorkingCalendar,
  clock: Pick<NormalizedClock, 'unit' | 'startDay' | 'skips'>,
  total: number,
): number | null {
  const unit: DayUnit = clock.unit === 'workday' ? 'workday' : 'day';
  let cursor = clock.startDay;
  let need = total;
  for (const skip of clock.skips) {
    if (skip.b <= cursor) continue;
    const lastBefore = Math.max(skip.a - 1, cursor);
    const available = countUnits(calendar, unit, cursor, lastBefore);
    if (need <= available) break;
    need -= available;
    if (skip.b === Infinity) return null;
    cursor = skip.b;
  }
  if (unit === 'workday') return addWorkingDayNumbers(calendar, cursor, need);
  // 民法典 §203 ¶1: a period ending on a statutory rest day ends on the next working day.
  const lastCounted = cursor + need;
  let end = firstWorkingDayOnOrAfter(calendar, lastCounted);
  // A pause that begins during that carry-over holds it too: the period then ends on the first
  // working day after the pause (skips are sorted and merged, so one pass handles a chain).
  for (const skip of clock.skips) {
    if (skip.a <= lastCounted || skip.a > end) continue;
    if (skip.b === Infinity) return null;
    end = firstWorkingDayOnOrAfter(calendar, skip.b + 1);
  }
  return end;
}

/** Hours: the instant when `total` hours of un-paused time have passed, or null if frozen. */
export function dueMsForHours(clock: Pick<NormalizedClock, 'startMs' | 'skips'>, total: number): number | null {
  let cursor = clock.startMs;
  let need = total * msPerHour;
  for (const skip of clock.skips) {
    if (skip.b <= cursor) continue;
    const available = Math.max(skip.a, cursor) - cursor;
    if (need <= available) break;
    need -= available;
    if (skip.b === Infinity) return null;
    cursor = skip.b;
  }
  return cursor + need;
}

function overlapMs(skips: readonly Range[], from: number, to: number): number {
  let sum = 0;
  for (const s of skips) sum += Math.max(0, Math.min(s.b, to) - Math.max(s.a, from));
  return sum;
}

export function dueMoment(epochMs: number): DueMoment {
  return { date: toShanghaiDate(epochMs), instant: formatShanghaiInstant(epochMs), epochMs };
}

interface Measures {
  due: number | null;
  projected: number | null;
  elapsed: number;
  remaining: number;
  pausedUnits: number;
}

/** With an open pause, the clock as if that pause ended at asOf. */
function resumedAtAsOf(clock: NormalizedClock): NormalizedClock {
  if (clock.unit === 'hour')
    return { ...clock, skips: clock.skips.map((s) => ({ a: s.a, b: Math.min(s.b, clock.asOfMs) })) };
  return { ...clock, skips: clock.skips.map((s) => ({ a: s.a, b: Math.min(s.b, clock.asOfDay) })) };
}

function measureDays(calendar: WorkingCalendar, clock: NormalizedClock, total: number): Measures {
  const unit: DayUnit = clock.unit === 'workday' ? 'workday' : 'day';
  const { startDay, skips } = clock;
  // Evaluated before the start (a clock entered ahead of time): nothing elapsed, the full total left.
  const asOfDay = Math.max(clock.asOfDay, startDay);
  const dueDay = dueDayNumber(calendar, clock, total);
  const projectedDay = dueDay === null ? dueDayNumber(calendar, resumedAtAsOf(clock), total) : null;
  const elapsed = countCountedDays(calendar, unit, { a: startDay, b: asOfDay }, skips);
  let remaining = total - elapsed;
  if (dueDay !== null) {
    remaining =
      asOfDay <= dueDay
        ? countCountedDays(calendar, unit, { a: asOfDay, b: dueDay }, skips)
        : 0 - countCountedDays(calendar, unit, { a: dueDay, b: asOfDay }, skips); // 0 - x, not -x: no -0 in JSON
  }
  const all = asOfDay > startDay ? countUnits(calendar, unit, startDay, asOfDay) : 0;
  return {
    due: dueDay === null ? null : shanghaiEndOfDayMs(dueDay),
    projected: projectedDay === null ? null : shanghaiEndOfDayMs(projectedDay),
    elapsed,
    remaining,
    pausedUnits: all - elapsed,
  };
}

function measureHours(clock: NormalizedClock, total: number): Measures {
  const due = dueMsForHours(clock, total);
  const projected = due === null ? dueMsForHours(resumedAtAsOf(clock), total) : null;
  const span = Math.max(0, clock.asOfMs - clock.startMs);
  const paused = overlapMs(clock.skips, clock.startMs, Math.max(clock.startMs, clock.asOfMs));
  const elapsed = (span - paused) / msPerHour;
  const remaining = due === null ? total - elapsed : (due - Math.max(clock.asOfMs, clock.startMs)) / msPerHour;
  return { due, projected, elapsed, remaining, pausedUnits: paused / msPerHour };
}

function stateOf(clock: NormalizedClock, m: Measures, total: number, options: EvaluateOptions): ClockState {
  if (clock.stopped) return 'stopped';
  if (m.due !== null && clock.asOfMs > m.due) return 'overdue';
  if (clock.pauses.some((p) => p.fromMs <= clock.asOfMs && clock.asOfMs < p.toMs)) return 'paused';
  const fraction = options.dueSoon?.elapsedFraction ?? defaultElapsedFraction;
  const left = options.dueSoon?.remaining ?? defaultRemaining;
  if (m.elapsed >= fraction * total || m.remaining <= left) return 'dueSoon';
  return 'running';
}

/** Evaluates a clock as of `now` (or as of its stop, when it stopped before now). */
export function evaluateClock(
  calendar: WorkingCalendar,
  clock: Clock,
  now: Instant,
  options: EvaluateOptions = {},
): ClockEvaluation {
  const c = normalizeClock(clock, now);
  return evaluateNormalized(calendar, c, options);
}

export function evaluateNormalized(
  calendar: WorkingCalendar,
  c: NormalizedClock,
  options: EvaluateOptions = {},
): ClockEvaluation {
  const total = c.limit + c.extended;
  const m = c.unit === 'hour' ? measureHours(c, total) : measureDays(calendar, c, total);
  return {
    unit: c.unit,
    limit: c.limit,
    extended: c.extended,
    total,
    state: stateOf(c, m, total, options),
    asOf: formatShanghaiInstant(c.asOfMs),
    startDate: formatDayNumber(c.startDay),
    due: m.due === null ? null : dueMoment(m.due),
    projectedDue: m.projected === null ? null : dueMoment(m.projected),
    elapsed: m.elapsed,
    remaining: m.remaining,
    paused: c.pauses.some((p) => p.fromMs <= c.asOfMs && c.asOfMs < p.toMs),
    pausedUnits: m.pausedUnits,
    late: c.stopped && m.due !== null && c.asOfMs > m.due,
  };
}
