import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createChinaWorkingCalendar } from '../calendar/index.ts';
import type { Clock, ClockPause } from './clock-types.ts';
import { evaluateClock } from './evaluate-clock.ts';
import { codeOf } from '../calendar/test-support.ts';

const calendar = createChinaWorkingCalendar();
const at = (s: string): string => `${s}+08:00`;

/**
 * 行政许可法 §42: a decision within 20 working days of acceptance, accepted Fri 2024-03-01.
 * March 2024 working days: 4–8 (1–5), 11–15 (6–10), 18–22 (11–15), 25–29 (16–20) → due 03-29.
 * April 2024: 4–6 清明节, Sun 04-07 makeup workday.
 */
const decision: Clock = { unit: 'workday', start: at('2024-03-01T10:00:00'), limit: 20 };
const supplement: ClockPause = {
  kind: 'supplement',
  from: at('2024-03-05T09:00:00'),
  to: at('2024-03-08T16:00:00'),
  reason: '补正：缺少土地权属证明',
};

describe('a working-day clock (行政许可法 §42)', () => {
  it('is due at the end of the 20th working day after acceptance, 23:59:59.999 Shanghai', () => {
    const e = evaluateClock(calendar, decision, at('2024-03-20T09:00:00'));
    expect(e.due).toEqual({
      date: '2024-03-29',
      instant: '2024-03-29T23:59:59.999+08:00',
      epochMs: Date.parse('2024-03-29T15:59:59.999Z'),
    });
    // Mar 4–8, 11–15, 18–20: 13 working days elapsed (today included), 7 left; 65 % → running.
    expect(e).toMatchObject({ state: 'running', elapsed: 13, remaining: 7, total: 20 });
  });

  it('is due soon once 80 % of the limit has elapsed', () => {
    expect(evaluateClock(calendar, decision, at('2024-03-25T09:00:00'))).toMatchObject({
      state: 'dueSoon',
      elapsed: 16,
    });
  });

  it('is due soon with one working day left when the threshold is only "remaining ≤ 1"', () => {
    const options = { dueSoon: { elapsedFraction: 1.01, remaining: 1 } };
    expect(evaluateClock(calendar, decision, at('2024-03-27T09:00:00'), options).state).toBe('running');
    expect(evaluateClock(calendar, decision, at('2024-03-28T09:00:00'), options)).toMatchObject({
      state: 'dueSoon',
      remaining: 1,
    });
  });

  it('is still due soon at 23:59:59 on the due day and overdue one second after midnight', () => {
    expect(evaluateClock(calendar, decision, at('2024-03-29T23:59:59'))).toMatchObject({
      state: 'dueSoon',
      remaining: 0,
    });
    expect(evaluateClock(calendar, decision, at('2024-03-30T00:00:01'))).toMatchObject({
      state: 'overdue',
      remaining: 0,
    });
    // overdue by two working days on Tue 04-02
    expect(evaluateClock(calendar, decision, at('2024-04-02T10:00:00'))).toMatchObject({
      state: 'overdue',
      remaining: -2,
    });
  });

  it('is stopped when concluded, and late only if concluded after the deadline', () => {
    expect(
      evaluateClock(calendar, { ...decision, stoppedAt: at('2024-03-28T15:00:00') }, at('2024-05-01T00:00:00')),
    ).toMatchObject({ state: 'stopped', late: false, elapsed: 19 });
    expect(
      evaluateClock(calendar, { ...decision, stoppedAt: at('2024-04-01T15:00:00') }, at('2024-05-01T00:00:00')),
    ).toMatchObject({ state: 'stopped', late: true });
  });
});

describe('a clock evaluated before it starts', () => {
  it('has nothing elapsed and the whole limit remaining', () => {
    expect(evaluateClock(calendar, decision, at('2024-02-20T09:00:00'))).toMatchObject({
      state: 'running',
      elapsed: 0,
      remaining: 20,
    });
    const hours: Clock = { unit: 'hour', start: at('2024-07-01T22:00:00'), limit: 24 };
    expect(evaluateClock(calendar, hours, at('2024-07-01T08:00:00'))).toMatchObject({ elapsed: 0, remaining: 24 });
  });
});

describe('pauses (行政许可法 §45: time for special procedures is not counted)', () => {
  it('skips the days after a 补正 pause begins up to the day it ends', () => {
    // Pause Tue 03-05 → Fri 03-08: 03-05 counts (2), 03-06..08 skipped; resume Mon 03-11 (3)…
    // 03-29 is day 17; Apr 1 (18), 2 (19), 3 (20) → due 2024-04-03.
    const e = evaluateClock(calendar, { ...decision, pauses: [supplement] }, at('2024-04-01T09:00:00'));
    expect(e.due?.date).toBe('2024-04-03');
    expect(e).toMatchObject({ state: 'dueSoon', pausedUnits: 3, elapsed: 18, remaining: 2 });
  });

  it('does not double-count overlapping pauses', () => {
    // 补正 (03-05, 03-08] and expert review (03-07, 03-12] overlap: the union skips 03-06, 07, 08, 11, 12
    // = 5 working days (the sum would be 6). Mar 4 (1), 5 (2), 13–15 (3–5), 18–22 (6–10), 25–29 (11–15),
    // Apr 1–3 (16–18), Apr 4–6 清明节, Sun Apr 7 makeup (19), Mon Apr 8 (20) → due 2024-04-08.
    const expert: ClockPause = {
      kind: 'expertReview',
      from: at('2024-03-07T10:00:00'),
      to: at('2024-03-12T17:00:00'),
      reason: '专家评审',
    };
    const e = evaluateClock(calendar, { ...decision, pauses: [supplement, expert] }, at('2024-04-10T09:00:00'));
    expect(e.due?.date).toBe('2024-04-08');
    expect(e.pausedUnits).toBe(5);
  });

  it('freezes the clock while a pause is open: no due date, a projected one if it resumed now', () => {
    // Hearing since Tue 03-05, still open on Wed 03-20. Counted: Mar 4, 5 → 2; 18 left.
    // If it resumed today: Mar 21 (3), 22 (4), 25–29 (5–9), Apr 1–3 (10–12), Apr 7 (13), Apr 8–12 (14–18),
    // Apr 15 (19), Apr 16 (20) → projected 2024-04-16.
    const hearing: ClockPause = { kind: 'hearing', from: at('2024-03-05T09:00:00'), to: null, reason: '听证' };
    const e = evaluateClock(calendar, { ...decision, pauses: [hearing] }, at('2024-03-20T12:00:00'));
    expect(e).toMatchObject({ state: 'paused', paused: true, due: null, elapsed: 2, remaining: 18 });
    expect(e.projectedDue?.date).toBe('2024-04-16');
  });

  it('keeps the due date of a clock whose open pause began after its deadline: it is overdue, not paused', () => {
    const late: ClockPause = { kind: 'suspension', from: at('2024-04-02T09:00:00'), to: null, reason: '挂起' };
    const e = evaluateClock(calendar, { ...decision, pauses: [late] }, at('2024-04-10T09:00:00'));
    expect(e).toMatchObject({ state: 'overdue', due: { date: '2024-03-29' } });
  });

  it('treats a pause not yet begun at `now` as not there', () => {
    const future: ClockPause = { ...supplement, from: at('2024-03-21T09:00:00'), to: at('2024-03-26T09:00:00') };
    expect(evaluateClock(calendar, { ...decision, pauses: [future] }, at('2024-03-20T09:00:00')).due?.date).toBe(
      '2024-03-29',
    );
  });
});

describe('extensions (延期)', () => {
  const extension = {
    amount: 10,
    approver: '厅长',
    reason: '情况复杂 (行政许可法 §42)',
    at: at('2024-03-25T10:00:00'),
  };

  it('moves the deadline by the approved amount once approved', () => {
    // 03-29 is day 20; Apr 1–3 (21–23), Apr 7 makeup (24), Apr 8–12 (25–29), Apr 15 (30) → 2024-04-15.
    const clock = { ...decision, extensions: [extension] };
    expect(evaluateClock(calendar, clock, at('2024-03-26T09:00:00'))).toMatchObject({
      total: 30,
      extended: 10,
      due: { date: '2024-04-15' },
    });
    expect(evaluateClock(calendar, clock, at('2024-03-20T09:00:00'))).toMatchObject({
      total: 20,
      extended: 0,
      due: { date: '2024-03-29' },
    });
  });

  it('rejects a zero or fractional working-day extension as CLOCK_INVALID', () => {
    expect(
      codeOf(() =>
        evaluateClock(
          calendar,
          { ...decision, extensions: [{ ...extension, amount: 0.5 }] },
          at('2024-03-26T09:00:00'),
        ),
      ),
    ).toBe('CLOCK_INVALID');
  });
});

describe('calendar-day clocks (信访工作条例: 日 = calendar days)', () => {
  it('counts weekends and holidays but ends on a working day (民法典 §203)', () => {
    // Petition accepted 2025-08-02; 60 days → 2025-10-01 (国庆节) → moves to Thu 2025-10-09.
    const petition: Clock = { unit: 'day', start: at('2025-08-02T15:00:00'), limit: 60 };
    const e = evaluateClock(calendar, petition, at('2025-10-05T10:00:00'));
    expect(e.due?.date).toBe('2025-10-09');
    // elapsed: Aug 3 … Oct 5 = 64 calendar days; remaining: Oct 6..9 = 4 days.
    expect(e).toMatchObject({ elapsed: 64, remaining: 4, state: 'dueSoon' });
  });

  it('adds a 30-day extension to a 60-day petition', () => {
    const petition: Clock = {
      unit: 'day',
      start: at('2025-03-03T09:00:00'),
      limit: 60,
      extensions: [{ amount: 30, approver: '主任', reason: '情况复杂', at: at('2025-04-20T09:00:00') }],
    };
    // 2025-03-03 + 90 = 2025-06-01 (Sun, 端午节 holiday) → Tue 2025-06-03.
    expect(evaluateClock(calendar, petition, at('2025-05-01T09:00:00')).due?.date).toBe('2025-06-03');
  });
});

describe('a pause during the §203 carry-over of a calendar-day period', () => {
  it('holds the carry-over: the period ends on the first working day after the pause', () => {
    // 8 days from Fri 2024-03-01 end on Sat 03-09 → carried to Mon 03-11 (§203). A pause from
    // Sat 03-09 to Tue 03-12 skips 03-10..12, so the period ends on Wed 2024-03-13.
    const clock: Clock = { unit: 'day', start: at('2024-03-01T09:00:00'), limit: 8 };
    expect(evaluateClock(calendar, clock, at('2024-03-05T09:00:00')).due?.date).toBe('2024-03-11');
    const paused: Clock = {
      ...clock,
      pauses: [{ kind: 'supplement', from: at('2024-03-09T10:00:00'), to: at('2024-03-12T10:00:00'), reason: '补正' }],
    };
    expect(evaluateClock(calendar, paused, at('2024-03-12T11:00:00')).due?.date).toBe('2024-03-13');
  });
});

describe('hour clocks (民法典 §201 ¶2: hours run from the event itself)', () => {
  it('counts real hours and skips paused time', () => {
    const geohazard: Clock = {
      unit: 'hour',
      start: at('2024-07-01T22:00:00'),
      limit: 24,
      pauses: [
        { kind: 'suspension', from: at('2024-07-02T02:00:00'), to: at('2024-07-02T04:30:00'), reason: '通信中断' },
      ],
    };
    const e = evaluateClock(calendar, geohazard, at('2024-07-02T10:00:00'));
    expect(e.due).toMatchObject({ date: '2024-07-03', instant: '2024-07-03T00:30:00.000+08:00' });
    expect(e).toMatchObject({ elapsed: 9.5, remaining: 14.5, pausedUnits: 2.5, state: 'running' });
  });
});

describe('process time zone independence', () => {
  it('uses the Shanghai date of a start at 23:30 UTC (already the next day in Shanghai)', () => {
    // 2024-09-29T23:30Z is Mon 2024-09-30 07:30 in Shanghai. Day 1 is Oct 8 (Oct 1–7 国庆节);
    // Oct 8–11 (1–4), Sat Oct 12 makeup (5). Read as the UTC date 09-29 it would wrongly be 10-11.
    const e = evaluateClock(
      calendar,
      { unit: 'workday', start: new Date('2024-09-29T23:30:00Z'), limit: 5 },
      new Date('2024-10-01T00:00:00Z'),
    );
    expect(e.startDate).toBe('2024-09-30');
    expect(e.due?.date).toBe('2024-10-12');
  });
});

describe('invalid clocks', () => {
  it('lists every problem as CLOCK_INVALID details', () => {
    const bad = {
      unit: 'week',
      start: '2024-03-01 10:00',
      limit: -1,
      pauses: [{ kind: 'lunch', from: at('2024-03-02T00:00:00'), to: at('2024-03-01T00:00:00'), reason: '' }],
    } as unknown as Clock;
    try {
      evaluateClock(calendar, bad, at('2024-03-05T00:00:00'));
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'CLOCK_INVALID' });
      const paths = (error as { details: { path: string }[] }).details.map((d) => d.path);
      expect(paths).toEqual(expect.arrayContaining(['unit', 'limit', 'start', 'pauses[0].kind', 'pauses[0].to']));
    }
  });

  it('refuses to evaluate a working-day clock running into an uncovered year', () => {
    expect(
      codeOf(() =>
        evaluateClock(
          calendar,
          { unit: 'workday', start: at('2026-12-20T09:00:00'), limit: 20 },
          at('2026-12-21T09:00:00'),
        ),
      ),
    ).toBe('CALENDAR_NOT_COVERED');
  });
});

describe('clock properties', () => {
  const base = Date.parse('2024-01-02T00:00:00+08:00');
  const span = 700 * 86_400_000;
  const now = '2026-12-31T12:00:00+08:00';
  const pauseArb = fc.record({
    offset: fc.integer({ min: 0, max: 120 * 24 }),
    hours: fc.integer({ min: 1, max: 30 * 24 }),
  });
  const clockArb = fc.record({
    unit: fc.constantFrom('workday' as const, 'day' as const, 'hour' as const),
    start: fc.integer({ min: base, max: base + span }),
    limit: fc.integer({ min: 1, max: 60 }),
    pauses: fc.array(pauseArb, { maxLength: 4 }),
    extension: fc.integer({ min: 1, max: 30 }),
  });
  const build = (
    c: { unit: Clock['unit']; start: number; limit: number; pauses: { offset: number; hours: number }[] },
    limit = c.limit,
  ): Clock => ({
    unit: c.unit,
    start: c.start,
    limit,
    pauses: c.pauses.map((p) => ({
      kind: 'supplement',
      from: c.start + p.offset * 3_600_000,
      to: c.start + (p.offset + p.hours) * 3_600_000,
      reason: 'p',
    })),
  });
  const dueMs = (clock: Clock): number => evaluateClock(calendar, clock, now).due!.epochMs;

  it('pauses never bring a deadline earlier', () => {
    fc.assert(fc.property(clockArb, (c) => dueMs(build(c)) >= dueMs({ ...build(c), pauses: [] })));
  });

  it('extensions never bring a deadline earlier', () => {
    fc.assert(
      fc.property(
        clockArb,
        (c) =>
          dueMs({ ...build(c), extensions: [{ amount: c.extension, approver: 'a', reason: 'r', at: c.start }] }) >=
          dueMs(build(c)),
      ),
    );
  });

  it('the deadline is monotonic in the limit', () => {
    fc.assert(fc.property(clockArb, (c) => dueMs(build(c, c.limit + 1)) >= dueMs(build(c))));
  });

  it('elapsed plus remaining equals the total for running working-day and hour clocks', () => {
    fc.assert(
      fc.property(clockArb, fc.integer({ min: 0, max: 40 * 24 }), (c, h) => {
        if (c.unit === 'day') return true; // §203 may add rest days at the end of a calendar-day period
        const e = evaluateClock(calendar, build(c), c.start + h * 3_600_000);
        if (e.due === null || e.state === 'overdue') return true;
        return Math.abs(e.elapsed + e.remaining - e.total) < 1e-9;
      }),
    );
  });
});
