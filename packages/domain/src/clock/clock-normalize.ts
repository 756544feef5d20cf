/**
 * Validates a Clock and turns it into numbers: epoch ms, day numbers, merged pause ranges.
 * Everything is "as of" an instant: pauses that begin later are ignored, a pause that ends
 * later is still open, an extension approved later does not count yet.
 */
import type { AppErrorDetail } from '../errors.ts';
import { AppError } from '../errors.ts';
import { msPerDay, shanghaiOffsetMs, toEpochMs } from '../calendar/civil-date.ts';
import type { Instant } from '../calendar/civil-date.ts';
import type { Clock, PauseKind } from './clock-types.ts';
import { pauseKinds } from './clock-types.ts';
import type { ClockUnit } from './day-arithmetic.ts';

export interface NormalizedPause {
  index: number;
  kind: PauseKind;
  reason: string;
  fromMs: number;
  /** Infinity while open (as of the evaluation instant) */
  toMs: number;
  fromDay: number;
  toDay: number;
}

export interface NormalizedExtension {
  index: number;
  amount: number;
  approver: string;
  reason: string;
  atMs: number;
}

/** An inclusive range of day numbers [a, b], or a half-open ms interval [a, b) for hours. */
export interface Range {
  a: number;
  b: number;
}

export interface NormalizedClock {
  unit: ClockUnit;
  limit: number;
  startMs: number;
  startDay: number;
  asOfMs: number;
  asOfDay: number;
  stopped: boolean;
  pauses: NormalizedPause[];
  /** only those approved by asOf, in order of approval */
  extensions: NormalizedExtension[];
  extended: number;
  /** day units: merged ranges of days not counted; hours: merged ms intervals not counted */
  skips: Range[];
}

const units: readonly ClockUnit[] = ['workday', 'day', 'hour'];
const dayOf = (ms: number): number => Math.floor((ms + shanghaiOffsetMs) / msPerDay);

function instantOrIssue(value: Instant, path: string, issues: AppErrorDetail[]): number {
  try {
    return toEpochMs(value);
  } catch {
    issues.push({ path, message: `not an instant with a time zone: ${String(value)}` });
    return Number.NaN;
  }
}

function checkAmount(unit: ClockUnit, value: number, path: string, issues: AppErrorDetail[]): void {
  const ok = unit === 'hour' ? Number.isFinite(value) && value > 0 : Number.isSafeInteger(value) && value > 0;
  if (!ok)
    issues.push({
      path,
      message: unit === 'hour' ? 'must be a positive number of hours' : 'must be a positive whole number of days',
    });
}

function readPauses(clock: Clock, issues: AppErrorDetail[]): NormalizedPause[] {
  return (clock.pauses ?? []).map((p, index) => {
    const path = `pauses[${index}]`;
    if (!pauseKinds.includes(p.kind))
      issues.push({ path: `${path}.kind`, message: `unknown pause kind ${String(p.kind)}` });
    const fromMs = instantOrIssue(p.from, `${path}.from`, issues);
    const toMs = p.to === null ? Infinity : instantOrIssue(p.to, `${path}.to`, issues);
    if (toMs < fromMs) issues.push({ path: `${path}.to`, message: 'a pause cannot end before it begins' });
    return { index, kind: p.kind, reason: p.reason, fromMs, toMs, fromDay: 0, toDay: 0 };
  });
}

function readExtensions(clock: Clock, issues: AppErrorDetail[]): NormalizedExtension[] {
  return (clock.extensions ?? []).map((e, index) => {
    checkAmount(clock.unit, e.amount, `extensions[${index}].amount`, issues);
    const atMs = instantOrIssue(e.at, `extensions[${index}].at`, issues);
    return { index, amount: e.amount, approver: e.approver, reason: e.reason, atMs };
  });
}

/** Sorted, merged; day ranges merge when adjacent, ms intervals when touching. */
export function mergeRanges(ranges: Range[], adjacent: number): Range[] {
  const sorted = [...ranges].sort((x, y) => x.a - y.a);
  const merged: Range[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && r.a <= last.b + adjacent) last.b = Math.max(last.b, r.b);
    else merged.push({ a: r.a, b: r.b });
  }
  return merged;
}

/**
 * Days not counted for a pause: (fromDay, toDay] — the day the pause begins counts (the office
 * worked that day, e.g. sent the 补正 notice); counting resumes the day after it ends, as a
 * new period starts the day after its event (民法典 §201). Hours: the real interval [from, to).
 */
function skipsOf(unit: ClockUnit, pauses: NormalizedPause[], startMs: number, startDay: number): Range[] {
  if (unit === 'hour') {
    const spans = pauses.map((p) => ({ a: Math.max(p.fromMs, startMs), b: p.toMs })).filter((r) => r.b > r.a);
    return mergeRanges(spans, 0);
  }
  const spans = pauses.map((p) => ({ a: Math.max(p.fromDay + 1, startDay + 1), b: p.toDay })).filter((r) => r.b >= r.a);
  return mergeRanges(spans, 1);
}

export function normalizeClock(clock: Clock, now: Instant): NormalizedClock {
  const issues: AppErrorDetail[] = [];
  if (!units.includes(clock.unit)) issues.push({ path: 'unit', message: `unit must be one of ${units.join(', ')}` });
  checkAmount(clock.unit, clock.limit, 'limit', issues);
  const startMs = instantOrIssue(clock.start, 'start', issues);
  const nowMs = instantOrIssue(now, 'now', issues);
  const stopMs =
    clock.stoppedAt === undefined || clock.stoppedAt === null
      ? null
      : instantOrIssue(clock.stoppedAt, 'stoppedAt', issues);
  if (stopMs !== null && stopMs < startMs)
    issues.push({ path: 'stoppedAt', message: 'a clock cannot stop before it starts' });
  const allPauses = readPauses(clock, issues);
  const allExtensions = readExtensions(clock, issues);
  if (issues.length > 0)
    throw new AppError(
      'CLOCK_INVALID',
      `clock is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    );

  const stopped = stopMs !== null && stopMs <= nowMs;
  const asOfMs = stopped && stopMs !== null ? stopMs : nowMs;
  const pauses = allPauses
    .filter((p) => p.fromMs <= asOfMs)
    .map((p) => {
      const toMs = p.toMs > asOfMs ? Infinity : p.toMs;
      return { ...p, toMs, fromDay: dayOf(p.fromMs), toDay: toMs === Infinity ? Infinity : dayOf(toMs) };
    });
  const extensions = allExtensions.filter((e) => e.atMs <= asOfMs).sort((x, y) => x.atMs - y.atMs || x.index - y.index);
  const startDay = dayOf(startMs);
  return {
    unit: clock.unit,
    limit: clock.limit,
    startMs,
    startDay,
    asOfMs,
    asOfDay: dayOf(asOfMs),
    stopped,
    pauses,
    extensions,
    extended: extensions.reduce((sum, e) => sum + e.amount, 0),
    skips: skipsOf(clock.unit, pauses, startMs, startDay),
  };
}
