import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createChinaWorkingCalendar } from '../calendar/index.ts';
import { evaluateClock } from './evaluate-clock.ts';
import { warningInstantMs } from './warning.ts';

const calendar = createChinaWorkingCalendar();

describe('warning instant (黄牌)', () => {
  it('falls on the 16th working day of a 20-working-day clock (80 %), at 00:00 Shanghai', () => {
    // Start Mon 2026-03-02; counted: 03-03 … ; the 16th working day is 2026-03-24 (Tue).
    const clock = { unit: 'workday' as const, start: '2026-03-02T10:00:00+08:00', limit: 20 };
    const ms = warningInstantMs(calendar, clock, '2026-03-02T10:00:00+08:00');
    expect(new Date(ms ?? 0).toISOString()).toBe('2026-03-23T16:00:00.000Z');
  });

  it('is one working day before the end for short clocks (5 days: the 4th day)', () => {
    const clock = { unit: 'workday' as const, start: '2026-09-30T10:00:00+08:00', limit: 5 };
    // counted: 10-08, 10-09, 10-10 (makeup), 10-12, 10-13 → 80 % = 4th → 10-12
    const ms = warningInstantMs(calendar, clock, '2026-09-30T12:00:00+08:00');
    expect(new Date(ms ?? 0).toISOString()).toBe('2026-10-11T16:00:00.000Z');
  });

  it('has none while an open pause freezes the clock', () => {
    const clock = {
      unit: 'workday' as const,
      start: '2026-03-02T10:00:00+08:00',
      limit: 20,
      pauses: [{ kind: 'supplement' as const, from: '2026-03-04T10:00:00+08:00', to: null, reason: '补正' }],
    };
    expect(warningInstantMs(calendar, clock, '2026-03-10T10:00:00+08:00')).toBeNull();
  });

  it('agrees with evaluateClock: dueSoon from that instant on, running just before (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 900 }),
        fc.integer({ min: 2, max: 40 }),
        fc.integer({ min: 0, max: 3 }),
        (offset, limit, pauseDays) => {
          const start = new Date(Date.UTC(2024, 0, 2, 2, 0, 0) + offset * 86_400_000);
          const pauses =
            pauseDays > 0
              ? [
                  {
                    kind: 'supplement' as const,
                    from: new Date(start.getTime() + 86_400_000),
                    to: new Date(start.getTime() + (1 + pauseDays) * 86_400_000),
                    reason: 'x',
                  },
                ]
              : [];
          const clock = { unit: 'workday' as const, start, limit, pauses };
          const now = new Date(start.getTime() + 40 * 86_400_000);
          const warn = warningInstantMs(calendar, clock, now);
          if (warn === null) return;
          const at = evaluateClock(calendar, clock, new Date(warn)).state;
          const before = evaluateClock(calendar, clock, new Date(warn - 1)).state;
          expect(['dueSoon', 'overdue']).toContain(at);
          if (warn - 1 > start.getTime()) expect(['running', 'paused']).toContain(before);
        },
      ),
      { numRuns: 300 },
    );
  });
});
