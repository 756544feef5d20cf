/**
 * A statutory clock: a start, a limit in some unit, pauses (补正 and the special procedures of
 * 行政许可法 §45, which do not count), approved extensions (延期) and an optional stop.
 * Clocks are data; evaluateClock derives everything else from them and `now`.
 */
import type { CivilDate, Instant } from '../calendar/civil-date.ts';
import type { DayReason } from '../calendar/working-calendar.ts';
import type { ClockUnit } from './day-arithmetic.ts';

export const pauseKinds = [
  'supplement',
  'hearing',
  'expertReview',
  'appraisal',
  'testing',
  'publicNotice',
  'suspension',
] as const;
/** supplement = 补正; hearing = 听证; expertReview = 专家评审; appraisal = 鉴定; testing = 检验检测检疫; publicNotice = 公告; suspension = 挂起/中止 */
export type PauseKind = (typeof pauseKinds)[number];

export interface ClockPause {
  kind: PauseKind;
  from: Instant;
  /** null while the pause is open: the clock is frozen */
  to: Instant | null;
  reason: string;
}

export interface ClockExtension {
  /** in the clock's unit */
  amount: number;
  approver: string;
  reason: string;
  /** when the extension was approved; it counts from then on */
  at: Instant;
}

export interface Clock {
  unit: ClockUnit;
  /** the triggering event (受理, 收到申请 …); day units start counting the next day (民法典 §201) */
  start: Instant;
  limit: number;
  pauses?: readonly ClockPause[];
  extensions?: readonly ClockExtension[];
  /** the step concluded (办结) or the case was closed: the clock no longer runs */
  stoppedAt?: Instant | null;
}

export type ClockState = 'running' | 'paused' | 'dueSoon' | 'overdue' | 'stopped';

export interface DueSoonOptions {
  /** due soon once this share of the total has elapsed; default 0.8 */
  elapsedFraction?: number;
  /** …or once at most this many units remain; default 1 (one working day, day, or hour) */
  remaining?: number;
}

export interface EvaluateOptions {
  dueSoon?: DueSoonOptions;
}

export interface DueMoment {
  /** Shanghai civil date of the deadline */
  date: CivilDate;
  /** ISO 8601 with +08:00; 23:59:59.999 of `date` for day units */
  instant: string;
  epochMs: number;
}

export interface ClockEvaluation {
  unit: ClockUnit;
  limit: number;
  /** sum of the extensions approved by the time of evaluation */
  extended: number;
  total: number;
  state: ClockState;
  /** the instant the evaluation is as of: `now`, or `stoppedAt` for a stopped clock */
  asOf: string;
  startDate: CivilDate;
  /** null while an open pause freezes the clock before the deadline is reached */
  due: DueMoment | null;
  /** with an open pause: the deadline if the pause ended at `asOf` */
  projectedDue: DueMoment | null;
  /** units counted so far (today included for day units); fractional for hours */
  elapsed: number;
  /** units left until due; negative = units overdue */
  remaining: number;
  /** a pause covers `asOf` */
  paused: boolean;
  /** days (day units) or hours not counted because of pauses, up to asOf */
  pausedUnits: number;
  /** for a stopped clock: it stopped after the deadline */
  late: boolean;
}

/** Why a day did or did not count, for explanations. */
export type ExplainReason = DayReason | 'start' | 'paused' | 'restDayRule';

export interface ExplainedDay {
  date: CivilDate;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  counted: boolean;
  /** 1-based number of the counted unit, when counted */
  ordinal?: number;
  reason: ExplainReason;
  /** holiday or makeup festival name, regional rest day name */
  name?: string;
  /** index into clock.pauses when reason = 'paused' */
  pause?: number;
  pauseKind?: PauseKind;
  pauseReason?: string;
  /** index into clock.extensions when this counted day exists only thanks to that extension */
  extension?: number;
  /** the law behind a non-obvious classification */
  rule?: string;
}

export type ClockEventKind = 'started' | 'paused' | 'resumed' | 'extended' | 'stopped' | 'due';

export interface ClockEvent {
  kind: ClockEventKind;
  date: CivilDate;
  instant: string;
  pause?: number;
  extension?: number;
  amount?: number;
  approver?: string;
  reason?: string;
}
