/**
 * Import of one year's holiday notice by an admin: JSON (the shape of a cn-holidays.json
 * year) or a line-oriented text form. Every problem is reported at once, as
 * AppError('CALENDAR_INVALID') with one detail per problem (a field path or a line number).
 *
 * Text form (one directive per line, `#` starts a comment):
 *
 *   year: 2027
 *   notice: 国办发明电〔2026〕9号
 *   published: 2026-11-05
 *   url: https://www.gov.cn/…            (optional)
 *   holiday: 2027-01-01 元旦
 *   holiday: 2027-02-06..2027-02-14 春节
 *   makeup: 2027-02-15 春节
 */
import type { AppErrorDetail } from '../errors.ts';
import { AppError } from '../errors.ts';
import { formatDayNumber, isWeekend, tryParseCivilDate, yearOf } from './civil-date.ts';
import type { HolidayYear, NamedDate } from './holiday-data.ts';

/** A holiday period longer than this is a typo, not a notice: the longest so far is 10 days (2020). */
const maxRangeDays = 31;

interface DayEntry {
  day: number;
  name: string;
  where: Omit<AppErrorDetail, 'message'>;
}

interface Draft {
  year?: number;
  notice?: string;
  published?: string;
  url?: string;
  holidays: DayEntry[];
  makeups: DayEntry[];
}

class Issues {
  readonly list: AppErrorDetail[] = [];
  add(where: Omit<AppErrorDetail, 'message'>, message: string): void {
    this.list.push({ ...where, message });
  }
}

/** Expands `YYYY-MM-DD` or `YYYY-MM-DD..YYYY-MM-DD` into day numbers, reporting problems. */
function expandDates(spec: string, where: Omit<AppErrorDetail, 'message'>, issues: Issues): number[] {
  const [fromText = '', toText, extra] = spec.split('..');
  const from = tryParseCivilDate(fromText.trim());
  const to = toText === undefined ? from : tryParseCivilDate(toText.trim());
  if (from === undefined || to === undefined || extra !== undefined) {
    issues.add(where, `not a date or date range (YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD): ${JSON.stringify(spec)}`);
    return [];
  }
  if (to < from || to - from >= maxRangeDays) {
    issues.add(where, `range must run forwards and span at most ${maxRangeDays} days: ${spec}`);
    return [];
  }
  const days: number[] = [];
  for (let d = from; d <= to; d++) days.push(d);
  return days;
}

function pushEntries(
  target: DayEntry[],
  spec: string,
  name: string,
  where: Omit<AppErrorDetail, 'message'>,
  issues: Issues,
): void {
  if (name.trim() === '') issues.add(where, 'a name (the festival) is required');
  for (const day of expandDates(spec, where, issues)) target.push({ day, name: name.trim(), where });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readJsonList(input: unknown, field: 'holidays' | 'makeupWorkdays', target: DayEntry[], issues: Issues): void {
  if (input === undefined) return;
  if (!Array.isArray(input)) return issues.add({ path: field }, 'must be an array');
  input.forEach((item: unknown, i) => {
    const where = { path: `${field}[${i}]` };
    if (!isRecord(item)) return issues.add(where, 'must be an object {date, name} or {from, to, name}');
    const name = typeof item.name === 'string' ? item.name : '';
    if (typeof item.date === 'string') pushEntries(target, item.date, name, where, issues);
    else if (typeof item.from === 'string' && typeof item.to === 'string')
      pushEntries(target, `${item.from}..${item.to}`, name, where, issues);
    else issues.add(where, 'needs date, or from and to');
  });
}

function draftFromJson(input: unknown, issues: Issues): Draft {
  const draft: Draft = { holidays: [], makeups: [] };
  if (!isRecord(input)) {
    issues.add({ path: '' }, 'must be a JSON object');
    return draft;
  }
  if (typeof input.year === 'number') draft.year = input.year;
  if (typeof input.notice === 'string') draft.notice = input.notice;
  if (typeof input.published === 'string') draft.published = input.published;
  if (typeof input.url === 'string') draft.url = input.url;
  readJsonList(input.holidays, 'holidays', draft.holidays, issues);
  readJsonList(input.makeupWorkdays, 'makeupWorkdays', draft.makeups, issues);
  return draft;
}

function applyTextLine(draft: Draft, key: string, value: string, line: number, issues: Issues): void {
  const where = { line, path: `line:${line}` };
  const [spec = '', ...nameParts] = value.split(/\s+/);
  switch (key) {
    case 'year':
      draft.year = /^\d{4}$/.test(value) ? Number(value) : Number.NaN;
      return;
    case 'notice':
      draft.notice = value;
      return;
    case 'published':
      draft.published = value;
      return;
    case 'url':
      draft.url = value;
      return;
    case 'holiday':
      return pushEntries(draft.holidays, spec, nameParts.join(' '), where, issues);
    case 'makeup':
      return pushEntries(draft.makeups, spec, nameParts.join(' '), where, issues);
    default:
      issues.add(where, `unknown directive ${JSON.stringify(key)} (year, notice, published, url, holiday, makeup)`);
  }
}

function draftFromText(text: string, issues: Issues): Draft {
  const draft: Draft = { holidays: [], makeups: [] };
  text.split(/\r?\n/).forEach((raw, i) => {
    const content = raw.replace(/#.*$/, '').trim();
    if (content === '') return;
    const match = /^([a-zA-Z]+)\s*[:：]\s*(.*)$/.exec(content);
    if (!match)
      return issues.add({ line: i + 1, path: `line:${i + 1}` }, `expected "key: value": ${JSON.stringify(content)}`);
    applyTextLine(draft, (match[1] ?? '').toLowerCase(), (match[2] ?? '').trim(), i + 1, issues);
  });
  return draft;
}

function checkHeader(draft: Draft, issues: Issues): void {
  if (draft.year === undefined || !Number.isInteger(draft.year) || draft.year < 1990 || draft.year > 2200) {
    issues.add({ path: 'year' }, 'year is required: a four-digit year');
  }
  if (draft.notice === undefined || draft.notice.trim() === '')
    issues.add({ path: 'notice' }, 'notice reference (发文字号) is required');
  if (draft.published === undefined || tryParseCivilDate(draft.published) === undefined) {
    issues.add({ path: 'published' }, 'published date (YYYY-MM-DD) is required');
  }
}

function checkEntries(draft: Draft, issues: Issues): void {
  const seen = new Map<number, 'holiday' | 'makeup'>();
  const visit = (entry: DayEntry, kind: 'holiday' | 'makeup'): void => {
    const date = formatDayNumber(entry.day);
    if (draft.year !== undefined && yearOf(entry.day) !== draft.year)
      issues.add(entry.where, `${date} is not in the stated year ${draft.year}`);
    const before = seen.get(entry.day);
    if (before === kind) issues.add(entry.where, `${date} is listed twice as a ${kind}`);
    else if (before !== undefined) issues.add(entry.where, `${date} is both a holiday and a makeup workday`);
    seen.set(entry.day, kind);
  };
  for (const entry of draft.holidays) visit(entry, 'holiday');
  for (const entry of draft.makeups) {
    visit(entry, 'makeup');
    // 调休上班 moves a weekend day's rest elsewhere; a weekday is already a working day.
    if (!isWeekend(entry.day))
      issues.add(entry.where, `${formatDayNumber(entry.day)} is a weekday, so it cannot be a makeup workday`);
  }
}

const toNamed = (entries: DayEntry[]): NamedDate[] =>
  [...entries].sort((a, b) => a.day - b.day).map((e) => ({ date: formatDayNumber(e.day), name: e.name }));

function finish(draft: Draft, issues: Issues): HolidayYear {
  checkHeader(draft, issues);
  checkEntries(draft, issues);
  if (issues.list.length > 0) {
    throw new AppError('CALENDAR_INVALID', `holiday notice has ${issues.list.length} problem(s)`, issues.list);
  }
  return {
    year: draft.year ?? 0,
    notice: draft.notice ?? null,
    published: draft.published ?? null,
    url: draft.url ?? null,
    checked: 'notice',
    holidays: toNamed(draft.holidays),
    makeupWorkdays: toNamed(draft.makeups),
  };
}

/** Validates a parsed JSON object of one year (dates or {from, to} ranges). */
export function validateHolidayYear(input: unknown): HolidayYear {
  const issues = new Issues();
  return finish(draftFromJson(input, issues), issues);
}

/** Parses an admin's notice import: JSON when it starts with `{`, the text form otherwise. */
export function parseHolidayNotice(text: string): HolidayYear {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) {
    const issues = new Issues();
    return finish(draftFromText(text, issues), issues);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch (error) {
    throw new AppError('CALENDAR_INVALID', 'notice import is not valid JSON', [
      { message: error instanceof Error ? error.message : String(error) },
    ]);
  }
  return validateHolidayYear(parsed);
}
