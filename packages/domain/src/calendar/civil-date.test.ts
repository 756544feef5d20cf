import fc from 'fast-check';
import { codeOf } from './test-support.ts';
import { afterEach, describe, expect, it } from 'vitest';
import {
  dayNumberFromParts,
  formatDayNumber,
  formatShanghaiInstant,
  parseCivilDate,
  shanghaiEndOfDayMs,
  toEpochMs,
  toShanghai,
  toShanghaiDate,
  tryParseCivilDate,
  weekdayOf,
} from './civil-date.ts';

describe('civil dates as day numbers', () => {
  it('numbers days from 1970-01-01, a Thursday', () => {
    expect(parseCivilDate('1970-01-01')).toBe(0);
    expect(weekdayOf(0)).toBe(4);
    expect(parseCivilDate('2024-02-29')).toBe(Date.UTC(2024, 1, 29) / 86_400_000);
  });

  it('round-trips every date 1900–2200 and agrees with Date.UTC', () => {
    fc.assert(
      fc.property(fc.integer({ min: dayNumberFromParts(1900, 1, 1), max: dayNumberFromParts(2200, 12, 31) }), (day) => {
        const text = formatDayNumber(day);
        expect(text).toBe(new Date(day * 86_400_000).toISOString().slice(0, 10));
        expect(parseCivilDate(text)).toBe(day);
        expect(weekdayOf(day)).toBe(new Date(day * 86_400_000).getUTCDay());
      }),
    );
  });

  it.each(['2025-02-29', '2024-13-01', '2024-1-01', '2024/01/01', '', '2024-01-01T00:00'])(
    'rejects %j as not a civil date',
    (text) => {
      expect(tryParseCivilDate(text)).toBeUndefined();
      expect(codeOf(() => parseCivilDate(text))).toBe('CLOCK_INVALID');
    },
  );
});

describe('Shanghai time from instants', () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = originalTz;
  });

  it('puts 23:30 UTC on the next Shanghai day, whatever the process time zone', () => {
    for (const tz of ['UTC', 'America/Los_Angeles', 'Asia/Shanghai', 'Pacific/Kiritimati']) {
      process.env.TZ = tz;
      const at = new Date('2024-09-30T23:30:00Z');
      expect(toShanghai(at)).toMatchObject({ date: '2024-10-01', time: '07:30:00.000' });
      expect(toShanghaiDate('2024-09-30T23:30:00Z')).toBe('2024-10-01');
    }
  });

  it('accepts ISO strings with an offset and epoch milliseconds', () => {
    expect(toEpochMs('2024-10-01T07:30:00+08:00')).toBe(Date.UTC(2024, 8, 30, 23, 30));
    expect(toEpochMs('2024-10-01T07:30+0800')).toBe(Date.UTC(2024, 8, 30, 23, 30));
    expect(toEpochMs(1_000)).toBe(1_000);
  });

  it('rejects an ISO string without an offset: it would be read in the process time zone', () => {
    expect(codeOf(() => toEpochMs('2024-10-01T07:30:00'))).toBe('CLOCK_INVALID');
    expect(codeOf(() => toEpochMs(new Date('nonsense')))).toBe('CLOCK_INVALID');
  });

  it('ends a Shanghai day at 23:59:59.999 +08:00', () => {
    const end = shanghaiEndOfDayMs(parseCivilDate('2024-03-29'));
    expect(formatShanghaiInstant(end)).toBe('2024-03-29T23:59:59.999+08:00');
    expect(new Date(end).toISOString()).toBe('2024-03-29T15:59:59.999Z');
  });
});
