import fc from 'fast-check';
import { codeOf } from '../calendar/test-support.ts';
import { describe, expect, it } from 'vitest';
import { createChinaWorkingCalendar, dayNumberFromParts, formatDayNumber } from '../calendar/index.ts';
import {
  addCalendarDays,
  addWorkingDayNumbers,
  addWorkingDays,
  calendarDayDeadline,
  countWorkingDayNumbers,
  countWorkingDaysBetween,
} from './day-arithmetic.ts';

const calendar = createChinaWorkingCalendar();
const first = dayNumberFromParts(2004, 1, 1);
const last = dayNumberFromParts(2026, 12, 31);

describe('adding working days', () => {
  it('starts counting the day after the event (民法典 §201): one working day after a Monday is Tuesday', () => {
    expect(addWorkingDays(calendar, '2024-03-04', 1)).toBe('2024-03-05');
    expect(addWorkingDays(calendar, '2024-03-04', 0)).toBe('2024-03-04');
  });

  it('crosses the year boundary and counts the 2026 元旦 makeup Sunday', () => {
    // 2025-12-25 (Thu) + 10: Dec 26 (1), 29 (2), 30 (3), 31 (4); 2026-01-01..03 元旦 holiday;
    // Jan 4 Sun makeup (5); Jan 5 (6), 6 (7), 7 (8), 8 (9), 9 Fri (10).
    expect(addWorkingDays(calendar, '2025-12-25', 10)).toBe('2026-01-09');
  });

  it('skips the 2026 Spring Festival and counts its makeup Saturday', () => {
    // 2026-02-12 (Thu) + 5: Feb 13 Fri (1), Feb 14 Sat makeup (2), Feb 15–23 春节, Feb 24 (3), 25 (4), 26 (5).
    expect(addWorkingDays(calendar, '2026-02-12', 5)).toBe('2026-02-26');
  });

  it('skips the 2024 National Day week and counts the makeup Sunday before it', () => {
    // 2024-09-26 (Thu) + 5: Sep 27 Fri (1), 28 Sat rest, 29 Sun makeup (2), 30 Mon (3), Oct 1–7 国庆节, Oct 8 (4), 9 (5).
    expect(addWorkingDays(calendar, '2024-09-26', 5)).toBe('2024-10-09');
  });

  it('treats a start on a holiday like any other start: day 1 is the first working day after it', () => {
    expect(addWorkingDays(calendar, '2025-01-29', 1)).toBe('2025-02-05');
  });

  it('counts backwards for negative n', () => {
    expect(addWorkingDays(calendar, '2025-02-05', -1)).toBe('2025-01-27');
  });

  it('refuses a result beyond the covered years as CALENDAR_NOT_COVERED', () => {
    expect(codeOf(() => addWorkingDays(calendar, '2026-12-25', 10))).toBe('CALENDAR_NOT_COVERED');
    expect(codeOf(() => addWorkingDays(calendar, '2003-12-31', 1))).toBe('CALENDAR_NOT_COVERED');
  });

  it('rejects a fractional number of days as CLOCK_INVALID', () => {
    expect(codeOf(() => addWorkingDays(calendar, '2025-01-02', 1.5))).toBe('CLOCK_INVALID');
  });
});

describe('calendar-day periods (民法典 §203)', () => {
  it('moves an end on a statutory holiday to the next working day', () => {
    // 2025-08-02 + 60 = 2025-10-01, inside 国庆节、中秋节 (Oct 1–8) → Thursday 2025-10-09.
    expect(addCalendarDays('2025-08-02', 60)).toBe('2025-10-01');
    expect(calendarDayDeadline(calendar, '2025-08-02', 60)).toBe('2025-10-09');
  });

  it('moves an end on an ordinary weekend to Monday', () => {
    expect(calendarDayDeadline(calendar, '2024-02-26', 30)).toBe('2024-03-27');
    expect(calendarDayDeadline(calendar, '2024-02-24', 30)).toBe('2024-03-25'); // raw 2024-03-25 Mon
    expect(calendarDayDeadline(calendar, '2024-02-22', 30)).toBe('2024-03-25'); // raw Sat 03-23 → Mon
  });

  it('keeps an end on a makeup workday, because that day is a working day', () => {
    // 2025-08-29 + 30 = 2025-09-28, a Sunday worked for 国庆节.
    expect(calendarDayDeadline(calendar, '2025-08-29', 30)).toBe('2025-09-28');
  });
});

describe('working-day arithmetic properties', () => {
  const day = fc.integer({ min: first, max: dayNumberFromParts(2025, 12, 31) });
  const n = fc.integer({ min: 0, max: 200 });

  it('adding N working days and counting back gives N', () => {
    fc.assert(
      fc.property(day, n, (d, k) => countWorkingDayNumbers(calendar, d, addWorkingDayNumbers(calendar, d, k)) === k),
    );
  });

  it('adding N ≥ 1 working days always lands on a working day', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 200 }), (d, k) =>
        calendar.isWorkingDayNumber(addWorkingDayNumbers(calendar, d, k)),
      ),
    );
  });

  it('the due day is strictly increasing in N', () => {
    fc.assert(
      fc.property(day, n, (d, k) => addWorkingDayNumbers(calendar, d, k) < addWorkingDayNumbers(calendar, d, k + 1)),
    );
  });

  it('counting agrees with walking day by day', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 120 }), (d, span) => {
        let naive = 0;
        for (let x = d + 1; x <= Math.min(d + span, last); x++) if (calendar.isWorkingDayNumber(x)) naive++;
        return (
          countWorkingDaysBetween(calendar, formatDayNumber(d), formatDayNumber(Math.min(d + span, last))) === naive
        );
      }),
    );
  });
});
