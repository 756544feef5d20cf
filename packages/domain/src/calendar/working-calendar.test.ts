import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors.ts';
import { dayNumberFromParts, formatDayNumber, weekdayOf } from './civil-date.ts';
import type { HolidayYear } from './holiday-data.ts';
import { cnHolidayDataset, createChinaWorkingCalendar, createWorkingCalendar } from './index.ts';
import type { DayClass } from './working-calendar.ts';
import { codeOf } from './test-support.ts';

/**
 * The notices, typed by hand from their text (not from our data file):
 *  2024 国办发明电〔2023〕7号 (2023-10-25)
 *  2025 国办发明电〔2024〕12号 (2024-11-12) — 春节 and 劳动节 one day longer than before
 *  2026 国办发明电〔2025〕7号 (2025-11-04)
 * [from, to, name] holiday periods, and makeup workdays (调休上班).
 */
const notices: Record<number, { holidays: [string, string, string][]; makeups: [string, string][] }> = {
  2024: {
    holidays: [
      ['2024-01-01', '2024-01-01', '元旦'],
      ['2024-02-10', '2024-02-17', '春节'],
      ['2024-04-04', '2024-04-06', '清明节'],
      ['2024-05-01', '2024-05-05', '劳动节'],
      ['2024-06-10', '2024-06-10', '端午节'],
      ['2024-09-15', '2024-09-17', '中秋节'],
      ['2024-10-01', '2024-10-07', '国庆节'],
    ],
    makeups: [
      ['2024-02-04', '春节'],
      ['2024-02-18', '春节'],
      ['2024-04-07', '清明节'],
      ['2024-04-28', '劳动节'],
      ['2024-05-11', '劳动节'],
      ['2024-09-14', '中秋节'],
      ['2024-09-29', '国庆节'],
      ['2024-10-12', '国庆节'],
    ],
  },
  2025: {
    holidays: [
      ['2025-01-01', '2025-01-01', '元旦'],
      ['2025-01-28', '2025-02-04', '春节'],
      ['2025-04-04', '2025-04-06', '清明节'],
      ['2025-05-01', '2025-05-05', '劳动节'],
      ['2025-05-31', '2025-06-02', '端午节'],
      ['2025-10-01', '2025-10-08', '国庆节、中秋节'],
    ],
    makeups: [
      ['2025-01-26', '春节'],
      ['2025-02-08', '春节'],
      ['2025-04-27', '劳动节'],
      ['2025-09-28', '国庆节、中秋节'],
      ['2025-10-11', '国庆节、中秋节'],
    ],
  },
  2026: {
    holidays: [
      ['2026-01-01', '2026-01-03', '元旦'],
      ['2026-02-15', '2026-02-23', '春节'],
      ['2026-04-04', '2026-04-06', '清明节'],
      ['2026-05-01', '2026-05-05', '劳动节'],
      ['2026-06-19', '2026-06-21', '端午节'],
      ['2026-09-25', '2026-09-27', '中秋节'],
      ['2026-10-01', '2026-10-07', '国庆节'],
    ],
    makeups: [
      ['2026-01-04', '元旦'],
      ['2026-02-14', '春节'],
      ['2026-02-28', '春节'],
      ['2026-05-09', '劳动节'],
      ['2026-09-20', '国庆节'],
      ['2026-10-10', '国庆节'],
    ],
  },
};

function expectedYear(year: number): Map<string, DayClass> {
  const notice = notices[year]!;
  const expected = new Map<string, DayClass>();
  for (let d = dayNumberFromParts(year, 1, 1); d <= dayNumberFromParts(year, 12, 31); d++) {
    const w = weekdayOf(d);
    expected.set(
      formatDayNumber(d),
      w === 0 || w === 6 ? { working: false, reason: 'weekend' } : { working: true, reason: 'weekday' },
    );
  }
  for (const [from, to, name] of notice.holidays) {
    for (let d = Date.parse(`${from}T00:00:00Z`); d <= Date.parse(`${to}T00:00:00Z`); d += 86_400_000) {
      expected.set(new Date(d).toISOString().slice(0, 10), { working: false, reason: 'holiday', name });
    }
  }
  for (const [date, name] of notice.makeups) expected.set(date, { working: true, reason: 'makeupWorkday', name });
  return expected;
}

const calendar = createChinaWorkingCalendar();

describe('national working calendar', () => {
  it.each([2024, 2025, 2026])('classifies every day of %i exactly as the State Council notice says', (year) => {
    const expected = expectedYear(year);
    expect(expected.size).toBe(year === 2024 ? 366 : 365);
    for (const [date, cls] of expected) expect({ date, ...calendar.classify(date) }).toEqual({ date, ...cls });
  });

  // By hand: 2025 has 261 Mon–Fri days, 18 of them holidays (元旦 1, 春节 6, 清明 1, 劳动节 3,
  // 端午 1, 国庆中秋 6), plus 5 makeup days = 248. 2026: 261 − 19 (元旦 2, 春节 6, 清明 1,
  // 劳动节 3, 端午 1, 中秋 1, 国庆 5) + 6 = 248. 2024: 262 − 19 + 8 = 251.
  it('counts 251 working days in 2024, 248 in 2025 and 248 in 2026', () => {
    const count = (year: number): number =>
      [...expectedYear(year).keys()].filter((d) => calendar.isWorkingDay(d)).length;
    expect([count(2024), count(2025), count(2026)]).toEqual([251, 248, 248]);
  });

  it('covers 2004 through 2026 and names the notice for each year', () => {
    expect([calendar.firstYear, calendar.lastYear]).toEqual([2004, 2026]);
    expect(cnHolidayDataset.years.map((y) => y.year)).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
    const refs = Object.fromEntries(cnHolidayDataset.years.map((y) => [y.year, y.notice]));
    expect([refs[2024], refs[2025], refs[2026]]).toEqual([
      '国办发明电〔2023〕7号',
      '国办发明电〔2024〕12号',
      '国办发明电〔2025〕7号',
    ]);
  });

  it('keeps the 2020 Spring Festival extension to 2 February (国办发明电〔2020〕1号)', () => {
    expect(calendar.classify('2020-01-31')).toEqual({ working: false, reason: 'holiday', name: '春节' });
    expect(calendar.isWorkingDay('2020-02-03')).toBe(true);
  });

  it.each(['2003-12-31', '2027-01-01', '2027-06-15'])(
    'refuses to guess outside the covered years: %s is CALENDAR_NOT_COVERED',
    (date) => {
      expect(codeOf(() => calendar.isWorkingDay(date))).toBe('CALENDAR_NOT_COVERED');
    },
  );

  it('treats a malformed date as CLOCK_INVALID rather than a calendar question', () => {
    expect(codeOf(() => calendar.classify('2025-02-29'))).toBe('CLOCK_INVALID');
  });
});

describe('regional rest days', () => {
  const regional = createChinaWorkingCalendar({
    regionalRestDays: [
      { date: '2025-03-31', name: '三月三', region: '450000' },
      { date: '2025-10-02', name: '不生效' },
    ],
  });

  it('turns a working day into a regional rest day', () => {
    expect(calendar.isWorkingDay('2025-03-31')).toBe(true);
    expect(regional.classify('2025-03-31')).toEqual({ working: false, reason: 'regionalRestDay', name: '三月三' });
  });

  it('leaves a national holiday a national holiday', () => {
    expect(regional.classify('2025-10-02')).toEqual({ working: false, reason: 'holiday', name: '国庆节、中秋节' });
  });

  it('rejects a regional rest day outside the covered years as CALENDAR_INVALID', () => {
    expect(codeOf(() => createChinaWorkingCalendar({ regionalRestDays: [{ date: '2030-01-01', name: 'x' }] }))).toBe(
      'CALENDAR_INVALID',
    );
  });
});

describe('building a calendar', () => {
  const year = (y: number, extra: Partial<HolidayYear> = {}): HolidayYear => ({
    year: y,
    notice: 'test',
    published: `${y - 1}-11-01`,
    holidays: [],
    makeupWorkdays: [],
    ...extra,
  });

  it('requires contiguous years so coverage has no holes', () => {
    const error: unknown = (() => {
      try {
        createWorkingCalendar({ years: [year(2024), year(2026)] });
      } catch (e) {
        return e;
      }
    })();
    expect(isAppError(error) && error.code).toBe('CALENDAR_INVALID');
  });

  it('rejects a date listed both as holiday and makeup workday', () => {
    const bad = year(2024, {
      holidays: [{ date: '2024-02-04', name: 'a' }],
      makeupWorkdays: [{ date: '2024-02-04', name: 'a' }],
    });
    expect(codeOf(() => createWorkingCalendar({ years: [bad] }))).toBe('CALENDAR_INVALID');
  });

  it('rejects a holiday that is not in its year', () => {
    const bad = year(2024, { holidays: [{ date: '2025-01-01', name: '元旦' }] });
    expect(codeOf(() => createWorkingCalendar({ years: [year(2025), bad] }))).toBe('CALENDAR_INVALID');
  });

  it('lets an imported year extend coverage to 2027', () => {
    const extended = createChinaWorkingCalendar({
      importedYears: [year(2027, { holidays: [{ date: '2027-01-01', name: '元旦' }] })],
    });
    expect(extended.lastYear).toBe(2027);
    expect(extended.classify('2027-01-01').reason).toBe('holiday');
  });
});

describe('the bundled data, every year', () => {
  it('makes every listed holiday a rest day and every listed makeup day a working day, 2004–2026', () => {
    for (const year of cnHolidayDataset.years) {
      for (const h of year.holidays)
        expect(calendar.classify(h.date), h.date).toMatchObject({ working: false, reason: 'holiday', name: h.name });
      for (const m of year.makeupWorkdays)
        expect(calendar.classify(m.date), m.date).toMatchObject({ working: true, reason: 'makeupWorkday' });
    }
  });
});
