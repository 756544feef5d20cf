import type {
  AppErrorDetail,
  ClockEvaluation,
  ClockEvent,
  ClockExtension,
  ClockPause,
  ClockUnit,
  DayReason,
  ExplainedDay,
  ExplainedSegment,
  TimeLimitRule,
} from '@guotu/domain';
import { api } from './client.ts';

// The calendar and clock endpoints (apps/server/src/modules/calendar, clocks). The shapes are
// the domain's own types (type-only imports: nothing of the domain's date math ships to the
// browser — the server computes every date).

export interface CoveredYear {
  year: number;
  origin: 'bundled' | 'imported';
  /** the State Council notice (国办发明电〔…〕N号); null for the oldest bundled years */
  notice: string | null;
  importedAt: string;
}

export interface CalendarDay {
  date: string;
  working: boolean;
  reason: DayReason;
  name?: string;
}

export interface CalendarYear {
  year: number;
  origin: 'bundled' | 'imported';
  notice: string | null;
  published: string | null;
  url: string | null;
  checked: string | null;
  workingDays: number;
  days: CalendarDay[];
}

export interface ImportResult {
  year: number;
  recomputedClocks: number;
  changedClocks: number;
}

export interface ClockRequest {
  unit: ClockUnit;
  /** ISO 8601 with an offset */
  start: string;
  limit: number;
  pauses?: ClockPause[];
  extensions?: ClockExtension[];
  now?: string;
}

export interface ClockExplanationView {
  evaluation: ClockEvaluation;
  days: ExplainedDay[];
  segments: ExplainedSegment[];
  events: ClockEvent[];
}

export type RulePatch = { limit?: number; extension?: number | null; notes?: string | null };

export const calendarYearsPath = '/calendar';
export const calendarYearPath = (year: number) => `/calendar/${year}`;
export const timeLimitRulesPath = '/time-limit-rules';

export const importCalendarNotice = (year: number, text: string) =>
  api<ImportResult>(`/calendar/${year}`, { method: 'PUT', body: { text } });

export const updateTimeLimitRule = (key: string, patch: RulePatch) =>
  api<TimeLimitRule>(`/time-limit-rules/${encodeURIComponent(key)}`, { method: 'PATCH', body: patch });

export const computeClock = (body: ClockRequest) =>
  api<ClockExplanationView>('/clocks/compute', { method: 'POST', body });

export type { AppErrorDetail, ClockEvaluation, ClockEvent, ClockUnit, ExplainedDay, TimeLimitRule };
