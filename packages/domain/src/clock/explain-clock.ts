/**
 * Explanations: every calendar day from the start to the deadline, counted or skipped and why
 * (weekend, the holiday's name, the pause and its reason, a makeup workday, which extension
 * a day belongs to), plus the events on the way. Compact JSON for the API and a UI timeline.
 */
import type { CivilDate, Instant } from '../calendar/civil-date.ts';
import {
  formatDayNumber,
  formatShanghaiInstant,
  parseCivilDate,
  shanghaiDayNumber,
  weekdayOf,
} from '../calendar/civil-date.ts';
import { AppError } from '../errors.ts';
import type { WorkingCalendar } from '../calendar/working-calendar.ts';
import type { Clock, ClockEvaluation, ClockEvent, EvaluateOptions, ExplainedDay } from './clock-types.ts';
import type { NormalizedClock, NormalizedExtension, NormalizedPause } from './clock-normalize.ts';
import { normalizeClock } from './clock-normalize.ts';
import type { DayUnit } from './day-arithmetic.ts';
import { addDays, assertInteger } from './day-arithmetic.ts';
import { evaluateNormalized } from './evaluate-clock.ts';

/** A timeline longer than ten years is a data error, not a case; refuse rather than allocate. */
const maxExplainedDays = 3660;

export interface ExplainedSegment {
  from: string;
  to: string;
  counted: boolean;
  hours: number;
  pause?: number;
  pauseKind?: string;
  pauseReason?: string;
}

export interface ClockExplanation {
  evaluation: ClockEvaluation;
  /** day units: one entry per calendar day from the start day to the due (or projected) day */
  days: ExplainedDay[];
  /** hours: counted and paused stretches of time */
  segments: ExplainedSegment[];
  events: ClockEvent[];
}

interface DayWalk {
  unit: DayUnit;
  startDay: number;
  endDay: number;
  limit: number;
  total: number;
  pauses: readonly NormalizedPause[];
  extensions: readonly NormalizedExtension[];
}

function extensionFor(ordinal: number, walk: DayWalk): number | undefined {
  let upTo = walk.limit;
  for (const e of walk.extensions) {
    if (ordinal > upTo && ordinal <= upTo + e.amount) return e.index;
    upTo += e.amount;
  }
  return undefined;
}

function explainOne(calendar: WorkingCalendar, walk: DayWalk, day: number, ordinal: number): ExplainedDay {
  const base = { date: formatDayNumber(day), weekday: weekdayOf(day) };
  if (day === walk.startDay)
    return { ...base, counted: false, reason: 'start', rule: '民法典 §201: counting starts the day after the event' };
  const pause = walk.pauses.find((p) => p.fromDay < day && day <= p.toDay);
  if (pause)
    return {
      ...base,
      counted: false,
      reason: 'paused',
      pause: pause.index,
      pauseKind: pause.kind,
      pauseReason: pause.reason,
    };
  const cls = calendar.classifyDayNumber(day);
  const named = cls.name === undefined ? base : { ...base, name: cls.name };
  if (ordinal >= walk.total)
    return {
      ...named,
      counted: false,
      reason: 'restDayRule',
      rule: '民法典 §203: a period ending on a rest day ends on the next working day',
    };
  if (walk.unit === 'workday' && !cls.working) return { ...named, counted: false, reason: cls.reason };
  const extension = extensionFor(ordinal + 1, walk);
  return {
    ...named,
    counted: true,
    ordinal: ordinal + 1,
    reason: cls.reason,
    ...(extension === undefined ? {} : { extension }),
  };
}

function walkDays(calendar: WorkingCalendar, walk: DayWalk): ExplainedDay[] {
  if (walk.endDay - walk.startDay > maxExplainedDays) {
    throw new AppError('CLOCK_INVALID', `refusing to explain more than ${maxExplainedDays} days`, [
      { message: 'timeline too long' },
    ]);
  }
  const days: ExplainedDay[] = [];
  let ordinal = 0;
  for (let d = walk.startDay; d <= walk.endDay; d++) {
    const entry = explainOne(calendar, walk, d, ordinal);
    if (entry.counted) ordinal++;
    days.push(entry);
  }
  return days;
}

function eventsOf(c: NormalizedClock, evaluation: ClockEvaluation): ClockEvent[] {
  const at = (ms: number): { date: string; instant: string } => ({
    date: formatDayNumber(shanghaiDayNumber(ms)),
    instant: formatShanghaiInstant(ms),
  });
  const events: ClockEvent[] = [{ kind: 'started', ...at(c.startMs) }];
  for (const p of c.pauses) {
    events.push({ kind: 'paused', ...at(p.fromMs), pause: p.index, reason: p.reason });
    if (p.toMs !== Infinity) events.push({ kind: 'resumed', ...at(p.toMs), pause: p.index });
  }
  for (const e of c.extensions)
    events.push({
      kind: 'extended',
      ...at(e.atMs),
      extension: e.index,
      amount: e.amount,
      approver: e.approver,
      reason: e.reason,
    });
  if (c.stopped) events.push({ kind: 'stopped', ...at(c.asOfMs) });
  if (evaluation.due) events.push({ kind: 'due', ...at(evaluation.due.epochMs) });
  return events.sort((x, y) => x.instant.localeCompare(y.instant));
}

function segmentsOf(c: NormalizedClock, endMs: number): ExplainedSegment[] {
  const segments: ExplainedSegment[] = [];
  const push = (from: number, to: number, pause?: NormalizedPause): void => {
    if (to <= from) return;
    const info = pause ? { pause: pause.index, pauseKind: pause.kind, pauseReason: pause.reason } : {};
    segments.push({
      from: formatShanghaiInstant(from),
      to: formatShanghaiInstant(to),
      counted: !pause,
      hours: (to - from) / 3_600_000,
      ...info,
    });
  };
  let cursor = c.startMs;
  for (const skip of c.skips) {
    if (skip.a >= endMs) break;
    push(cursor, skip.a);
    const pause = c.pauses.find((p) => p.fromMs <= skip.a && skip.a < p.toMs);
    push(skip.a, Math.min(skip.b, endMs), pause);
    cursor = Math.min(skip.b, endMs);
  }
  push(cursor, endMs);
  return segments;
}

/** Explains a clock as of `now`: the evaluation plus its day-by-day (or hour segment) timeline. */
export function explainClock(
  calendar: WorkingCalendar,
  clock: Clock,
  now: Instant,
  options: EvaluateOptions = {},
): ClockExplanation {
  const c = normalizeClock(clock, now);
  const evaluation = evaluateNormalized(calendar, c, options);
  const endMs = evaluation.due?.epochMs ?? evaluation.projectedDue?.epochMs ?? c.asOfMs;
  const events = eventsOf(c, evaluation);
  if (c.unit === 'hour') return { evaluation, days: [], segments: segmentsOf(c, endMs), events };
  const walk: DayWalk = {
    unit: c.unit,
    startDay: c.startDay,
    endDay: shanghaiDayNumber(endMs),
    limit: c.limit,
    total: evaluation.total,
    pauses: c.pauses.map((p) => (p.toDay === Infinity ? { ...p, toDay: c.asOfDay } : p)),
    extensions: c.extensions,
  };
  return { evaluation, days: walkDays(calendar, walk), segments: [], events };
}

export interface AddExplanation {
  from: CivilDate;
  n: number;
  unit: DayUnit;
  result: CivilDate;
  days: ExplainedDay[];
}

/** Explains `addDays(calendar, date, n, unit)`: each day from `date` to the result. */
export function explainAdd(calendar: WorkingCalendar, date: CivilDate, n: number, unit: DayUnit): AddExplanation {
  assertInteger(n, 'n');
  if (n < 0)
    throw new AppError('CLOCK_INVALID', 'explainAdd counts forwards: n must be ≥ 0', [
      { path: 'n', message: 'must be ≥ 0' },
    ]);
  const result = addDays(calendar, date, n, unit);
  const walk: DayWalk = {
    unit,
    startDay: parseCivilDate(date),
    endDay: parseCivilDate(result),
    limit: n,
    total: n,
    pauses: [],
    extensions: [],
  };
  return { from: date, n, unit, result, days: walkDays(calendar, walk) };
}
