import { describe, expect, it } from 'vitest';
import { createChinaWorkingCalendar } from '../calendar/index.ts';
import type { Clock } from './clock-types.ts';
import { explainAdd, explainClock } from './explain-clock.ts';

const calendar = createChinaWorkingCalendar();
const at = (s: string): string => `${s}+08:00`;

describe('explainAdd', () => {
  it('shows each day across the 2025 Spring Festival, counted or skipped and why', () => {
    // 2025-01-24 (Fri) + 5 working days: Sat 25 weekend, Sun 26 makeup (1), Mon 27 (2),
    // 28 Jan–4 Feb 春节, Wed 5 (3), Thu 6 (4), Fri 7 (5).
    const x = explainAdd(calendar, '2025-01-24', 5, 'workday');
    expect(x.result).toBe('2025-02-07');
    expect(
      x.days.map((d) => `${d.date.slice(5)} ${d.counted ? d.ordinal : '-'} ${d.reason}${d.name ? ` ${d.name}` : ''}`),
    ).toEqual([
      '01-24 - start',
      '01-25 - weekend',
      '01-26 1 makeupWorkday 春节',
      '01-27 2 weekday',
      '01-28 - holiday 春节',
      '01-29 - holiday 春节',
      '01-30 - holiday 春节',
      '01-31 - holiday 春节',
      '02-01 - holiday 春节',
      '02-02 - holiday 春节',
      '02-03 - holiday 春节',
      '02-04 - holiday 春节',
      '02-05 3 weekday',
      '02-06 4 weekday',
      '02-07 5 weekday',
    ]);
  });

  it('marks the days a calendar-day period is carried over a holiday (民法典 §203)', () => {
    const x = explainAdd(calendar, '2025-09-25', 6, 'day');
    // Sep 26 … Oct 1 are days 1–6; Oct 1 is a holiday so the end moves through Oct 8 to Thu Oct 9.
    expect(x.result).toBe('2025-10-09');
    expect(x.days.filter((d) => d.counted)).toHaveLength(6);
    expect(x.days.at(-1)).toMatchObject({ date: '2025-10-09', counted: false, reason: 'restDayRule' });
    expect(x.days.filter((d) => d.reason === 'restDayRule')).toHaveLength(8); // Oct 2–9
  });
});

describe('explainClock', () => {
  const clock: Clock = {
    unit: 'workday',
    start: at('2024-03-01T10:00:00'),
    limit: 20,
    pauses: [
      {
        kind: 'supplement',
        from: at('2024-03-05T09:00:00'),
        to: at('2024-03-08T16:00:00'),
        reason: '补正：缺少土地权属证明',
      },
    ],
    extensions: [{ amount: 2, approver: '厅长', reason: '情况复杂', at: at('2024-03-28T10:00:00') }],
  };

  it('lists every day from start to due with the pause, holiday and extension that shaped it', () => {
    // Without the extension the due day is 04-03 (see evaluate-clock.test.ts); +2: Apr 4–6 清明节,
    // Sun Apr 7 makeup (21), Mon Apr 8 (22).
    const x = explainClock(calendar, clock, at('2024-04-01T09:00:00'));
    expect(x.evaluation.due?.date).toBe('2024-04-08');
    const byDate = new Map(x.days.map((d) => [d.date, d]));
    expect(x.days[0]).toMatchObject({ date: '2024-03-01', reason: 'start', counted: false });
    expect(byDate.get('2024-03-05')).toMatchObject({ counted: true, ordinal: 2 });
    expect(byDate.get('2024-03-06')).toMatchObject({
      counted: false,
      reason: 'paused',
      pause: 0,
      pauseKind: 'supplement',
      pauseReason: '补正：缺少土地权属证明',
    });
    expect(byDate.get('2024-03-09')).toMatchObject({ counted: false, reason: 'weekend' });
    expect(byDate.get('2024-04-05')).toMatchObject({ counted: false, reason: 'holiday', name: '清明节' });
    expect(byDate.get('2024-04-03')).toMatchObject({ counted: true, ordinal: 20 });
    expect(byDate.get('2024-04-07')).toMatchObject({
      counted: true,
      ordinal: 21,
      reason: 'makeupWorkday',
      extension: 0,
    });
    expect(x.days.at(-1)).toMatchObject({ date: '2024-04-08', ordinal: 22, extension: 0 });
    expect(x.days).toHaveLength(39); // 2024-03-01 … 2024-04-08
  });

  it('lists the events in time order: started, paused, resumed, extended, due', () => {
    const x = explainClock(calendar, clock, at('2024-04-01T09:00:00'));
    expect(x.events.map((e) => `${e.kind} ${e.date}`)).toEqual([
      'started 2024-03-01',
      'paused 2024-03-05',
      'resumed 2024-03-08',
      'extended 2024-03-28',
      'due 2024-04-08',
    ]);
    expect(x.events[3]).toMatchObject({ amount: 2, approver: '厅长' });
  });

  it('explains a frozen clock up to its projected due date', () => {
    const open: Clock = {
      ...clock,
      pauses: [{ kind: 'hearing', from: at('2024-03-05T09:00:00'), to: null, reason: '听证' }],
      extensions: [],
    };
    const x = explainClock(calendar, open, at('2024-03-20T12:00:00'));
    expect(x.evaluation.due).toBeNull();
    expect(x.days.at(-1)?.date).toBe(x.evaluation.projectedDue?.date);
    expect(
      x.days
        .filter((d) => d.reason === 'paused')
        .map((d) => d.date)
        .at(-1),
    ).toBe('2024-03-20');
  });

  it('explains an hour clock as counted and paused segments', () => {
    const hours: Clock = {
      unit: 'hour',
      start: at('2024-07-01T22:00:00'),
      limit: 24,
      pauses: [
        { kind: 'suspension', from: at('2024-07-02T02:00:00'), to: at('2024-07-02T04:30:00'), reason: '通信中断' },
      ],
    };
    const x = explainClock(calendar, hours, at('2024-07-02T10:00:00'));
    expect(x.segments.map((s) => [s.counted, s.hours])).toEqual([
      [true, 4],
      [false, 2.5],
      [true, 20],
    ]);
    expect(x.segments[1]).toMatchObject({ pauseReason: '通信中断' });
  });
});
